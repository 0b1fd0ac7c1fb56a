/**
 * Push: sends what the sync ledger says a remote database lacks — pending and errored entity
 * records, then the change log, anomalies and raw items up to the local cursor, then the cursor —
 * in write batches, and records each outcome in the local ledger.
 *
 * Convergence (docs/decisions/0007-sync-ledger.md): every remote batch is idempotent (whole-row
 * upserts of entities, tag links rewritten per owner, change-log rows keyed by (server_index,
 * position, ordinal) and ignored when present, anomalies and raw items replaced per server-index
 * range), and the ledger is marked only after the remote batch committed, with a compare-and-set
 * on the local version. A crash between the two leaves the records pending; the next push sends
 * them again and changes nothing twice. The remote cursor moves with the logs, window by window,
 * each batch guarded by the remote cursor at the window's start, so it never claims logs the
 * remote does not have and a retry continues where the last window ended.
 */
import { ENTITY_TABLE_LIST, textOf } from './row-codec.ts';
import { isSameDatabase, type Db } from './db.ts';
import { StoreError, isStoreError } from './errors.ts';
import {
  markFailedStatements,
  markSyncedStatements,
  SYNC_STATE_RECORD_ID,
  startLedgerTracking,
  type LedgerKey,
} from './ledger.ts';
import { migrate } from './migrations.ts';
import { AFTER_CHANGE_LOG_INSERTS, MIGRATIONS } from './schema.ts';
import { logStatements, pendingRecords, recordStatements, windowEnd } from './push-batches.ts';
import { cursorGuard, decodeSyncState, moveSyncState, SELECT_SYNC_STATE } from './sync-state.ts';

/** Settings of {@link pushLedger}. */
export interface PushOptions {
  /** The local database (its ledger says what to send). */
  readonly local: Db;
  /** The remote database; created or migrated by the same migrations first. */
  readonly remote: Db;
  /** The current time in seconds since the epoch, for `cloud_synced_at` and attempt times. */
  readonly now: () => number;
  /** Records per remote write batch (default {@link PUSH_RECORDS_PER_BATCH}). */
  readonly recordsPerBatch?: number;
  /** Log rows (changes + anomalies + raw items) per remote write batch, roughly (default 500). */
  readonly logRowsPerBatch?: number;
  /** Resend every record, also those marked synced (for a remote that lost or never had them). */
  readonly all?: boolean;
  /**
   * Push only into a fresh database: refuse (`REMOTE_NOT_FRESH`, nothing sent) when the remote
   * already holds a history or any record, even the same history.
   */
  readonly fresh?: boolean;
  /** Called after every remote batch, successful or not. */
  readonly onBatch?: (batch: PushBatch) => void;
}

/** One remote write batch of a push. */
export interface PushBatch {
  /**
   * `records`: entities with their tag links; `logs`: the change log, anomalies and raw items of
   * a server-index range, with the remote cursor (and sync meta) moved to the range's end.
   */
  readonly kind: 'records' | 'logs';
  /** Records (for `records`) or log rows (for `logs`) carried. */
  readonly rows: number;
  /** The error text when the batch failed. */
  readonly error?: string;
}

/** What a push did. */
export interface PushSummary {
  /** The remote URL without credentials. */
  readonly remote: string;
  /** Records sent and marked synced by this push. */
  readonly synced: number;
  /** Records whose batch failed (marked `error`). */
  readonly failed: number;
  /** Change-log rows, anomalies and raw items sent. */
  readonly logRows: number;
  /** Remote write batches attempted. */
  readonly batches: number;
  /** The remote cursor afterwards. */
  readonly remoteCursor: number;
  /** True when the remote holds everything the local database held when the push began. */
  readonly complete: boolean;
  /** Error texts of failed batches, in order. */
  readonly errors: readonly string[];
}

/** Default number of records per remote write batch. */
export const PUSH_RECORDS_PER_BATCH = 200;

const DEFAULT_LOG_ROWS = 500;

interface RemoteState {
  readonly cursor: number;
  readonly historyKeyHash: string | null;
  /** The `source` column as stored (JSON text or NULL). */
  readonly source: string | null;
  /** Whether any entity record or change is stored. */
  readonly holdsRecords: boolean;
}

/**
 * Which history a database holds, as a push compares it: the history key's hash, and where the
 * history came from. The key hash alone does not tell fixtures apart (every replayed fixture has
 * the placeholder key), so the fixture or scenario name is part of it; a live history is told by
 * its key alone (the same account read through another URL is the same history).
 */
export function historyIdentity(historyKeyHash: string | null, source: unknown): string | null {
  if (historyKeyHash === null) return null;
  return `sha256:${historyKeyHash.slice(0, 12)}… ${provenanceOf(source)}`;
}

/** `fixture "inbox"`, `scenario "adds a task"`, `live`, or `unknown source`. */
function provenanceOf(source: unknown): string {
  if (typeof source !== 'object' || source === null) return 'unknown source';
  const fixture: unknown = Reflect.get(source, 'fixture');
  if (typeof fixture === 'string') return `fixture ${JSON.stringify(fixture)}`;
  const scenario: unknown = Reflect.get(source, 'scenario');
  if (typeof scenario === 'string') return `scenario ${JSON.stringify(scenario)}`;
  return Reflect.get(source, 'kind') === 'live' ? 'live' : 'unknown source';
}

function parsedSource(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Pushes the local database's pending and errored records, its logs and its cursor to `remote`.
 *
 * Throws (nothing is marked) `SAME_DATABASE` when `remote` is `local`, when a database cannot be
 * opened or migrated, `HISTORY_MISMATCH` when the remote holds another history (see
 * {@link historyIdentity}; a remote without one is claimed for the local history before any
 * record is sent), `REMOTE_NOT_FRESH` with `fresh` when the remote holds anything, and
 * `CURSOR_MISMATCH` when the remote's cursor is ahead of the local one. A failed remote batch is not thrown: its records are marked `error` with the
 * attempt counted and the error text, and the summary says so. A statement failure moves on to
 * the next batch; a connection failure ends the push. The logs and the cursor are sent only when
 * every record is synced.
 */
export async function pushLedger(options: PushOptions): Promise<PushSummary> {
  const { local, remote, now } = options;
  const perBatch = positive(options.recordsPerBatch ?? PUSH_RECORDS_PER_BATCH, 'recordsPerBatch');
  const logRows = positive(options.logRowsPerBatch ?? DEFAULT_LOG_ROWS, 'logRowsPerBatch');
  if (await isSameDatabase(local.url, remote.url)) {
    throw new StoreError(
      'SAME_DATABASE',
      `Cannot push ${local.url} to ${remote.url}: it is the same database; name a remote database with --to`,
    );
  }
  await migrate(local, MIGRATIONS);
  const remoteMigration = await migrate(remote, MIGRATIONS);
  const remoteWasEmpty = remoteMigration.applied.some((m) => m.version === 1);
  const localState = await readState(local);
  let remoteState = await readState(remote);
  const ours = historyIdentity(localState.historyKeyHash, parsedSource(localState.source));
  const refuse = (theirs: string | null): never => {
    throw new StoreError(
      'HISTORY_MISMATCH',
      theirs === null
        ? `Cannot push ${local.url} to ${remote.url}: the remote holds records but no recorded history (written by another tool or an older thingstape); push to a fresh database`
        : `Cannot push ${local.url} to ${remote.url}: the remote holds another history (${theirs}) than the local database (${ours ?? 'no history yet'}); push each history to its own database (--fresh refuses any database that is not new)`,
    );
  };
  if (options.fresh === true && (remoteState.historyKeyHash !== null || remoteState.holdsRecords)) {
    throw new StoreError(
      'REMOTE_NOT_FRESH',
      `Cannot push ${local.url} to ${remote.url}: the remote is not a fresh database (it holds ${remoteState.historyKeyHash === null ? 'records' : `a history: ${historyIdentity(remoteState.historyKeyHash, parsedSource(remoteState.source))}`}); nothing was sent`,
    );
  }
  if (remoteState.historyKeyHash === null) {
    if (remoteState.holdsRecords) refuse(null);
    if (localState.historyKeyHash !== null) {
      // Claim the remote for this history before the first record goes out, so a push of
      // another history is refused even while this one is incomplete.
      // One statement in autocommit: atomic on its own, and no write batch of the push.
      await remote.execute({
        sql: 'UPDATE sync_state SET history_key_hash = ?, source = ? WHERE id = 1 AND history_key_hash IS NULL',
        args: [localState.historyKeyHash, localState.source],
      });
      remoteState = await readState(remote);
    }
  }
  const theirs = historyIdentity(remoteState.historyKeyHash, parsedSource(remoteState.source));
  if (theirs !== null && theirs !== ours) refuse(theirs);
  if (remoteState.cursor > localState.cursor) {
    throw new StoreError(
      'CURSOR_MISMATCH',
      `Cannot push ${local.url} to ${remote.url}: the remote's cursor (${remoteState.cursor}) is ahead of the local one (${localState.cursor}); sync the local database first`,
    );
  }
  // The local ledger is tracked from the first push on (decision 0013); before it, it is empty and
  // every record is pending, so this fills it. Only after the checks: a refused push marks nothing.
  await startLedgerTracking(local);
  if (options.all === true || remoteWasEmpty) {
    // A remote that is new (or said to be stale) gets everything, whatever the ledger remembers.
    await local.execute(
      "UPDATE sync_ledger SET sync_status = 'pending' WHERE sync_status = 'synced'",
    );
  }

  const run = { synced: 0, failed: 0, logRows: 0, batches: 0, errors: [] as string[] };
  const report = (batch: PushBatch): void => {
    run.batches += 1;
    if (batch.error !== undefined) run.errors.push(batch.error);
    options.onBatch?.(batch);
  };
  const summary = (remoteCursor: number, complete: boolean): PushSummary => ({
    remote: remote.url,
    synced: run.synced,
    failed: run.failed,
    logRows: run.logRows,
    batches: run.batches,
    remoteCursor,
    complete,
    errors: run.errors,
  });

  // Records, in local version order; a record changed meanwhile comes again later in this loop.
  let after = 0;
  let connectionLost = false;
  for (;;) {
    const keys = await pendingRecords(local, after, perBatch);
    const last = keys.at(-1);
    if (last === undefined) break;
    after = last.localUpdatedAt;
    const { statements, read } = await recordStatements(local, keys, remote.rowEncoding);
    try {
      await remote.batch(statements, 'write');
    } catch (error) {
      const text = errorText(error);
      run.failed += read.length;
      await local.batch(markFailedStatements(read, text, now()), 'write');
      report({ kind: 'records', rows: read.length, error: text });
      if (isConnectionLoss(error)) {
        connectionLost = true;
        break;
      }
      continue;
    }
    await local.batch(markSyncedStatements(read, now()), 'write');
    run.synced += read.length;
    report({ kind: 'records', rows: read.length });
  }
  if (connectionLost || run.failed > 0) return summary(remoteState.cursor, false);

  // Logs and cursor: only when no record is left behind (else the remote cursor would overclaim).
  const [stateResult, ledgerResult, openResult] = await local.batch(
    [
      SELECT_SYNC_STATE,
      {
        sql: "SELECT local_updated_at, sync_status FROM sync_ledger WHERE record_type = 'sync_state' AND record_id = ?",
        args: [SYNC_STATE_RECORD_ID],
      },
      "SELECT COUNT(*) AS n FROM sync_ledger WHERE sync_status != 'synced' AND record_type != 'sync_state'",
    ],
    'read',
  );
  const localNow = decodeSyncState(stateResult?.rows[0], local.url);
  const ledgerRow = ledgerResult?.rows[0];
  if (Number(openResult?.rows[0]?.['n'] ?? 0) > 0) {
    // Records changed while this push ran: leave the cursor for the next push.
    return summary(remoteState.cursor, false);
  }
  const stateKey: LedgerKey = {
    recordType: 'sync_state',
    recordId: SYNC_STATE_RECORD_ID,
    localUpdatedAt: Number(ledgerRow?.['local_updated_at'] ?? 0),
  };
  const localCursor = localNow.cursor;
  if (ledgerRow?.['sync_status'] === 'synced' && remoteState.cursor === localCursor) {
    return summary(remoteState.cursor, true);
  }

  // Each window: its log rows and the remote cursor moved to its end, guarded by the cursor at
  // its start, in one batch; so progress survives a failure and a concurrent pusher aborts.
  let from = remoteState.cursor;
  do {
    const to = from < localCursor ? await windowEnd(local, from, localCursor, logRows) : from;
    const { statements, rows } =
      from < to
        ? await logStatements(local, from, to, remote.rowEncoding)
        : { statements: [], rows: 0 };
    try {
      await remote.batch(
        [
          cursorGuard(from),
          ...statements,
          // The change log's keys by entity, as a commit writes them (decision 0016); the
          // records they point at were pushed before any log.
          ...AFTER_CHANGE_LOG_INSERTS,
          moveSyncState({ ...localNow, cursor: to }),
        ],
        'write',
      );
    } catch (error) {
      const text = errorText(error);
      await local.batch(markFailedStatements([stateKey], text, now()), 'write');
      report({ kind: 'logs', rows, error: text });
      return summary(from, false);
    }
    run.logRows += rows;
    report({ kind: 'logs', rows });
    from = to;
  } while (from < localCursor);
  await local.batch(markSyncedStatements([stateKey], now()), 'write');
  run.synced += 1;
  return summary(localCursor, true);
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`pushLedger(): ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

async function readState(db: Db): Promise<RemoteState> {
  const [state, records] = await db.batch(
    [
      'SELECT cursor, history_key_hash, source FROM sync_state WHERE id = 1',
      `SELECT EXISTS (SELECT 1 FROM change_log)${ENTITY_TABLE_LIST.map(
        (table) => ` OR EXISTS (SELECT 1 FROM ${table.table})`,
      ).join('')} AS holds`,
    ],
    'read',
  );
  const row = state?.rows[0];
  if (row === undefined) {
    throw new StoreError(
      'CORRUPT_ROW',
      `Cannot push with ${db.url}: its sync_state row is missing`,
    );
  }
  const hash = row['history_key_hash'];
  const source = textOf(row['source'] ?? null);
  return {
    cursor: Number(row['cursor']),
    historyKeyHash: typeof hash === 'string' ? hash : null,
    source: typeof source === 'string' ? source : null,
    holdsRecords: Number(records?.rows[0]?.['holds'] ?? 0) !== 0,
  };
}

/** Failures after which further batches would fail too (the connection, not the data). */
function isConnectionLoss(error: unknown): boolean {
  return isStoreError(error) && (error.code === 'CONNECT_FAILED' || error.code === 'CLOSED');
}

function errorText(error: unknown): string {
  if (isStoreError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
