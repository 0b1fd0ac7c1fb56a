/**
 * Search in SQL with the pure view's exact rule (`searchView`: the lower-cased title, note or a
 * live checklist item's title contains the lower-cased text, as `toLowerCase()` folds case).
 *
 * SQLite's LIKE folds only ASCII letters. For text without a non-ASCII character that
 * `toLowerCase()` changes, LIKE against the lower-cased needle is exactly the view's rule; a row
 * holding such a character (É, Σ, İ, the Kelvin sign, …) or a NUL is a candidate whose text is
 * checked here in TypeScript. Read in two round trips: the candidates in list order (id, whether
 * LIKE decided, and the texts of undecided ones), then the rows of the page.
 */
import type { CivilDate } from '../../protocol/index.ts';
import { chunk, idList, MAX_IDS_PER_STATEMENT } from '../commit.ts';
import { RowReader } from '../codec.ts';
import type { Db, SqlArg } from '../db.ts';
import {
  ACTIVE_TASK,
  ROW_SELECT,
  TASK_FROM,
  TODO_OR_PROJECT,
  decodeViewRow,
  taskFrom,
} from './rows.ts';
import type { ListPage, ListQuery, ListRow } from './types.ts';

/** Non-ASCII code points up to U+1FFFF (no cased letter lies above) that `toLowerCase()` changes. */
function foldingRanges(): [number, number][] {
  const ranges: [number, number][] = [];
  for (let code = 0x80; code <= 0x1ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCodePoint(code);
    if (char.toLowerCase() === char) continue;
    const last = ranges.at(-1);
    // Merge near neighbours: a wider class only makes more rows undecided, never fewer.
    if (last !== undefined && code - last[1] <= 2) last[1] = code;
    else ranges.push([code, code]);
  }
  return ranges;
}

let foldingGlob: string | undefined;

/** GLOB pattern: the text holds a character that {@link foldingRanges} lists. */
function foldingPattern(): string {
  foldingGlob ??= `*[${foldingRanges()
    .map(([a, b]) =>
      a === b ? String.fromCodePoint(a) : `${String.fromCodePoint(a)}-${String.fromCodePoint(b)}`,
    )
    .join('')}]*`;
  return foldingGlob;
}

/** `text` as a LIKE pattern (`\` escapes `%`, `_` and itself). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** SQL: LIKE decides for column `c` (`?` = the pattern). */
const LIKE = (c: string): string => `${c} LIKE ? ESCAPE '\\'`;
/** SQL: LIKE cannot decide for column `c` (`?` = the folding GLOB). */
const UNDECIDED = (c: string): string => `(${c} GLOB ? OR instr(${c}, char(0)) > 0)`;

/** The candidates of a search, in list order, with what TypeScript must still check. */
function candidatesStatement(needle: string): { sql: string; args: SqlArg[] } {
  const like = likePattern(needle);
  const glob = foldingPattern();
  const sql = `WITH checklist(task_id, sure) AS (
  SELECT task_id, MAX(${LIKE('title')}) FROM checklist_items
  WHERE deleted_index IS NULL AND task_id IS NOT NULL AND (${LIKE('title')} OR ${UNDECIDED('title')})
  GROUP BY task_id
), found AS (
  SELECT t.id, t.sort_index,
    (${LIKE('t.title')} OR ${LIKE('t.note')} OR COALESCE(c.sure, 0)) AS sure,
    t.title, t.note, c.task_id AS checklist
  FROM ${taskFrom('tasks_open_by_start')} LEFT JOIN checklist c ON c.task_id = t.id
  WHERE ${TODO_OR_PROJECT} AND ${ACTIVE_TASK}
    AND (${LIKE('t.title')} OR ${LIKE('t.note')} OR ${UNDECIDED('t.title')} OR ${UNDECIDED('t.note')} OR c.task_id IS NOT NULL)
)
SELECT id, sure,
  CASE WHEN sure THEN NULL ELSE CAST(title AS BLOB) END AS title,
  CASE WHEN sure THEN NULL ELSE CAST(note AS BLOB) END AS note,
  CASE WHEN sure OR checklist IS NULL THEN NULL ELSE
    (SELECT json_group_array(hex(CAST(i.title AS BLOB))) FROM checklist_items i WHERE i.task_id = found.id AND i.deleted_index IS NULL)
  END AS checklist
FROM found ORDER BY sort_index, id`;
  // Placeholders in order: checklist CTE (MAX LIKE, LIKE, GLOB), found (sure: 2 LIKE; where: 2 LIKE, 2 GLOB).
  return { sql, args: [like, like, glob, like, like, like, like, glob, glob] };
}

const utf8 = new TextDecoder();

/** Bytes (an ArrayBuffer, or hex digits) back to text. */
function textOf(value: unknown): string {
  if (value instanceof ArrayBuffer) return utf8.decode(value);
  if (typeof value === 'string') return value;
  return '';
}

function hexText(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return utf8.decode(bytes);
}

/** Reads a page of a search in two read batches. */
export async function readSearch(db: Db, text: string, query: ListQuery): Promise<ListPage> {
  const needle = text.toLowerCase();
  if (needle === '') return { rows: [], total: query.total === true ? 0 : null };
  // A NUL cannot be part of a LIKE pattern: every active row is then undecided.
  const statement = needle.includes('\0')
    ? {
        sql: `SELECT t.id, 0 AS sure, CAST(t.title AS BLOB) AS title, CAST(t.note AS BLOB) AS note,
  (SELECT json_group_array(hex(CAST(i.title AS BLOB))) FROM checklist_items i WHERE i.task_id = t.id AND i.deleted_index IS NULL) AS checklist
FROM ${TASK_FROM} WHERE ${TODO_OR_PROJECT} AND ${ACTIVE_TASK} ORDER BY t.sort_index, t.id`,
        args: [],
      }
    : candidatesStatement(needle);
  const [candidates] = await db.batch([statement], 'read');
  const matches: string[] = [];
  for (const row of candidates?.rows ?? []) {
    const r = new RowReader(row, 'tasks');
    if (r.num('sure') !== 0) {
      matches.push(r.str('id'));
      continue;
    }
    const checklist = row['checklist'];
    const titles =
      typeof checklist === 'string' ? (JSON.parse(checklist) as string[]).map(hexText) : [];
    if (
      [textOf(row['title']), textOf(row['note']), ...titles].some((t) =>
        t.toLowerCase().includes(needle),
      )
    ) {
      matches.push(r.str('id'));
    }
  }
  const offset = query.offset ?? 0;
  const page = matches.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
  return {
    rows: await readRows(db, page, query.today),
    total: query.total === true ? matches.length : null,
  };
}

/** The rows of `ids` (unique), in that order, in one read batch. */
export async function readRows(
  db: Db,
  ids: readonly string[],
  today: CivilDate,
): Promise<ListRow[]> {
  if (ids.length === 0) return [];
  const parts = chunk(ids, MAX_IDS_PER_STATEMENT);
  const results = await db.batch(
    parts.map((part) => {
      const list = idList(part);
      return {
        sql: `SELECT ${ROW_SELECT} FROM ${TASK_FROM} WHERE t.id IN ${list.sql}`,
        args: list.args,
      };
    }),
    'read',
  );
  const byId = new Map<string, ListRow>();
  for (const result of results) {
    for (const row of result.rows) {
      const decoded = decodeViewRow(row, today);
      byId.set(decoded.id, decoded);
    }
  }
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row === undefined ? [] : [row];
  });
}
