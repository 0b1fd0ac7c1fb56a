import { createHash } from 'node:crypto';
import type { HttpHandler } from 'msw/http';
import { getResponse } from 'msw/utils/get-response';
import { CloudClient } from '../cloud/client.ts';
import type { FetchLike } from '../cloud/types.ts';
import { localDate } from '../engine/index.ts';
import type { EngineContext } from '../engine/types.ts';
import { readFixtureManifest, readPage } from '../fixture/node.ts';
import { HISTORY_KEY_PLACEHOLDER } from '../fixture/types.ts';
import type { CivilDate } from '../protocol/types.ts';
import { isStoreError } from '../store/index.ts';
import type { Store } from '../store/index.ts';
import { SyncError } from '../sync/errors.ts';
import {
  syncHistory,
  type PageOutcome,
  type SyncProgress,
  type SyncSummary,
} from '../sync/loop.ts';
import { CloudHistorySource } from '../sync/source.ts';
import { fixtureHandlers, type ReplayMiss } from './handlers.ts';
import { ReplayError } from './errors.ts';

/** Settings of {@link replayFixture}. */
export interface ReplayOptions {
  readonly fixtureDir: string;
  readonly store: Store;
  /** IANA zone; defaults to the zone stored in the database, else the fixture's own. */
  readonly timeZone?: string;
  /** Reference date; defaults to the fixture's recorded date in that zone. */
  readonly today?: CivilDate;
  readonly maxPages?: number;
  /** Pages per commit, by items (see {@link SyncOptions.commitItems}). */
  readonly commitItems?: number;
  readonly onPage?: (outcome: PageOutcome) => void;
  readonly onProgress?: (progress: SyncProgress) => void;
}

/** What a replay did. */
export interface ReplaySummary extends SyncSummary {
  readonly fixture: string;
  readonly context: EngineContext;
}

let active = false;

/**
 * Replays a fixture into a store through the real HTTP client: the fixture is served as Things
 * Cloud by msw handlers behind the client's `fetch`, and the same sync loop as live sync reads it.
 * Continues from the store's cursor, so running it again applies nothing twice. Any request the
 * fixture has no recording for fails the replay.
 */
export async function replayFixture(options: ReplayOptions): Promise<ReplaySummary> {
  if (active) {
    throw new ReplayError('REPLAY_BUSY', 'Cannot replay two fixtures at once in one process');
  }
  const { name, manifest } = await readFixtureManifest(options.fixtureDir);
  const state = await options.store.syncState();
  const storedZone = state.timeZone;
  if (options.timeZone !== undefined && storedZone !== null && storedZone !== options.timeZone) {
    throw new SyncError(
      'STATE_MISMATCH',
      `Cannot replay into this database with time zone ${options.timeZone}: it was built with ${storedZone}; use a fresh database or the same zone`,
      state.cursor,
    );
  }
  const storedFixture = fixtureOf(state.source);
  if (state.head !== null && storedFixture !== name) {
    throw new SyncError(
      'STATE_MISMATCH',
      storedFixture === null
        ? `Cannot replay fixture "${name}" into ${options.store.url}: it holds a history that was not replayed from a fixture; use another --db`
        : `Cannot replay fixture "${name}" into ${options.store.url}: it holds fixture "${storedFixture}"; use another --db for a different history`,
      state.cursor,
    );
  }
  const timeZone = options.timeZone ?? storedZone ?? manifest.timeZone;
  const referenceDate =
    options.today ?? localDate(Date.parse(manifest.recordedAt) / 1000, timeZone);
  const context: EngineContext = { timeZone, referenceDate };

  // An incremental fixture (its first page starts mid-history) can seed a fresh database.
  const firstStart = manifest.pages[0]?.startIndex ?? 0;
  if (firstStart > 0 && state.head === null && state.cursor === 0) {
    await options.store.startAt(firstStart);
  }

  const misses: ReplayMiss[] = [];
  let pageError: unknown;
  const pageNumber = new Map(manifest.pages.map((page, i) => [page.startIndex, i + 1]));
  const recordedGroups = new Map(manifest.pages.map((page) => [page.startIndex, page.groups]));
  const handlers = fixtureHandlers({
    manifest,
    readPage: (page) => readPage(options.fixtureDir, manifest, page),
    onMiss: (miss) => misses.push(miss),
    onPageError: (error) => {
      pageError ??= error;
    },
  });
  active = true;
  try {
    const client = new CloudClient({ fetch: handlerFetch(handlers) });
    const source = new CloudHistorySource(client, HISTORY_KEY_PLACEHOLDER, {
      description: `fixture "${name}"`,
      locate: (startIndex) => ({
        fixture: name,
        page: `${pageNumber.get(startIndex) ?? '?'} (start-index ${startIndex})`,
      }),
      expectedGroups: (startIndex) => recordedGroups.get(startIndex),
    });
    let summary: SyncSummary;
    try {
      summary = await syncHistory({
        source,
        store: options.store,
        context,
        ...(options.maxPages === undefined ? {} : { maxPages: options.maxPages }),
        ...(options.commitItems === undefined ? {} : { commitItems: options.commitItems }),
        meta: {
          historyKeyHash: sha256(HISTORY_KEY_PLACEHOLDER),
          timeZone,
          source: { fixture: name, kind: manifest.source.kind, recordedAt: manifest.recordedAt },
        },
        ...(options.onPage === undefined ? {} : { onPage: options.onPage }),
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      });
    } catch (error) {
      // A damaged page reaches the client as a miss; the fixture's own error says what is wrong.
      // A store error wins: with read-ahead, a page read after a commit that then failed may be
      // damaged too, and the failed commit is what the run stopped at.
      throw isStoreError(error) ? error : (pageError ?? error);
    }
    if (pageError !== undefined) throw pageError;
    if (misses.length > 0) {
      throw new ReplayError(
        'UNRECORDED_REQUEST',
        `Cannot replay fixture "${name}": ${misses.length} request(s) had no recording: ${misses
          .map((miss) => `${miss.method} ${miss.url} (${miss.reason})`)
          .join('; ')}`,
      );
    }
    return { ...summary, fixture: name, context };
  } finally {
    active = false;
  }
}

/**
 * `fetch` answered by msw `handlers` in this process: the client builds its requests and reads the
 * responses exactly as over the network, but no socket is opened and no global is patched. (msw's
 * `setupServer` intercepts the global `fetch` at the socket level, and with msw 3.0.5 every
 * intercepted request leaves an undici client and its socket behind, about 46 KB each: over a
 * 1M-item replay of ~1,500 pages the live heap grew by ~70 MB, and V8, sizing the old generation
 * by it, let the peak RSS reach 416 MB instead of 216 MB. docs/decisions/0011-replay-dispatch.md.)
 */
export function handlerFetch(handlers: readonly HttpHandler[]): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await getResponse([...handlers], request);
    if (response === undefined) {
      // Like a network failure: the fixture's handlers answer every Things Cloud URL themselves.
      throw new TypeError(`fetch failed: no handler for ${request.method} ${request.url}`);
    }
    return response;
  };
}

/** The fixture name a database was replayed from, if it was. */
function fixtureOf(source: unknown): string | null {
  if (typeof source !== 'object' || source === null) return null;
  const fixture = (source as { fixture?: unknown }).fixture;
  return typeof fixture === 'string' ? fixture : null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
