/**
 * Keyset paging: a query's rows in the order of a unique key, page after page, each page starting
 * after the last key of the previous one (never OFFSET, which rereads what it skips). Used by the
 * store's reads of whole tables and by the change log's reads.
 */
import type { Db, Row, SqlArg } from './db.ts';
import { isStoreError } from './errors.ts';
import { placeholders } from './sql.ts';

/** Rows per page of a keyset read, unless a query asks for fewer. */
export const KEYSET_PAGE_ROWS = 2000;

/** One keyset read: `SELECT select FROM from WHERE where… ORDER BY key [DESC]`. */
export interface KeysetQuery {
  readonly select: string;
  readonly from: string;
  /** Conditions joined by AND (none: every row). */
  readonly where: readonly string[];
  /** The arguments of `where`'s placeholders, in order. */
  readonly args: readonly SqlArg[];
  /** A unique key of the rows: the order and where each page starts. */
  readonly key: readonly string[];
  /** Newest first: the key in descending order. */
  readonly descending?: boolean;
  /** The most rows to read (default: all). */
  readonly limit?: number | undefined;
}

/**
 * The rows of `query`, page after page. A page too big for one response (sqld answers at most
 * 10 MB) is read again in halves, down to one row.
 */
export async function* keysetRows(db: Db, query: KeysetQuery): AsyncIterable<Row> {
  const keyList = query.key.join(', ');
  const order = query.key.map((k) => (query.descending === true ? `${k} DESC` : k)).join(', ');
  let after: SqlArg[] | null = null;
  let remaining = query.limit ?? Number.POSITIVE_INFINITY;
  let pageRows = KEYSET_PAGE_ROWS;
  while (remaining > 0) {
    const size = Math.min(pageRows, remaining);
    const where = [...query.where];
    const args = [...query.args];
    if (after !== null) {
      where.push(
        `(${keyList}) ${query.descending === true ? '<' : '>'} (${placeholders(after.length)})`,
      );
      args.push(...after);
    }
    let result;
    try {
      result = await db.execute({
        sql: `SELECT ${query.select} FROM ${query.from}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY ${order} LIMIT ?`,
        args: [...args, size],
      });
    } catch (error) {
      if (!isTooLarge(error) || size < 2) throw error;
      pageRows = Math.ceil(size / 2);
      continue;
    }
    for (const row of result.rows) yield row;
    remaining -= result.rows.length;
    const last = result.rows.at(-1);
    if (result.rows.length < size || last === undefined) return;
    after = query.key.map((k) => {
      const value = last[k];
      return value instanceof ArrayBuffer ? new Uint8Array(value) : (value ?? null);
    });
  }
}

/** Whether `error` is the driver's answer that a response would be too large. */
export function isTooLarge(error: unknown): boolean {
  return isStoreError(error) && error.driverCode === 'RESPONSE_TOO_LARGE';
}
