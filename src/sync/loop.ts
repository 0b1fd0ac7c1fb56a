import { findUnsupported, referencedIds, startFold } from '../engine/index.ts';
import type { Anomaly, Change, EngineContext, Entity } from '../engine/types.ts';
import { decodePageText, formatLocation } from '../protocol/index.ts';
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
 * `onPage` and `onProgress` report each page, in order, after the commit that stored it. If one of
 * them throws, the other pages of that batch are still reported (they are stored), then the first
 * error thrown by a callback ends the run.
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

  while (pages < maxPages) {
    if (cursor >= head) {
      // Ask once more: a live history may have grown while we read it (spec 14.1 step 4).
      const latest = (await source.head()).head;
      if (latest < cursor) {
        throw new SyncError(
          'HISTORY_RESET',
          `Cannot sync from ${source.description}: its head went down to ${latest} while the cursor is ${cursor}; the history was replaced`,
          cursor,
        );
      }
      if (latest <= cursor) break;
      head = latest;
    }
    // Read ahead: pages up to the head, `maxPages` or `commitItems` items, whichever comes first.
    // Each page is folded as soon as it is read (after loading the entities it references that no
    // earlier page of the batch loaded or wrote), so only the fold's result waits for the commit.
    const batch: BatchPage[] = [];
    const loaded = new Map<string, Entity>();
    const looked = new Set<string>();
    const fold = startFold(loaded, context);
    let batchItems = 0;
    let readCursor = cursor;
    let failure: unknown;
    while (pages + batch.length < maxPages && batchItems < commitItems && readCursor < head) {
      let read: ReadPage;
      try {
        read = await readPage(source, readCursor, head, options.maxSchema);
      } catch (error) {
        // Keep the pages read before the failing one: commit them, then report the failure.
        if (batch.length === 0) throw error;
        failure = error;
        break;
      }
      const missing: string[] = [];
      for (const id of referencedIds(read.groups)) {
        if (looked.has(id) || fold.wrote(id)) continue;
        looked.add(id);
        missing.push(id);
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
    const result = fold.result();
    const last = batch.at(-1) as BatchPage;
    await store.commitPage({
      startIndex: cursor,
      endIndex: last.endIndex,
      head: Math.max(head, last.endIndex),
      schema: batch.reduce<number | null>((schema, read) => read.schema ?? schema, null),
      result,
      ...(metaPending === undefined ? {} : { meta: metaPending }),
    });
    metaPending = undefined;
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
    if (failure !== undefined) throw failure;
  }
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
  const text = new TextDecoder('utf-8', { fatal: false }).decode(fetched.body);
  const page = decodePageText(text, {
    startIndex: cursor,
    location: fetched.location,
    ...(maxSchema === undefined ? {} : { maxSchema }),
  });
  const where = formatLocation(fetched.location);
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
