/**
 * The `t` a scenario receives, and the little state behind it: the steps it ran, the operations
 * still running and the changes of its last sync. Everything `t` does is delegated: writes to the
 * account, requests to the account session, databases to the scenario's stores, comparisons to
 * the pure matchers, and what a traced run keeps to the trace.
 */
import {
  LIST_VIEWS,
  localDate,
  type Change,
  type Entity,
  type ListViewName,
  type ProjectView,
  type ViewRow,
} from '../engine/index.ts';
import { ScenarioAccount } from './account.ts';
import {
  judgeSnapshot,
  matchChanges,
  matchCondition,
  matchList,
  matchValue,
  type Mismatch,
} from './assertions.ts';
import { ScenarioClock, SeededIds } from './clock.ts';
import { errorInfo, HarnessError } from './errors.ts';
import { ScenarioGuard } from './guard.ts';
import { normalizeSnapshot, type SnapshotRegistry } from './snapshot.ts';
import { AccountSession, scenarioClient } from './session.ts';
import { ScenarioStores } from './stores.ts';
import type { Tape } from './tape.ts';
import { ScenarioTrace } from './trace.ts';
import type {
  ChangeMatcher,
  DeepPartial,
  ErrorInfo,
  ScenarioContext,
  ScenarioDefinition,
  ScenarioFn,
  StepTrace,
} from './types.ts';

/** The run's settings `t` depends on. */
export interface ContextSettings {
  /** From THINGS_USERNAME / THINGS_PASSWORD; sent only when recording. */
  readonly credentials: { readonly email: string; readonly password: string } | null;
  /** The service to record against (default Things Cloud). */
  readonly baseUrl?: string;
  /** Replace differing snapshots. */
  readonly update: boolean;
  /** In CI snapshots are never written. */
  readonly ci: boolean;
  readonly snapshots: SnapshotRegistry;
  /** Keep a trace of every step (changes, lists before and after, divergences). */
  readonly trace?: boolean;
}

interface MutableStep {
  name: string;
  status: 'passed' | 'failed';
  durationMs: number;
  steps: MutableStep[];
  error?: ErrorInfo;
  trace?: StepTrace;
}

/** One scenario's live state and the `t` built over it. */
export class ScenarioRun {
  readonly context: ScenarioContext;
  /** The steps run so far, as a tree. */
  readonly steps: MutableStep[] = [];
  /** Steps started and not finished. */
  runningSteps = 0;
  readonly guard: ScenarioGuard;
  readonly trace: ScenarioTrace;
  readonly stores: ScenarioStores;
  readonly #def: ScenarioDefinition;
  readonly #settings: ContextSettings;
  readonly #clock: ScenarioClock;
  readonly #account: ScenarioAccount;
  readonly #session: AccountSession;
  readonly #ops = new Set<Promise<unknown>>();
  #currentSteps: MutableStep[];
  #changes: Change[] = [];
  #snapshotCount = 0;

  private constructor(
    def: ScenarioDefinition,
    settings: ContextSettings,
    tape: Tape,
    clock: ScenarioClock,
    stores: ScenarioStores,
  ) {
    this.#def = def;
    this.#settings = settings;
    this.#clock = clock;
    this.stores = stores;
    this.#currentSteps = this.steps;
    this.guard = scenarioGuard(def);
    this.#session = new AccountSession({
      client: scenarioClient(tape.mode, tape, settings.baseUrl),
      credentials: tape.mode === 'replay' ? null : settings.credentials,
      guard: this.guard,
      store: stores.main,
      clock,
      scenario: def.name,
      fromStart: def.options.fromStart === true,
    });
    const ids = new SeededIds(`${def.options.seed ?? ''}\u0000${def.name}\u0000${clock.start}`);
    this.#account = new ScenarioAccount(
      (group) => this.#track(this.#session.commit(group)),
      clock,
      ids,
    );
    this.trace = new ScenarioTrace(
      settings.trace === true,
      clock,
      tape,
      () => this.stores.main.reads,
    );
    this.context = this.#makeContext(tape.mode);
  }

  /** Opens the scenario's databases; its requests go through `tape`. */
  static async open(
    def: ScenarioDefinition,
    settings: ContextSettings,
    tape: Tape,
    clock: ScenarioClock,
  ): Promise<ScenarioRun> {
    const stores = await ScenarioStores.open();
    try {
      return new ScenarioRun(def, settings, tape, clock, stores);
    } catch (error) {
      await stores.close();
      throw error;
    }
  }

  /** Operations (syncs, commits) started and not finished. */
  get pendingOps(): number {
    return this.#ops.size;
  }

  /** Waits until every operation finished (their errors are ignored here), or `timeoutMs` passed. */
  async settleOps(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(this.#ops),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#ops.add(work);
    const done = (): void => void this.#ops.delete(work);
    work.then(done, done);
    return work;
  }

  async #sync(): Promise<Change[]> {
    const note = this.trace.changesSink();
    const changes = await this.#session.sync();
    this.#changes = changes;
    note(changes);
    return changes;
  }

  async #entities(): Promise<Entity[]> {
    const out: Entity[] = [];
    for await (const entity of this.stores.main.entities({ includeDeleted: true }))
      out.push(entity);
    return out;
  }

  async #list(view: ListViewName): Promise<ViewRow[]> {
    const fn = (LIST_VIEWS as Record<string, (typeof LIST_VIEWS)[ListViewName] | undefined>)[view];
    if (fn === undefined) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `Cannot show list "${view}": the lists are ${Object.keys(LIST_VIEWS).join(', ')}`,
      );
    }
    return (await this.stores.main.reads.list(view, { today: this.#clock.today })).rows;
  }

  async #step(name: string, fn: ScenarioFn): Promise<void> {
    const step: MutableStep = { name, status: 'passed', durationMs: 0, steps: [] };
    const parent = this.#currentSteps;
    parent.push(step);
    this.#currentSteps = step.steps;
    this.runningSteps += 1;
    const traced = await this.trace.stepStarted();
    const started = performance.now();
    try {
      await fn(this.context);
    } catch (error) {
      step.status = 'failed';
      step.error = errorInfo(error);
      throw error;
    } finally {
      step.durationMs = performance.now() - started;
      const trace = traced ? await this.trace.stepEnded() : undefined;
      if (trace !== undefined) step.trace = trace;
      this.runningSteps -= 1;
      this.#currentSteps = parent;
    }
  }

  /** Fails the assertion unless it held: the divergence goes into the trace. */
  #check(mismatch: Mismatch | null): void {
    if (mismatch === null) return;
    this.trace.diverged(mismatch.divergence);
    throw new HarnessError('ASSERTION_FAILED', mismatch.message);
  }

  async #assertSnapshot(
    value: unknown,
    options: { readonly name?: string; readonly raw?: boolean },
  ): Promise<void> {
    this.#snapshotCount += 1;
    const key = `${this.#def.name} ${options.name ?? String(this.#snapshotCount)}`;
    const normalized =
      options.raw === true
        ? normalizeSnapshot(value, null)
        : normalizeSnapshot(value, {
            ids: this.#account.createdIds,
            clockStart: this.#clock.start,
            clockEnd: this.#clock.now,
            today: localDate(this.#clock.start, this.#clock.timeZone),
          });
    const file = this.#settings.snapshots.fileFor(this.#def.file);
    const verdict = judgeSnapshot(key, file.path, await file.get(key), normalized, this.#settings);
    switch (verdict.kind) {
      case 'same':
        return;
      case 'write':
        await file.set(key, normalized, verdict.how);
        return;
      case 'missing':
        throw new HarnessError('SNAPSHOT_MISSING', verdict.message);
      case 'mismatch':
        this.trace.diverged(verdict.divergence);
        throw new HarnessError('SNAPSHOT_MISMATCH', verdict.message);
    }
  }

  #makeContext(mode: 'replay' | 'record'): ScenarioContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the context's getters read the run
    const run = this;
    const clock = this.#clock;
    return {
      name: this.#def.name,
      mode,
      timeZone: clock.timeZone,
      get now() {
        return clock.now;
      },
      get today() {
        return clock.today;
      },
      advanceClock: (seconds) => clock.advance(seconds),
      step: (name, fn) => run.#step(name, fn),
      account: () => run.#account,
      sync: () => run.#track(run.#sync()),
      get changes() {
        return run.#changes;
      },
      list: (view) => run.#list(view),
      project: (id): Promise<ProjectView> =>
        run.stores.main.reads.project(id, { today: clock.today }),
      entities: () => run.#entities(),
      store: this.stores.main,
      openStore: (url) => run.stores.openExtra(url),
      assertChanges: (expected: readonly ChangeMatcher[], options = {}) =>
        run.#check(
          matchChanges(expected, options.changes ?? run.#changes, options.subset === true),
        ),
      assertList: async (view, expected: readonly (string | DeepPartial<ViewRow>)[]) => {
        const rows = await run.#list(view);
        run.#check(matchList(view, clock.today, expected, rows));
      },
      assertSnapshot: (value, options = {}) => run.#assertSnapshot(value, options),
      assert: (condition: unknown, message?: string): void =>
        run.#check(matchCondition(condition, message)),
      assertEquals: (actual, expected, message) =>
        run.#check(matchValue(actual, expected, message)),
    };
  }
}

/** The scenario's write guard; unknown rule codes in its options are INVALID_OPTIONS. */
function scenarioGuard(def: ScenarioDefinition): ScenarioGuard {
  try {
    return new ScenarioGuard(def.options.guard);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new HarnessError(
      'INVALID_OPTIONS',
      `Cannot run scenario "${def.name}": ${error.message}`,
      { cause: error },
    );
  }
}
