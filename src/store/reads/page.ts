/**
 * One page of a list in one read batch: the rows in the list's order with `LIMIT`/`OFFSET` in
 * SQL and, when asked, the count of the whole list, both from the same snapshot.
 */
import { requireCivilDate } from '../../engine/index.ts';
import type { Db, SqlArg, Statement } from '../db.ts';
import { ROW_SELECT, decodeViewRow, taskFrom, type EveningRule } from './rows.ts';
import type { DateQuery, ListPage, ListQuery } from '../types.ts';

/** A list as SQL: which task rows (over {@link TASK_FROM}) and in which order. */
export interface ListSql {
  /** A `WITH` clause the condition reads (bound before `args`), or none. */
  readonly with?: string;
  /** Arguments of `with`, in order. */
  readonly withArgs?: readonly SqlArg[];
  /** The index `t` is read by (see {@link taskFrom}; `null`: none, by `rowid`), or the planner's choice. */
  readonly index?: string | null;
  /** SQL condition over `t` and its containers. */
  readonly where: string;
  /** Arguments of `where`, in order. */
  readonly args: readonly SqlArg[];
  /** `ORDER BY` list; ends with `t.id` so the order is total. */
  readonly order: string;
  /** How the rows' `evening` is set. */
  readonly evening: EveningRule;
  /**
   * How the list is counted, when not by `where` over `index`: the sum of disjoint parts, each a
   * condition over `tasks t` alone (no container) read by its own index, with `args` (which the
   * parts bind by number: `?1`, …).
   */
  readonly counts?: readonly { readonly index: string; readonly where: string }[];
  /**
   * The page's rows found otherwise when the page is bounded (a read without `limit`, and the
   * count, keep `with` and `where`): for the first `rows` rows (offset + limit), a `WITH` clause
   * and a condition over {@link taskFrom}`(null)` that hold the same rows among the list's first
   * `rows` (a walk in the list's order, src/store/reads/walk.ts), with their arguments in order.
   */
  readonly firstRows?: (rows: number) => {
    readonly with: string;
    readonly where: string;
    readonly args: readonly SqlArg[];
  };
}

/** A reference to a container of {@link taskFrom} (`h.`, `p1.`, `p2.`, `a1.`, `a2.`). */
const CONTAINER_ALIAS = /\b(?:h|p1|p2|a1|a2)\./;

/** Checks `limit`/`offset` (RangeError) and the date (EngineError INVALID_DATE). */
export function checkQuery(query: DateQuery & Partial<ListQuery>, what: string): void {
  requireCivilDate(query.today, 'today');
  for (const [name, value] of [
    ['limit', query.limit],
    ['offset', query.offset],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new RangeError(`${what}: ${name} must be a non-negative integer, got ${value}`);
    }
  }
}

/** The statements of a page of `list` (rows, then the count when asked). */
export function pageStatements(list: ListSql, query: ListQuery): Statement[] {
  const prefix = list.with === undefined ? '' : `${list.with} `;
  const args = [...(list.withArgs ?? []), ...list.args];
  const from = taskFrom(list.index);
  const paging = [query.limit ?? -1, query.offset ?? 0];
  const first =
    query.limit === undefined ? undefined : list.firstRows?.((query.offset ?? 0) + query.limit);
  const statements: Statement[] = [
    first === undefined
      ? {
          sql: `${prefix}SELECT ${ROW_SELECT} FROM ${from} WHERE ${list.where} ORDER BY ${list.order} LIMIT ? OFFSET ?`,
          args: [...args, ...paging],
        }
      : {
          sql: `${first.with} SELECT ${ROW_SELECT} FROM ${taskFrom(null)} WHERE ${first.where} ORDER BY ${list.order} LIMIT ? OFFSET ?`,
          args: [...first.args, ...paging],
        },
  ];
  if (query.total === true && list.counts !== undefined) {
    const parts = list.counts.map(
      (part) => `(SELECT COUNT(*) FROM tasks t INDEXED BY ${part.index} WHERE ${part.where})`,
    );
    statements.push({ sql: `${prefix}SELECT ${parts.join(' + ')} AS n`, args });
  } else if (query.total === true) {
    // A condition on the row alone is counted on the row's index alone (without the joins, which
    // read the row for its containers' ids).
    const countFrom = CONTAINER_ALIAS.test(list.where) ? from : taskFrom(list.index, false);
    statements.push({
      sql: `${prefix}SELECT COUNT(*) AS n FROM ${countFrom} WHERE ${list.where}`,
      args,
    });
  }
  return statements;
}

/** Reads a page of `list` in one read batch. */
export async function readPage(db: Db, list: ListSql, query: ListQuery): Promise<ListPage> {
  const [rows, count] = await db.batch(pageStatements(list, query), 'read');
  return {
    rows: (rows?.rows ?? []).map((row) => decodeViewRow(row, query.today, list.evening)),
    total: count === undefined ? null : Number(count.rows[0]?.['n'] ?? 0),
  };
}
