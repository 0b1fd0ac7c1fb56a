/**
 * The thin database port the store is written against, and its one adapter over
 * `@libsql/client`. Driver errors are translated into {@link StoreError} here, where they enter.
 */
import { createClient, LibsqlBatchError, LibsqlError } from '@libsql/client';
import type { Client, Config, InStatement, ResultSet } from '@libsql/client';
import { StoreError, isStoreError, isStoreErrorCode } from './errors.ts';
import type { StoreErrorCode } from './errors.ts';

/** A value bound to a `?` placeholder. Booleans are bound as 0/1 by the caller. */
export type SqlArg = null | string | number | bigint | Uint8Array;

/** A value read from a column. Integers arrive as `number` (see {@link openDb}). */
export type SqlValue = null | string | number | ArrayBuffer;

/** One row of a result, by column name. */
export type Row = Readonly<Record<string, SqlValue>>;

/** One SQL statement with positional arguments. */
export interface Statement {
  readonly sql: string;
  readonly args?: readonly SqlArg[];
}

/** What one statement returned. */
export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
  /** Rows changed by an INSERT, UPDATE or DELETE (unspecified for other statements). */
  readonly rowsAffected: number;
}

/** Transaction mode of a batch: `write` = `BEGIN IMMEDIATE`, `read` = a read-only transaction. */
export type BatchMode = 'write' | 'read';

/**
 * The database port. Every failure is a {@link StoreError}.
 *
 * - `execute` runs one statement in autocommit mode.
 * - `batch` runs its statements in order inside one transaction (over the network: one request).
 *   If any statement fails, the whole batch is rolled back and the error's `statementIndex` names
 *   the failing statement. Exception: a `CONNECT_FAILED` error during a write batch means the
 *   outcome is unknown (the request may have committed before the connection dropped).
 * - `close` releases the connection; later calls fail with `CLOSED`.
 */
export interface Db {
  /** The URL with any credentials removed; safe to print. */
  readonly url: string;
  execute(stmt: Statement | string): Promise<QueryResult>;
  batch(stmts: readonly (Statement | string)[], mode: BatchMode): Promise<QueryResult[]>;
  close(): void;
}

/** Options of {@link openDb}. */
export interface OpenDbOptions {
  /** JWT for sqld / Turso; never part of {@link Db.url}. */
  readonly authToken?: string;
  /**
   * Makes a `file:` URL an embedded replica of this remote primary: reads run on the local file,
   * writes go straight to the primary over HTTP (one request per batch), then the replica syncs.
   */
  readonly syncUrl?: string;
  /** The `fetch` the HTTP client uses (remote URLs and a replica's primary): for counting, faults. */
  readonly fetch?: typeof globalThis.fetch;
}

/** Busy timeout of local connections (ms): how long a writer waits for another one. */
export const LOCAL_BUSY_TIMEOUT_MS = 5000;

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
  if (options.syncUrl !== undefined) return openReplica(url, kind, options.syncUrl, options);
  const shown = redactUrl(url);
  const client = newClient(url, shown, {
    ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(kind === 'remote' ? {} : { timeout: LOCAL_BUSY_TIMEOUT_MS }),
  });
  const db = new LibsqlDb(client, shown);
  await probe(db, kind === 'file' ? 'PRAGMA journal_mode=WAL' : 'SELECT 1');
  return db;
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

function newClient(url: string, shown: string, config: Omit<Config, 'url' | 'intMode'>): Client {
  try {
    return createClient({ url, intMode: 'bigint', ...config });
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
      // statement by statement instead. The replica changes only when this Db syncs it, so the
      // reads still see one state.
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
  return { sql: stmt.sql, args: stmt.args === undefined ? [] : [...stmt.args] };
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

function describeSql(stmt: Statement | string): string {
  const sql = (typeof stmt === 'string' ? stmt : stmt.sql).replace(/\s+/g, ' ').trim();
  return JSON.stringify(sql.length > 60 ? `${sql.slice(0, 57)}...` : sql);
}

const MARKER = /THINGSTAPE_([A-Z][A-Z_]*[A-Z])/;

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
  return error instanceof LibsqlError ? { driverCode: error.code } : {};
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
