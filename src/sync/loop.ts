import { findUnsupported, foldPage, referencedIds } from '../engine/index.ts';
import type { Anomaly, Change, EngineContext, Entity } from '../engine/types.ts';
import { decodePageText, formatLocation } from '../protocol/index.ts';
import type { DecodeWarning } from '../protocol/types.ts';
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

/**
 * The sync loop: page source → decode → engine → store, one page at a time.
 *
 * Each page is committed by the store as one write batch that also moves the cursor, so a crash or
 * an error leaves the stored state at the end of the last committed page. The loop never commits
 * a page it could not decode or that holds a kind the engine must not skip; it stops with an error
 * naming the page and item instead, and a later run resumes from the stored cursor.
 */
export async function syncHistory(options: SyncOptions): Promise<SyncSummary> {
  const { source, store, context } = options;
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
    const fetched = await source.page(cursor);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(fetched.body);
    const page = decodePageText(text, {
      startIndex: cursor,
      location: fetched.location,
      ...(options.maxSchema === undefined ? {} : { maxSchema: options.maxSchema }),
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
    const previous: Map<string, Entity> = await store.loadEntities(referencedIds(page.groups));
    const result = foldPage(previous, page.groups, context);
    const endIndex = cursor + page.groups.length;
    await store.commitPage({
      startIndex: cursor,
      endIndex,
      head: Math.max(head, endIndex),
      schema: page.schema,
      result,
      ...(metaPending === undefined ? {} : { meta: metaPending }),
    });
    metaPending = undefined;
    const pageItems = page.groups.reduce((sum, group) => sum + group.items.length, 0);
    pages += 1;
    groups += page.groups.length;
    items += pageItems;
    changes += result.changes.length;
    anomalies += result.anomalies.length;
    options.onPage?.({
      startIndex: cursor,
      endIndex,
      changes: result.changes,
      anomalies: result.anomalies,
      pageWarnings: page.warnings,
    });
    cursor = endIndex;
    head = Math.max(head, cursor);
    options.onProgress?.({ cursor, head, pages, items });
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
