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
  ACTIVE_OPEN_ROW,
  ROW_SELECT,
  TASK_FROM,
  TODO_OR_PROJECT,
  decodeViewRow,
  openRow,
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
    // Merge neighbours less than 16 apart (30 ranges instead of 82, each an extra comparison
    // per character): a wider class only makes more rows undecided, never fewer.
    if (last !== undefined && code - last[1] <= 16) last[1] = code;
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

/** SQL: LIKE decides for column `c` (`?1` = the pattern). */
const LIKE = (c: string): string => `${c} LIKE ?1 ESCAPE '\\'`;

/**
 * SQL: LIKE cannot decide for column `c` (`?2` = the folding GLOB): it holds a NUL or a character
 * of {@link foldingRanges}, looked for only in text with a non-ASCII character (a cheap test).
 */
const UNDECIDED = (c: string): string =>
  `((${c} GLOB '*[^'||char(1)||'-'||char(127)||']*' AND ${c} GLOB ?2) OR instr(${c}, char(0)) > 0)`;

/**
 * The candidates of a search, in list order: each row's id, whether LIKE decided (`sure`) and,
 * when not, the texts TypeScript checks (the title, the note, and the titles of the undecided
 * checklist items, as hex of their UTF-8 bytes). Found by an index-only scan of
 * `tasks_open_text` and a scan of the live checklist items, then checked as the view says.
 */
function candidatesStatement(needle: string): { sql: string; args: SqlArg[] } {
  // A NUL cannot be part of a LIKE pattern: every active row is then undecided.
  const nul = needle.includes('\0');
  const checklistWhere = nul ? 'true' : `${LIKE('title')} OR ${UNDECIDED('title')}`;
  const hits = nul
    ? `SELECT rowid FROM tasks INDEXED BY tasks_open_text WHERE ${openRow('tasks')} AND recurrence IS NULL`
    : `SELECT rowid FROM tasks INDEXED BY tasks_open_text
  WHERE ${openRow('tasks')} AND recurrence IS NULL AND (${LIKE('title')} OR ${LIKE('note')} OR ${UNDECIDED('title')} OR ${UNDECIDED('note')})
  UNION SELECT tasks.rowid FROM checklist CROSS JOIN tasks ON tasks.id = checklist.task_id WHERE ${openRow('tasks')}`;
  const sure = nul ? '0' : `(${LIKE('t.title')} OR ${LIKE('t.note')} OR COALESCE(c.sure, 0))`;
  const sql = `WITH checklist(task_id, sure, titles) AS (
  SELECT task_id, ${nul ? '0' : `MAX(${LIKE('title')})`}, json_group_array(hex(CAST(title AS BLOB)))
  FROM checklist_items
  WHERE deleted_index IS NULL AND task_id IS NOT NULL AND (${checklistWhere})
  GROUP BY task_id
), hits(id) AS (${hits})
SELECT t.id, ${sure} AS sure,
  CASE WHEN ${sure} THEN NULL ELSE hex(CAST(t.title AS BLOB)) END AS title,
  CASE WHEN ${sure} THEN NULL ELSE hex(CAST(t.note AS BLOB)) END AS note,
  CASE WHEN ${sure} THEN NULL ELSE c.titles END AS checklist
FROM ${TASK_FROM} LEFT JOIN checklist c ON c.task_id = t.id
WHERE t.rowid IN (SELECT id FROM hits) AND ${TODO_OR_PROJECT} AND ${ACTIVE_OPEN_ROW}
ORDER BY t.sort_index, t.id`;
  return { sql, args: nul ? [] : [likePattern(needle), foldingPattern()] };
}

const utf8 = new TextDecoder();

/** Text from the hex digits of its UTF-8 bytes (a NUL kept, which a TEXT value may lose). */
function hexText(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return utf8.decode(bytes);
}

/** Reads a page of a search in two read batches. */
export async function readSearch(db: Db, text: string, query: ListQuery): Promise<ListPage> {
  const needle = text.toLowerCase();
  if (needle === '') return { rows: [], total: query.total === true ? 0 : null };
  const [candidates] = await db.batch([candidatesStatement(needle)], 'read');
  const matches: string[] = [];
  for (const row of candidates?.rows ?? []) {
    const r = new RowReader(row, 'tasks');
    if (r.num('sure') !== 0) {
      matches.push(r.str('id'));
      continue;
    }
    const checklist = r.strOrNull('checklist');
    const texts = [
      r.str('title'),
      r.str('note'),
      ...(checklist === null ? [] : (JSON.parse(checklist) as string[])),
    ];
    if (texts.some((hex) => hexText(hex).toLowerCase().includes(needle))) matches.push(r.str('id'));
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
