/**
 * Delivery properties through the real sync loop: any page split synced in any number of runs,
 * re-delivery of a committed page after a lost response, and crashes at any statement of any
 * commit's write batch, with one page or several per commit. Each compares the byte-exact `dump`
 * and the emitted changes with an uninterrupted single-page run.
 */
import * as fc from 'fast-check';
import { describe, it } from 'vitest';

import type { Change } from '../../src/engine/types.ts';
import { foldPage, referencedIds } from '../../src/engine/index.ts';
import { isStoreError } from '../../src/store/index.ts';
import type { Store } from '../../src/store/index.ts';
import { splitHistory, splitPages } from '../arbitraries/index.ts';
import type { WireHistory } from '../arbitraries/index.ts';
import { canonical } from './model.ts';
import {
  BACKENDS,
  CONTEXT,
  commitSizes,
  GeneratedSource,
  assert,
  check,
  decodeGroups,
  sync,
  hangGuard,
  withStores,
} from './support.ts';
import type { TestStore } from './support.ts';

const RUNS = 600;

/** Dump and emitted changes of an uninterrupted sync of the whole history as one page. */
async function reference(
  s: TestStore,
  history: WireHistory,
): Promise<{ dump: string; emitted: Change[] }> {
  const emitted: Change[] = [];
  await sync(s.store, new GeneratedSource(history.groups, []), emitted);
  return { dump: await s.store.dump(), emitted };
}

async function expectError(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    const actual = isStoreError(error) ? error.code : String(error);
    assert(actual === code, `expected ${code}, got ${actual}`);
    return;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

async function snapshot(store: Store): Promise<{ dump: string; changes: string }> {
  return { dump: await store.dump(), changes: canonical(await store.changes()) };
}

describe.each(BACKENDS)('sync loop on $backend.name', ({ backend, share }) => {
  const runs = Math.round(RUNS * share);

  it(
    'gives a byte-identical dump for any page split synced in any number of runs',
    { timeout: hangGuard(runs) },
    async () => {
      await check(
        `page splits (${backend.name})`,
        runs,
        [splitHistory(), fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 6 }), commitSizes()],
        async ({ history, cuts }, runSizes, commitItems) => {
          await withStores(backend, 2, async ([clean, split]) => {
            if (clean === undefined || split === undefined) throw new Error('no store');
            const expected = await reference(clean, history);
            const source = new GeneratedSource(history.groups, cuts);
            const emitted: Change[] = [];
            let run = 0;
            for (;;) {
              const summary = await sync(
                split.store,
                source,
                emitted,
                runSizes[run] ?? undefined,
                commitItems,
              );
              run += 1;
              if (summary.complete) break;
            }
            assert(
              (await split.store.dump()) === expected.dump,
              'dump differs from the one-page run',
            );
            assert(
              canonical(emitted) === canonical(expected.emitted),
              'emitted changes differ from the one-page run',
            );
          });
        },
      );
    },
  );

  it(
    'changes nothing and emits nothing when a committed page is delivered again',
    { timeout: hangGuard(runs) },
    async () => {
      await check(
        `idempotent delivery (${backend.name})`,
        runs,
        [splitHistory({ minOps: 1, maxCuts: 4 }), fc.nat(), commitSizes()],
        async ({ history, cuts }, pick, commitItems) => {
          await withStores(backend, 2, async ([clean, s]) => {
            if (clean === undefined || s === undefined) throw new Error('no store');
            const expected = await reference(clean, history);
            const pages = splitPages(history.groups, cuts);
            const lost = pages[pick % Math.max(pages.length, 1)];
            if (lost === undefined) return;
            const k = pages.indexOf(lost);
            const source = new GeneratedSource(history.groups, cuts);
            const emitted: Change[] = [];
            if (k > 0) await sync(s.store, source, emitted, k, commitItems);
            // The commit (of this page, and of the pages after it that share it) goes through,
            // but the caller sees a dropped connection.
            s.arm({ page: 0, kind: 'dropAfterCommit' });
            await expectError(
              sync(s.store, source, emitted, undefined, commitItems),
              'CONNECT_FAILED',
            );
            const afterCommit = await snapshot(s.store);
            const lostEnd = (await s.store.syncState()).cursor;
            assert(
              lostEnd > lost.startIndex &&
                pages.some((p) => p.startIndex + p.groups.length === lostEnd),
              `the lost commit ended at ${lostEnd}, not at a page end after ${lost.startIndex}`,
            );
            // A naive retry folds and commits the same page again: refused, nothing written.
            const groups = decodeGroups(lost.groups, lost.startIndex);
            const previous = await s.store.loadEntities(referencedIds(groups));
            const result = foldPage(previous, groups, CONTEXT);
            await expectError(
              s.store.commitPage({
                startIndex: lost.startIndex,
                endIndex: lost.startIndex + groups.length,
                head: history.groups.length,
                schema: 301,
                result,
              }),
              'CURSOR_MISMATCH',
            );
            const afterRetry = await snapshot(s.store);
            assert(afterRetry.dump === afterCommit.dump, 'a re-delivered page changed the store');
            assert(
              afterRetry.changes === afterCommit.changes,
              'a re-delivered page changed the change log',
            );
            // The loop resumes after the committed page, never asking for it again.
            const before = source.requests.length;
            const resumed: Change[] = [];
            await sync(s.store, source, resumed, undefined, commitItems);
            assert(
              !source.requests.slice(before).includes(lost.startIndex),
              `the resumed sync asked for page ${lost.startIndex} again`,
            );
            assert(
              (await s.store.dump()) === expected.dump,
              'dump differs from the uninterrupted run',
            );
            const lostChanges = expected.emitted.filter(
              (c) => c.serverIndex >= lost.startIndex && c.serverIndex < lostEnd,
            );
            const delivered = [...emitted, ...lostChanges, ...resumed].sort(changeOrder);
            assert(
              canonical(delivered) === canonical(expected.emitted),
              'changes were emitted twice or lost',
            );
          });
        },
      );
    },
  );

  it(
    'stops at a page boundary and resumes to the same dump after a crash at any statement of any write',
    { timeout: hangGuard(runs) },
    async () => {
      await check(
        `crash and resume (${backend.name})`,
        runs,
        [
          splitHistory({ minOps: 1, maxCuts: 4 }),
          fc.nat(),
          fc.nat({ max: 1 }),
          fc.nat(),
          commitSizes(),
        ],
        async ({ history, cuts }, pick, batch, statement, commitItems) => {
          await withStores(backend, 3, async ([clean, s, partial]) => {
            if (clean === undefined || s === undefined || partial === undefined)
              throw new Error('no store');
            const expected = await reference(clean, history);
            const pages = splitPages(history.groups, cuts);
            if (pages.length === 0) return;
            const k = pick % pages.length;
            const source = new GeneratedSource(history.groups, cuts);
            const emitted: Change[] = [];
            if (k > 0) await sync(s.store, source, emitted, k, commitItems);
            // Fail the first or the second write batch from here (a commit should be one batch).
            s.arm({ page: batch, kind: 'failAt', statement });
            const failed = await sync(s.store, source, emitted, undefined, commitItems).then(
              () => false,
              (error: unknown) => {
                assert(
                  isStoreError(error) && error.code === 'WRITE_FAILED',
                  `expected WRITE_FAILED, got ${String(error)}`,
                );
                return true;
              },
            );
            if (failed) {
              // The store is exactly where a clean sync of the pages before its cursor leaves it.
              const { cursor } = await s.store.syncState();
              const boundary = pages.findIndex((page) => page.startIndex === cursor);
              assert(boundary >= 0, `the crash left the cursor at ${cursor}, not at a page start`);
              if (boundary > 0)
                await sync(partial.store, new GeneratedSource(history.groups, cuts), [], boundary);
              const [mine, theirs] = [await snapshot(s.store), await snapshot(partial.store)];
              assert(
                mine.dump === theirs.dump,
                `the failed write left a trace in the store (cursor ${cursor})`,
              );
              assert(
                mine.changes === theirs.changes,
                `the failed write left changes (cursor ${cursor})`,
              );
              await sync(s.store, source, emitted, undefined, commitItems);
            }
            assert(
              (await s.store.dump()) === expected.dump,
              'dump differs from the uninterrupted run',
            );
            assert(canonical(emitted) === canonical(expected.emitted), 'emitted changes differ');
          });
        },
      );
    },
  );
});

function changeOrder(a: Change, b: Change): number {
  return a.serverIndex - b.serverIndex || a.position - b.position || a.ordinal - b.ordinal;
}
