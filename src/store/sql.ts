/**
 * Generic SQL building blocks: multi-row INSERTs (bound values or one JSON text per chunk), `IN`
 * lists and the chunk sizes behind them, shaped so a prepared-statement cache sees few distinct
 * statements. A leaf: it knows statements and values, no table of the store.
 */
import type { RowEncoding, SqlArg, Statement } from './db.ts';

/** At most this many rows per multi-row INSERT. */
export const MAX_ROWS_PER_STATEMENT = 100;
/**
 * At most this many bound parameters per statement: well under SQLite's default limit of 32,766
 * (3.32+; sqld ships 3.45), so a task upsert of ~47 columns still carries 100 rows.
 */
export const MAX_PARAMS_PER_STATEMENT = 8000;
/** At most this many ids per `IN (…)` list. */
export const MAX_IDS_PER_STATEMENT = 500;
/** At most this many rows per JSON-encoded INSERT (one bound text of a few hundred KB). */
export const MAX_JSON_ROWS_PER_STATEMENT = 1000;

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `?, ?, ?` */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * The row counts of the multi-row statements for `rows` rows: full statements of `perStatement`,
 * then the remainder in descending powers of two. A table thus sees a handful of statement shapes
 * instead of one per remainder, so a prepared-statement cache (src/store/db-local.ts) keeps them all and
 * reuses them from page to page.
 */
export function statementSizes(rows: number, perStatement: number): number[] {
  const sizes: number[] = [];
  let left = rows;
  while (left >= perStatement) {
    sizes.push(perStatement);
    left -= perStatement;
  }
  for (let bit = 2 ** Math.floor(Math.log2(Math.max(left, 1))); bit >= 1; bit /= 2) {
    if (left >= bit) {
      sizes.push(bit);
      left -= bit;
    }
  }
  return sizes;
}

/**
 * An `IN (…)` list for `ids` (at most {@link MAX_IDS_PER_STATEMENT}), padded by repeating the last
 * id up to the next power of two (or the maximum), for the same reason as {@link statementSizes}.
 * Repeated ids select and delete nothing twice.
 */
export function idList(ids: readonly string[]): { sql: string; args: string[] } {
  if (ids.length === 0 || ids.length > MAX_IDS_PER_STATEMENT) {
    throw new RangeError(
      `Cannot build an IN list of ${ids.length} ids (1 to ${MAX_IDS_PER_STATEMENT})`,
    );
  }
  const size = Math.min(MAX_IDS_PER_STATEMENT, 2 ** Math.ceil(Math.log2(ids.length)));
  const last = ids[ids.length - 1] as string;
  const args = [...ids];
  while (args.length < size) args.push(last);
  return { sql: `(${placeholders(size)})`, args };
}

/**
 * Multi-row INSERTs of `rows` into `table`. With `upsertKey`, an existing row with that key is
 * overwritten column by column. Rows are inserted in the order given.
 *
 * `values` (the default): `VALUES (?, …), …`, chunked by row count and parameter count.
 * `json` (decision 0014): up to {@link MAX_JSON_ROWS_PER_STATEMENT} rows per statement as one JSON
 * text, unpacked by `json_each`; see {@link packRows} for how values keep their exact type and
 * value. A chunk holding a value JSON cannot carry exactly is sent as `values` instead.
 */
export function insertRows(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlArg[])[],
  upsertKey?: string,
  encoding: RowEncoding = 'values',
): Statement[] {
  const conflict =
    upsertKey === undefined
      ? ''
      : ` ON CONFLICT (${upsertKey}) DO UPDATE SET ${columns
          .filter((c) => c !== upsertKey)
          .map((c) => `${c} = excluded.${c}`)
          .join(', ')}`;
  if (encoding === 'values') return valuesInserts(table, columns, rows, conflict);
  const statements: Statement[] = [];
  for (const part of chunk(rows, MAX_JSON_ROWS_PER_STATEMENT)) {
    const packed = packRows(part, columns.length);
    if (packed === undefined) {
      statements.push(...valuesInserts(table, columns, part, conflict));
      continue;
    }
    const cells = packed.columns.map((kind, i) =>
      kind === 'fraction'
        ? `(value->>'$[${i}][0]') * 1.0 / (1 << (value->>'$[${i}][1]'))`
        : kind === 'number'
          ? `(value->>${i}) * 1.0`
          : `value->>${i}`,
    );
    // Each row is read once, as JSONB, in a subquery that OFFSET 0 keeps SQLite from flattening
    // (it runs as a co-routine). Flattened, every `value->>i` made json_each render the row's JSON
    // text again and parse it: 31 times per item, 18 % of sqld's CPU in a 100k replay.
    // `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
    // json_each walks the array in order, so rows are inserted in the order given (no ORDER BY,
    // which would sort every chunk on the server; tests/property/row-encoding.test.ts checks it).
    statements.push({
      sql: `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${cells.join(', ')} FROM (SELECT jsonb(value) AS value FROM json_each(?) LIMIT -1 OFFSET 0) WHERE true${conflict}`,
      args: [packed.text],
    });
  }
  return statements;
}

function valuesInserts(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlArg[])[],
  conflict: string,
): Statement[] {
  const perStatement = Math.max(
    1,
    Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMS_PER_STATEMENT / columns.length)),
  );
  const tuple = `(${placeholders(columns.length)})`;
  const statements: Statement[] = [];
  let at = 0;
  for (const size of statementSizes(rows.length, perStatement)) {
    const part = rows.slice(at, at + size);
    at += size;
    statements.push({
      sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => tuple).join(', ')}${conflict}`,
      args: part.flat(),
    });
  }
  return statements;
}

/** A JSON string escape SQLite's JSON functions may not turn back into the same text. */
const UNSAFE_JSON_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/**
 * What a column of a packed chunk holds: `text` (strings and nulls: `->>` returns them as they
 * are), `number` (safe integers and nulls) or `fraction` (numbers, some with a fraction, and
 * nulls).
 */
export type PackedColumn = 'text' | 'number' | 'fraction';

/**
 * `rows` as one JSON array of arrays from which `->>` gives back exactly what binding the values
 * stores, or `undefined` when some value cannot be carried so (the caller binds that chunk's
 * values instead, and the driver decides):
 *
 * - both drivers bind a JS number as a REAL, which the column's affinity may then turn into an
 *   INTEGER or TEXT; so a number column is read as `(value->>i) * 1.0`, a REAL too;
 * - in a column where some number has a fraction, every number is sent as `[m, k]`, a safe
 *   integer and a shift up to 62 (the value is exactly `m / 2^k`), and rebuilt as
 *   `m * 1.0 / (1 << k)`, an IEEE division whose result is exact, because SQLite's
 *   decimal-to-double conversion is not correctly rounded (it moves the last digit of
 *   1740773636.317644, and of 17 of about a million timestamps in a 100k-item replay); the shift
 *   keeps every number sent exact in its digits (JavaScript prints 2^55 as 36028797018963970);
 * - not carried: a column mixing strings and numbers, text with a NUL or an unpaired surrogate,
 *   integers beyond 2^53, -0, non-finite numbers, bigints and blobs.
 */
export function packRows(
  rows: readonly (readonly SqlArg[])[],
  width: number,
): { text: string; columns: PackedColumn[] } | undefined {
  const hasText = Array.from({ length: width }, () => false);
  const columns = Array.from({ length: width }, (): PackedColumn => 'text');
  for (const row of rows) {
    if (row.length !== width) return undefined;
    for (let i = 0; i < width; i += 1) {
      const value = row[i];
      if (value === null) continue;
      if (typeof value === 'string') hasText[i] = true;
      else if (typeof value !== 'number' || !Number.isFinite(value) || Object.is(value, -0)) {
        return undefined;
      } else if (!Number.isInteger(value)) columns[i] = 'fraction';
      else if (!Number.isSafeInteger(value)) return undefined;
      else if (columns[i] === 'text') columns[i] = 'number';
      if (hasText[i] && columns[i] !== 'text') return undefined;
    }
  }
  let cells: readonly (readonly unknown[])[] = rows;
  const fractions = columns.flatMap((kind, i) => (kind === 'fraction' ? [i] : []));
  if (fractions.length > 0) {
    const copies: (readonly unknown[])[] = [];
    for (const row of rows) {
      const copy: unknown[] = [...row];
      for (const i of fractions) {
        const value = row[i] as number | null;
        if (value === null) continue;
        const pair = binaryFraction(value);
        if (pair === undefined) return undefined;
        copy[i] = pair;
      }
      copies.push(copy);
    }
    cells = copies;
  }
  const text = JSON.stringify(cells);
  return UNSAFE_JSON_ESCAPE.test(text) ? undefined : { text, columns };
}

/** `[m, k]` with `value === m / 2 ** k` exactly, `m` a safe integer, `k` up to 62; else `undefined`. */
function binaryFraction(value: number): [number, number] | undefined {
  let m = value;
  let k = 0;
  // Doubling is exact; a finite number below 2^53 becomes an integer within 1,074 doublings.
  while (!Number.isInteger(m)) {
    if (k === 62) return undefined;
    m *= 2;
    k += 1;
  }
  return Number.isSafeInteger(m) ? [m, k] : undefined;
}
