/**
 * The thin database port the store is written against, and its adapters: local databases
 * (`file:`, `:memory:`) over the native `libsql` driver with a prepared-statement cache, remote
 * servers and embedded replicas over `@libsql/client`. Driver errors are translated into
 * {@link StoreError} here, where they enter.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client, Config, InStatement, ResultSet } from '@libsql/client';
import Database from 'libsql';
import { scrubCredentials } from '../errors.ts';
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
 * How a database takes the store's multi-row inserts best (decision 0014): `values` binds every
 * value (`VALUES (?, …), …`), which the native driver does cheaply; `json` sends a statement's
 * rows as one JSON text that SQLite unpacks (`… SELECT value->>0, … FROM json_each(?)`), which over
 * HTTP replaces a Hrana value object per cell with one string.
 */
export type RowEncoding = 'values' | 'json';

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
  /** How the store should send multi-row inserts to this database (absent: `values`). */
  readonly rowEncoding?: RowEncoding;
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

/** Schema statements, run without preparing them (they return no rows and count no changes). */
const SCHEMA_STATEMENT = /^\s*(CREATE|DROP|ALTER)\s/i;

/** Prepared statements a {@link LocalDb} keeps (least recently used ones are dropped first). */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * A local database (`file:` or `:memory:`) on one native `libsql` connection. `@libsql/client`
 * prepares every statement anew and copies every row into a read-only object; the store runs the
 * same few dozen statement shapes for every page, so this adapter prepares each once and keeps it
 * (docs/decisions/0008-local-driver.md). Every call runs to its end synchronously, so one
 * connection is never shared by two operations.
 */
class LocalDb implements Db {
  readonly url: string;
  readonly rowEncoding = 'values';
  readonly #path: string;
  #db: Database.Database;
  readonly #cache = new Map<string, Prepared>();
  #closed = false;

  private constructor(path: string, url: string) {
    this.#path = path;
    this.url = url;
    this.#db = LocalDb.#connect(path, url);
  }

  static open(url: string, kind: 'memory' | 'file', shown: string): LocalDb {
    return new LocalDb(localPathOf(url, kind, shown), shown);
  }

  static #connect(path: string, shown: string): Database.Database {
    try {
      return new Database(path, { timeout: LOCAL_BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new StoreError('CONNECT_FAILED', `Cannot open database ${shown}: ${messageOf(error)}`, {
        cause: error,
        ...nativeCodeOf(error),
      });
    }
  }

  async execute(stmt: Statement | string): Promise<QueryResult> {
    this.#assertOpen();
    try {
      return this.#run(stmt);
    } catch (error) {
      throw translateNative(error, `run ${describeSql(stmt)}`, 'QUERY_FAILED', this.url);
    }
  }

  async batch(stmts: readonly (Statement | string)[], mode: BatchMode): Promise<QueryResult[]> {
    this.#assertOpen();
    const fallback = mode === 'write' ? 'WRITE_FAILED' : 'READ_FAILED';
    const action = `run a ${mode} batch of ${stmts.length} statements`;
    try {
      // exec, not a prepared statement: a BEGIN that fails with SQLITE_BUSY would otherwise
      // stay "in progress" and make the next COMMIT on this connection fail.
      this.#db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN TRANSACTION READONLY');
    } catch (error) {
      throw translateNative(error, action, fallback, this.url);
    }
    const results: QueryResult[] = [];
    for (const [i, stmt] of stmts.entries()) {
      try {
        results.push(this.#run(stmt));
      } catch (error) {
        this.#rollback();
        throw translateNative(error, action, fallback, this.url, i);
      }
    }
    try {
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#rollback();
      throw translateNative(error, action, fallback, this.url);
    }
    return results;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cache.clear();
    closeQuietly(this.#db);
  }

  #run(stmt: Statement | string): QueryResult {
    const sql = typeof stmt === 'string' ? stmt : stmt.sql;
    const args = typeof stmt === 'string' || stmt.args === undefined ? [] : stmt.args.map(bindable);
    if (args.length === 0 && SCHEMA_STATEMENT.test(sql)) {
      // Not prepared: libsql 0.5.29 never frees a prepared statement (about 5 KB each, even
      // after the database is closed), and migrations run over a hundred of these once.
      this.#db.exec(sql);
      return { columns: [], rows: [], rowsAffected: 0 };
    }
    const prepared = this.#prepare(sql);
    try {
      if (prepared.columns === null) {
        const info = prepared.stmt.run(args);
        return { columns: [], rows: [], rowsAffected: info.changes };
      }
      const columns = prepared.columns;
      const rows = (prepared.stmt.all(args) as unknown[][]).map((values) => {
        const out: Record<string, SqlValue> = {};
        for (let i = 0; i < columns.length; i += 1) out[columns[i]!] = fromNative(values[i]);
        return out;
      });
      return { columns, rows, rowsAffected: 0 };
    } catch (error) {
      if (nativeCodeOf(error).driverCode === 'SQLITE_BUSY') this.#reconnect();
      throw error;
    }
  }

  /**
   * A statement that failed with SQLITE_BUSY is not reset by SQLite and the driver cannot reset
   * or finalize it, so it would block every later COMMIT on this connection. A file database
   * gets a fresh connection instead (an in-memory one is never busy).
   */
  #reconnect(): void {
    if (this.#path === ':memory:' || this.#path.startsWith('file::memory:')) return;
    this.#rollback();
    this.#cache.clear();
    closeQuietly(this.#db);
    this.#db = LocalDb.#connect(this.#path, this.url);
  }

  #prepare(sql: string): Prepared {
    const cached = this.#cache.get(sql);
    if (cached !== undefined) {
      // Most recently used last: a Map keeps insertion order.
      this.#cache.delete(sql);
      this.#cache.set(sql, cached);
      return cached;
    }
    const stmt = this.#db.prepare(sql);
    const reader = stmt.reader;
    if (reader) stmt.raw(true);
    stmt.safeIntegers(false);
    const prepared: Prepared = {
      stmt,
      columns: reader ? stmt.columns().map((column) => column.name) : null,
    };
    this.#cache.set(sql, prepared);
    if (this.#cache.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    return prepared;
  }

  #rollback(): void {
    try {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (e.g. after SQLITE_FULL); nothing to undo.
    }
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new StoreError('CLOSED', `Cannot use database ${this.url}: it is closed`);
  }
}

function closeQuietly(db: Database.Database): void {
  try {
    if (db.open) db.close();
  } catch {
    // Already closed: nothing left to release.
  }
}

interface Prepared {
  readonly stmt: Database.Statement;
  /** Result column names; null for a statement that returns no rows. */
  readonly columns: string[] | null;
}

/** The path the native driver opens for a local URL, validated as `@libsql/client` does. */
function localPathOf(url: string, kind: 'memory' | 'file', shown: string): string {
  if (url === ':memory:') return url;
  const queryAt = url.indexOf('?');
  const base = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
  const allowed = kind === 'memory' ? ['cache'] : ['tls', 'authToken'];
  for (const key of query.keys()) {
    if (!allowed.includes(key)) {
      throw new StoreError(
        'INVALID_URL',
        `Cannot open database ${shown}: unsupported URL query parameter ${JSON.stringify(key)}`,
      );
    }
  }
  if (kind === 'memory') return url;
  let path: string;
  try {
    path = base.startsWith('file://')
      ? fileURLToPath(base)
      : decodeURIComponent(base.slice('file:'.length));
  } catch (error) {
    throw new StoreError('INVALID_URL', `Cannot open database ${shown}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (path === '') {
    throw new StoreError('INVALID_URL', `Cannot open database ${shown}: the URL names no file`);
  }
  return path;
}

function bindable(value: SqlArg): SqlArg {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`Cannot bind ${value}: only finite numbers can be stored`);
  }
  return value;
}

function fromNative(value: unknown): SqlValue {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) {
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
  }
  if (value === undefined) return null;
  throw new TypeError(`Cannot read a column value of type ${typeof value} from the driver`);
}

/** A native driver error → StoreError (see {@link translate}). */
function translateNative(
  error: unknown,
  action: string,
  fallback: StoreErrorCode,
  url: string,
  statementIndex?: number,
): StoreError {
  if (error instanceof StoreError) return error;
  const message = messageOf(error);
  const where = statementIndex === undefined ? '' : `statement ${statementIndex} failed: `;
  const driver = nativeCodeOf(error);
  const marker = MARKER.exec(message)?.[1];
  let code: StoreErrorCode = fallback;
  if (marker !== undefined && isStoreErrorCode(marker)) code = marker;
  else if (driver.driverCode === 'SQLITE_BUSY') code = 'BUSY';
  return new StoreError(code, `Cannot ${action} on ${url}: ${where}${message}`, {
    cause: error,
    ...driver,
    ...(statementIndex === undefined ? {} : { statementIndex }),
  });
}

/** The base result code (`SQLITE_CONSTRAINT` of `SQLITE_CONSTRAINT_TRIGGER`), as `@libsql/client` reports it. */
function nativeCodeOf(error: unknown): { driverCode?: string } {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return {};
  const base = /^SQLITE_[A-Z]+/.exec(error.code)?.[0];
  return base === undefined ? {} : { driverCode: base };
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

/** A driver error's message and its cause's, credentials scrubbed ({@link scrubCredentials}). */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return scrubCredentials(String(error));
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return scrubCredentials(`${error.message}${cause}`);
}
