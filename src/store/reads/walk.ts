/**
 * The first rows of a dense list by a walk in the list's order (decisions 0026 and 0043): the
 * active to-dos and projects by `ix`, read from `tasks_open_by_start` (keyed `start, sort_index,
 * id` over the active rows) as one ordered run per `start` merged by SQLite, tested one by one and
 * stopped after the page's rows. Its cost is the rows it reads before the page is full, about
 * `rows × active ÷ answer`: it depends on how dense the answer is, not on the account's size, where
 * gathering every row of the answer and sorting it grows with the answer.
 */
import { ACTIVE_TASK, TODO_OR_PROJECT } from './rows.ts';

/**
 * SQL: the rowids of the first `?` (bound after `test`'s arguments: offset + limit) active to-dos
 * and projects in `ix` order (then id) for which `test` holds, a condition on `t.id`; none unless
 * `walking` (SQL, a constant condition). The merge of the runs and the `LIMIT` of the outer query
 * walk lazily: each run is read in its index's order (a `start` of none of 0, 1, 2, which no list
 * names, is one more run, sorted, usually empty), and the subquery's `ORDER BY` with a `LIMIT` is
 * kept by SQLite (it omits a subquery's `ORDER BY` only without one), so the outer `LIMIT` takes
 * the first rows in that order. `walking` is in the `LIMIT`, which SQLite evaluates once before
 * the loop (a constant subquery in the `WHERE` is evaluated for each row: the walk would go on).
 */
export function walkByIndex(test: string, walking: string): string {
  const run = (start: string): string =>
    `SELECT t.rowid AS r, t.sort_index AS ix, t.id AS id FROM tasks t INDEXED BY tasks_open_by_start
      WHERE t.start ${start} AND ${TODO_OR_PROJECT} AND ${ACTIVE_TASK}`;
  const runs = ['= 0', '= 1', '= 2', '> 2'].map(run).join(' UNION ALL ');
  return `SELECT r FROM (SELECT r FROM (${runs} ORDER BY 2, 3 LIMIT -1) t WHERE (${test})
    LIMIT (CASE WHEN ${walking} THEN ? ELSE 0 END))`;
}

/** SQL: the rows of `select` (a SELECT without `LIMIT`) unless `walking`, as in {@link walkByIndex}. */
export function unlessWalking(select: string, walking: string): string {
  return `SELECT * FROM (${select} LIMIT (CASE WHEN ${walking} THEN 0 ELSE -1 END))`;
}

/**
 * SQL: whether the walk is the cheaper way to the first `?` rows (bound first: offset + limit) of
 * an answer of about `count` rows (SQL, a number: the tagged rows, the index's hits, closed ones
 * too). The walk reads about `rows × tasks ÷ count` rows (`tasks` the table's largest rowid, O(1),
 * which counts closed rows too and so leans to gathering); gathering reads `count` rows, each
 * `cost` times dearer than a walked one (the caller's measure on the benchmark's accounts,
 * decision 0026, "Amendment: first pages by a walk in `ix` order"). A page computes it once, in
 * a `MATERIALIZED` CTE.
 */
export function walkPays(count: string, cost: number): string {
  return `(SELECT n * n * ${cost} >= ? * (SELECT COALESCE(MAX(rowid), 0) FROM tasks)
    FROM (SELECT (${count}) AS n))`;
}
