/**
 * A fixture replayed into a ready engine on a temporary libSQL database, for users' own tests in
 * any runner (vitest's hooks around it are in `thingstape/testing/vitest`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type Change,
  type EngineContext,
  type Entity,
  type ListViewName,
  type ViewRow,
} from '../engine/index.ts';
import type { CivilDate } from '../protocol/index.ts';
import { openStore, type ChangeFilter, type Store } from '../store/index.ts';
import { replayFixture, type ReplaySummary } from './replay.ts';

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
  /** A list on {@link today}, answered by the store (`store.reads.list`). */
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
      list: async (view) => (await store.reads.list(view, { today })).rows,
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
