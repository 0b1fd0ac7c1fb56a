/**
 * History swaps of a database the store cannot replace as a file (a libSQL server): the rebuilt
 * state of a new history is uploaded into staging tables beside the live ones, then one write
 * batch archives the old change log, replaces every table's rows with the staged ones (server
 * side, so the request stays small) and moves the sync state to the new history
 * (docs/decisions/0005-history-reset.md). Staging never touches the live tables, so a failure
 * before the swap batch leaves the database as it was.
 */
import type { Change } from '../engine/types.ts';
import { CHANGE_COLUMNS, RowReader, rowToChange, selectColumns, textOf } from './row-codec.ts';
import type { Db, Row, SqlArg, SqlValue, Statement } from './db.ts';
import { StoreError, isStoreError } from './errors.ts';
import { AFTER_CHANGE_LOG_INSERTS, ENTITY_TABLES } from './schema.ts';
import { insertRows } from './sql.ts';
import { moveSyncState, readSyncState } from './sync-state.ts';
import type { StoredSyncState } from './sync-state.ts';
import type { ReplacedHistory } from './types.ts';

/** Tables a swap replaces, in swap order (the sync state is moved by its own statement). */
export const SWAPPED_TABLES = [
  ...ENTITY_TABLES,
  'tag_links',
  'change_log',
  'anomalies',
  'raw_items',
  // Search's lower-cased texts: copied, not computed, since SQL cannot lower-case as the view
  // does; their triggers write the search index anew.
  'search_texts',
] as const;
/** A table a swap replaces. */
export type SwappedTable = (typeof SWAPPED_TABLES)[number];

/** At most this many rows per staging write batch (one request). */
export const STAGE_ROWS_PER_BATCH = 1000;
/** At most about this many characters of values per staging write batch (a lone bigger row goes alone). */
export const STAGE_CHARS_PER_BATCH = 1_000_000;

/** Rows per page of archive reads. */
const ARCHIVE_READ_ROWS = 2000;

/** The staging copy of `table` (`stage_<table>`). */
export function stageTableOf(table: SwappedTable): string {
  return `stage_${table}`;
}

/** What {@link stageHistory} uploaded: the input of {@link swapStagedHistory}. */
export interface StagedHistory {
  /** Rows staged per table. */
  readonly rows: Readonly<Record<SwappedTable, number>>;
  /** Column names per table, in table order (the same in source and target). */
  readonly columns: Readonly<Record<SwappedTable, readonly string[]>>;
  /** The sync state a swap moves the target to: the rebuilt database's. */
  readonly state: StoredSyncState;
}

/** Options of {@link stageHistory}. */
export interface StageOptions {
  /** Rows per write batch (default {@link STAGE_ROWS_PER_BATCH}). */
  readonly rowsPerBatch?: number;
  /** Characters of values per write batch, about (default {@link STAGE_CHARS_PER_BATCH}). */
  readonly charsPerBatch?: number;
  /** Called after each committed staging batch. */
  readonly onBatch?: (progress: { readonly table: SwappedTable; readonly rows: number }) => void;
}

/**
 * Copies every {@link SWAPPED_TABLES} table of `source` (a complete rebuilt store) into fresh
 * staging tables of `target`: first one write batch drops leftovers of an earlier attempt and
 * creates empty copies of the live tables (`CREATE TABLE … AS SELECT … WHERE 0`), then rows in
 * write batches of at most `rowsPerBatch` rows and about `charsPerBatch` characters.
 * Live tables are never written; running it again starts over. Both databases must be migrated
 * to the same schema (their columns are compared first).
 */
export async function stageHistory(
  source: Db,
  target: Db,
  options: StageOptions = {},
): Promise<StagedHistory> {
  const rowsPerBatch = options.rowsPerBatch ?? STAGE_ROWS_PER_BATCH;
  const charsPerBatch = options.charsPerBatch ?? STAGE_CHARS_PER_BATCH;
  if (!Number.isSafeInteger(rowsPerBatch) || rowsPerBatch < 1) {
    throw new RangeError(`rowsPerBatch must be a positive integer, got ${rowsPerBatch}`);
  }
  const columns = {} as Record<SwappedTable, readonly string[]>;
  for (const table of SWAPPED_TABLES) {
    const [mine, theirs] = await Promise.all([columnsOf(source, table), columnsOf(target, table)]);
    if (mine.length === 0 || mine.join(',') !== theirs.join(',')) {
      throw new StoreError(
        'WRITE_FAILED',
        `Cannot stage table ${table} on ${target.url}: its columns (${theirs.join(', ')}) differ from those of ${source.url} (${mine.join(', ')}); both must be migrated by the same version of thingstape`,
      );
    }
    columns[table] = mine;
  }
  const state = await readSyncState(source);
  await target.batch(
    SWAPPED_TABLES.flatMap((table) => [
      `DROP TABLE IF EXISTS ${stageTableOf(table)}`,
      `CREATE TABLE ${stageTableOf(table)} AS SELECT ${columns[table].join(', ')} FROM ${table} WHERE 0`,
    ]),
    'write',
  );
  const rows = {} as Record<SwappedTable, number>;
  for (const table of SWAPPED_TABLES) {
    const names = columns[table];
    let staged = 0;
    let after: number | null = null;
    for (;;) {
      const result = await source.execute({
        sql: `SELECT rowid AS stage_rowid, ${selectColumns(names)} FROM ${table}${after === null ? '' : ' WHERE rowid > ?'} ORDER BY rowid LIMIT ?`,
        args: after === null ? [rowsPerBatch] : [after, rowsPerBatch],
      });
      for (const part of splitByChars(result.rows, names, charsPerBatch)) {
        await target.batch(
          insertRows(
            stageTableOf(table),
            names,
            part.map((row) => names.map((name) => toArg(row[name] ?? null))),
            undefined,
            target.rowEncoding,
          ),
          'write',
        );
        staged += part.length;
        options.onBatch?.({ table, rows: staged });
      }
      const last = result.rows.at(-1);
      if (last === undefined || result.rows.length < rowsPerBatch) break;
      const rowid = last['stage_rowid'];
      if (typeof rowid !== 'number') {
        throw new StoreError('CORRUPT_ROW', `Cannot stage ${table}: a rowid is not an integer`);
      }
      after = rowid;
    }
    rows[table] = staged;
  }
  return { rows, columns, state };
}

/** Settings of {@link swapStagedHistory}. */
export interface SwapOptions {
  /** The target's sync state the rebuild started from; the swap aborts if it moved since. */
  readonly expected: { readonly cursor: number; readonly historyKeyHash: string | null };
  /** Seconds since the epoch, recorded with the archived history. */
  readonly replacedAt: number;
  /** Why the history was replaced (one sentence, recorded with the archived history). */
  readonly reason: string;
}

/** What {@link swapStagedHistory} did. */
export interface SwapResult {
  /** The archive generation the replaced change log was kept under (1 for the first swap). */
  readonly generation: number;
  /** How many change log rows were archived. */
  readonly archivedChanges: number;
}

/**
 * The swap: one write batch (one transaction) that checks the target still holds the expected
 * history at the expected cursor and every staging table the staged row count (else it aborts
 * with `CURSOR_MISMATCH`), records the replaced history in `replaced_histories` and its change
 * log in `change_log_archive`, replaces the rows of every {@link SWAPPED_TABLES} table with the
 * staged ones, moves the sync state to the new history (the only update the history guard lets
 * change the key) and drops the staging tables. On a database that tracks its ledger (it has been
 * pushed from, decision 0013) the triggers mark every removed and inserted record, and the sync
 * state, pending for a push; on one that does not, a first push sends everything anyway.
 *
 * Errors: `CURSOR_MISMATCH` when the target or its staging tables changed since staging (another
 * writer), nothing changed; `WRITE_FAILED` when the batch failed, nothing changed. When the
 * connection drops during the batch, the target is read again: a completed swap is returned as
 * usual, one known not to have happened is `WRITE_FAILED`, and an unknown outcome
 * `CONNECT_FAILED` (a later sync finds either the new history or the old one to rebuild).
 */
export async function swapStagedHistory(
  target: Db,
  staged: StagedHistory,
  options: SwapOptions,
): Promise<SwapResult> {
  await precheck(target, staged, options);
  const { state } = staged;
  const statements: (Statement | string)[] = [
    {
      sql: `UPDATE sync_state SET replacing_history = 0, expected_cursor = CASE WHEN history_key_hash IS ? AND ${SWAPPED_TABLES.map(
        (table) => `(SELECT COUNT(*) FROM ${stageTableOf(table)}) = ?`,
      ).join(' AND ')} THEN ? ELSE -1 END WHERE id = 1`,
      args: [
        options.expected.historyKeyHash,
        ...SWAPPED_TABLES.map((table) => staged.rows[table]),
        options.expected.cursor,
      ],
    },
    {
      sql: `INSERT INTO replaced_histories (history_key_hash, cursor, head, schema, time_zone, replaced_at, reason)
        SELECT history_key_hash, cursor, head, schema, time_zone, ?, ? FROM sync_state WHERE id = 1`,
      args: [options.replacedAt, options.reason],
    },
    `INSERT INTO change_log_archive (generation, ${ARCHIVE_COLUMNS})
      SELECT (SELECT MAX(generation) FROM replaced_histories), ${ARCHIVE_COLUMNS} FROM change_log ORDER BY seq`,
  ];
  const archiveStatement = statements.length - 1;
  // What finds changes by entity (decision 0015) is emptied first, so deleting the entity rows
  // below has no keys to move to the orphans, and written anew for the new change log, whose seqs
  // start over (decision 0016).
  statements.push(
    'DELETE FROM change_log_entities',
    'DELETE FROM change_log_orphans',
    'UPDATE sync_state SET change_log_keyed_seq = 0 WHERE id = 1',
  );
  for (const table of SWAPPED_TABLES) {
    const names = staged.columns[table].join(', ');
    statements.push(
      `DELETE FROM ${table}`,
      `INSERT INTO ${table} (${names}) SELECT ${names} FROM ${stageTableOf(table)} ORDER BY rowid`,
    );
  }
  statements.push(
    // The new change log's keys, now that every row a key points at is in place.
    ...AFTER_CHANGE_LOG_INSERTS,
    moveSyncState(state, true),
    'UPDATE sync_state SET replacing_history = 0 WHERE id = 1',
    ...SWAPPED_TABLES.map((table) => `DROP TABLE ${stageTableOf(table)}`),
    'SELECT MAX(generation) AS generation FROM replaced_histories',
  );
  let results;
  try {
    results = await target.batch(statements, 'write');
  } catch (error) {
    if (!isStoreError(error)) throw error;
    if (error.code === 'CURSOR_MISMATCH') {
      throw new StoreError(
        'CURSOR_MISMATCH',
        `Cannot swap the rebuilt history into ${target.url}: its sync state or staging tables changed while the rebuild was staged (another writer?); nothing was changed`,
        { cause: error },
      );
    }
    if (error.code !== 'CONNECT_FAILED') throw error;
    return afterLostConnection(target, staged, error);
  }
  const generation = results.at(-1)?.rows[0]?.['generation'];
  if (typeof generation !== 'number') {
    throw new StoreError('CORRUPT_ROW', `Cannot read the archive generation of ${target.url}`);
  }
  return { generation, archivedChanges: results[archiveStatement]?.rowsAffected ?? 0 };
}

/** Drops the staging tables of an abandoned attempt (nothing else is touched). */
export async function dropStaging(target: Db): Promise<void> {
  await target.batch(
    SWAPPED_TABLES.map((table) => `DROP TABLE IF EXISTS ${stageTableOf(table)}`),
    'write',
  );
}

/** Every replaced history of `db`, oldest first. */
export async function readReplacedHistories(db: Db): Promise<ReplacedHistory[]> {
  const result = await db.execute(
    `SELECT h.generation, h.history_key_hash, h.cursor, h.head, h.schema, h.time_zone, h.replaced_at,
      h.reason, (SELECT COUNT(*) FROM change_log_archive a WHERE a.generation = h.generation) AS changes
    FROM replaced_histories h ORDER BY h.generation`,
  );
  return result.rows.map((row) => {
    const r = new RowReader(row, 'replaced_histories');
    return {
      generation: r.num('generation'),
      historyKeyHash: r.strOrNull('history_key_hash'),
      cursor: r.num('cursor'),
      head: r.numOrNull('head'),
      schema: r.numOrNull('schema'),
      timeZone: r.strOrNull('time_zone'),
      replacedAt: r.num('replaced_at'),
      reason: r.str('reason'),
      changes: r.num('changes'),
    };
  });
}

/**
 * The archived change log of one replaced history, in (serverIndex, position, ordinal) order,
 * read back as the committed changes; empty for an unknown generation.
 */
export async function readArchivedChanges(db: Db, generation: number): Promise<Change[]> {
  const out: Change[] = [];
  let after: SqlArg[] | null = null;
  for (;;) {
    const result = await db.execute({
      sql: `SELECT ${ARCHIVE_COLUMNS} FROM change_log_archive WHERE generation = ?${
        after === null ? '' : ' AND (server_index, position, ordinal) > (?, ?, ?)'
      } ORDER BY server_index, position, ordinal LIMIT ?`,
      args: [generation, ...(after ?? []), ARCHIVE_READ_ROWS],
    });
    out.push(...result.rows.map(rowToChange));
    const last = result.rows.at(-1);
    if (last === undefined || result.rows.length < ARCHIVE_READ_ROWS) return out;
    after = [last['server_index'] ?? null, last['position'] ?? null, last['ordinal'] ?? null].map(
      toArg,
    );
  }
}

/** change_log columns kept by the archive (all of them). */
const ARCHIVE_COLUMNS = `seq, ${CHANGE_COLUMNS.join(', ')}`;

async function columnsOf(db: Db, table: string): Promise<string[]> {
  const result = await db.execute({
    sql: 'SELECT name FROM pragma_table_info(?) ORDER BY cid',
    args: [table],
  });
  return result.rows.map((row) => new RowReader(row, 'pragma_table_info').str('name'));
}

/** Reads what the swap batch checks again, to fail with a precise message before writing. */
async function precheck(target: Db, staged: StagedHistory, options: SwapOptions): Promise<void> {
  const [stateResult, ...counts] = await target.batch(
    [
      'SELECT cursor, history_key_hash FROM sync_state WHERE id = 1',
      ...SWAPPED_TABLES.map((table) => `SELECT COUNT(*) AS n FROM ${stageTableOf(table)}`),
    ],
    'read',
  );
  const row = stateResult?.rows[0];
  const cursor = row?.['cursor'];
  const keyHash = row?.['history_key_hash'] ?? null;
  if (cursor !== options.expected.cursor || keyHash !== options.expected.historyKeyHash) {
    throw new StoreError(
      'CURSOR_MISMATCH',
      `Cannot swap the rebuilt history into ${target.url}: it moved to cursor ${JSON.stringify(cursor ?? null)} (history ${keyHash === options.expected.historyKeyHash ? 'unchanged' : 'changed'}) since the rebuild started at ${options.expected.cursor} (another writer?); nothing was changed`,
    );
  }
  SWAPPED_TABLES.forEach((table, i) => {
    const n = counts[i]?.rows[0]?.['n'];
    if (n !== staged.rows[table]) {
      throw new StoreError(
        'CURSOR_MISMATCH',
        `Cannot swap the rebuilt history into ${target.url}: ${stageTableOf(table)} holds ${JSON.stringify(n ?? null)} rows, ${staged.rows[table]} were staged (another attempt running?); nothing was changed`,
      );
    }
  });
}

/** After a dropped connection during the swap batch: did it commit? */
async function afterLostConnection(
  target: Db,
  staged: StagedHistory,
  error: StoreError,
): Promise<SwapResult> {
  let result;
  try {
    result = await target.batch(
      [
        'SELECT cursor, history_key_hash FROM sync_state WHERE id = 1',
        {
          sql: "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
          args: [stageTableOf('tasks')],
        },
        `SELECT generation, (SELECT COUNT(*) FROM change_log_archive a WHERE a.generation = h.generation) AS changes
          FROM replaced_histories h ORDER BY generation DESC LIMIT 1`,
      ],
      'read',
    );
  } catch {
    throw new StoreError(
      'CONNECT_FAILED',
      `Cannot tell whether the rebuilt history was swapped into ${target.url}: the connection dropped during the swap (${error.message}) and the database cannot be read now; the next sync continues the new history or rebuilds again`,
      { cause: error },
    );
  }
  const [state, stage, last] = result;
  const stageLeft = stage?.rows[0]?.['n'] !== 0;
  const row = state?.rows[0];
  const swapped =
    !stageLeft &&
    row?.['cursor'] === staged.state.cursor &&
    (row['history_key_hash'] ?? null) === staged.state.historyKeyHash;
  const generation = last?.rows[0]?.['generation'];
  const changes = last?.rows[0]?.['changes'];
  if (swapped && typeof generation === 'number' && typeof changes === 'number') {
    return { generation, archivedChanges: changes };
  }
  if (stageLeft) {
    throw new StoreError(
      'WRITE_FAILED',
      `Cannot swap the rebuilt history into ${target.url}: the connection dropped during the swap (${error.message}) and the swap did not commit; nothing was changed`,
      { cause: error },
    );
  }
  throw new StoreError(
    'CONNECT_FAILED',
    `Cannot tell whether the rebuilt history was swapped into ${target.url}: the connection dropped during the swap (${error.message}) and the staging tables are gone; the next sync continues the new history or rebuilds again`,
    { cause: error },
  );
}

/** Splits rows into runs of at most about `chars` characters of values (at least one row each). */
function splitByChars(
  rows: readonly Row[],
  names: readonly string[],
  chars: number,
): (readonly Row[])[] {
  const out: Row[][] = [];
  let current: Row[] = [];
  let size = 0;
  for (const row of rows) {
    let rowSize = 0;
    for (const name of names) rowSize += sizeOf(row[name] ?? null);
    if (current.length > 0 && size + rowSize > chars) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += rowSize;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function sizeOf(value: SqlValue): number {
  if (typeof value === 'string') return value.length + 2;
  if (value instanceof ArrayBuffer) return value.byteLength * 2;
  return 24;
}

/** A value read from the rebuilt database, bound into the target (text read as bytes is text). */
function toArg(value: SqlValue): SqlArg {
  return textOf(value);
}
