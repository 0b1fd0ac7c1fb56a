/**
 * Model-based test of the sync loop against the store (`fc.commands`): the history grows, pages
 * are fetched one at a time, writes crash, syncs are retried, the history is replaced (and the
 * store rebuilt), views are queried. After every command the store must hold exactly the
 * reference model's fold of the history up to the stored cursor: state, changes and cursor.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { inboxView, trashView } from '../../src/engine/index.ts';
import type { Entity, TaskEntity } from '../../src/engine/types.ts';
import { requireCivilDate } from '../../src/engine/index.ts';
import { SyncError } from '../../src/sync/index.ts';
import { isStoreError } from '../../src/store/index.ts';
import type { TestBackend } from '../support/db.ts';
import { historyOps, renderHistory } from '../arbitraries/index.ts';
import type { HistoryOp, WireGroup } from '../arbitraries/index.ts';
import { canonical, compareChanges, modelFold } from './model.ts';
import type { ModelState } from './model.ts';
import {
  BACKENDS,
  GeneratedSource,
  allEntities,
  assert,
  decodeGroups,
  generated,
  numRuns,
  openTestStore,
  runParameters,
  sync,
  hangGuard,
  yieldToEventLoop,
} from './support.ts';
import type { TestStore } from './support.ts';

const RUNS = 200;

/** What the test believes: the server history, page size, stored cursor and an armed crash. */
interface Model {
  history: WireGroup[];
  readonly pageSize: number;
  cursor: number;
  crashArmed: boolean;
}

/** The system under test: a store, its source, and the backend to rebuild on. */
interface Real {
  ts: TestStore;
  readonly source: GeneratedSource;
  readonly backend: TestBackend;
  readonly opened: TestStore[];
}

function cutsOf(length: number, pageSize: number): number[] {
  const cuts: number[] = [];
  for (let at = pageSize; at < length; at += pageSize) cuts.push(at);
  return cuts;
}

function serve(m: Model, r: Real): void {
  r.source.groups = m.history;
  r.source.cuts = cutsOf(m.history.length, m.pageSize);
}

function folded(m: Model): ModelState {
  return modelFold(decodeGroups(m.history.slice(0, m.cursor)));
}

/** The invariant checked after every command. */
async function expectModel(m: Model, r: Real, after: string): Promise<void> {
  const state = await r.ts.store.syncState();
  assert(state.cursor === m.cursor, `${after}: cursor ${state.cursor}, model ${m.cursor}`);
  const model = folded(m);
  const stored = await allEntities(r.ts.store);
  const expected = [...model.entities.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  assert(canonical(stored) === canonical(expected), `${after}: state differs from the model`, {
    stored,
    expected,
  });
  const diff = compareChanges(await r.ts.store.changes(), model.changes);
  assert(diff === null, `${after}: changes differ from the model`, diff ?? '');
}

async function expectFailure(
  promise: Promise<unknown>,
  code: string,
  after: string,
): Promise<void> {
  try {
    await promise;
  } catch (error) {
    const actual = isStoreError(error) || error instanceof SyncError ? error.code : String(error);
    assert(actual === code, `${after}: expected ${code}, got ${actual}`);
    return;
  }
  throw new Error(`${after}: expected ${code}, but it succeeded`);
}

/** The next cursor after one page from `m.cursor`. */
function nextBoundary(m: Model): number {
  return Math.min(m.history.length, (Math.floor(m.cursor / m.pageSize) + 1) * m.pageSize);
}

type Cmd = fc.AsyncCommand<Model, Real>;

class Append implements Cmd {
  readonly ops: readonly HistoryOp[];
  constructor(ops: readonly HistoryOp[]) {
    this.ops = ops;
  }
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.history = [...m.history, ...renderHistory(this.ops).groups];
    serve(m, r);
    await expectModel(m, r, this.toString());
  }
  toString = () => `append(${this.ops.length} ops)`;
}

class FetchPage implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    if (m.crashArmed && m.cursor < m.history.length) {
      await expectFailure(sync(r.ts.store, r.source, [], 1), 'WRITE_FAILED', this.toString());
      m.crashArmed = false;
    } else {
      const summary = await sync(r.ts.store, r.source, [], 1);
      m.cursor = m.cursor < m.history.length ? nextBoundary(m) : m.cursor;
      assert(summary.cursor === m.cursor, `fetch-page: summary cursor ${summary.cursor}`);
    }
    await expectModel(m, r, this.toString());
  }
  toString = () => 'fetch-page';
}

class Crash implements Cmd {
  readonly statement: number;
  constructor(statement: number) {
    this.statement = statement;
  }
  check = (m: Readonly<Model>) => !m.crashArmed;
  async run(m: Model, r: Real): Promise<void> {
    r.ts.arm({ page: 0, kind: 'failAt', statement: this.statement });
    m.crashArmed = true;
    await expectModel(m, r, this.toString());
  }
  toString = () => `crash(at statement ${this.statement})`;
}

class Retry implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    if (m.crashArmed && m.cursor < m.history.length) {
      await expectFailure(sync(r.ts.store, r.source), 'WRITE_FAILED', this.toString());
      m.crashArmed = false;
      await expectModel(m, r, `${this.toString()} (failed run)`);
    }
    await sync(r.ts.store, r.source);
    m.cursor = m.history.length;
    await expectModel(m, r, this.toString());
  }
  toString = () => 'retry (sync to the head)';
}

class HistoryReset implements Cmd {
  readonly ops: readonly HistoryOp[];
  constructor(ops: readonly HistoryOp[]) {
    this.ops = ops;
  }
  check = (m: Readonly<Model>) => m.cursor > 0;
  async run(m: Model, r: Real): Promise<void> {
    // A replaced history shorter than the cursor: the loop must notice and refuse.
    m.history = renderHistory(this.ops).groups.slice(0, m.cursor - 1);
    serve(m, r);
    await expectFailure(sync(r.ts.store, r.source), 'HISTORY_RESET', this.toString());
    // Rebuild: a fresh store replaying the new history.
    r.ts = await openTestStore(r.backend);
    r.opened.push(r.ts);
    m.cursor = 0;
    m.crashArmed = false;
    await sync(r.ts.store, r.source);
    m.cursor = m.history.length;
    await expectModel(m, r, this.toString());
  }
  toString = () => `history-reset(${this.ops.length} ops)`;
}

/** Inbox and Trash membership re-derived from spec 9.4 over the model's state. */
function derivedViews(entities: ReadonlyMap<string, Entity>): { inbox: string[]; trash: string[] } {
  const live = (id: string | undefined, type: number): TaskEntity | null => {
    const e = id === undefined ? undefined : entities.get(id);
    return e !== undefined && e.family === 'task' && e.deleted === null && e.type === type
      ? e
      : null;
  };
  const closed = (t: TaskEntity | null) => t !== null && (t.trashed || t.status !== 0);
  const inbox: string[] = [];
  const trash: string[] = [];
  for (const e of entities.values()) {
    if (e.family !== 'task' || e.deleted !== null || e.recurrence !== null) continue;
    if (e.trashed) trash.push(e.id);
    const heading = live(e.headingIds[0], 2);
    const project = live(e.projectIds[0], 1) ?? live(heading?.projectIds[0], 1);
    if (
      e.type === 0 &&
      e.status === 0 &&
      !e.trashed &&
      e.start === 0 &&
      !closed(project) &&
      !closed(heading)
    ) {
      inbox.push(e.id);
    }
  }
  return { inbox: inbox.sort(), trash: trash.sort() };
}

class QueryView implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const entities = await allEntities(r.ts.store);
    const options = { today: requireCivilDate('2025-11-01', 'view date') };
    const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id).sort();
    const expected = derivedViews(folded(m).entities);
    assert(
      canonical(ids(inboxView(entities, options))) === canonical(expected.inbox),
      'Inbox differs from the spec rule',
      {
        engine: ids(inboxView(entities, options)),
        derived: expected.inbox,
      },
    );
    assert(
      canonical(ids(trashView(entities, options))) === canonical(expected.trash),
      'Trash differs from the spec rule',
    );
    await expectModel(m, r, this.toString());
  }
  toString = () => 'query-view(inbox, trash)';
}

const opsArb = historyOps({ maxOps: 8 });

const commands = fc.commands(
  [
    opsArb.map((ops) => new Append(ops)),
    fc.constant(new FetchPage()),
    fc.nat().map((statement) => new Crash(statement)),
    fc.constant(new Retry()),
    opsArb.map((ops) => new HistoryReset(ops)),
    fc.constant(new QueryView()),
  ],
  {
    maxCommands: 40,
    size: 'large',
    ...(process.env['FC_REPLAY_PATH'] ? { replayPath: process.env['FC_REPLAY_PATH'] } : {}),
  },
);

describe.each(BACKENDS)(
  'syncHistory() against the store on $backend.name',
  ({ backend, share }) => {
    const runs = Math.max(1, Math.round(RUNS * share));
    it(
      'matches the reference model after every fetch, crash, retry, reset and query',
      { timeout: hangGuard(runs) },
      async () => {
        const property = fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          commands,
          async (pageSize, cmds) => {
            generated.histories += 1;
            const opened: TestStore[] = [];
            try {
              const ts = await openTestStore(backend);
              opened.push(ts);
              const model: Model = { history: [], pageSize, cursor: 0, crashArmed: false };
              const real: Real = { ts, source: new GeneratedSource([]), backend, opened };
              await fc.asyncModelRun(() => ({ model, real }), cmds);
            } finally {
              for (const s of opened) s.store.close();
            }
            await yieldToEventLoop();
          },
        );
        const before = generated.histories;
        await fc.assert(property, runParameters(`sync model (${backend.name})`, runs));
        expect(generated.histories - before).toBeGreaterThanOrEqual(numRuns(runs));
      },
    );
  },
);
