/**
 * Test helpers for the store: backends to run each store test against (`:memory:` and a temp
 * `file:` database), and {@link wrapDb}, a {@link Db} that injects faults on demand.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BatchMode, Db, QueryResult, Statement } from '../../src/store/db.ts';
import { openDb } from '../../src/store/db.ts';
import { StoreError } from '../../src/store/errors.ts';

/** A database location a test can open (and clean up). */
export interface TestBackend {
  readonly name: string;
  /** A fresh database URL; each call gives a new, empty database. */
  url(): Promise<string>;
  /** Removes what {@link TestBackend.url} created. */
  cleanup(): Promise<void>;
}

/** A temp directory, removed by the returned function. */
export async function tempDir(prefix = 'thingstape-store-'): Promise<{
  readonly path: string;
  remove(): Promise<void>;
}> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** `:memory:`: every open is its own database. */
export function memoryBackend(): TestBackend {
  return { name: ':memory:', url: () => Promise.resolve(':memory:'), cleanup: async () => {} };
}

/** Temp `file:` databases (`file:///tmp/…/db-N.sqlite`), all removed by `cleanup`. */
export function fileBackend(): TestBackend {
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  let n = 0;
  return {
    name: 'file:',
    async url() {
      dir ??= await tempDir();
      n += 1;
      return pathToFileURL(join(dir.path, `db-${n}.sqlite`)).href;
    },
    async cleanup() {
      await dir?.remove();
      dir = undefined;
    },
  };
}

/** The local backends every store test runs against. */
export function localBackends(): TestBackend[] {
  return [memoryBackend(), fileBackend()];
}

/** Statement that fails at run time inside a batch (malformed JSON), as a driver error would. */
export const FAILING_STATEMENT = "SELECT json('injected fault: not json')";

/** A {@link Db} that records batches and injects faults into the next write batch. */
export interface FaultyDb extends Db {
  /** Every batch that was attempted: its mode and statement count. */
  readonly batches: { readonly mode: BatchMode; readonly statements: number }[];
  /** Every execute that was attempted (its SQL). */
  readonly executes: string[];
  /** The next write batch runs for real, but statement `index` is replaced by a failing one. */
  failNextWriteAt(index: number): void;
  /** The next write batch commits for real, then the caller sees a dropped connection. */
  dropNextWriteAfterCommit(): void;
  /** The next write batch never reaches the database; the caller sees a dropped connection. */
  dropNextWriteBeforeSend(): void;
}

/** Wraps `db` so tests can count round trips and inject faults (see {@link FaultyDb}). */
export function wrapDb(db: Db): FaultyDb {
  let fault:
    | { readonly kind: 'failAt'; readonly index: number }
    | { readonly kind: 'dropAfter' }
    | { readonly kind: 'dropBefore' }
    | undefined;
  const batches: { mode: BatchMode; statements: number }[] = [];
  const executes: string[] = [];
  const dropped = () =>
    new StoreError(
      'CONNECT_FAILED',
      `Cannot run a write batch on ${db.url}: connection dropped (injected)`,
    );
  return {
    url: db.url,
    ...(db.rowEncoding === undefined ? {} : { rowEncoding: db.rowEncoding }),
    batches,
    executes,
    execute(stmt: Statement | string): Promise<QueryResult> {
      executes.push(typeof stmt === 'string' ? stmt : stmt.sql);
      return db.execute(stmt);
    },
    async batch(stmts: readonly (Statement | string)[], mode: BatchMode): Promise<QueryResult[]> {
      batches.push({ mode, statements: stmts.length });
      const current = mode === 'write' ? fault : undefined;
      if (current !== undefined) fault = undefined;
      if (current === undefined) return db.batch(stmts, mode);
      if (current.kind === 'failAt') {
        if (current.index >= stmts.length) {
          throw new RangeError(`No statement ${current.index} in a batch of ${stmts.length}`);
        }
        const replaced = stmts.map((s, i) => (i === current.index ? FAILING_STATEMENT : s));
        return db.batch(replaced, mode);
      }
      if (current.kind === 'dropAfter') await db.batch(stmts, mode);
      throw dropped();
    },
    close: () => db.close(),
    failNextWriteAt(index) {
      fault = { kind: 'failAt', index };
    },
    dropNextWriteAfterCommit() {
      fault = { kind: 'dropAfter' };
    },
    dropNextWriteBeforeSend() {
      fault = { kind: 'dropBefore' };
    },
  };
}

/** Opens `url` as a {@link FaultyDb}. */
export async function openFaultyDb(url: string): Promise<FaultyDb> {
  return wrapDb(await openDb(url));
}
