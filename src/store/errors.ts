import { ThingstapeError } from '../errors.ts';

/** Codes a {@link StoreError} can carry. */
export const STORE_ERROR_CODES = [
  /** The URL is not one the driver accepts (scheme, query parameters, `file://host/…`). */
  'INVALID_URL',
  /** The database cannot be opened or reached (file permissions, refused connection, bad token). */
  'CONNECT_FAILED',
  /** A single statement (read or schema probe) failed. */
  'QUERY_FAILED',
  /** A read batch failed; nothing was changed. */
  'READ_FAILED',
  /** A write batch failed and was rolled back: nothing of it is stored. */
  'WRITE_FAILED',
  /** Another writer held the lock longer than the busy timeout; nothing of the batch is stored. */
  'BUSY',
  /** A page commit's start index differs from the stored cursor (applied twice, or out of order). */
  'CURSOR_MISMATCH',
  /** A page commit or push names another history (key hash, provenance) than the store holds. */
  'HISTORY_MISMATCH',
  /** A push names one database as both the local and the remote one. */
  'SAME_DATABASE',
  /** A push that must go into a fresh database found the remote holding a history or records. */
  'REMOTE_NOT_FRESH',
  /** An applied migration's SQL changed since it was applied (its checksum differs). */
  'MIGRATION_CHECKSUM_MISMATCH',
  /** The database has a migration this version of thingstape does not know (it is newer). */
  'SCHEMA_TOO_NEW',
  /** A migration's statements failed; the migration was rolled back. */
  'MIGRATION_FAILED',
  /** A stored row cannot be read back into its typed shape (bad JSON, wrong column type). */
  'CORRUPT_ROW',
  /** The store or database was used after `close()`. */
  'CLOSED',
] as const;
/** A machine-readable store error code. */
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** True when `value` is one of {@link STORE_ERROR_CODES}. */
export function isStoreErrorCode(value: string): value is StoreErrorCode {
  return (STORE_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * A database operation that failed. Driver errors are translated into this class where they enter
 * (src/store/db.ts); `cause` keeps the driver error, `driverCode` its code (`SQLITE_BUSY`, …) and
 * `statementIndex` the failing statement of a batch when the driver says which.
 */
export class StoreError extends ThingstapeError<StoreErrorCode> {
  /** The driver's own code, e.g. `SQLITE_CONSTRAINT`, when there was a driver error. */
  readonly driverCode: string | undefined;
  /** Zero-based index of the failing statement within its batch, when known. */
  readonly statementIndex: number | undefined;

  constructor(
    code: StoreErrorCode,
    message: string,
    options: { cause?: unknown; driverCode?: string; statementIndex?: number } = {},
  ) {
    super(code, message, 'cause' in options ? { cause: options.cause } : {});
    this.driverCode = options.driverCode;
    this.statementIndex = options.statementIndex;
  }
}

/** True when `value` is a {@link StoreError} (optionally of one code). */
export function isStoreError(value: unknown, code?: StoreErrorCode): value is StoreError {
  return value instanceof StoreError && (code === undefined || value.code === code);
}
