/**
 * The first rows of a dense list by a walk in the list's order (decisions 0026 and 0043): the
 * active to-dos and projects by `ix`, read from `tasks_open_by_start` (keyed `start, sort_index,
 * id` over the active rows) as one ordered run per `start` merged by SQLite, tested one by one and
 * stopped after the page's rows. Its cost is the rows it reads before the page is full, about
 * `rows × active ÷ answer`: it depends on how dense the answer is, not on the account's size, where
 * gathering every row of the answer and sorting it grows with the answer.
 *
 * Which way is cheaper is guessed from a count the statement can take cheaply (the tagged rows,
 * the index's hits), which counts closed, trashed and deleted rows too: an answer of mostly
 * inactive rows (a tag or a word of the Logbook) looks dense and is walked, and such a walk would
 * read every active row without filling the page. So the walk reads at most {@link WALK_SLACK}
 * times the rows the guess expects, and when it stops short of the page the statement gathers
 * instead: at worst that bounded walk and the gathering, never the whole index.
 */
import { ACTIVE_TASK, TODO_OR_PROJECT } from './rows.ts';

/**
 * How many times the rows a walk is expected to read it may read before it gives up: room for
 * an answer unevenly spread over `ix` (the estimate assumes it even) and for the active rows being
 * fewer than the table's rowids (which makes the estimate high already).
 */
const WALK_SLACK = 4;

/**
 * SQL: the `WITH` terms of a page's first `rows` rows taken by a walk in `ix` order when it pays
 * (to follow a `WITH` clause's other terms, after a comma), with arguments `rows`, then `test`'s
 * arguments, then `rows` twice (a number bound from JavaScript is a REAL: the cap is cast):
 *
 * - `walk(yes, cap)`: whether the walk is the cheaper way to the first `rows` rows of an answer of
 *   about `count` rows (SQL, a number: the tagged rows, the index's hits, inactive ones too), and
 *   how many active rows it may read. It reads about `rows × tasks ÷ count` (`tasks` the table's
 *   largest rowid, O(1)); gathering reads `count` rows, each `cost` times dearer than a walked one
 *   (the caller's measure on the benchmark's accounts, decision 0026, "Amendment: first pages by
 *   a walk in `ix` order"). The walk pays when `count² × cost ≥ rows × tasks`, and may then read
 *   {@link WALK_SLACK} times its estimate, which is at most that many times the gathering's reads
 *   weighed by `cost`. `tasks` counts closed rows too and so leans to gathering, but `count`
 *   counts inactive hits too, squared, and so leans to walking when most hits are inactive: the
 *   cap is what bounds that mistake.
 * - `walked(r)`: the rowids of the first `rows` active to-dos and projects in `ix` order (then id)
 *   for which `test` holds (a condition on `t.id`), among the first `cap` active rows; none
 *   unless walking.
 * - `full(yes)`: the walk was taken and found `rows` rows (the page is among them).
 *
 * The merge of the runs and the `LIMIT`s walk lazily: each run is read in its index's order (a
 * `start` of none of 0, 1, 2, which no list names, is one more run, sorted, usually empty), the
 * subquery's `ORDER BY` with a `LIMIT` is kept by SQLite (it omits a subquery's `ORDER BY` only
 * without one), and `LIMIT`s are evaluated once before the loop (a constant subquery in the
 * `WHERE` is evaluated for each row: the walk would go on).
 */
export function walkTerms(count: string, cost: number, test: string): string {
  const run = (start: string): string =>
    `SELECT t.rowid AS r, t.sort_index AS ix, t.id AS id FROM tasks t INDEXED BY tasks_open_by_start
      WHERE t.start ${start} AND ${TODO_OR_PROJECT} AND ${ACTIVE_TASK}`;
  const runs = ['= 0', '= 1', '= 2', '> 2'].map(run).join(' UNION ALL ');
  return `walk(yes, cap) AS MATERIALIZED (
  SELECT yes, CASE WHEN yes THEN CAST(${WALK_SLACK} * w / MAX(n, 1) AS INTEGER) + 1 ELSE 0 END FROM (
    SELECT n, w, n * n * ${cost} >= w AS yes FROM (
      SELECT (${count}) AS n, ? * (SELECT COALESCE(MAX(rowid), 0) FROM tasks) AS w))
), walked(r) AS MATERIALIZED (
  SELECT r FROM (${runs} ORDER BY 2, 3 LIMIT (SELECT cap FROM walk)) t WHERE (${test}) LIMIT ?
), full(yes) AS MATERIALIZED (
  SELECT (SELECT yes FROM walk) AND COUNT(*) >= ? FROM walked
)`;
}

/**
 * SQL: the candidates of a page whose `WITH` clause holds {@link walkTerms}: the walked rows if
 * they fill the page, else the rows of `gather` (a SELECT without `LIMIT`; it is not read then).
 */
export function walkedOr(gather: string): string {
  const full = '(SELECT yes FROM full)';
  return `SELECT r FROM walked WHERE ${full}
    UNION ALL SELECT * FROM (${gather} LIMIT (CASE WHEN ${full} THEN 0 ELSE -1 END))`;
}
