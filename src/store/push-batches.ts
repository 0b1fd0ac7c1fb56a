/**
 * What one remote batch of a push carries: the pending entity records (whole-row upserts and tag
 * links), and the log rows of a window of server indexes (change log, anomalies, raw items), read
 * from the local database and bound for the remote one.
 */
import {
  ANOMALY_COLUMNS,
  CHANGE_COLUMNS,
  ENTITY_TABLE_LIST,
  RAW_ITEM_COLUMNS,
  RowReader,
  selectColumns,
  textOf,
} from './row-codec.ts';
import {
  type Db,
  type Row,
  type RowEncoding,
  type SqlArg,
  type SqlValue,
  type Statement,
} from './db.ts';
import { type LedgerKey } from './ledger.ts';
import { searchTextStatements } from './search-texts.ts';
import { chunk, insertRows, MAX_IDS_PER_STATEMENT, placeholders } from './sql.ts';
import { LEDGER_RECORD_TYPES } from './types.ts';
/** The log tables, their columns and their order within a server index. */
const LOG_TABLES = [
  {
    table: 'change_log',
    columns: CHANGE_COLUMNS,
    order: 'server_index, position, ordinal',
    // Keyed by the change's identity: a row already there is the same change.
    write: 'ignore',
  },
  {
    table: 'anomalies',
    columns: ANOMALY_COLUMNS,
    order: 'server_index, position, seq',
    // No natural key: the whole server-index range is replaced.
    write: 'replace',
  },
  {
    table: 'raw_items',
    columns: RAW_ITEM_COLUMNS,
    order: 'server_index, position, seq',
    write: 'replace',
  },
] as const;

/** The next `limit` pending or errored entity records after local version `after`. */
export async function pendingRecords(db: Db, after: number, limit: number): Promise<LedgerKey[]> {
  const result = await db.execute({
    sql: `SELECT record_type, record_id, local_updated_at FROM sync_ledger
      WHERE sync_status != 'synced' AND record_type != 'sync_state' AND local_updated_at > ?
      ORDER BY local_updated_at LIMIT ?`,
    args: [after, limit],
  });
  return result.rows.map((row) => {
    const r = new RowReader(row, 'sync_ledger');
    return {
      recordType: r.oneOf('record_type', LEDGER_RECORD_TYPES),
      recordId: r.str('record_id'),
      localUpdatedAt: r.num('local_updated_at'),
    };
  });
}

/**
 * The remote statements for `keys`: each entity's current row upserted (or deleted remotely when
 * it no longer exists locally) and its tag links rewritten. Entities and their ledger versions are
 * read in one read batch, so each version marked later is the version sent.
 */
export async function recordStatements(
  db: Db,
  keys: readonly LedgerKey[],
  encoding: RowEncoding | undefined,
): Promise<{ statements: Statement[]; read: LedgerKey[] }> {
  const reads: Statement[] = [];
  const plan: { table: (typeof ENTITY_TABLE_LIST)[number]; what: 'rows' | 'links' }[] = [];
  for (const table of ENTITY_TABLE_LIST) {
    const ids = keys.filter((k) => k.recordType === table.table).map((k) => k.recordId);
    for (const part of chunk(ids, MAX_IDS_PER_STATEMENT)) {
      reads.push({
        sql: `SELECT l.record_id AS ledger_id, l.local_updated_at AS ledger_version, ${selectColumns(
          table.columns,
          't',
        )} FROM sync_ledger l LEFT JOIN ${table.table} t ON t.id = l.record_id
          WHERE l.record_type = ? AND l.record_id IN (${placeholders(part.length)})`,
        args: [table.table, ...part],
      });
      plan.push({ table, what: 'rows' });
      if (table.tagOwner !== null) {
        reads.push({
          sql: `SELECT owner_type, owner_id, position, tag_id FROM tag_links
            WHERE owner_type = ? AND owner_id IN (${placeholders(part.length)}) ORDER BY owner_id, position`,
          args: [table.tagOwner, ...part],
        });
        plan.push({ table, what: 'links' });
      }
    }
  }
  const results = await db.batch(reads, 'read');
  const statements: Statement[] = [];
  const read: LedgerKey[] = [];
  results.forEach((result, i) => {
    const step = plan[i];
    if (step === undefined) return;
    const { table } = step;
    if (step.what === 'links') {
      statements.push(
        ...insertRows(
          'tag_links',
          ['owner_type', 'owner_id', 'position', 'tag_id'],
          result.rows.map((row) =>
            ['owner_type', 'owner_id', 'position', 'tag_id'].map((c) => arg(row[c])),
          ),
          undefined,
          encoding,
        ),
      );
      return;
    }
    const present: Row[] = [];
    const gone: string[] = [];
    for (const row of result.rows) {
      const id = new RowReader(row, 'sync_ledger').str('ledger_id');
      read.push({
        recordType: table.table,
        recordId: id,
        localUpdatedAt: Number(row['ledger_version']),
      });
      if (row['id'] === null) gone.push(id);
      else present.push(row);
    }
    const ids = result.rows.map((row) => new RowReader(row, 'sync_ledger').str('ledger_id'));
    if (table.tagOwner !== null && ids.length > 0) {
      // Links are rewritten per owner: delete before the inserts that follow in plan order.
      statements.push({
        sql: `DELETE FROM tag_links WHERE owner_type = ? AND owner_id IN (${placeholders(ids.length)})`,
        args: [table.tagOwner, ...ids],
      });
    }
    if (gone.length > 0) {
      statements.push({
        sql: `DELETE FROM ${table.table} WHERE id IN (${placeholders(gone.length)})`,
        args: gone,
      });
    }
    const values = present.map((row) => table.columns.map((c) => arg(row[c])));
    statements.push(...insertRows(table.table, table.columns, values, 'id', encoding));
    if (table.table === 'tasks' || table.table === 'checklist_items') {
      // Search's texts are kept by their writers, not by triggers (src/store/search-texts.ts).
      const stored = values.map((v) => ({ table, values: v }));
      statements.push(...searchTextStatements(stored, encoding, { [table.table]: gone }));
    }
  });
  return { statements, read };
}

/**
 * The end of the log window starting at `from`: far enough for about `rows` rows of the largest
 * log table, never splitting a server index, at least one index, at most `cursor`.
 */
export async function windowEnd(
  db: Db,
  from: number,
  cursor: number,
  rows: number,
): Promise<number> {
  const results = await db.batch(
    LOG_TABLES.map(({ table }) => ({
      sql: `SELECT server_index FROM ${table} WHERE server_index >= ? AND server_index < ?
        ORDER BY server_index LIMIT 1 OFFSET ?`,
      args: [from, cursor, rows],
    })),
    'read',
  );
  let end = cursor;
  for (const result of results) {
    const index = result.rows[0]?.['server_index'];
    if (typeof index === 'number') end = Math.min(end, Math.max(index, from + 1));
  }
  return end;
}

/** The remote statements carrying every log row with a server index in [from, to). */
export async function logStatements(
  db: Db,
  from: number,
  to: number,
  encoding: RowEncoding | undefined,
): Promise<{ statements: Statement[]; rows: number }> {
  const results = await db.batch(
    LOG_TABLES.map(({ table, columns, order }) => ({
      sql: `SELECT ${columns.join(', ')} FROM ${table} WHERE server_index >= ? AND server_index < ? ORDER BY ${order}`,
      args: [from, to],
    })),
    'read',
  );
  const statements: Statement[] = [];
  let rows = 0;
  LOG_TABLES.forEach(({ table, columns, write }, i) => {
    const found = results[i]?.rows ?? [];
    rows += found.length;
    if (write === 'replace') {
      statements.push({
        sql: `DELETE FROM ${table} WHERE server_index >= ? AND server_index < ?`,
        args: [from, to],
      });
    }
    const inserts = insertRows(
      table,
      columns,
      found.map((row) => columns.map((c) => arg(row[c]))),
      undefined,
      encoding,
    );
    for (const insert of inserts) {
      statements.push(
        write === 'ignore'
          ? {
              ...insert,
              sql: `${insert.sql} ON CONFLICT (server_index, position, ordinal) DO NOTHING`,
            }
          : insert,
      );
    }
  });
  return { statements, rows };
}

/** A value read from one database, bound into another (text read as bytes is text again). */
export function arg(value: SqlValue | undefined): SqlArg {
  return value === undefined ? null : textOf(value);
}
