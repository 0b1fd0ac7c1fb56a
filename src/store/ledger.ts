/**
 * The sync ledger: one row per record (entity or the sync state) saying whether a remote database
 * has its current version. Triggers (migration 2) mark a row `pending` at a new local version on
 * every insert, update or soft delete; a push marks it `synced` or `error`. The ledger is local
 * bookkeeping and never part of a dump (docs/decisions/0007-sync-ledger.md).
 *
 * A database tracks its ledger from its first push on (migration 5, decision 0013): before that
 * every record is pending by definition, the ledger is empty and the triggers write nothing, so a
 * replay or sync that is never pushed does not pay for it. {@link startLedgerTracking} fills it.
 */
import { RowReader } from './row-codec.ts';
import type { Db, Row, SqlArg, Statement } from './db.ts';
import { StoreError } from './errors.ts';
import {
  ENTITY_TABLES,
  LEDGER_TRACKING_MIGRATION_VERSION,
  START_LEDGER_TRACKING,
} from './schema.ts';
import { placeholders } from './sql.ts';
import { LEDGER_RECORD_TYPES, SYNC_STATUSES } from './types.ts';
import type { LedgerEntry, LedgerRecordType, LedgerSummary, SyncStatus } from './types.ts';

/** The record id of the singleton `sync_state` ledger row. */
export const SYNC_STATE_RECORD_ID = '1';

/** A record at one local version: what a push read, and what it marks. */
export interface LedgerKey {
  readonly recordType: LedgerRecordType;
  readonly recordId: string;
  readonly localUpdatedAt: number;
}

const COLUMNS =
  'record_type, record_id, local_updated_at, cloud_synced_at, sync_status, attempt_count, last_error, last_attempt_at';

/** Decodes a `sync_ledger` row (all columns). */
export function decodeLedgerEntry(row: Row): LedgerEntry {
  const r = new RowReader(row, 'sync_ledger');
  return {
    recordType: r.oneOf('record_type', LEDGER_RECORD_TYPES),
    recordId: r.str('record_id'),
    localUpdatedAt: r.num('local_updated_at'),
    cloudSyncedAt: r.numOrNull('cloud_synced_at'),
    syncStatus: r.oneOf('sync_status', SYNC_STATUSES),
    attemptCount: r.num('attempt_count'),
    lastError: r.strOrNull('last_error'),
    lastAttemptAt: r.numOrNull('last_attempt_at'),
  };
}

/**
 * The summary of the ledger, in one read batch. `schemaVersion`: the database's (before migration 5
 * every database tracked its ledger); the latest when not given.
 */
export async function ledgerSummary(db: Db, schemaVersion?: number): Promise<LedgerSummary> {
  const tracked =
    schemaVersion === undefined || schemaVersion >= LEDGER_TRACKING_MIGRATION_VERSION
      ? 'ledger_tracking'
      : '1';
  const [tracking, counts, oldest, failed] = await db.batch(
    [
      `SELECT ${tracked} AS ledger_tracking, CASE WHEN ${tracked} = 1 THEN 0 ELSE ${UNTRACKED_RECORDS} END AS records
        FROM sync_state WHERE id = 1`,
      'SELECT sync_status, COUNT(*) AS n FROM sync_ledger GROUP BY sync_status',
      `SELECT ${COLUMNS} FROM sync_ledger WHERE sync_status != 'synced' ORDER BY local_updated_at LIMIT 1`,
      `SELECT ${COLUMNS} FROM sync_ledger WHERE sync_status = 'error'
        ORDER BY last_attempt_at DESC, local_updated_at DESC LIMIT 1`,
    ],
    'read',
  );
  const state = tracking?.rows[0];
  if (state === undefined) {
    throw new StoreError(
      'CORRUPT_ROW',
      `Cannot read the ledger of ${db.url}: its sync_state row is missing`,
    );
  }
  const stateReader = new RowReader(state, 'sync_state');
  const isTracking = stateReader.num('ledger_tracking') === 1;
  const byStatus: Record<SyncStatus, number> = { pending: 0, synced: 0, error: 0 };
  for (const row of counts?.rows ?? []) {
    const r = new RowReader(row, 'sync_ledger');
    byStatus[r.oneOf('sync_status', SYNC_STATUSES)] = r.num('n');
  }
  if (!isTracking) byStatus.pending = stateReader.num('records');
  const first = (rows: readonly Row[] | undefined): LedgerEntry | null => {
    const row = rows?.[0];
    return row === undefined ? null : decodeLedgerEntry(row);
  };
  return {
    tracking: isTracking,
    counts: byStatus,
    oldestPending: first(oldest?.rows),
    lastError: first(failed?.rows),
  };
}

/** What a first push sends: every entity record and the sync state (a scalar subquery). */
const UNTRACKED_RECORDS = `(${ENTITY_TABLES.map((table) => `(SELECT COUNT(*) FROM ${table})`).join(
  ' + ',
)} + 1)`;

/**
 * Makes `db` track its ledger from now on (decision 0013), in one write batch: when it did not
 * yet, every entity record (in history order) and the sync state become pending at new versions.
 * A push calls it on its local database first. Returns whether tracking started now (false when
 * the database tracked already; nothing is written then).
 */
export async function startLedgerTracking(db: Db): Promise<boolean> {
  const results = await db.batch(START_LEDGER_TRACKING, 'write');
  return (results.at(-1)?.rowsAffected ?? 0) > 0;
}

/**
 * Ledger rows, optionally of some statuses, in local version order. None for a database that does
 * not track its ledger yet (see {@link ledgerSummary}).
 */
export async function readLedger(
  db: Db,
  filter: { readonly status?: readonly SyncStatus[] } = {},
): Promise<LedgerEntry[]> {
  const statuses = filter.status ?? SYNC_STATUSES;
  const out: LedgerEntry[] = [];
  let after = 0;
  for (;;) {
    const result = await db.execute({
      sql: `SELECT ${COLUMNS} FROM sync_ledger WHERE sync_status IN (${placeholders(statuses.length)})
        AND local_updated_at > ? ORDER BY local_updated_at LIMIT ?`,
      args: [...statuses, after, LEDGER_READ_ROWS],
    });
    const entries = result.rows.map(decodeLedgerEntry);
    out.push(...entries);
    const last = entries.at(-1);
    if (last === undefined || entries.length < LEDGER_READ_ROWS) return out;
    after = last.localUpdatedAt;
  }
}

/** Rows per page of ledger reads. */
export const LEDGER_READ_ROWS = 1000;

/** At most this many keys per marking statement (3 parameters each). */
const KEYS_PER_STATEMENT = 300;

/**
 * Statements that mark `keys` synced at `at` (seconds since the epoch), counting the attempt.
 * A row whose local version moved on since it was read is left alone (it stays pending).
 */
export function markSyncedStatements(keys: readonly LedgerKey[], at: number): Statement[] {
  return markStatements(
    keys,
    "sync_status = 'synced', cloud_synced_at = ?, last_attempt_at = ?, attempt_count = attempt_count + 1",
    [at, at],
  );
}

/**
 * Statements that mark `keys` errored with `error`, counting the attempt at `at`. A row whose
 * local version moved on since it was read is left alone (it is pending again, attempts reset).
 */
export function markFailedStatements(
  keys: readonly LedgerKey[],
  error: string,
  at: number,
): Statement[] {
  return markStatements(
    keys,
    "sync_status = 'error', last_error = ?, last_attempt_at = ?, attempt_count = attempt_count + 1",
    [error, at],
  );
}

function markStatements(
  keys: readonly LedgerKey[],
  set: string,
  setArgs: readonly SqlArg[],
): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const part = keys.slice(i, i + KEYS_PER_STATEMENT);
    out.push({
      sql: `UPDATE sync_ledger SET ${set}
        WHERE (record_type, record_id, local_updated_at) IN (VALUES ${part.map(() => '(?, ?, ?)').join(', ')})`,
      args: [...setArgs, ...part.flatMap((k) => [k.recordType, k.recordId, k.localUpdatedAt])],
    });
  }
  return out;
}
