/**
 * vitest helpers for users' own suites: a fixture replayed into a ready engine on a temp libSQL
 * database, a fixture served through msw for their own client code, and the fast-check
 * arbitraries of `thingstape/testing` (needs `vitest` and `fast-check` installed beside thingstape).
 *
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { useFixtureReplay } from 'thingstape/testing/vitest';
 *
 * describe('my app on a recorded account', () => {
 *   const replay = useFixtureReplay('fixtures/my-account');
 *   it('shows the Inbox', async () => {
 *     expect((await replay().list('inbox')).map((row) => row.title)).toContain('Pay rent');
 *   });
 * });
 * ```
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  LIST_VIEWS,
  type Change,
  type EngineContext,
  type Entity,
  type ListViewName,
  type ViewRow,
} from '../engine/index.ts';
import { readFixtureManifest, readPage } from '../fixture/node.ts';
import {
  fixtureHandlers,
  replayFixture,
  type ReplayMiss,
  type ReplaySummary,
} from '../replay/index.ts';
import { openStore, type ChangeFilter, type Store } from '../store/index.ts';
import type { CivilDate } from '../protocol/index.ts';

export * from './arbitraries.ts';

/** Settings of {@link openFixtureReplay}. */
export interface FixtureReplayOptions {
  /** IANA zone (default: the fixture's). */
  readonly timeZone?: string;
  /** The date views and items without a time are judged at (default: the recorded date). */
  readonly today?: CivilDate;
  /** Database URL (default: a fresh temp `file:` database, removed on close). */
  readonly db?: string;
}

/** A fixture replayed into a database: the engine's state, ready to query. */
export interface FixtureReplay {
  readonly store: Store;
  readonly summary: ReplaySummary;
  readonly context: EngineContext;
  /** The date views are judged at. */
  readonly today: CivilDate;
  /** The change log (optionally filtered). */
  changes(filter?: ChangeFilter): Promise<Change[]>;
  /** Every entity, live and soft-deleted. */
  entities(): Promise<Entity[]>;
  /** A list view on {@link today}. */
  list(view: ListViewName): Promise<ViewRow[]>;
  /** The canonical dump (compare two replays byte for byte). */
  dump(): Promise<string>;
  /** Closes the database and removes the temp directory. */
  close(): Promise<void>;
}

/**
 * Replays `fixtureDir` through msw, the real client and the sync loop into a temp database and
 * returns the engine's state. Any request the fixture has no recording for fails the replay.
 */
export async function openFixtureReplay(
  fixtureDir: string,
  options: FixtureReplayOptions = {},
): Promise<FixtureReplay> {
  const temp =
    options.db === undefined ? await mkdtemp(join(tmpdir(), 'thingstape-vitest-')) : null;
  const store = await openStore(options.db ?? pathToFileURL(join(temp ?? '', 'replay.db')).href);
  try {
    const summary = await replayFixture({
      fixtureDir,
      store,
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      ...(options.today === undefined ? {} : { today: options.today }),
    });
    const today = summary.context.referenceDate;
    const entities = async (): Promise<Entity[]> => {
      const out: Entity[] = [];
      for await (const entity of store.entities({ includeDeleted: true })) out.push(entity);
      return out;
    };
    return {
      store,
      summary,
      context: summary.context,
      today,
      changes: (filter) => store.changes(filter),
      entities,
      list: async (view) => LIST_VIEWS[view](await entities(), { today }),
      dump: () => store.dump(),
      close: async () => {
        store.close();
        if (temp !== null) await rm(temp, { recursive: true, force: true });
      },
    };
  } catch (error) {
    store.close();
    if (temp !== null) await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Replays the fixture once before the suite (`beforeAll`) and closes it after (`afterAll`);
 * returns a getter for the {@link FixtureReplay} to call inside tests.
 */
export function useFixtureReplay(
  fixtureDir: string,
  options: FixtureReplayOptions = {},
): () => FixtureReplay {
  let replay: FixtureReplay | undefined;
  beforeAll(async () => {
    replay = await openFixtureReplay(fixtureDir, options);
  });
  afterAll(async () => {
    await replay?.close();
    replay = undefined;
  });
  return () => {
    if (replay === undefined)
      throw new TypeError('useFixtureReplay(): the replay is only ready inside tests');
    return replay;
  };
}

/** What {@link useFixtureServer} gives tests. */
export interface FixtureServer {
  /** Requests without a recording since the last test started. */
  readonly misses: readonly ReplayMiss[];
}

/**
 * Serves `fixtureDir` as Things Cloud through msw for the whole suite (history metadata and
 * `…/items` at every recorded start index, history key `history-key-redacted`), for users' own
 * client code calling `fetch`. After each test, a request without a recording fails the test.
 */
export function useFixtureServer(
  fixtureDir: string,
  options: { readonly baseUrl?: string } = {},
): FixtureServer {
  const misses: ReplayMiss[] = [];
  let server: ReturnType<typeof setupServer> | undefined;
  beforeAll(async () => {
    const { manifest } = await readFixtureManifest(fixtureDir);
    server = setupServer(
      ...fixtureHandlers({
        manifest,
        readPage: (page) => readPage(fixtureDir, manifest, page),
        onMiss: (miss) => misses.push(miss),
        ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
      }),
    );
    server.listen({ onUnhandledFrame: 'bypass' });
  });
  afterEach(() => {
    const found = misses.splice(0);
    if (found.length > 0) {
      throw new Error(
        `${found.length} request(s) had no recording in ${fixtureDir}: ${found.map((m) => `${m.method} ${m.url} (${m.reason})`).join('; ')}`,
      );
    }
  });
  afterAll(() => {
    server?.close();
    server = undefined;
  });
  return { misses };
}
