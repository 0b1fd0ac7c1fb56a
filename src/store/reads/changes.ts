/**
 * The change log read by its indexes: `(server_index, position, ordinal)` (the UNIQUE key) for
 * the order, `--since-index` and `--last`; `change_log_at` for `--since`; the key tables of
 * decision 0015 for `--entity`. Pages of at most {@link READ_PAGE_ROWS} rows, so no response nears
 * a server's size limit, and `last` reads from the end of the log.
 */
import type { Change } from '../../engine/index.ts';
import { CHANGE_COLUMNS, rowToChange } from '../row-codec.ts';
import type { Db, SqlArg } from '../db.ts';
import { KEYSET_PAGE_ROWS, keysetRows } from '../keyset.ts';
import { CHANGE_LOG_ENTITY_ARGS, CHANGE_LOG_SEQS_OF_ENTITY } from '../schema.ts';
import type { ChangeFilter } from '../types.ts';

/** Rows per page of a change-log read (the store's keyset page size). */
export const CHANGE_PAGE_ROWS = KEYSET_PAGE_ROWS;

/** The columns {@link rowToChange} reads, listed once (row-codec.ts). */
const SELECT = CHANGE_COLUMNS.join(', ');
const KEY = ['server_index', 'position', 'ordinal'] as const;

function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`changes(): ${name} must be a non-negative integer, got ${value}`);
  }
}

/** Changes matching `filter`, in change order (see {@link ChangeFilter}). */
export async function readChanges(db: Db, filter: ChangeFilter = {}): Promise<Change[]> {
  checkCount('limit', filter.limit);
  checkCount('last', filter.last);
  if (filter.limit !== undefined && filter.last !== undefined) {
    throw new RangeError('changes(): give limit or last, not both');
  }
  const where: string[] = [];
  const args: SqlArg[] = [];
  if (filter.sinceIndex !== undefined) {
    where.push('server_index >= ?');
    args.push(filter.sinceIndex);
  }
  if (filter.sinceAt !== undefined) {
    where.push('at >= ?');
    args.push(filter.sinceAt);
    if (filter.entityId === undefined) {
      // Left alone, SQLite walks the key from the log's start and tests `at` on every row (the
      // whole log for the last day's changes). Bounded below by the first change at or after
      // `sinceAt` (found by `change_log_at`: one index entry and row per change returned), the
      // walk starts where the answer does: `at` grows with the server index, so the rows skipped
      // inside the range are the few written out of order.
      where.push(
        'server_index >= (SELECT MIN(server_index) FROM change_log INDEXED BY change_log_at WHERE at >= ?)',
      );
      args.push(filter.sinceAt);
    }
  }
  if (filter.entityId !== undefined) {
    where.push(`seq IN (${CHANGE_LOG_SEQS_OF_ENTITY})`, 'entity_id = ?');
    args.push(...Array<string>(CHANGE_LOG_ENTITY_ARGS + 1).fill(filter.entityId));
  }
  const newestFirst = filter.last !== undefined;
  const out: Change[] = [];
  const rows = keysetRows(db, {
    select: SELECT,
    from: 'change_log',
    where,
    args,
    key: KEY,
    descending: newestFirst,
    limit: filter.last ?? filter.limit,
  });
  for await (const row of rows) out.push(rowToChange(row));
  if (newestFirst) out.reverse();
  return out;
}
