/**
 * The store's public surface: libSQL persistence of engine state, one write batch per commit (one
 * or more consecutive pages) with the cursor inside, versioned migrations and the thin database
 * port.
 */

export { openStore, createStore, READ_PAGE_ROWS, DUMP_VERSION } from './store.ts';
export type { OpenStoreOptions } from './store.ts';
export type {
  Store,
  SyncState,
  PageCommit,
  ChangeFilter,
  EntityFilter,
  StoreStatus,
  LedgerEntry,
  LedgerRecordType,
  LedgerSummary,
  SyncStatus,
  ReplacedHistory,
  ChangeQuery,
  DateQuery,
  ListPage,
  ListQuery,
  ListRow,
  ProjectQuery,
  Reads,
} from './types.ts';
export { LEDGER_RECORD_TYPES, SYNC_STATUSES } from './types.ts';
export { createReads, LIST_SQL, CHANGE_PAGE_ROWS } from './reads/index.ts';
export { StoreError, STORE_ERROR_CODES, isStoreError } from './errors.ts';
export type { StoreErrorCode } from './errors.ts';
export { isSameDatabase, openDb, redactUrl, urlKind, LOCAL_BUSY_TIMEOUT_MS } from './db.ts';
export type {
  Db,
  BatchMode,
  OpenDbOptions,
  RowEncoding,
  QueryResult,
  Row,
  SqlArg,
  SqlValue,
  Statement,
} from './db.ts';
export { migrate, appliedMigrations, migrationChecksum } from './migrations.ts';
export type { Migration, AppliedMigration, MigrationResult } from './migrations.ts';
export { MIGRATIONS } from './schema.ts';
export { commitStatements } from './commit.ts';
export {
  ledgerSummary,
  startLedgerTracking,
  readLedger,
  decodeLedgerEntry,
  markSyncedStatements,
  markFailedStatements,
  SYNC_STATE_RECORD_ID,
} from './ledger.ts';
export type { LedgerKey } from './ledger.ts';
export { pushLedger, PUSH_RECORDS_PER_BATCH } from './push.ts';
export type { PushBatch, PushOptions, PushSummary } from './push.ts';
export { LEDGER_MIGRATION_VERSION, HISTORY_ARCHIVE_MIGRATION_VERSION } from './schema.ts';
export {
  stageHistory,
  swapStagedHistory,
  dropStaging,
  readReplacedHistories,
  readArchivedChanges,
  stageTableOf,
  SWAPPED_TABLES,
  STAGE_ROWS_PER_BATCH,
  STAGE_CHARS_PER_BATCH,
} from './swap.ts';
export type { StoredSyncState } from './sync-state.ts';
export type { StagedHistory, StageOptions, SwapOptions, SwapResult, SwappedTable } from './swap.ts';
