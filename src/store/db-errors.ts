/**
 * What both database adapters say about a driver error: its message with credentials scrubbed, a
 * statement shortened for messages, and the code a trigger's `RAISE(ABORT, 'THINGSTAPE_<CODE>')`
 * names.
 */
import { scrubCredentials } from '../errors.ts';
import type { Statement } from './db-types.ts';

/** A statement shortened for messages. */
export function describeSql(stmt: Statement | string): string {
  const sql = (typeof stmt === 'string' ? stmt : stmt.sql).replace(/\s+/g, ' ').trim();
  return JSON.stringify(sql.length > 60 ? `${sql.slice(0, 57)}...` : sql);
}

/** The code a trigger names in its abort message (`THINGSTAPE_<CODE>`). */
export const MARKER = /THINGSTAPE_([A-Z][A-Z_]*[A-Z])/;

/** A driver error's message and its cause's, credentials scrubbed ({@link scrubCredentials}). */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return scrubCredentials(String(error));
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return scrubCredentials(`${error.message}${cause}`);
}
