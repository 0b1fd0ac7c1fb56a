/**
 * The singleton `sync_state` row: how it is read and decoded, the cursor guard a write batch that
 * moves the cursor starts with, and the statement that moves the cursor with everything that
 * describes the history (a push and a history swap copy it from another database). A page commit
 * moves it with its own statement, which keeps stored values a commit does not name.
 */
import { RowReader } from './row-codec.ts';
import type { Db, Row, Statement } from './db.ts';
import { StoreError } from './errors.ts';
import type { SyncState } from './types.ts';

/** The sync state as stored: `source` is the column's JSON text (`null` for SQL NULL). */
export type StoredSyncState = Omit<SyncState, 'source'> & { readonly source: string | null };

/** Reads the sync state (one row, the columns {@link decodeSyncState} decodes). */
export const SELECT_SYNC_STATE =
  'SELECT cursor, head, schema, history_key_hash, time_zone, source FROM sync_state WHERE id = 1';

/**
 * A row of {@link SELECT_SYNC_STATE} (of the database at `url`) as the stored sync state.
 * Errors: `CORRUPT_ROW` when the row is missing or a value has the wrong type.
 */
export function decodeSyncState(row: Row | undefined, url: string): StoredSyncState {
  if (row === undefined) {
    throw new StoreError('CORRUPT_ROW', `Cannot read sync state of ${url}: the row is missing`);
  }
  const r = new RowReader(row, 'sync_state');
  return {
    cursor: r.num('cursor'),
    head: r.numOrNull('head'),
    schema: r.numOrNull('schema'),
    historyKeyHash: r.strOrNull('history_key_hash'),
    timeZone: r.strOrNull('time_zone'),
    source: r.strOrNull('source'),
  };
}

/** The stored sync state of `db` (see {@link decodeSyncState}). */
export async function readSyncState(db: Db): Promise<StoredSyncState> {
  const result = await db.execute(SELECT_SYNC_STATE);
  return decodeSyncState(result.rows[0], db.url);
}

/**
 * `state` with its provenance parsed, as {@link Store.syncState} returns it.
 * Errors: `CORRUPT_ROW` when `source` is not JSON.
 */
export function parseSyncState(state: StoredSyncState, url: string): SyncState {
  let source: unknown = null;
  if (state.source !== null) {
    try {
      source = JSON.parse(state.source) as unknown;
    } catch (error) {
      throw new StoreError('CORRUPT_ROW', `Cannot read sync state of ${url}: source is not JSON`, {
        cause: error,
      });
    }
  }
  return { ...state, source };
}

/** The guard: aborts the batch (THINGSTAPE_CURSOR_MISMATCH) unless the cursor is `startIndex`. */
export function cursorGuard(startIndex: number): Statement {
  return { sql: 'UPDATE sync_state SET expected_cursor = ? WHERE id = 1', args: [startIndex] };
}

/**
 * Moves the sync state to `state`, every column included. `replacingHistory`: the one update that
 * may change a stored history key (a history swap, decision 0005); the swap lowers the flag again
 * in a statement of its own.
 */
export function moveSyncState(state: StoredSyncState, replacingHistory = false): Statement {
  return {
    sql: `UPDATE sync_state SET ${replacingHistory ? 'replacing_history = 1, ' : ''}cursor = ?, head = ?, schema = ?, history_key_hash = ?, time_zone = ?, source = ? WHERE id = 1`,
    args: [
      state.cursor,
      state.head,
      state.schema,
      state.historyKeyHash,
      state.timeZone,
      state.source,
    ],
  };
}
