import { resolve } from 'node:path';
import { openStore, type OpenDbOptions, type Store } from '../store/index.ts';
import type { Argv } from 'yargs';
import type { GlobalOptions } from './command.ts';
import type { CliIo } from './io.ts';

/** The default database: a local libSQL file in the working directory. */
export const DEFAULT_DB_URL = 'file:thingstape.db';

/** `--db`, `--auth-token` and `--sync-url`, shared by every command that opens a database. */
export interface DbArgs {
  readonly db: string;
  readonly authToken: string | undefined;
  readonly syncUrl: string | undefined;
}

/** Adds `--db URL`, `--auth-token` and `--sync-url` to a command. */
export function withDbOptions<T extends GlobalOptions>(yargs: Argv<T>): Argv<T & DbArgs> {
  return yargs
    .option('db', {
      type: 'string',
      default: DEFAULT_DB_URL,
      describe: 'libSQL database URL: file:path.db, :memory:, http(s)://…, libsql://…',
    })
    .option('auth-token', {
      type: 'string',
      describe: 'Auth token for a libSQL server (default: $THINGSTAPE_AUTH_TOKEN)',
    })
    .option('sync-url', {
      type: 'string',
      describe:
        'Make the file: --db an embedded replica of this libSQL server: reads stay local, writes go to the server, then the replica syncs',
    }) as unknown as Argv<T & DbArgs>;
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
  return openStore(resolveDbUrl(args.db, io.cwd), dbOptionsOf(args, io));
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
