/**
 * The adapter of local databases (`file:`, `:memory:`): one native `libsql` connection with a
 * prepared-statement cache; native driver errors are translated into {@link StoreError} here.
 */
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import { StoreError, isStoreErrorCode } from './errors.ts';
import type { StoreErrorCode } from './errors.ts';
import { MARKER, describeSql, messageOf } from './db-errors.ts';
import type { BatchMode, Db, QueryResult, SqlArg, SqlValue, Statement } from './db-types.ts';
/** Busy timeout of local connections (ms): how long a writer waits for another one. */
export const LOCAL_BUSY_TIMEOUT_MS = 5000;

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
export class LocalDb implements Db {
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
export function localPathOf(url: string, kind: 'memory' | 'file', shown: string): string {
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
