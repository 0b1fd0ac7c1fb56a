import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStoreError, openStore, type OpenDbOptions, type Store } from '../store/index.ts';
import type { Argv } from 'yargs';
import { ThingstapeError } from '../errors.ts';
import type { DeclaredArgs, GlobalOptions } from './command.ts';
import type { CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

/** The default database: a local libSQL file in the working directory. */
export const DEFAULT_DB_URL = 'file:thingstape.db';

/** The environment variable naming the database when `--db` is not given. */
export const DB_ENV = 'THINGSTAPE_DB';

/** `--db`, `--auth-token` and `--sync-url`, shared by every command that opens a database. */
export interface DbArgs {
  /** As given; {@link dbUrlOf} adds `$THINGSTAPE_DB` and the default. */
  readonly db: string | undefined;
  readonly authToken: string | undefined;
  readonly syncUrl: string | undefined;
}

/** Adds `--db URL`, `--auth-token` and `--sync-url` to a command. */
export function withDbOptions<T extends GlobalOptions>(
  yargs: Argv<T>,
): Argv<T & DeclaredArgs<DbArgs>> {
  return yargs
    .option('db', {
      type: 'string',
      requiresArg: true,
      describe: `libSQL database URL: file:path.db, :memory:, http(s)://…, libsql://… (default: $${DB_ENV}, else ${DEFAULT_DB_URL})`,
      coerce: (value: unknown) => checkDbUrl(single(value, '--db'), '--db'),
    })
    .option('auth-token', {
      type: 'string',
      requiresArg: true,
      describe: 'Auth token for a libSQL server (default: $THINGSTAPE_AUTH_TOKEN)',
    })
    .option('sync-url', {
      type: 'string',
      requiresArg: true,
      describe:
        'Make the file: --db an embedded replica of this libSQL server: reads stay local, writes go to the server, then the replica syncs',
    });
}

/** The database URL: `--db`, else `$THINGSTAPE_DB`, else `file:thingstape.db`. */
export function dbUrlOf(args: DbArgs, io: CliIo): string {
  if (args.db !== undefined) return args.db;
  const fromEnv = io.env[DB_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return checkDbUrl(fromEnv, `$${DB_ENV}`);
  return DEFAULT_DB_URL;
}

/**
 * Refuses a plain path where a database URL is expected, with the URL it probably meant
 * (`/tmp/x.db` → `file:/tmp/x.db`).
 */
export function checkDbUrl(value: string, from: string): string {
  if (value === ':memory:' || /^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  const flag = from.startsWith('--') ? `${from} ` : `${from}=`;
  throw new UsageError(
    `Cannot open database ${JSON.stringify(value)}: a path is not a database URL; did you mean ${flag}file:${value}?`,
  );
}

/** The auth token from the flag, else the environment; never printed. */
export function authTokenOf(args: DbArgs, io: CliIo): string | undefined {
  return args.authToken ?? io.env['THINGSTAPE_AUTH_TOKEN'] ?? undefined;
}

/** The options `--db` is opened with: auth token, embedded replica primary. */
export function dbOptionsOf(args: DbArgs, io: CliIo): OpenDbOptions {
  const authToken = authTokenOf(args, io);
  return {
    ...(authToken === undefined ? {} : { authToken }),
    ...(args.syncUrl === undefined ? {} : { syncUrl: args.syncUrl }),
  };
}

/** Opens (and migrates) the database named by `--db`, with the auth token and sync URL if any. */
export async function openStoreFor(args: DbArgs, io: CliIo): Promise<Store> {
  const url = dbUrlOf(args, io);
  const absolute = resolveDbUrl(url, io.cwd);
  checkLocalDirectory(url, absolute);
  try {
    return await openStore(absolute, dbOptionsOf(args, io));
  } catch (error) {
    throw explainOpenError(error, url);
  }
}

/**
 * A `file:` database in a directory that does not exist fails in the driver with
 * `ConnectionFailed(…: 14)`; say so before opening.
 */
export function checkLocalDirectory(shown: string, absoluteUrl: string): void {
  const path = localFilePath(absoluteUrl, '/');
  if (path === null) return;
  const dir = dirname(path);
  if (!existsSync(dir)) {
    throw new ThingstapeError(
      'DB_DIRECTORY_MISSING',
      `Cannot open database ${shown}: directory ${dir} does not exist; create it first (mkdir -p ${dir}) or choose another path`,
    );
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new ThingstapeError(
      'DB_IS_DIRECTORY',
      `Cannot open database ${shown}: ${path} is a directory; name a file inside it, e.g. file:${path.replace(/\/$/, '')}/thingstape.db`,
    );
  }
}

/**
 * Driver errors a user can act on, said so: TLS spoken to a server without it (OpenSSL's "wrong
 * version number"), nothing listening at the address. Other errors are returned unchanged.
 */
export function explainOpenError(error: unknown, shown: string): unknown {
  if (!isStoreError(error)) return error;
  const cause = error.cause instanceof Error ? error.cause.message : '';
  const text = `${error.message} ${cause}`;
  const remote = remoteAddress(shown);
  if (remote === null) return error;
  if (/wrong version number|packet length too long|tls_validate_record_header/i.test(text)) {
    return new ThingstapeError(
      'DB_TLS_MISMATCH',
      `Cannot open database ${remote.shown}: the server does not speak TLS (it answered in plain HTTP); use http://${remote.host} or libsql://${remote.host}?tls=0`,
      { cause: error },
    );
  }
  if (/ECONNREFUSED/.test(text)) {
    return new ThingstapeError(
      'DB_UNREACHABLE',
      `Cannot open database ${remote.shown}: nothing accepts connections at ${remote.host}; is the libSQL server running there?`,
      { cause: error },
    );
  }
  return error;
}

/** A remote URL without credentials, and its host:port. */
function remoteAddress(url: string): { shown: string; host: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!['libsql:', 'https:', 'http:', 'wss:', 'ws:'].includes(parsed.protocol)) return null;
  const host = parsed.host;
  parsed.username = '';
  parsed.password = '';
  parsed.searchParams.delete('authToken');
  return { shown: parsed.toString().replace(/\/$/, ''), host };
}

/**
 * A relative `file:` URL made absolute against `cwd` (the CLI's working directory, which for
 * in-process callers need not be the process's); other URLs unchanged.
 */
export function resolveDbUrl(url: string, cwd: string): string {
  if (!url.startsWith('file:') || url.startsWith('file:/')) return url;
  const [path = '', ...query] = url.slice('file:'.length).split('?');
  if (path === '' || path === ':memory:') return url;
  return `file:${resolve(cwd, path)}${query.length === 0 ? '' : `?${query.join('?')}`}`;
}

/** The file a `file:` URL names (relative paths against `cwd`); null for other URLs. */
export function localFilePath(url: string, cwd: string): string | null {
  if (!url.startsWith('file:')) return null;
  const withoutQuery = url.split('?')[0] ?? url;
  if (withoutQuery.startsWith('file://')) {
    try {
      return fileURLToPath(withoutQuery);
    } catch {
      return null;
    }
  }
  const path = decodeURIComponent(withoutQuery.slice('file:'.length));
  return path === '' || path === ':memory:' ? null : resolve(cwd, path);
}

function single(value: unknown, flag: string): string {
  if (Array.isArray(value))
    throw new UsageError(`${flag}: given ${value.length} times; give it once`);
  return String(value);
}
