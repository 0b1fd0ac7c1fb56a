/**
 * Search in SQL with the pure view's exact rule (`searchView`: the lower-cased title, note or a
 * live checklist item's title contains the lower-cased text, as `toLowerCase()` folds case).
 *
 * The texts are lower-cased by `toLowerCase()` itself when they are committed, into
 * `search_texts` (one row per listed open task and per live checklist item, migration 10), and an
 * FTS5 trigram index over those lowered texts (`search_index`, case-sensitive, so it folds
 * nothing itself) finds a needle of three characters or more as an exact substring: the needle
 * is one phrase, its trigrams at consecutive positions of one column. A shorter needle, which
 * has no trigram, is looked for with `instr()` in every row of `search_texts`. Either way the
 * answer is one statement over the tasks and their containers, paged in SQL: one request.
 *
 * SQLite ends the indexed text at a NUL, so a NUL in a lowered text or needle is stored and
 * looked for as `NUL_STAND_IN` (src/store/search-texts.ts), a character `toLowerCase()` never returns: the mapping is
 * one-to-one on lowered text, so it keeps every substring and makes none.
 */
import type { Db } from '../db.ts';
import { searchText } from '../search-texts.ts';
import { CONTAINERS_OPEN, OPEN_TASK, TODO_OR_PROJECT } from './rows.ts';
import { readPage, type ListSql } from './page.ts';
import { walkTerms, walkedOr } from './walk.ts';
import type { ListPage, ListQuery } from '../types.ts';

/** The shortest needle the trigram index finds (in code points, as FTS5 counts characters). */
const TRIGRAM = 3;

/** Whether `needle` has {@link TRIGRAM} code points or more. */
function hasTrigram(needle: string): boolean {
  let count = 0;
  for (let i = 0; i < needle.length; i += (needle.codePointAt(i) ?? 0) > 0xffff ? 2 : 1) {
    count += 1;
    if (count >= TRIGRAM) return true;
  }
  return false;
}

/** `needle` (a {@link searchText}) as an FTS5 query: one phrase, its quotes doubled. */
function phrase(needle: string): string {
  return `"${needle.replaceAll('"', '""')}"`;
}

/**
 * How many times dearer a gathered hit is than a walked row (a test of the row's own texts, then
 * of its checklist items among the hits): about 6 µs against 3 µs on the benchmark's account of
 * 1,000,000 items.
 */
const SEARCH_WALK_COST = 2;

/** SQL: the search's rows among `t.rowid IN (candidates)`, by the view's rule (listed and active). */
const SEARCHED = `${TODO_OR_PROJECT} AND ${OPEN_TASK} AND ${CONTAINERS_OPEN}`;

/**
 * The search as a list: the listed open to-dos and projects one of whose texts holds `needle`.
 *
 * A bounded page of a needle the index finds takes its rows from a walk by `ix` that stops after
 * the page's rows (src/store/reads/walk.ts), when the hits are many enough that the walk is the
 * cheaper way (decided in the statement, on the count of the index's hits): a walked row is tested
 * on its own texts (its row of `search_texts`, by key) and on the tasks of the live checklist items
 * among the hits, gathered once. Otherwise, when the walk stops at its cap short of the page
 * (hits mostly of closed tasks), and for the count, every hit's task is gathered and sorted.
 */
export function searchSql(needle: string): ListSql {
  const indexed = hasTrigram(needle);
  const hits = indexed
    ? 'SELECT task_id FROM search_texts WHERE rowid IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)'
    : 'SELECT task_id FROM search_texts WHERE instr(title, ?1) > 0 OR instr(note, ?1) > 0';
  const pattern = indexed ? phrase(needle) : needle;
  const own = `EXISTS (SELECT 1 FROM search_texts s WHERE s.id = t.id AND s.kind = 0
    AND (instr(s.title, ?) > 0 OR instr(s.note, ?) > 0))`;
  return {
    with: `WITH hits(id) AS (${hits})`,
    withArgs: [pattern],
    where: `t.id IN (SELECT id FROM hits) AND ${SEARCHED}`,
    args: [],
    order: 't.sort_index, t.id',
    evening: 'list',
    ...(indexed && {
      firstRows: (rows: number) => ({
        with: `WITH found(r) AS MATERIALIZED (
  SELECT rowid FROM search_index WHERE search_index MATCH ?
), checked(id) AS MATERIALIZED (
  SELECT task_id FROM search_texts WHERE rowid IN (SELECT r FROM found) AND kind = 1
), ${walkTerms('SELECT COUNT(*) FROM found', SEARCH_WALK_COST, `${own} OR t.id IN (SELECT id FROM checked)`)}`,
        where: `t.rowid IN (${walkedOr('SELECT rowid FROM tasks WHERE id IN (SELECT task_id FROM search_texts WHERE rowid IN (SELECT r FROM found))')}) AND ${SEARCHED}`,
        args: [pattern, rows, needle, needle, rows, rows],
      }),
    }),
  };
}

/** Reads a page of a search in one read batch. */
export async function readSearch(db: Db, text: string, query: ListQuery): Promise<ListPage> {
  const needle = searchText(text);
  if (needle === '') return { rows: [], total: query.total === true ? 0 : null };
  return readPage(db, searchSql(needle), query);
}
