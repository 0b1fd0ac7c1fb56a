/**
 * The texts search reads (decision 0026, "Amendment: search by a trigram index of lower-cased
 * texts"): `search_texts`, one row per listed open task and per live checklist item, its title and
 * note lower-cased by `toLowerCase()` itself when they are committed, kept by each commit
 * ({@link searchTextStatements}) and filled once by migration 10 ({@link fillSearchTexts}). The
 * reads are src/store/reads/search.ts.
 *
 * SQLite ends the indexed text at a NUL, so a NUL in a lowered text is stored as
 * {@link NUL_STAND_IN}, a character `toLowerCase()` never returns.
 */
import { RowReader, type EntityTable } from './row-codec.ts';
import type { Db, RowEncoding, SqlArg, Statement } from './db.ts';
import { MAX_IDS_PER_STATEMENT, chunk, idList, insertRows } from './sql.ts';

/** What a NUL becomes in `search_texts` and in a needle: no lower-cased text holds it. */
export const NUL_STAND_IN = 'A';

/** `text` as `search_texts` holds it: lower-cased as the view does, a NUL as {@link NUL_STAND_IN}. */
export function searchText(text: string): string {
  return text.toLowerCase().replaceAll('\0', NUL_STAND_IN);
}

/** Which kind of row of `search_texts` a stored row has, by its table. */
const KIND = { tasks: 0, checklist_items: 1 } as const;

/** A stored row of `tasks` or `checklist_items`, as its table encodes it. */
export interface StoredRow {
  readonly table: EntityTable;
  readonly values: readonly SqlArg[];
}

/**
 * What `search_texts` holds for a stored row: `[task_id, title, note]`, or null for nothing.
 * Judged on the row's columns, as the SQL of the lists judges them (`openRow`, `OPEN_TASK`).
 */
function searchRow({ table, values }: StoredRow): [string, string, string] | null {
  const column = (name: string): SqlArg | undefined => values[table.columns.indexOf(name)];
  if (column('deleted_index') !== null) return null;
  const title = column('title');
  if (typeof title !== 'string') return null;
  if (table.table === 'checklist_items') {
    const taskId = column('task_id');
    return typeof taskId === 'string' ? [taskId, searchText(title), ''] : null;
  }
  const id = column('id');
  const note = column('note');
  const listed =
    column('status') === 0 &&
    column('trashed') === 0 &&
    column('recurrence') === null &&
    (column('type') === 0 || column('type') === 1);
  return listed && typeof id === 'string' && typeof note === 'string'
    ? [id, searchText(title), searchText(note)]
    : null;
}

/** The upsert of `search_texts`: a row whose texts did not change is not written again. */
const UPSERT = ` ON CONFLICT (id, kind) DO UPDATE SET task_id = excluded.task_id, title = excluded.title, note = excluded.note
WHERE task_id IS NOT excluded.task_id OR title IS NOT excluded.title OR note IS NOT excluded.note`;

const COLUMNS = ['id', 'kind', 'task_id', 'title', 'note'];

/**
 * The statements of a writer (a page commit, a push) that keep `search_texts` (and through its
 * triggers `search_index`) equal to the stored rows of tasks and checklist items it writes: an
 * upsert of each searchable one, a delete of each other (most have no row to delete: a closed
 * task, say) and of each row it `removed` (by table, ids). Inserts in `encoding`, as the writer's
 * own.
 */
export function searchTextStatements(
  stored: Iterable<StoredRow>,
  encoding: RowEncoding = 'values',
  removed: Readonly<Partial<Record<'tasks' | 'checklist_items', readonly string[]>>> = {},
): Statement[] {
  const rows: SqlArg[][] = [];
  const gone = {
    tasks: [...(removed.tasks ?? [])],
    checklist_items: [...(removed.checklist_items ?? [])],
  };
  for (const row of stored) {
    const { table } = row;
    if (table.table !== 'tasks' && table.table !== 'checklist_items') continue;
    const id = row.values[table.columns.indexOf('id')];
    if (typeof id !== 'string') continue;
    const texts = searchRow(row);
    if (texts === null) gone[table.table].push(id);
    else rows.push([id, KIND[table.table], ...texts]);
  }
  const statements: Statement[] = [];
  for (const table of ['tasks', 'checklist_items'] as const) {
    for (const ids of chunk(gone[table], MAX_IDS_PER_STATEMENT)) {
      const list = idList(ids);
      statements.push({
        sql: `DELETE FROM search_texts WHERE kind = ? AND id IN ${list.sql}`,
        args: [KIND[table], ...list.args],
      });
    }
  }
  for (const insert of insertRows('search_texts', COLUMNS, rows, undefined, encoding)) {
    statements.push({ ...insert, sql: `${insert.sql}${UPSERT}` });
  }
  return statements;
}

/** Rows per read of {@link fillSearchTexts}. */
const FILL_PAGE_ROWS = 2000;

const utf8 = new TextDecoder();

/** Text from the hex digits of its UTF-8 bytes (a NUL kept, which a TEXT value may lose). */
function hexText(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return utf8.decode(bytes);
}

/**
 * The statements that fill `search_texts` from a database's rows (its migration runs them in the
 * same batch): the listed open tasks and live checklist items, read page by page.
 */
export async function fillSearchTexts(db: Db): Promise<Statement[]> {
  const sources = [
    {
      kind: KIND.tasks,
      sql: `SELECT rowid AS r, id, id AS task_id, hex(CAST(title AS BLOB)) AS title, hex(CAST(note AS BLOB)) AS note
FROM tasks WHERE deleted_index IS NULL AND status = 0 AND trashed = 0 AND recurrence IS NULL AND type IN (0, 1)`,
    },
    {
      kind: KIND.checklist_items,
      sql: `SELECT rowid AS r, id, task_id, hex(CAST(title AS BLOB)) AS title, '' AS note
FROM checklist_items WHERE deleted_index IS NULL AND task_id IS NOT NULL`,
    },
  ];
  const rows: SqlArg[][] = [];
  for (const source of sources) {
    let after = 0;
    for (;;) {
      const result = await db.execute({
        sql: `${source.sql} AND rowid > ? ORDER BY rowid LIMIT ?`,
        args: [after, FILL_PAGE_ROWS],
      });
      for (const row of result.rows) {
        const r = new RowReader(row, 'search_texts');
        rows.push([
          r.str('id'),
          source.kind,
          r.str('task_id'),
          searchText(hexText(r.str('title'))),
          searchText(hexText(r.str('note'))),
        ]);
        after = r.num('r');
      }
      if (result.rows.length < FILL_PAGE_ROWS) break;
    }
  }
  return insertRows('search_texts', COLUMNS, rows, undefined, db.rowEncoding);
}
