import { findUnsupported, referencedIds, startFold } from '../engine/index.ts';
import type { Anomaly, Change, EngineContext, Entity, FoldResult } from '../engine/types.ts';
import { decodePageBytes, formatLocation } from '../protocol/index.ts';
import type { DecodeWarning, Group } from '../protocol/types.ts';
import { assertNever } from '../protocol/assert.ts';
import { PageWalker, type PagingProblem } from '../protocol/walk.ts';
import type { Store } from '../store/index.ts';
import { SyncError } from './errors.ts';
import type { HistorySource, SourcePage } from './source.ts';

/** Progress after each committed page. */
export interface SyncProgress {
  /** Cursor after the page (next start index). */
  readonly cursor: number;
  /** Head as last reported by the source. */
  readonly head: number;
  readonly pages: number;
  readonly items: number;
}

/** What one committed page produced (streamed so a long history never sits in memory). */
export interface PageOutcome {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly changes: readonly Change[];
  readonly anomalies: readonly Anomaly[];
  /** Envelope observations of this page (not stored: they depend on how pages were split). */
  readonly pageWarnings: readonly DecodeWarning[];
}

/** Settings of one {@link syncHistory} run. */
export interface SyncOptions {
  readonly source: HistorySource;
  readonly store: Store;
  readonly context: EngineContext;
  /** Stop after this many pages (the rest is left for a later run). */
  readonly maxPages?: number;
  /** Highest `schema` number accepted (default: the decoder's). */
  readonly maxSchema?: number;
  /** Stored with the first page this run commits. */
  readonly meta?: { historyKeyHash?: string; timeZone?: string; source?: unknown };
  /**
   * Pages are committed together until they hold at least this many items (default
   * {@link DEFAULT_COMMIT_ITEMS}); 1 commits every page on its own. Larger batches write each
   * touched entity once per batch and pay one transaction for several pages; a crash loses at most
   * the batch in flight, and the next run fetches it again.
   */
  readonly commitItems?: number;
  readonly onPage?: (outcome: PageOutcome) => void;
  readonly onProgress?: (progress: SyncProgress) => void;
}

/** Summary of a run. */
export interface SyncSummary {
  readonly startCursor: number;
  readonly cursor: number;
  readonly head: number;
  readonly pages: number;
  readonly groups: number;
  readonly items: number;
  readonly changes: number;
  readonly anomalies: number;
  /** True when the cursor reached the head (false when `maxPages` stopped the run). */
  readonly complete: boolean;
}

/** Default of {@link SyncOptions.commitItems}. */
export const DEFAULT_COMMIT_ITEMS = 4000;

/** A page read and decoded, as the walker checks it. */
interface ReadPage {
  readonly location: SourcePage['location'];
  readonly currentItemIndex: number;
  readonly schema: number | null;
  readonly groups: number;
  readonly decoded: readonly Group[];
  readonly warnings: readonly DecodeWarning[];
}

/** A page folded into the batch, waiting for its commit (its groups are not kept). */
interface BatchPage {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly schema: number | null;
  readonly groups: number;
  readonly items: number;
  readonly warnings: readonly DecodeWarning[];
}

/**
 * The sync loop: page source → decode → engine → store.
 *
 * Pages are read ahead and committed together, up to {@link SyncOptions.commitItems} items: at
 * most one entity read per page (for the ids the batch has not read or written yet), one fold over
 * their groups in order and one write batch that also moves the cursor to the end of the last of
 * them. Folding is the same over any split of the groups into pages (the property tests prove it),
 * so the stored state does not depend on how many pages share a commit; a crash or an error leaves
 * it at the end of the last committed batch of pages.
 *
 * The loop never commits a page it could not read, decode or check (or that holds a kind the
 * engine must not skip): the pages read before it in its batch are committed, then it stops with
 * an error naming the page and item, and a later run resumes from the stored cursor. A failure of
 * the store itself (reading entities, or the commit) loses the batch in flight instead: nothing of
 * it is stored, and the next run fetches its pages again.
 *
 * While a batch's commit is in flight, the next batch is read and folded (decision 0012): on a
 * remote database the server writes one batch while this process reads, decodes and folds the
 * next. Ids the batch before wrote are folded from its result, not read from the store (which may
 * not hold them yet); the next commit starts only once the one before it is stored (its cursor
 * guard expects that), and when a commit fails, nothing read after it is committed.
 *
 * `onPage` and `onProgress` report each page, in order, after the commit that stored it. If one of
 * them throws, the other pages of that batch are still reported (they are stored), then the first
 * error thrown by a callback ends the run (a batch read ahead meanwhile is not committed).
 */
export async function syncHistory(options: SyncOptions): Promise<SyncSummary> {
  const { source, store, context } = options;
  const commitItems = options.commitItems ?? DEFAULT_COMMIT_ITEMS;
  if (!Number.isSafeInteger(commitItems) || commitItems < 1) {
    throw new RangeError(`commitItems must be a positive integer, got ${commitItems}`);
  }
  const startCursor = (await store.syncState()).cursor;
  const walker = new PageWalker<ReadPage>({
    start: startCursor,
    head: async () => (await source.head()).head,
    page: (start) => readPage(source, start, options.maxSchema),
    fail: (code, problem, page) =>
      new SyncError(code, syncFailure(source, problem, page), problem.cursor),
  });
  await walker.begin();
  const report = new Report(options, startCursor, () => walker.head);
  const commits = new CommitQueue(store, report);
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  let meta = options.meta;
  let readPages = 0;
  while (readPages < maxPages) {
    // Read and fold the next batch while the batch before it is being committed.
    let next: FoldedBatch;
    try {
      next = await readBatch({
        walker,
        store,
        context,
        maxPages: maxPages - readPages,
        commitItems,
        previous: commits.written,
        poll: () => commits.reportIfStored(),
      });
    } catch (error) {
      // Asking for the head, or reading or folding, failed before this batch held a page (or the
      // commit in flight failed, or a callback reporting it threw): the batch in flight is still
      // stored and reported first, and its error, if any, is the one thrown.
      await commits.settle();
      throw error;
    }
    if (next.batch.length === 0) break;
    // Commit it once the batch before is stored (its cursor guard expects that).
    await commits.settle();
    commits.start(next, walker.head, meta);
    meta = undefined;
    readPages += next.batch.length;
    if (next.failure !== undefined) {
      await commits.settle();
      throw next.failure;
    }
  }
  await commits.settle();
  return report.summary();
}

/** The run's tallies, and the callbacks reporting each stored page. */
class Report {
  readonly #options: SyncOptions;
  readonly #startCursor: number;
  /** The head the source reported last. */
  readonly #sourceHead: () => number;
  #cursor: number;
  #head: number;
  #pages = 0;
  #groups = 0;
  #items = 0;
  #changes = 0;
  #anomalies = 0;

  constructor(options: SyncOptions, startCursor: number, sourceHead: () => number) {
    this.#options = options;
    this.#startCursor = startCursor;
    this.#sourceHead = sourceHead;
    this.#cursor = startCursor;
    this.#head = sourceHead();
  }

  /**
   * Reports each page of a stored batch, in order. Every page of it is stored, so each one is
   * reported even if a callback throws on an earlier; then the first callback error is thrown.
   */
  stored(batch: readonly BatchPage[], result: FoldResult): void {
    this.#changes += result.changes.length;
    this.#anomalies += result.anomalies.length;
    this.#head = Math.max(this.#head, this.#sourceHead());
    const pageChanges = byPage(batch, result.changes);
    const pageAnomalies = byPage(batch, result.anomalies);
    let callbackError: { readonly error: unknown } | undefined;
    const call = (callback: () => void): void => {
      try {
        callback();
      } catch (error) {
        callbackError ??= { error };
      }
    };
    for (const [i, read] of batch.entries()) {
      this.#pages += 1;
      this.#groups += read.groups;
      this.#items += read.items;
      call(() =>
        this.#options.onPage?.({
          startIndex: read.startIndex,
          endIndex: read.endIndex,
          changes: pageChanges[i] ?? [],
          anomalies: pageAnomalies[i] ?? [],
          pageWarnings: read.warnings,
        }),
      );
      this.#cursor = read.endIndex;
      this.#head = Math.max(this.#head, this.#cursor);
      const progress = {
        cursor: this.#cursor,
        head: this.#head,
        pages: this.#pages,
        items: this.#items,
      };
      call(() => this.#options.onProgress?.(progress));
    }
    if (callbackError !== undefined) throw callbackError.error;
  }

  /** The summary of the run. */
  summary(): SyncSummary {
    const head = Math.max(this.#head, this.#sourceHead());
    return {
      startCursor: this.#startCursor,
      cursor: this.#cursor,
      head,
      pages: this.#pages,
      groups: this.#groups,
      items: this.#items,
      changes: this.#changes,
      anomalies: this.#anomalies,
      complete: this.#cursor >= head,
    };
  }
}

/**
 * The one commit in flight (decision 0012): a batch's write runs while the next batch is read and
 * folded; its pages are reported once it is stored, and the next commit starts only after that.
 */
class CommitQueue {
  readonly #store: Store;
  readonly #report: Report;
  #inFlight: InFlight | undefined;

  constructor(store: Store, report: Report) {
    this.#store = store;
    this.#report = report;
  }

  /** What the batch in flight wrote, stored or not yet (its ids are never read from the store). */
  get written(): ReadonlyMap<string, Entity> | undefined {
    return this.#inFlight?.result.entities;
  }

  /** Starts committing a folded batch; the one before must be settled. */
  start(folded: FoldedBatch, head: number, meta: SyncOptions['meta']): void {
    if (this.#inFlight !== undefined) throw new TypeError('a commit is still in flight');
    const { batch, result } = folded;
    const first = batch[0] as BatchPage;
    const last = batch.at(-1) as BatchPage;
    const flight: InFlight = {
      batch,
      result,
      done: false,
      committed: this.#store
        .commitPage({
          startIndex: first.startIndex,
          endIndex: last.endIndex,
          head: Math.max(head, last.endIndex),
          schema: batch.reduce<number | null>((schema, read) => read.schema ?? schema, null),
          result,
          ...(meta === undefined ? {} : { meta }),
        })
        .then(
          () => {
            flight.done = true;
            return undefined;
          },
          (error: unknown) => {
            flight.done = true;
            return { error };
          },
        ),
    };
    this.#inFlight = flight;
  }

  /** Reports the commit in flight if it is stored by now (throws its or a callback's error). */
  async reportIfStored(): Promise<void> {
    if (this.#inFlight?.done === true) await this.settle();
  }

  /** Waits for the commit in flight, then reports its pages; throws its or a callback's error. */
  async settle(): Promise<void> {
    const flight = this.#inFlight;
    if (flight === undefined) return;
    this.#inFlight = undefined;
    const outcome = await flight.committed;
    if (outcome !== undefined) throw outcome.error;
    this.#report.stored(flight.batch, flight.result);
  }
}

/** A batch whose commit has started: reported once the commit is stored. */
interface InFlight {
  readonly batch: readonly BatchPage[];
  readonly result: FoldResult;
  /** Set once the commit is stored or failed (as `committed` settles). */
  done: boolean;
  /** Settles with nothing when stored, with the error otherwise (never rejects). */
  readonly committed: Promise<{ readonly error: unknown } | undefined>;
}

/** Pages read and folded for one commit; `failure` ended the batch early (thrown after it). */
interface FoldedBatch {
  readonly batch: readonly BatchPage[];
  readonly result: FoldResult;
  readonly failure: unknown;
}

/**
 * Reads ahead with the walker: pages up to the head it knows, `maxPages` or `commitItems` items,
 * whichever comes first (an empty batch at the end of the history). Each page is folded as soon as
 * it is read, after loading the entities it references that no earlier page of the batch loaded or
 * wrote; ids the batch before wrote are taken from its result (`previous`) instead of the store,
 * which may not hold them yet (its commit may be in flight) and would only return the same state.
 * After each page read, `poll` reports that commit if it is done. Throws when the first page fails
 * (and what `poll` throws); a later page's failure ends the batch and is returned with it.
 */
async function readBatch(args: {
  readonly walker: PageWalker<ReadPage>;
  readonly store: Store;
  readonly context: EngineContext;
  readonly maxPages: number;
  readonly commitItems: number;
  /** The entities the batch before this one wrote (its commit may still be in flight). */
  readonly previous: ReadonlyMap<string, Entity> | undefined;
  /** Reports the commit in flight if it is done by now (throws its error or a callback's). */
  readonly poll: () => Promise<void>;
}): Promise<FoldedBatch> {
  const { walker, store } = args;
  const batch: BatchPage[] = [];
  const loaded = new Map<string, Entity>();
  const looked = new Set<string>();
  const fold = startFold(loaded, args.context);
  let batchItems = 0;
  let failure: unknown;
  // A batch ends at the head the walker knows: the next one asks for it again.
  while (batch.length < args.maxPages && batchItems < args.commitItems) {
    if (batch.length > 0 && walker.atHead) break;
    let step;
    try {
      step = await walker.next();
      if (step !== undefined) checkKinds(step.page, step.startIndex);
    } catch (error) {
      // Keep the pages read before the failing one: commit them, then report the failure.
      if (batch.length === 0) throw error;
      failure = error;
      break;
    }
    if (step === undefined) break;
    const { page: read, startIndex, endIndex } = step;
    await args.poll();
    const missing: string[] = [];
    for (const id of referencedIds(read.decoded)) {
      if (looked.has(id) || fold.wrote(id)) continue;
      looked.add(id);
      const written = args.previous?.get(id);
      if (written === undefined) missing.push(id);
      else loaded.set(id, written);
    }
    if (missing.length > 0) {
      for (const [id, entity] of await store.loadEntities(missing)) loaded.set(id, entity);
    }
    fold.fold(read.decoded);
    const items = read.decoded.reduce((sum, group) => sum + group.items.length, 0);
    batch.push({
      startIndex,
      endIndex,
      schema: read.schema,
      groups: read.groups,
      items,
      warnings: read.warnings,
    });
    batchItems += items;
  }
  return { batch, result: fold.result(), failure };
}

/** Splits `entries` by the page of `batch` that holds their server index, keeping their order. */
function byPage<T extends { readonly serverIndex: number }>(
  batch: readonly BatchPage[],
  entries: readonly T[],
): (readonly T[])[] {
  if (batch.length === 1) return [entries];
  const out: T[][] = batch.map(() => []);
  for (const entry of entries) {
    let lo = 0;
    let hi = batch.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entry.serverIndex < (batch[mid] as BatchPage).endIndex) hi = mid;
      else lo = mid + 1;
    }
    (out[lo] as T[]).push(entry);
  }
  return out;
}

/** Reads and decodes the page at `cursor`; throws a SyncError/DecodeError naming it. */
async function readPage(
  source: HistorySource,
  cursor: number,
  maxSchema: number | undefined,
): Promise<ReadPage> {
  const fetched = await source.page(cursor);
  const page = decodePageBytes(fetched.body, {
    startIndex: cursor,
    location: fetched.location,
    ...(maxSchema === undefined ? {} : { maxSchema }),
  });
  if (fetched.expectedGroups !== undefined && page.groups.length !== fetched.expectedGroups) {
    throw new SyncError(
      'GROUP_COUNT_MISMATCH',
      `Cannot apply ${formatLocation(fetched.location)}: it holds ${page.groups.length} groups where ${fetched.expectedGroups} were recorded (the page and its manifest disagree); nothing of this page was stored. Fix the page or the manifest (thingstape fixture verify says which), then run again`,
      cursor,
    );
  }
  return {
    location: fetched.location,
    currentItemIndex: page.currentItemIndex,
    schema: page.schema,
    groups: page.groups.length,
    decoded: page.groups,
    warnings: page.warnings,
  };
}

/** Throws `UNSUPPORTED_KIND` when the page holds a kind the engine must not skip. */
function checkKinds(page: ReadPage, cursor: number): void {
  const unsupported = findUnsupported(page.decoded);
  if (unsupported === undefined) return;
  throw new SyncError(
    'UNSUPPORTED_KIND',
    `Cannot apply ${formatLocation({
      ...page.location,
      serverIndex: unsupported.serverIndex,
      item: unsupported.ref.raw,
    })}: kind "${unsupported.kind.kind}" is newer than this version of thingstape understands; nothing of this page was stored. Upgrade thingstape, then sync again.`,
    cursor,
  );
}

/** The sync loop's message for a failed check of the walk. */
function syncFailure(
  source: HistorySource,
  problem: PagingProblem,
  page: ReadPage | undefined,
): string {
  const where = page === undefined ? source.description : formatLocation(page.location);
  switch (problem.kind) {
    case 'HEAD_BEHIND_START':
      return `Cannot sync from ${source.description}: its head (${problem.head}) is behind the stored cursor (${problem.cursor}); the history was replaced`;
    case 'HEAD_WENT_DOWN':
      return `Cannot sync from ${source.description}: its head went down to ${problem.head} while the cursor is ${problem.cursor}; the history was replaced`;
    case 'PAGE_BEHIND':
      return `Cannot apply ${where}: its current-item-index (${problem.current}) is behind the requested start index (${problem.cursor}); the history was replaced`;
    case 'EMPTY_PAGE':
      return `Cannot apply ${where}: it holds no groups although the head is ${problem.head}`;
    case 'OVERFULL_PAGE':
    case 'NEWER_SCHEMA':
      throw new TypeError(`the sync loop's walker does not check ${problem.kind}`);
  }
  return assertNever(problem, 'paging problem');
}
