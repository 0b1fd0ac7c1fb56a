/**
 * Opening a database: {@link openDb} picks the adapter by URL (local databases over the native
 * `libsql` driver in `db-local.ts`; remote servers and embedded replicas over `@libsql/client`,
 * here). Driver errors are translated into {@link StoreError} where they enter. The port itself
 * (`Db`, statements, rows) is `db-types.ts`, re-exported here.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Client, Config, InStatement, ResultSet } from '@libsql/client';
import { StoreError, isStoreError, isStoreErrorCode } from './errors.ts';
import type { StoreErrorCode } from './errors.ts';
import { LocalDb, localPathOf } from './db-local.ts';
import { MARKER, describeSql, messageOf } from './db-errors.ts';
import type {
  BatchMode,
  Db,
  OpenDbOptions,
  QueryResult,
  SqlArg,
  SqlValue,
  Statement,
} from './db-types.ts';

export type {
  BatchMode,
  Db,
  OpenDbOptions,
  QueryResult,
  Row,
  RowEncoding,
  SqlArg,
  SqlValue,
  Statement,
} from './db-types.ts';
export { LOCAL_BUSY_TIMEOUT_MS, STATEMENT_CACHE_SIZE } from './db-local.ts';

const REMOTE_SCHEMES = ['http:', 'https:', 'libsql:', 'ws:', 'wss:'] as const;

/** How a URL is served: in-memory, a local file, or a remote server. */
export function urlKind(url: string): 'memory' | 'file' | 'remote' {
  if (url === ':memory:' || url.startsWith('file::memory:')) return 'memory';
  if (url.startsWith('file:')) return 'file';
  if (REMOTE_SCHEMES.some((scheme) => url.startsWith(scheme))) return 'remote';
  throw new StoreError(
    'INVALID_URL',
    `Cannot open database ${JSON.stringify(redactUrl(url))}: expected :memory:, file:…, http(s)://…, libsql://… or ws(s)://…`,
  );
}

/** The URL without credentials (`authToken` query parameter, user info), for messages and status. */
export function redactUrl(url: string): string {
  if (!REMOTE_SCHEMES.some((scheme) => url.startsWith(scheme))) return url;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.searchParams.delete('authToken');
    return parsed.toString();
  } catch {
    return url.replace(/authToken=[^&]*/g, 'authToken=REDACTED');
  }
}

/**
 * Whether two database URLs name one database: the same file (by device and inode once it exists,
 * so another spelling of its path or a hard link counts; by resolved path before), or the same
 * server and path (scheme aside: `libsql://`, `https://` and `wss://` reach one server; credentials
 * and query parameters aside). Two `:memory:` URLs are two databases.
 */
export async function isSameDatabase(a: string, b: string): Promise<boolean> {
  const kindA = urlKind(a);
  const kindB = urlKind(b);
  if (kindA !== kindB || kindA === 'memory') return false;
  if (kindA === 'file') {
    const pathA = resolve(localPathOf(a, 'file', redactUrl(a)));
    const pathB = resolve(localPathOf(b, 'file', redactUrl(b)));
    if (pathA === pathB) return true;
    try {
      const [statA, statB] = await Promise.all([stat(pathA), stat(pathB)]);
      return statA.dev === statB.dev && statA.ino === statB.ino;
    } catch {
      return false;
    }
  }
  const endpoint = (url: string): string | null => {
    try {
      const parsed = new URL(url);
      const secure =
        parsed.protocol === 'https:' ||
        parsed.protocol === 'wss:' ||
        (parsed.protocol === 'libsql:' && parsed.searchParams.get('tls') !== '0');
      const port = parsed.port === '' ? (secure ? '443' : '80') : parsed.port;
      return `${parsed.hostname.toLowerCase()}:${port}${parsed.pathname.replace(/\/+$/, '')}`;
    } catch {
      return null;
    }
  };
  const endA = endpoint(a);
  return endA !== null && endA === endpoint(b);
}

/**
 * Opens a database and checks it can be reached. `file:` databases get `journal_mode=WAL` (set
 * once; it persists in the file) and a busy timeout of {@link LOCAL_BUSY_TIMEOUT_MS}.
 * `libsql://host` means HTTPS; add `?tls=0` (and a port) for plain HTTP.
 * Integers are read as `bigint` by the driver and converted to `number` here, so a value above
 * 2^53 (which can only come from a JS number in the first place) never makes a whole read fail.
 * With `syncUrl`, a `file:` URL is opened as an embedded replica (see {@link OpenDbOptions.syncUrl})
 * and synced once before this returns.
 */
export async function openDb(url: string, options: OpenDbOptions = {}): Promise<Db> {
  const kind = urlKind(url);
  refuseUserInfo(url);
  if (options.syncUrl !== undefined) {
    refuseUserInfo(options.syncUrl);
    return openReplica(url, kind, options.syncUrl, options);
  }
  const shown = redactUrl(url);
  if (kind !== 'remote') {
    const db = LocalDb.open(url, kind, shown);
    await probe(db, kind === 'file' ? 'PRAGMA journal_mode=WAL' : 'SELECT 1');
    return db;
  }
  await loadClient();
  const client = newClient(url, shown, {
    ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const db = new LibsqlDb(client, shown);
  await probe(db, 'SELECT 1');
  return db;
}

/**
 * Throws `INVALID_URL` for a remote URL with a user name or password: libSQL authenticates with a
 * token, and `fetch` refuses such a URL (quoting it, password and all).
 */
function refuseUserInfo(url: string): void {
  if (urlKind(url) !== 'remote') return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return; // the driver says what is wrong with it
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new StoreError(
      'INVALID_URL',
      `Cannot open database ${redactUrl(url)}: the URL holds a user name or password, which libSQL does not use; pass a token instead (--auth-token or $THINGSTAPE_AUTH_TOKEN)`,
    );
  }
}

/**
 * An embedded replica: `file:` URL + the primary's URL. libSQL contacts the primary when the
 * replica is opened, so an unreachable primary fails the open with `CONNECT_FAILED`, even when the
 * local file is already synced.
 */
async function openReplica(
  url: string,
  kind: ReturnType<typeof urlKind>,
  syncUrl: string,
  options: OpenDbOptions,
): Promise<Db> {
  const shown = redactUrl(url);
  const primaryShown = redactUrl(syncUrl);
  if (kind !== 'file') {
    throw new StoreError(
      'INVALID_URL',
      `Cannot open ${shown} as an embedded replica of ${primaryShown}: a replica needs a file: URL`,
    );
  }
  if (urlKind(syncUrl) !== 'remote') {
    throw new StoreError(
      'INVALID_URL',
      `Cannot open ${shown} as an embedded replica: the sync URL ${primaryShown} is not an http(s)://, libsql:// or ws(s):// URL`,
    );
  }
  const auth = options.authToken === undefined ? {} : { authToken: options.authToken };
  await loadClient();
  const primary = newClient(syncUrl, primaryShown, {
    ...auth,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  let replica: Client;
  try {
    replica = newClient(url, shown, { ...auth, syncUrl });
  } catch (error) {
    primary.close();
    throw new StoreError(
      'CONNECT_FAILED',
      `Cannot open ${shown} as an embedded replica of ${primaryShown}: ${error instanceof StoreError ? error.message : messageOf(error)}; libSQL must reach the primary to open a replica (drop --sync-url to read the file alone, read-only use only)`,
      { cause: error },
    );
  }
  const db = new ReplicaDb(replica, primary, shown, primaryShown);
  try {
    await db.sync();
  } catch (error) {
    db.close();
    throw new StoreError(
      'CONNECT_FAILED',
      `Cannot open ${shown} as an embedded replica of ${primaryShown}: ${messageOf(error)}`,
      { cause: error },
    );
  }
  await probe(db, 'SELECT 1');
  return db;
}

/**
 * `@libsql/client`, loaded on first use: only remote databases and replicas need it, and it costs
 * a process that works on a local file about 18 MB of memory.
 */
let libsqlClient: typeof import('@libsql/client') | undefined;

async function loadClient(): Promise<typeof import('@libsql/client')> {
  libsqlClient ??= await import('@libsql/client');
  return libsqlClient;
}

/** The loaded client module (every caller runs after {@link loadClient}). */
function clientModule(): typeof import('@libsql/client') {
  if (libsqlClient === undefined) throw new Error('@libsql/client is used before it was loaded');
  return libsqlClient;
}

function newClient(url: string, shown: string, config: Omit<Config, 'url' | 'intMode'>): Client {
  try {
    return clientModule().createClient({ url, intMode: 'bigint', ...config });
  } catch (error) {
    throw new StoreError('INVALID_URL', `Cannot open database ${shown}: ${messageOf(error)}`, {
      cause: error,
      ...driverCodeOf(error),
    });
  }
}

async function probe(db: Db, sql: string): Promise<void> {
  try {
    await db.execute(sql);
  } catch (error) {
    db.close();
    throw new StoreError(
      'CONNECT_FAILED',
      `Cannot open database ${db.url}: ${error instanceof StoreError ? error.message : messageOf(error)}`,
      { cause: error },
    );
  }
}

/** Statements an embedded replica answers locally; everything else goes to the primary. */
const LOCAL_READ = /^\s*(SELECT|PRAGMA|EXPLAIN|VALUES)\b/i;

/**
 * Embedded replica: reads on the local file, writes on the primary (one HTTP request per batch,
 * not one per statement as writes through the replica would be), then a pull of the new frames,
 * so the next local read sees them. The replica syncs only then (and when opened).
 */
class ReplicaDb implements Db {
  readonly url: string;
  /** Writes go to the primary, over HTTP. */
  readonly rowEncoding = 'json';
  readonly #local: LibsqlDb;
  readonly #primary: LibsqlDb;
  readonly #replica: Client;

  constructor(replica: Client, primary: Client, url: string, primaryUrl: string) {
    this.url = url;
    this.#replica = replica;
    this.#local = new LibsqlDb(replica, url);
    this.#primary = new LibsqlDb(primary, primaryUrl);
  }

  /** Pulls what the primary has that the replica has not. */
  async sync(): Promise<void> {
    try {
      await this.#replica.sync();
    } catch (error) {
      throw translate(error, `sync the replica from its primary`, 'CONNECT_FAILED', this.url);
    }
  }

  async execute(stmt: Statement | string): Promise<QueryResult> {
    const sql = typeof stmt === 'string' ? stmt : stmt.sql;
    if (LOCAL_READ.test(sql)) return this.#local.execute(stmt);
    const result = await this.#primary.execute(stmt);
    await this.sync();
    return result;
  }

  async batch(stmts: readonly (Statement | string)[], mode: BatchMode): Promise<QueryResult[]> {
    if (mode === 'read') {
      // libSQL sends every transaction of a replica (even a read-only one) to the primary; read
      // statement by statement instead. The replica changes only when this Db syncs it (after
      // each write); a write in flight may sync it between two of these statements, which the
      // sync loop allows for: it never reads the ids a commit in flight writes (decision 0012).
      const results: QueryResult[] = [];
      for (const [i, stmt] of stmts.entries()) {
        try {
          results.push(await this.#local.execute(stmt));
        } catch (error) {
          if (!isStoreError(error)) throw error;
          throw new StoreError('READ_FAILED', error.message, {
            cause: error,
            statementIndex: i,
            ...(error.driverCode === undefined ? {} : { driverCode: error.driverCode }),
          });
        }
      }
      return results;
    }
    const results = await this.#primary.batch(stmts, mode);
    await this.sync();
    return results;
  }

  close(): void {
    this.#local.close();
    this.#primary.close();
  }
}

class LibsqlDb implements Db {
  readonly url: string;
  readonly rowEncoding = 'json';
  readonly #client: Client;
  #closed = false;

  constructor(client: Client, url: string) {
    this.#client = client;
    this.url = url;
  }

  async execute(stmt: Statement | string): Promise<QueryResult> {
    this.#assertOpen();
    try {
      return toResult(await this.#client.execute(toInStatement(stmt)));
    } catch (error) {
      throw translate(error, `run ${describeSql(stmt)}`, 'QUERY_FAILED', this.url);
    }
  }

  async batch(stmts: readonly (Statement | string)[], mode: BatchMode): Promise<QueryResult[]> {
    this.#assertOpen();
    try {
      const results = await this.#client.batch(stmts.map(toInStatement), mode);
      return results.map(toResult);
    } catch (error) {
      throw translate(
        error,
        `run a ${mode} batch of ${stmts.length} statements`,
        mode === 'write' ? 'WRITE_FAILED' : 'READ_FAILED',
        this.url,
      );
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#client.close();
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new StoreError('CLOSED', `Cannot use database ${this.url}: it is closed`);
  }
}

function toInStatement(stmt: Statement | string): InStatement {
  if (typeof stmt === 'string') return stmt;
  return { sql: stmt.sql, args: stmt.args === undefined ? [] : stmt.args.map(wellFormed) };
}

/**
 * A string with an unpaired surrogate made well-formed (each one becomes U+FFFD). The native
 * driver stores such a string so; Hrana cannot carry it at all (sqld refuses the whole request),
 * so a remote database gets what a local one stores instead of a failed write.
 */
function wellFormed(value: SqlArg): SqlArg {
  return typeof value === 'string' && !value.isWellFormed() ? value.toWellFormed() : value;
}

function toResult(result: ResultSet): QueryResult {
  const columns = result.columns;
  const rows = result.rows.map((row) => {
    const out: Record<string, SqlValue> = {};
    columns.forEach((name, i) => {
      const value = row[i];
      out[name] = typeof value === 'bigint' ? Number(value) : (value ?? null);
    });
    return out;
  });
  return { columns, rows, rowsAffected: result.rowsAffected };
}

/**
 * Driver error → StoreError. A `RAISE(ABORT, 'THINGSTAPE_<CODE>')` from one of our triggers
 * becomes that code; `SQLITE_BUSY` becomes `BUSY`; transport failures become `CONNECT_FAILED`.
 */
function translate(
  error: unknown,
  action: string,
  fallback: StoreErrorCode,
  url: string,
): StoreError {
  if (error instanceof StoreError) return error;
  const message = messageOf(error);
  const { LibsqlBatchError, LibsqlError } = clientModule();
  const statementIndex = error instanceof LibsqlBatchError ? error.statementIndex : undefined;
  const where = statementIndex === undefined ? '' : `statement ${statementIndex} failed: `;
  const options = {
    cause: error,
    ...driverCodeOf(error),
    ...(statementIndex === undefined ? {} : { statementIndex }),
  };
  const marker = MARKER.exec(message)?.[1];
  let code: StoreErrorCode = fallback;
  if (marker !== undefined && isStoreErrorCode(marker)) code = marker;
  else if (error instanceof LibsqlError) {
    if (error.code === 'SQLITE_BUSY' || error.extendedCode?.startsWith('SQLITE_BUSY') === true) {
      code = 'BUSY';
    } else if (error.code === 'CLIENT_CLOSED') code = 'CLOSED';
    else if (error.code === 'SERVER_ERROR' || error.code.startsWith('HRANA_WEBSOCKET')) {
      code = 'CONNECT_FAILED';
    }
  } else code = 'CONNECT_FAILED';
  return new StoreError(code, `Cannot ${action} on ${url}: ${where}${message}`, options);
}

function driverCodeOf(error: unknown): { driverCode?: string } {
  return libsqlClient !== undefined && error instanceof libsqlClient.LibsqlError
    ? { driverCode: error.code }
    : {};
}
