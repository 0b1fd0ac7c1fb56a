/**
 * The tasks' side of a database: a Db that reports every request the store makes and can record
 * the SQL it runs, and a column value read as text.
 */
import type { BatchMode, Statement } from '../../src/store/db.ts';
import type { Db } from '../../src/store/index.ts';

/** A Db that can record the SQL the store runs (to EXPLAIN exactly those statements). */
export interface RecordingDb extends Db {
  recorded: Statement[] | null;
  /** Called for every request the store makes (one statement or one batch). */
  onRequest: (mode: BatchMode | 'execute') => void;
}

/** `inner` as a {@link RecordingDb} that records nothing until `recorded` is set to a list. */
export function recordingDb(inner: Db): RecordingDb {
  const db: RecordingDb = {
    url: inner.url,
    ...(inner.rowEncoding === undefined ? {} : { rowEncoding: inner.rowEncoding }),
    recorded: null,
    onRequest: () => undefined,
    execute(stmt) {
      db.onRequest('execute');
      db.recorded?.push(typeof stmt === 'string' ? { sql: stmt } : stmt);
      return inner.execute(stmt);
    },
    batch(stmts, mode) {
      db.onRequest(mode);
      for (const stmt of stmts) db.recorded?.push(typeof stmt === 'string' ? { sql: stmt } : stmt);
      return inner.batch(stmts, mode);
    },
    close() {
      inner.close();
    },
  };
  return db;
}

/** A column value as text (the reads here only select TEXT columns). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
