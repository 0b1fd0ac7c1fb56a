/**
 * The thin database port the store is written against (`Db`, its statements, rows and values),
 * implemented by the adapters of `db.ts` and `db-local.ts`. Types only: the SQL helpers and every
 * store file depend on this contract, never on a driver.
 */
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
