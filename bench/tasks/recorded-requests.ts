/**
 * The requests a replay sent to its database, as the store-sql task records them: one JSON line
 * per request (its statements and their arguments, exactly), and what each statement returned.
 */
import type { BatchMode, QueryResult, SqlArg } from '../../src/store/db.ts';

/** A recorded request: one batch, or one `execute` (kept apart: it runs outside a transaction). */
export interface RecordedRequest {
  readonly mode: BatchMode | 'execute';
  readonly stmts: readonly { readonly sql: string; readonly args: readonly SqlArg[] }[];
}

/** What each statement of request `seq` returned: rows read (a read) or changed (a write). */
export interface RecordedResults {
  readonly seq: number;
  readonly counts: readonly number[];
}

/** Rows read by a statement that returns rows, else rows changed. */
export function countOf(result: QueryResult): number {
  return result.columns.length > 0 ? result.rows.length : result.rowsAffected;
}

/**
 * A recorded argument as JSON: bigints, byte arrays and non-finite or negative-zero numbers as
 * tagged objects, so that {@link decodeArg} reads every argument back exactly (strings, lone
 * surrogates included, and other numbers are exact in JSON as they are).
 */
export function encodeArg(value: SqlArg): unknown {
  if (typeof value === 'bigint') return { bigint: value.toString() };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') };
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) {
    return { number: Object.is(value, -0) ? '-0' : String(value) };
  }
  return value;
}

/** The argument {@link encodeArg} encoded. */
export function decodeArg(value: unknown): SqlArg {
  if (value !== null && typeof value === 'object') {
    const tagged = value as { bigint?: string; bytes?: string; number?: string };
    if (typeof tagged.bigint === 'string') return BigInt(tagged.bigint);
    if (typeof tagged.bytes === 'string') {
      return new Uint8Array(Buffer.from(tagged.bytes, 'base64'));
    }
    if (typeof tagged.number === 'string') {
      return tagged.number === '-0' ? -0 : Number(tagged.number);
    }
  }
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  throw new TypeError(`not a recorded argument: ${JSON.stringify(value)}`);
}

/** A request as one JSON line. */
export function encodeRequest(request: RecordedRequest): string {
  return JSON.stringify({
    mode: request.mode,
    stmts: request.stmts.map((s) => ({ sql: s.sql, args: s.args.map(encodeArg) })),
  });
}

/** The request {@link encodeRequest} wrote. */
export function decodeRequest(line: string): RecordedRequest {
  const raw = JSON.parse(line) as {
    mode: RecordedRequest['mode'];
    stmts: { sql: string; args: unknown[] }[];
  };
  return {
    mode: raw.mode,
    stmts: raw.stmts.map((s) => ({ sql: s.sql, args: s.args.map(decodeArg) })),
  };
}

/** The recorded requests, their results and the recorded replay's database, in the task's directory. */
export const REQUESTS_FILE = 'requests.jsonl';
export const RESULTS_FILE = 'results.jsonl';
export const RECORDED_DB = 'recorded.db';
