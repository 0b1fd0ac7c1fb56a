/**
 * The sync loop's batching: pages committed together up to `commitItems` items give the same
 * state, the same per-page outcomes and the same summary as one commit per page; a page that fails
 * to read or decode is reported after the pages read before it in its batch are committed.
 * fixtures/synthetic/multi-page has pages of 5, 4, 4 and 2 items (start indexes 0, 5, 9, 13).
 * The next batch is read and folded while the commit before it is in flight.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireCivilDate } from '../../../src/engine/index.ts';
import { readFixtureManifest } from '../../../src/fixture/node.ts';
import type { EngineContext } from '../../../src/engine/types.ts';
import { openStore } from '../../../src/store/index.ts';
import type { PageCommit, Store } from '../../../src/store/index.ts';
import { DEFAULT_COMMIT_ITEMS, syncHistory } from '../../../src/sync/index.ts';
import type { PageOutcome, SyncSummary } from '../../../src/sync/index.ts';
import { REPO } from '../../support/cli.ts';
import { overriding } from '../../../tools/overriding.ts';
import { fixtureSource } from '../../support/source.ts';

const MULTI_PAGE = join(REPO, 'fixtures', 'synthetic', 'multi-page');
const ACCOUNT_5K = join(REPO, 'fixtures', 'realistic', 'account-5k');
const CONTEXT: EngineContext = {
  timeZone: 'Europe/Berlin',
  referenceDate: requireCivilDate('2026-06-06', 'test reference date'),
};

/** multi-page from disk; `broken` pages answer with a truncated body. */
/** What `promise` rejects with (`undefined` when it fulfils). */
function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

function source(broken: readonly number[] = []): ReturnType<typeof fixtureSource> {
  return fixtureSource(MULTI_PAGE, { broken });
}

/** `store` with its commits recorded as [startIndex, endIndex) pairs and its entity reads. */
function recording(store: Store): { store: Store; commits: [number, number][]; reads: string[][] } {
  const commits: [number, number][] = [];
  const reads: string[][] = [];
  const proxy = overriding(store, {
    commitPage: (commit: PageCommit) => {
      commits.push([commit.startIndex, commit.endIndex]);
      return store.commitPage(commit);
    },
    loadEntities: (ids: Iterable<string>) => {
      const list = [...ids];
      reads.push(list);
      return store.loadEntities(list);
    },
  });
  return { store: proxy, commits, reads };
}

interface Run {
  readonly summary: SyncSummary;
  readonly outcomes: PageOutcome[];
  readonly progress: number[];
  readonly commits: [number, number][];
  readonly reads: string[][];
  readonly dump: string;
}

async function run(commitItems: number | undefined, maxPages?: number): Promise<Run> {
  const opened = await openStore(':memory:');
  try {
    const { store, commits, reads } = recording(opened);
    const outcomes: PageOutcome[] = [];
    const progress: number[] = [];
    const summary = await syncHistory({
      source: await source(),
      store,
      context: CONTEXT,
      ...(commitItems === undefined ? {} : { commitItems }),
      ...(maxPages === undefined ? {} : { maxPages }),
      onPage: (outcome) => outcomes.push(outcome),
      onProgress: (p) => progress.push(p.cursor),
    });
    return { summary, outcomes, progress, commits, reads, dump: await opened.dump() };
  } finally {
    opened.close();
  }
}

describe('syncHistory() commits pages together', () => {
  it('batches pages up to commitItems items and reports each page as one commit per page does', async () => {
    const single = await run(1);
    expect(single.commits).toEqual([
      [0, 5],
      [5, 9],
      [9, 13],
      [13, 15],
    ]);
    // 5 + 4 ≥ 6, then 4 + 2 ≥ 6; 9 ≥ 9 closes the first batch; the default takes all four.
    const cases: [number | undefined, [number, number][]][] = [
      [
        6,
        [
          [0, 9],
          [9, 15],
        ],
      ],
      [
        9,
        [
          [0, 9],
          [9, 15],
        ],
      ],
      [
        10,
        [
          [0, 13],
          [13, 15],
        ],
      ],
      [undefined, [[0, 15]]],
    ];
    expect(DEFAULT_COMMIT_ITEMS).toBeGreaterThan(15);
    for (const [commitItems, commits] of cases) {
      const batched = await run(commitItems);
      expect({ commitItems, commits: batched.commits }).toEqual({ commitItems, commits });
      expect(batched.summary).toEqual(single.summary);
      expect(batched.outcomes).toEqual(single.outcomes);
      expect(batched.progress).toEqual([5, 9, 13, 15]);
      expect(batched.dump).toBe(single.dump);
    }
    expect(single.outcomes.map((o) => o.changes.length)).toEqual([5, 4, 4, 2]);
  });

  it('reads each id once per batch: never one the batch read or wrote before', async () => {
    const single = await run(1);
    const batched = await run(undefined);
    // One commit per page reads every page's ids; ids of pages 3 and 4 that pages 1 and 2 already
    // read or wrote are not read again within one batch.
    expect(single.reads).toHaveLength(4);
    const perPage = single.reads.map((ids) => new Set(ids));
    const seen = new Set<string>();
    const expected: string[][] = [];
    for (const ids of perPage) {
      const fresh = [...ids].filter((id) => !seen.has(id));
      for (const id of ids) seen.add(id);
      if (fresh.length > 0) expected.push(fresh);
    }
    expect(batched.reads.map((ids) => [...ids].sort())).toEqual(expected.map((ids) => ids.sort()));
    expect(batched.reads.length).toBeLessThan(single.reads.length);
  });

  it('folds a batch onto entities stored by an earlier commit, as one commit per page does', async () => {
    // Page 1 alone, then pages 2-4 in one batch: entities of page 1 are read from the store and
    // changed again by later pages of the batch.
    const opened = await openStore(':memory:');
    try {
      const outcomes: PageOutcome[] = [];
      const from = await source();
      const options = {
        source: from,
        store: opened,
        context: CONTEXT,
        onPage: (outcome: PageOutcome) => outcomes.push(outcome),
      };
      await syncHistory({ ...options, maxPages: 1 });
      const rest = await syncHistory(options);
      expect(rest).toMatchObject({ startCursor: 5, pages: 3, cursor: 15, complete: true });
      const single = await run(1);
      expect(outcomes).toEqual(single.outcomes);
      expect(await opened.dump()).toBe(single.dump);
    } finally {
      opened.close();
    }
  });

  it("reads and folds the next batch while a commit is in flight, from that commit's result", async () => {
    // Pages answered from memory and commits held until the next timer turn: everything the loop
    // does for the next batch (read, entity read, fold) happens before the commit it follows is
    // stored, so ids that commit writes must come from its result, not from the store.
    const { manifest } = await readFixtureManifest(ACCOUNT_5K);
    const memory = await fixtureSource(ACCOUNT_5K, { preload: true });
    const events: string[] = [];
    const sync = async (
      wrap: (store: Store) => Store,
    ): Promise<{ summary: SyncSummary; outcomes: PageOutcome[]; dump: string }> => {
      const opened = await openStore(':memory:');
      try {
        const outcomes: PageOutcome[] = [];
        const summary = await syncHistory({
          source: memory,
          store: wrap(opened),
          context: CONTEXT,
          commitItems: 1,
          onPage: (outcome) => {
            outcomes.push(outcome);
            events.push(`page ${outcome.startIndex}`);
          },
        });
        return { summary, outcomes, dump: await opened.dump() };
      } finally {
        opened.close();
      }
    };
    const written: ReadonlySet<string>[] = [];
    let inFlight: ReadonlySet<string> = new Set();
    const lagging = await sync((opened) =>
      overriding(opened, {
        commitPage: async (commit: PageCommit) => {
          const range = `${commit.startIndex}-${commit.endIndex}`;
          events.push(`commit ${range}`);
          inFlight = new Set(commit.result.entities.keys());
          written.push(inFlight);
          await new Promise((resolve) => setTimeout(resolve, 0));
          await opened.commitPage(commit);
          inFlight = new Set();
          events.push(`stored ${range}`);
        },
        loadEntities: (ids: Iterable<string>) => {
          const list = [...ids];
          const asked = list.filter((id) => inFlight.has(id)).length;
          events.push(asked > 0 ? `read ${asked} in flight` : 'read');
          return opened.loadEntities(list);
        },
      }),
    );
    expect(manifest.pages.length).toBeGreaterThan(4);
    // Each page is reported after its commit is stored, before the next commit starts.
    const reports = events.filter((e) => e.startsWith('page') || e.startsWith('stored'));
    expect(reports).toEqual(
      manifest.pages.flatMap((p, i) => [
        `stored ${p.startIndex}-${manifest.pages[i + 1]?.startIndex ?? lagging.summary.head}`,
        `page ${p.startIndex}`,
      ]),
    );
    // Every commit starts only once the one before it is stored...
    const commits = events.filter((e) => e.startsWith('commit') || e.startsWith('stored'));
    expect(commits).toHaveLength(manifest.pages.length * 2);
    commits.forEach((e, i) => expect(e.startsWith(i % 2 === 0 ? 'commit' : 'stored')).toBe(true));
    // ...but the next page's entities were read while it was in flight, never those it writes,
    // although pages go on changing entities the page before them wrote.
    const overlapped = events.filter((e, i) => {
      const before = events.slice(0, i);
      return (
        e.startsWith('read') &&
        before.filter((x) => x.startsWith('commit')).length >
          before.filter((x) => x.startsWith('stored')).length
      );
    });
    expect(overlapped.length).toBeGreaterThan(manifest.pages.length / 2);
    expect(events.filter((e) => e.includes('in flight'))).toEqual([]);
    const carried = written.slice(1).filter((ids, i) => [...ids].some((id) => written[i]?.has(id)));
    expect(carried.length).toBeGreaterThan(0);
    events.length = 0;
    const sequential = await sync((opened) => opened);
    expect(lagging.summary).toEqual(sequential.summary);
    expect(lagging.outcomes).toEqual(sequential.outcomes);
    expect(lagging.dump).toBe(sequential.dump);
  });

  it('throws the error of a failed commit and commits nothing read after it', async () => {
    // The commit of page 5 fails at once (the loop meets it after its next page read) or a timer
    // turn later (pages come from memory, so the next one-page batch is read and folded first and
    // the loop meets it before the next commit).
    for (const late of [false, true]) {
      const from = await fixtureSource(MULTI_PAGE, { preload: true });
      const opened = await openStore(':memory:');
      try {
        const started: number[] = [];
        const failing = overriding(opened, {
          commitPage: async (commit: PageCommit) => {
            started.push(commit.startIndex);
            if (late) await new Promise((resolve) => setTimeout(resolve, 0));
            if (commit.startIndex === 5) throw new Error(`write lost (late: ${late})`);
            await opened.commitPage(commit);
          },
        });
        const reported: number[] = [];
        const error = await failureOf(
          syncHistory({
            source: from,
            store: failing,
            context: CONTEXT,
            commitItems: 1,
            onPage: (outcome) => reported.push(outcome.startIndex),
          }),
        );
        expect(error).toMatchObject({ message: `write lost (late: ${late})` });
        expect({ late, started, reported }).toEqual({ late, started: [0, 5], reported: [0] });
        // Page 9 may have been read while the failing commit was in flight, never page 13.
        expect(from.asked).not.toContain(13);
        expect((await opened.syncState()).cursor).toBe(5);
      } finally {
        opened.close();
      }
    }
  });

  it('stops after the commit in flight when a callback throws; the page read ahead is not stored', async () => {
    const store = await openStore(':memory:');
    try {
      const from = await source();
      const reported: number[] = [];
      const error = await failureOf(
        syncHistory({
          source: from,
          store,
          context: CONTEXT,
          commitItems: 1,
          onPage: (outcome) => {
            reported.push(outcome.startIndex);
            throw new Error('consumer failed');
          },
        }),
      );
      expect(error).toMatchObject({ message: 'consumer failed' });
      expect(reported).toEqual([0]);
      expect(from.asked).toEqual([0, 5]);
      expect((await store.syncState()).cursor).toBe(5);
    } finally {
      store.close();
    }
  });

  it('reports every stored page of a batch when a callback throws, then throws its error', async () => {
    const store = await openStore(':memory:');
    try {
      const reported: number[] = [];
      const error = await failureOf(
        syncHistory({
          source: await source(),
          store,
          context: CONTEXT,
          onPage: (outcome) => {
            reported.push(outcome.startIndex);
            if (outcome.startIndex === 0) throw new Error('consumer failed');
          },
        }),
      );
      expect(error).toMatchObject({ message: 'consumer failed' });
      expect(reported).toEqual([0, 5, 9, 13]);
      expect((await store.syncState()).cursor).toBe(15);
    } finally {
      store.close();
    }
  });

  it('stops a batch at maxPages', async () => {
    const limited = await run(undefined, 3);
    expect(limited.commits).toEqual([[0, 13]]);
    expect(limited.summary).toMatchObject({ pages: 3, cursor: 13, complete: false });
  });

  it('commits the pages read before a broken page of the batch, then names the broken page', async () => {
    const store = await openStore(':memory:');
    try {
      const pages: number[] = [];
      const from = await source([9]);
      const error = await failureOf(
        syncHistory({
          source: from,
          store,
          context: CONTEXT,
          onPage: (outcome) => pages.push(outcome.startIndex),
        }),
      );
      expect(error).toMatchObject({
        message: expect.stringContaining('000000009.json') as unknown,
      });
      expect(pages).toEqual([0, 5]);
      expect((await store.syncState()).cursor).toBe(9);
      expect(from.asked).toEqual([0, 5, 9]);
      // Fixed, it resumes from the broken page and ends as a clean run does.
      await syncHistory({ source: await source(), store, context: CONTEXT });
      expect(await store.dump()).toBe((await run(1)).dump);
    } finally {
      store.close();
    }
  });

  it('stores nothing and reports the error when the first page of a batch is broken', async () => {
    const store = await openStore(':memory:');
    try {
      const error = await failureOf(
        syncHistory({ source: await source([0]), store, context: CONTEXT }),
      );
      expect(error).toMatchObject({
        message: expect.stringContaining('000000000.json') as unknown,
      });
      expect(await store.syncState()).toMatchObject({ cursor: 0, head: null });
    } finally {
      store.close();
    }
  });

  it('refuses a commitItems that is not a positive integer', async () => {
    const store = await openStore(':memory:');
    try {
      for (const commitItems of [0, -1, 1.5, Number.NaN]) {
        await expect(
          syncHistory({ source: await source(), store, context: CONTEXT, commitItems }),
        ).rejects.toThrow(`commitItems must be a positive integer, got ${commitItems}`);
      }
    } finally {
      store.close();
    }
  });
});
