import { findUnsupported, referencedIds, startFold } from '../engine/index.ts';
import type { Anomaly, Change, EngineContext, Entity, FoldResult } from '../engine/types.ts';
import { decodePageBytes, formatLocation } from '../protocol/index.ts';
import type { DecodeWarning, Group } from '../protocol/types.ts';
import type { Store } from '../store/index.ts';
import { SyncError } from './errors.ts';
import type { HistorySource } from './source.ts';

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

/** A page read, decoded and checked. */
interface ReadPage {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly schema: number | null;
  readonly groups: readonly Group[];
  readonly items: number;
  readonly warnings: readonly DecodeWarning[];
}

/** A page folded into the batch, waiting for its commit (its groups are not kept). */
interface BatchPage extends Omit<ReadPage, 'groups'> {
  readonly groups: number;
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
  const state = await store.syncState();
  const startCursor = state.cursor;
  let cursor = startCursor;
  let { head } = await source.head();
  if (head < cursor) {
    throw new SyncError(
      'HISTORY_RESET',
      `Cannot sync from ${source.description}: its head (${head}) is behind the stored cursor (${cursor}); the history was replaced`,
      cursor,
    );
  }
  let pages = 0;
  let groups = 0;
  let items = 0;
  let changes = 0;
  let anomalies = 0;
  let metaPending = options.meta;
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  // The end of the last page folded into a batch (committed or in flight), and how many pages
  // that is.
  let readCursor = startCursor;
  let readPages = 0;
  // The batch whose commit is in flight while the next one is read and folded.
  let inFlight: InFlight | undefined;

  /** Waits for the commit in flight, then reports its pages; throws its or a callback's error. */
  const settle = async (): Promise<void> => {
    if (inFlight === undefined) return;
    const { batch, result, committed } = inFlight;
    inFlight = undefined;
    const outcome = await committed;
    if (outcome !== undefined) throw outcome.error;
    changes += result.changes.length;
    anomalies += result.anomalies.length;
    const pageChanges = byPage(batch, result.changes);
    const pageAnomalies = byPage(batch, result.anomalies);
    // Every page of the batch is stored: report each one even if a callback throws on an earlier.
    let callbackError: { readonly error: unknown } | undefined;
    const report = (callback: () => void): void => {
      try {
        callback();
      } catch (error) {
        callbackError ??= { error };
      }
    };
    for (const [i, read] of batch.entries()) {
      pages += 1;
      groups += read.groups;
      items += read.items;
      report(() =>
        options.onPage?.({
          startIndex: read.startIndex,
          endIndex: read.endIndex,
          changes: pageChanges[i] ?? [],
          anomalies: pageAnomalies[i] ?? [],
          pageWarnings: read.warnings,
        }),
      );
      cursor = read.endIndex;
      head = Math.max(head, cursor);
      const progress = { cursor, head, pages, items };
      report(() => options.onProgress?.(progress));
    }
    if (callbackError !== undefined) throw callbackError.error;
  };

  while (readPages < maxPages) {
    let next: FoldedBatch | undefined;
    try {
      if (readCursor >= head) {
        // Ask once more: a live history may have grown while we read it (spec 14.1 step 4).
        const latest = (await source.head()).head;
        if (latest < readCursor) {
          throw new SyncError(
            'HISTORY_RESET',
            `Cannot sync from ${source.description}: its head went down to ${latest} while the cursor is ${readCursor}; the history was replaced`,
            readCursor,
          );
        }
        if (latest <= readCursor) break;
        head = latest;
      }
      next = await readBatch({
        source,
        store,
        context,
        maxSchema: options.maxSchema,
        start: readCursor,
        head,
        maxPages: maxPages - readPages,
        commitItems,
        // What the batch before wrote, stored or not yet: its ids are never read from the store.
        previous: inFlight?.result.entities,
        // Once the commit in flight is done, report its pages (or stop at its error).
        poll: async () => {
          if (inFlight?.done === true) await settle();
        },
      });
    } catch (error) {
      // Asking for the head, or reading or folding, failed before this batch held a page (or the
      // commit in flight failed, or a callback reporting it threw): the batch in flight is still
      // stored and reported first, and its error, if any, is the one thrown.
      await settle();
      throw error;
    }
    // The previous commit must be stored before this one starts (its cursor guard expects it).
    await settle();
    const { batch, result, failure } = next;
    const last = batch.at(-1) as BatchPage;
    const flight: InFlight = {
      batch,
      result,
      done: false,
      committed: store
        .commitPage({
          startIndex: readCursor,
          endIndex: last.endIndex,
          head: Math.max(head, last.endIndex),
          schema: batch.reduce<number | null>((schema, read) => read.schema ?? schema, null),
          result,
          ...(metaPending === undefined ? {} : { meta: metaPending }),
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
    inFlight = flight;
    metaPending = undefined;
    readCursor = last.endIndex;
    readPages += batch.length;
    if (failure !== undefined) {
      await settle();
      throw failure;
    }
  }
  await settle();
  return {
    startCursor,
    cursor,
    head,
    pages,
    groups,
    items,
    changes,
    anomalies,
    complete: cursor >= head,
  };
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
 * Reads ahead from `start`: pages up to `head`, `maxPages` or `commitItems` items, whichever comes
 * first. Each page is folded as soon as it is read, after loading the entities it references that
 * no earlier page of the batch loaded or wrote; ids the batch before wrote are taken from its
 * result (`previous`) instead of the store, which may not hold them yet (its commit may be in
 * flight) and would only return the same state. After each page read, `poll` reports that commit
 * if it is done. Throws when the first page fails (and what `poll` throws); a later page's failure
 * ends the batch and is returned with it.
 */
async function readBatch(args: {
  readonly source: HistorySource;
  readonly store: Store;
  readonly context: EngineContext;
  readonly maxSchema: number | undefined;
  readonly start: number;
  readonly head: number;
  readonly maxPages: number;
  readonly commitItems: number;
  /** The entities the batch before this one wrote (its commit may still be in flight). */
  readonly previous: ReadonlyMap<string, Entity> | undefined;
  /** Reports the commit in flight if it is done by now (throws its error or a callback's). */
  readonly poll: () => Promise<void>;
}): Promise<FoldedBatch> {
  const { source, store } = args;
  const batch: BatchPage[] = [];
  const loaded = new Map<string, Entity>();
  const looked = new Set<string>();
  const fold = startFold(loaded, args.context);
  let batchItems = 0;
  let readCursor = args.start;
  let failure: unknown;
  while (batch.length < args.maxPages && batchItems < args.commitItems && readCursor < args.head) {
    let read: ReadPage;
    try {
      read = await readPage(source, readCursor, args.head, args.maxSchema);
    } catch (error) {
      // Keep the pages read before the failing one: commit them, then report the failure.
      if (batch.length === 0) throw error;
      failure = error;
      break;
    }
    await args.poll();
    const missing: string[] = [];
    for (const id of referencedIds(read.groups)) {
      if (looked.has(id) || fold.wrote(id)) continue;
      looked.add(id);
      const written = args.previous?.get(id);
      if (written === undefined) missing.push(id);
      else loaded.set(id, written);
    }
    if (missing.length > 0) {
      for (const [id, entity] of await store.loadEntities(missing)) loaded.set(id, entity);
    }
    fold.fold(read.groups);
    batch.push({
      startIndex: read.startIndex,
      endIndex: read.endIndex,
      schema: read.schema,
      groups: read.groups.length,
      items: read.items,
      warnings: read.warnings,
    });
    batchItems += read.items;
    readCursor = read.endIndex;
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

/** Reads, decodes and checks the page at `cursor`; throws a SyncError/DecodeError naming it. */
async function readPage(
  source: HistorySource,
  cursor: number,
  head: number,
  maxSchema: number | undefined,
): Promise<ReadPage> {
  const fetched = await source.page(cursor);
  const page = decodePageBytes(fetched.body, {
    startIndex: cursor,
    location: fetched.location,
    ...(maxSchema === undefined ? {} : { maxSchema }),
  });
  const where = formatLocation(fetched.location);
  if (fetched.expectedGroups !== undefined && page.groups.length !== fetched.expectedGroups) {
    throw new SyncError(
      'GROUP_COUNT_MISMATCH',
      `Cannot apply ${where}: it holds ${page.groups.length} groups where ${fetched.expectedGroups} were recorded (the page and its manifest disagree); nothing of this page was stored. Fix the page or the manifest (thingstape fixture verify says which), then run again`,
      cursor,
    );
  }
  if (page.currentItemIndex < cursor) {
    throw new SyncError(
      'HISTORY_RESET',
      `Cannot apply ${where}: its current-item-index (${page.currentItemIndex}) is behind the requested start index (${cursor}); the history was replaced`,
      cursor,
    );
  }
  if (page.groups.length === 0) {
    throw new SyncError(
      'NO_PROGRESS',
      `Cannot apply ${where}: it holds no groups although the head is ${head}`,
      cursor,
    );
  }
  const unsupported = findUnsupported(page.groups);
  if (unsupported !== undefined) {
    throw new SyncError(
      'UNSUPPORTED_KIND',
      `Cannot apply ${formatLocation({
        ...fetched.location,
        serverIndex: unsupported.serverIndex,
        item: unsupported.ref.raw,
      })}: kind "${unsupported.kind.kind}" is newer than this version of thingstape understands; nothing of this page was stored. Upgrade thingstape, then sync again.`,
      cursor,
    );
  }
  return {
    startIndex: cursor,
    endIndex: cursor + page.groups.length,
    schema: page.schema,
    groups: page.groups,
    items: page.groups.reduce((sum, group) => sum + group.items.length, 0),
    warnings: page.warnings,
  };
}
