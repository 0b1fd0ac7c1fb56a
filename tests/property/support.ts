/**
 * Shared pieces of the property tests: run parameters (seed, path and run count from the
 * environment), a history source serving generated pages through the real sync loop, stores on
 * each local backend, and readers of store state.
 */
import * as fc from 'fast-check';

import type { Change, EngineContext, Entity } from '../../src/engine/types.ts';
import { requireCivilDate } from '../../src/engine/index.ts';
import { decodePage } from '../../src/protocol/index.ts';
import type { Group } from '../../src/protocol/index.ts';
import { createStore, openDb } from '../../src/store/index.ts';
import type { Db, Store } from '../../src/store/index.ts';
import { syncHistory } from '../../src/sync/index.ts';
import type { HistorySource, PageOutcome, SyncSummary } from '../../src/sync/index.ts';
import type { WireGroup } from '../arbitraries/index.ts';
import { splitPages, wirePage } from '../arbitraries/index.ts';
import { fileBackend, memoryBackend, wrapDb } from '../support/db.ts';
import type { FaultyDb, TestBackend } from '../support/db.ts';

// ---------------------------------------------------------------------------------------------
// Run parameters

/**
 * Share of each property's campaign budget the default suite runs (`npm test`). The whole budget
 * (about 10,000 generated histories) runs as its own step: `npm run test:campaign`
 * (docs/decisions/0023-run-budgets-not-time-limits.md).
 */
export const DEFAULT_RUNS_SCALE = 0.25;

/**
 * How many runs a property makes: `FC_NUM_RUNS` when set (long campaigns: `make fuzz`), else
 * `campaignRuns` scaled by `FC_RUNS_SCALE` (default {@link DEFAULT_RUNS_SCALE}; the campaign sets 1).
 */
export function numRuns(campaignRuns: number): number {
  const fixed = process.env['FC_NUM_RUNS'];
  if (fixed !== undefined && fixed !== '') return Math.max(1, Number.parseInt(fixed, 10));
  const scale = Number.parseFloat(process.env['FC_RUNS_SCALE'] ?? String(DEFAULT_RUNS_SCALE));
  return Math.max(1, Math.round(campaignRuns * (Number.isFinite(scale) ? scale : 1)));
}

/**
 * A guard against a property that hangs, never a budget: the run count decides what runs, and
 * this only ends a test that stopped making progress. At least 30 minutes, or 2 s per run (a run
 * takes 1–500 ms on a quiet 2-core machine, so a machine 10x slower still passes by a wide margin).
 */
export function hangGuard(campaignRuns: number): number {
  return Math.max(30 * 60_000, numRuns(campaignRuns) * 2_000);
}

/** Histories generated so far by this worker (reported by the budget line of each file). */
export const generated = { histories: 0 };

/**
 * Lets the event loop turn once. A run that only awaits settled promises never reaches the
 * macrotask queue, and libsql frees a closed database's native memory (its prepared statements
 * and the connection they hold) only from there: without this, a property of 600 runs grew a
 * worker to 6 GB.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * fast-check parameters of one property: a seed (`FC_SEED`, else a fresh one), `FC_PATH` to replay
 * one counterexample, the run count of {@link numRuns}. The seed is printed, so any run can be
 * replayed: `FC_SEED=<seed> FC_PATH=<path> npx vitest run <file> -t '<name>'`.
 */
export function runParameters<T>(name: string, campaignRuns: number): fc.Parameters<T> {
  const envSeed = process.env['FC_SEED'];
  const seed =
    envSeed !== undefined && envSeed !== ''
      ? Number.parseInt(envSeed, 10)
      : (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  const path = process.env['FC_PATH'];
  const runs = numRuns(campaignRuns);
  console.log(`[property] ${name}: seed=${seed} runs=${runs}${path ? ` path=${path}` : ''}`);
  return {
    seed,
    numRuns: runs,
    ...(path !== undefined && path !== '' ? { path, endOnFailure: true } : {}),
  };
}

/** Runs an async property with {@link runParameters}, counting histories. */
export async function check<Ts extends [unknown, ...unknown[]]>(
  name: string,
  campaignRuns: number,
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  predicate: (...args: Ts) => Promise<void>,
): Promise<void> {
  const property = fc.asyncProperty<Ts>(...arbitraries, async (...args: Ts) => {
    generated.histories += 1;
    await predicate(...args);
    await yieldToEventLoop();
  });
  await fc.assert(property, runParameters<Ts>(name, campaignRuns));
}

// ---------------------------------------------------------------------------------------------
// Engine context, decoding

/** The context every property folds in (a zone west of UTC, so local dates matter). */
export const CONTEXT: EngineContext = {
  timeZone: 'America/Los_Angeles',
  referenceDate: requireCivilDate('2025-11-01', 'property reference date'),
};

/** Wire groups decoded by the real decoder as if served from `startIndex`. */
export function decodeGroups(groups: readonly WireGroup[], startIndex = 0): Group[] {
  const page = decodePage(wirePage(groups, startIndex + groups.length), { startIndex });
  return [...page.groups];
}

// ---------------------------------------------------------------------------------------------
// A history source

/**
 * Serves a generated history split into pages at `cuts`: `page(n)` answers the groups from `n` to
 * the next cut, `head()` the number of groups. `history` may be replaced (appends, resets).
 */
export class GeneratedSource implements HistorySource {
  readonly description = 'generated history';
  groups: readonly WireGroup[];
  cuts: readonly number[];
  /** Every `page(n)` request, in order. */
  readonly requests: number[] = [];

  constructor(groups: readonly WireGroup[], cuts: readonly number[] = []) {
    this.groups = groups;
    this.cuts = cuts;
  }

  head(): Promise<{ head: number; schema: number | null }> {
    return Promise.resolve({ head: this.groups.length, schema: 301 });
  }

  page(startIndex: number): Promise<{ body: Uint8Array; location: { page: string } }> {
    this.requests.push(startIndex);
    const end = this.cuts.find((cut) => cut > startIndex) ?? this.groups.length;
    const body = wirePage(this.groups.slice(startIndex, end), this.groups.length);
    return Promise.resolve({
      body: new TextEncoder().encode(JSON.stringify(body)),
      location: { page: `generated page at ${startIndex}` },
    });
  }
}

/** The pages of a split, for checks that need them. */
export { splitPages };

// ---------------------------------------------------------------------------------------------
// Stores

/** Backends every store property runs against, with their share of the run budget. */
export const BACKENDS: readonly { readonly backend: TestBackend; readonly share: number }[] = [
  { backend: memoryBackend(), share: 1 },
  { backend: fileBackend(), share: 0.2 },
];

/**
 * A fault to inject into the write batch of the `page`-th commit after the store opened (0-based):
 * fail at statement `statement` (taken modulo the batch size), or commit and then drop the
 * connection (the response is lost).
 */
export type PageFault =
  | { readonly page: number; readonly kind: 'failAt'; readonly statement: number }
  | { readonly page: number; readonly kind: 'dropAfterCommit' };

/** A store with its database and a hook to arm a {@link PageFault}. */
export interface TestStore {
  readonly store: Store;
  readonly db: FaultyDb;
  /** Arms a fault for a later page commit (counted from now). */
  arm(fault: PageFault): void;
}

/** Opens a fresh store on `backend`, its database wrapped by {@link wrapDb}. */
export async function openTestStore(backend: TestBackend): Promise<TestStore> {
  const db: Db = await openDb(await backend.url());
  const faulty = wrapDb(db);
  let armed: { fault: PageFault; seen: number } | undefined;
  const counting: Db = {
    url: faulty.url,
    ...(faulty.rowEncoding === undefined ? {} : { rowEncoding: faulty.rowEncoding }),
    execute: (stmt) => faulty.execute(stmt),
    close: () => faulty.close(),
    batch(stmts, mode) {
      if (mode === 'write' && armed !== undefined) {
        if (armed.seen === armed.fault.page) {
          const fault = armed.fault;
          armed = undefined;
          if (fault.kind === 'failAt') faulty.failNextWriteAt(fault.statement % stmts.length);
          else faulty.dropNextWriteAfterCommit();
        } else armed.seen += 1;
      }
      return faulty.batch(stmts, mode);
    },
  };
  const store = await createStore(counting);
  return {
    store,
    db: faulty,
    arm(fault) {
      armed = { fault, seen: 0 };
    },
  };
}

/** Items per commit for {@link sync}: the loop's default, one page per commit, or a few pages. */
export const commitSizes = (): fc.Arbitrary<number | undefined> =>
  fc.oneof(fc.constant(undefined), fc.constant(1), fc.integer({ min: 2, max: 12 }));

/** Runs `body` with fresh stores, closing them afterwards. */
export async function withStores<T>(
  backend: TestBackend,
  count: number,
  body: (stores: TestStore[]) => Promise<T>,
): Promise<T> {
  const stores: TestStore[] = [];
  try {
    for (let i = 0; i < count; i += 1) stores.push(await openTestStore(backend));
    return await body(stores);
  } finally {
    for (const s of stores) s.store.close();
  }
}

/**
 * Syncs `source` into `store` (all of it, or `maxPages` pages), collecting emitted changes; with
 * `commitItems`, pages are committed together up to that many items (else the loop's default).
 */
export async function sync(
  store: Store,
  source: HistorySource,
  emitted: Change[] = [],
  maxPages?: number,
  commitItems?: number,
): Promise<SyncSummary> {
  return syncHistory({
    source,
    store,
    context: CONTEXT,
    ...(maxPages === undefined ? {} : { maxPages }),
    ...(commitItems === undefined ? {} : { commitItems }),
    onPage: (outcome: PageOutcome) => emitted.push(...outcome.changes),
  });
}

/** Every stored entity, soft-deleted ones included, sorted by id. */
export async function allEntities(store: Store): Promise<Entity[]> {
  const out: Entity[] = [];
  for await (const entity of store.entities({ includeDeleted: true })) out.push(entity);
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Throws with `message` and the detail unless `ok`. */
export function assert(ok: boolean, message: string, detail?: unknown): asserts ok {
  if (!ok) {
    const extra =
      detail === undefined
        ? ''
        : `\n${typeof detail === 'string' ? detail : JSON.stringify(detail, null, 1).slice(0, 4000)}`;
    throw new Error(`${message}${extra}`);
  }
}
