/**
 * The replay task: a benchmark fixture replayed through the real sync loop into a fresh database,
 * the base pages in one sync (throughput, peak RSS and RSS samples, HTTP requests per commit),
 * then each incremental page in a sync of its own (its cost). Page reads from disk are timed and
 * subtracted (on a remote URL, except reads made while a commit was in flight on the server).
 */
import { readFixtureManifest } from '../../src/fixture/node.ts';
import { createStore, openDb } from '../../src/store/index.ts';
import type { PageCommit } from '../../src/store/index.ts';
import { DEFAULT_COMMIT_ITEMS, syncHistory } from '../../src/sync/index.ts';
import { overriding } from '../../tools/overriding.ts';
import type { BenchFixture } from '../fixture.ts';
import { recordingDb } from './recording-db.ts';
import { explainReads, type QueryPlan } from './query-plans.ts';
import { maxRssMb, mb } from './rss.ts';
import { contextOf, timedFixtureSource } from './timed-source.ts';
import { applyVariant, migrationsOf, type ReplayVariant } from './variants.ts';

/** A replay of a benchmark fixture through the real sync loop into `url`. */
export interface ReplayTask {
  readonly task: 'replay';
  readonly fixture: BenchFixture;
  readonly url: string;
  /** What-if variants that measure where write cost goes (never used for the headline figures). */
  readonly variant?: ReplayVariant;
  /** After the replay, EXPLAIN QUERY PLAN the store's read queries on the replayed database. */
  readonly explain?: boolean;
  /** `commitItems` of the base replay (default: the sync loop's). Incremental pages commit alone. */
  readonly commitItems?: number;
}

/** What a replay measured. */
export interface ReplayResult {
  readonly task: 'replay';
  readonly items: number;
  readonly pages: number;
  readonly changes: number;
  /** Wall time of the base pages, page reads from disk excluded (see {@link sourceMs}). */
  readonly ms: number;
  /**
   * Time spent reading base pages from disk, excluded from `ms`. On a remote URL, reads made while
   * a commit was in flight on the server are not excluded (the server worked meanwhile): they are
   * {@link sourceOverlappedMs}, part of `ms`.
   */
  readonly sourceMs: number;
  readonly sourceOverlappedMs: number;
  readonly itemsPerSecond: number;
  /**
   * Cost of each incremental page (ms, page read excluded) and its items: each page is one sync
   * of its own (reading the sync state, the page's entities, folding, one commit).
   */
  readonly incremental: readonly { readonly items: number; readonly ms: number }[];
  /**
   * Each commit's database requests (remote URLs only; null for `file:`), base replay then the
   * incremental syncs: the entity reads of its pages and its write, and its pages. Every request
   * of the store is one HTTP request; the child checks that against the `fetch` count.
   */
  readonly requestsPerCommit:
    | readonly {
        readonly pages: number;
        readonly reads: number;
        readonly writes: number;
        readonly requests: number;
      }[]
    | null;
  /** HTTP requests of the syncs before their first page (the sync state); null for `file:`. */
  readonly setupRequests: number | null;
  /** HTTP requests of the base replay's commits ÷ its pages; null for `file:`. */
  readonly requestsPerBasePage: number | null;
  /** `commitItems` of the base replay. */
  readonly commitItems: number;
  /** Peak resident set size of this process, MB. */
  readonly maxRssMb: number;
  /**
   * RSS sampled after about 10 %, 20 %, … 100 % of the base pages, MB: pages are reported after
   * their commit, so the samples fall on commit boundaries.
   */
  readonly rssSamplesMb: readonly number[];
  readonly variant: ReplayVariant;
  readonly plans: readonly QueryPlan[] | null;
}

/**
 * Replays the base pages in one sync (timed as a whole), then each incremental page in a sync of
 * its own (timed one by one).
 */
export async function replay(task: ReplayTask): Promise<ReplayResult> {
  const { fixture } = task;
  const { manifest } = await readFixtureManifest(fixture.dir);
  let fetches = 0;
  const countingFetch: typeof fetch = (input, init) => {
    fetches++;
    return fetch(input, init);
  };
  const remote = !task.url.startsWith('file:');
  const db = recordingDb(await openDb(task.url, remote ? { fetch: countingFetch } : {}));
  const variant = task.variant ?? 'default';
  const inner = await createStore(db, migrationsOf(variant));
  await applyVariant(db, variant);
  const source = timedFixtureSource(fixture.dir, manifest);
  // The store's requests by what they are for: a sync's setup (before its first page is asked
  // for), the entity reads of the batch being read, the write of the commit in flight. The loop
  // starts a commit only once the one before it is stored, so at most one is in flight, and the
  // reads made meanwhile are the next batch's.
  let inSetup = true;
  let setupRequests = 0;
  let inFlight: Commit | undefined;
  interface Commit {
    readonly startIndex: number;
    readonly endIndex: number;
    reads: number;
    writes: number;
  }
  const commits: Commit[] = [];
  let reads = 0; // of the batch being read, not yet committed
  let unattributed = 0;
  db.onRequest = (mode) => {
    if (inSetup) setupRequests += 1;
    else if (mode === 'write') {
      if (inFlight === undefined) unattributed += 1;
      else inFlight.writes += 1;
    } else reads += 1;
  };
  source.onPage = () => {
    inSetup = false;
  };
  source.overlapping = () => remote && inFlight !== undefined;
  const commitPage = async (commit: PageCommit): Promise<void> => {
    const entry = { startIndex: commit.startIndex, endIndex: commit.endIndex, reads, writes: 0 };
    reads = 0;
    commits.push(entry);
    inFlight = entry;
    try {
      await inner.commitPage(commit);
    } finally {
      inFlight = undefined;
    }
  };
  const store = overriding(inner, { commitPage });
  const rssSamples: number[] = [];
  const sampleEvery = Math.max(1, Math.round(fixture.basePages / 10));
  let reported = 0;
  let changes = 0;
  const commitItems = task.commitItems ?? DEFAULT_COMMIT_ITEMS;
  const run = (maxPages: number, items: number): Promise<unknown> => {
    inSetup = true;
    return syncHistory({
      source,
      store,
      context: contextOf(fixture),
      meta: { timeZone: fixture.timeZone },
      maxPages,
      commitItems: items,
      onPage: (outcome) => {
        if (reported < fixture.basePages) changes += outcome.changes.length;
      },
      onProgress: () => {
        reported += 1;
        if (reported <= fixture.basePages && reported % sampleEvery === 0) {
          rssSamples.push(mb(process.memoryUsage.rss() / 1024));
        }
      },
    });
  };
  /** Read time of the calls from `from` on that no server work overlapped, and of those it did. */
  const readTime = (
    from: number,
    to = source.reads.length,
  ): { alone: number; overlapped: number } => {
    let alone = 0;
    let overlapped = 0;
    for (let i = from; i < to; i++) {
      if (source.overlapped[i] === true) overlapped += source.reads[i] ?? 0;
      else alone += source.reads[i] ?? 0;
    }
    return { alone, overlapped };
  };
  try {
    fetches = 0; // opening, migrating and the variant's setup are not the replay's
    const started = performance.now();
    await run(fixture.basePages, commitItems);
    const baseEnd = performance.now();
    const baseCommits = commits.length;
    if (reported !== fixture.basePages) {
      throw new Error(`replay stopped after ${reported} of ${fixture.basePages} base pages`);
    }
    const base = readTime(0);
    const ms = baseEnd - started - base.alone;
    // Each incremental page as an agent that syncs often meets it: one sync, one page.
    const incremental: { items: number; ms: number }[] = [];
    for (const page of fixture.pages.slice(fixture.basePages)) {
      const readsBefore = source.reads.length;
      const pageStarted = performance.now();
      await run(1, 1);
      const pageMs = performance.now() - pageStarted;
      incremental.push({ items: page.items, ms: pageMs - readTime(readsBefore).alone });
    }
    if (reported !== fixture.pages.length) {
      throw new Error(`replay stopped after ${reported} of ${fixture.pages.length} pages`);
    }
    const perCommit = commits.map((c) => ({
      pages: fixture.pages.filter((p) => p.startIndex >= c.startIndex && p.startIndex < c.endIndex)
        .length,
      reads: c.reads,
      writes: c.writes,
      requests: c.reads + c.writes,
    }));
    const counted = setupRequests + unattributed + perCommit.reduce((a, c) => a + c.requests, 0);
    if (remote && (counted !== fetches || unattributed !== 0 || reads !== 0)) {
      throw new Error(
        `request count: the store made ${counted} requests (${unattributed} writes outside a commit, ${reads} reads after the last), fetch saw ${fetches}`,
      );
    }
    const baseRequests = perCommit.slice(0, baseCommits).reduce((a, c) => a + c.requests, 0);
    return {
      task: 'replay',
      items: fixture.baseItems,
      pages: fixture.basePages,
      changes,
      ms,
      sourceMs: base.alone,
      sourceOverlappedMs: base.overlapped,
      itemsPerSecond: fixture.baseItems / (ms / 1000),
      incremental,
      setupRequests: remote ? setupRequests : null,
      requestsPerCommit: remote ? perCommit : null,
      requestsPerBasePage: remote ? baseRequests / fixture.basePages : null,
      commitItems,
      maxRssMb: maxRssMb(),
      rssSamplesMb: rssSamples,
      variant,
      plans: task.explain === true ? await explainReads(db, inner, fixture) : null,
    };
  } finally {
    inner.close();
  }
}
