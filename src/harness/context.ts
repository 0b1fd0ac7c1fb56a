/**
 * Running one scenario: its cassette, tape, clock, account and database; the `t` it receives; and
 * the sanitizers that check what it left behind.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CloudClient, CloudError, THINGS_CLOUD_URL, type FetchLike } from '../cloud/index.ts';
import {
  LIST_VIEWS,
  isValidTimeZone,
  localDate,
  type Change,
  type Entity,
  type ListViewName,
  type ProjectView,
  type ViewRow,
} from '../engine/index.ts';
import { isThingstapeError } from '../errors.ts';
import { REDACTED_PLACEHOLDER, unusableSecret } from '../fixture/redact.ts';
import type { CivilDate } from '../protocol/index.ts';
import { HISTORY_KEY_PLACEHOLDER } from '../fixture/types.ts';
import { openStore, type Store } from '../store/index.ts';
import { CloudHistorySource, syncHistory } from '../sync/index.ts';
import { ScenarioAccount } from './account.ts';
import { assertNoSecrets, readCassette, writeCassette } from './cassette.ts';
import { ScenarioClock, SeededIds } from './clock.ts';
import { diffValues, formatDiffs, partialMismatches, show, type FieldDiff } from './diff.ts';
import { HarnessError, isHarnessError } from './errors.ts';
import { ScenarioGuard } from './guard.ts';
import type { WireWrite } from './payloads.ts';
import { normalizeSnapshot, type SnapshotRegistry } from './snapshot.ts';
import { shownUrl, Tape, type TapeMiss, type TapeRequest } from './tape.ts';
import type {
  ChangeComparison,
  ChangeMatcher,
  DeepPartial,
  Divergence,
  ErrorInfo,
  Mode,
  ScenarioContext,
  ScenarioDefinition,
  ScenarioFn,
  ScenarioResult,
  StepResult,
  StepTrace,
  TraceLists,
  TraceRequest,
} from './types.ts';

/** The clock start of a scenario replayed without a cassette (it makes no request): 2026-01-01T12:00Z. */
export const DEFAULT_CLOCK_START = 1_767_268_800;

/** What running scenarios needs from the run. */
export interface ExecEnv {
  readonly mode: Mode;
  readonly allowNet: boolean;
  /** From THINGS_USERNAME / THINGS_PASSWORD; needed to record. */
  readonly credentials: { readonly email: string; readonly password: string } | null;
  /** The service to record against (default Things Cloud). */
  readonly baseUrl?: string;
  /** The `fetch` recording goes through (default the global one). */
  readonly upstream?: FetchLike;
  /** Replace differing snapshots. */
  readonly update: boolean;
  /** In CI snapshots are never written. */
  readonly ci: boolean;
  readonly snapshots: SnapshotRegistry;
  /** Wall clock in ms (only read to start a recording's clock). */
  readonly wallClock: () => number;
  /** How long to wait for requests still in flight after a scenario (default 5 s). */
  readonly settleMs?: number;
  /** Keep a trace of every step (changes, lists before and after, divergences). */
  readonly trace?: boolean;
}

/** `examples/today.scenario.cassette/<slug of the name>`. */
export function cassettePath(file: string, name: string): string {
  return join(
    dirname(file),
    `${basename(file).replace(/\.[cm]?[jt]s$/, '')}.cassette`,
    slugOf(name),
  );
}

/** A directory name for a scenario name: lower case, `-` between words, at most 80 characters. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return slug === '' ? 'scenario' : slug;
}

/** A thrown value as reports show it (stack only for errors that are not thingstape's own). */
export function errorInfo(error: unknown): ErrorInfo {
  if (isThingstapeError(error) || isHarnessError(error)) {
    return { code: (error as { code: string }).code, message: error.message };
  }
  if (error instanceof Error) {
    const stack = (error.stack ?? '').split('\n').slice(1, 6).join('\n');
    return {
      code: error.name,
      message: stack === '' ? error.message : `${error.message}\n${stack}`,
    };
  }
  return { code: 'THROWN', message: String(error) };
}

/** Runs one scenario with its sanitizers; never throws (failures are in the result). */
export async function executeScenario(
  def: ScenarioDefinition,
  env: ExecEnv,
): Promise<ScenarioResult> {
  const started = performance.now();
  const cassetteDir = cassettePath(def.file, def.name);
  const base = { file: def.file, name: def.name, cassette: cassetteDir };
  if (def.options.ignore === true) {
    return {
      ...base,
      status: 'ignored',
      mode: null,
      durationMs: 0,
      steps: [],
      sanitizers: [],
      recorded: false,
      requests: 0,
    };
  }
  const sanitize = {
    requests: true,
    ops: true,
    resources: true,
    secrets: true,
    ...def.options.sanitize,
  };
  const sanitizers: ErrorInfo[] = [];
  const fail = (code: ConstructorParameters<typeof HarnessError>[0], message: string): void => {
    sanitizers.push({ code, message });
  };
  let error: unknown;
  let run: ScenarioRun | undefined;
  let mode: 'replay' | 'record' = 'replay';
  let recorded = false;
  let requests = 0;
  try {
    const cassette = await readCassette(cassetteDir);
    mode =
      env.mode === 'replay'
        ? 'replay'
        : env.mode === 'record'
          ? 'record'
          : cassette === null
            ? 'record'
            : 'replay';
    if (mode === 'record' && !env.allowNet) {
      throw new HarnessError(
        'NET_NOT_ALLOWED',
        `Cannot record scenario "${def.name}": recording talks to ${env.baseUrl ?? THINGS_CLOUD_URL} and needs --allow-net`,
      );
    }
    if (mode === 'record' && env.credentials === null) {
      throw new HarnessError(
        'MISSING_CREDENTIALS',
        `Cannot record scenario "${def.name}": set THINGS_USERNAME and THINGS_PASSWORD to the account to record against`,
      );
    }
    const weak =
      mode === 'record' && env.credentials !== null
        ? unusableSecret('THINGS_PASSWORD', env.credentials.password)
        : null;
    if (weak !== null) {
      throw new HarnessError(
        'SECRET_TOO_SHORT',
        `Cannot record scenario "${def.name}": ${weak}; use a longer password (thingstape serve accepts any)`,
      );
    }
    const timeZone = def.options.timeZone ?? 'UTC';
    if (!isValidTimeZone(timeZone)) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `Cannot run scenario "${def.name}": unknown time zone "${timeZone}"`,
      );
    }
    const pinned =
      def.options.clock === undefined ? null : Math.floor(Date.parse(def.options.clock) / 1000);
    if (pinned !== null && !Number.isSafeInteger(pinned)) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `Cannot run scenario "${def.name}": clock ${JSON.stringify(def.options.clock)} is not an ISO 8601 instant`,
      );
    }
    if (mode === 'replay' && cassette !== null) {
      if (cassette.manifest.timeZone !== timeZone) {
        throw new HarnessError(
          'INVALID_CASSETTE',
          `Cannot replay scenario "${def.name}": its cassette was recorded in zone ${cassette.manifest.timeZone}, the script now says ${timeZone}; re-record it`,
        );
      }
      if (pinned !== null && cassette.clockStart !== pinned) {
        throw new HarnessError(
          'INVALID_CASSETTE',
          `Cannot replay scenario "${def.name}": its cassette starts at ${cassette.manifest.recordedAt}, the script pins ${def.options.clock}; re-record it`,
        );
      }
    }
    const clockStart =
      mode === 'record'
        ? (pinned ?? Math.floor(env.wallClock() / 1000))
        : (cassette?.clockStart ?? pinned ?? DEFAULT_CLOCK_START);
    const tape =
      mode === 'replay'
        ? new Tape({ mode: 'replay', cassette, cassetteDir })
        : new Tape({
            mode: 'record',
            ...(env.upstream === undefined ? {} : { upstream: env.upstream }),
            secrets:
              env.credentials === null ? [] : [env.credentials.email, env.credentials.password],
          });
    run = await ScenarioRun.open(def, env, mode, tape, new ScenarioClock(clockStart, timeZone));
    await run.beginTrace();
    const guard = mode === 'replay' ? guardNetwork() : null;
    let pendingOps = 0;
    let pendingRequests = 0;
    try {
      await def.fn(run.context);
    } catch (caught) {
      error = caught;
    } finally {
      // Judged at once: every operation the scenario awaited is finished by now.
      pendingOps = run.pendingOps;
      pendingRequests = tape.inFlight;
      guard?.restore();
    }
    requests =
      mode === 'record'
        ? tape.recorded.length
        : (cassette?.requests.length ?? 0) - tape.unused().length + tape.misses.length;
    if (sanitize.ops && pendingOps + pendingRequests > 0) {
      fail(
        'REQUEST_IN_FLIGHT',
        `${pendingOps} operation(s) and ${pendingRequests} request(s) were still running when the scenario ended: await every t.sync() and account call`,
      );
    }
    if (sanitize.ops && run.runningSteps > 0) {
      fail(
        'STEP_LEAK',
        `${run.runningSteps} step(s) were still running when the scenario ended: await every t.step()`,
      );
    }
    await run.settleOps(env.settleMs ?? 5000);
    await tape.settle(env.settleMs ?? 5000);
    if (guard !== null && guard.attempts.length > 0) {
      fail(
        'NET_NOT_ALLOWED',
        `The scenario tried to reach the network in replay: ${guard.attempts.join(', ')}; only the scenario's account and t.sync() are served from the cassette`,
      );
    }
    if (sanitize.requests && error === undefined && tape.misses.length > 0) {
      fail(
        'UNMATCHED_REQUEST',
        `${tape.misses.length} request(s) had no recording (the scenario caught the error):\n${tape.misses.map((m) => m.message).join('\n')}`,
      );
    }
    const unused = tape.unused();
    if (sanitize.requests && error === undefined && unused.length > 0) {
      fail(
        'UNUSED_RECORDING',
        `${unused.length} recorded request(s) were not made: ${unused
          .map(
            ({ index, request }) =>
              `#${index + 1} ${request.method} ${request.url.split(HISTORY_KEY_PLACEHOLDER).join('<key>')}`,
          )
          .join(
            '; ',
          )}. The script changed since it was recorded: re-record it (--mode record --allow-net) if that is intended`,
      );
    }
    const unsafe = run.guard.reported;
    if (unsafe.length > 0) {
      fail(
        'UNSAFE_WRITE',
        `${unsafe.length} violation(s) of the write rules in commits the scenario sent (guard "report"); each would break a real Things account:\n${unsafe.map((v) => `  ${v.code} ${v.message}`).join('\n')}`,
      );
    }
    const leaked = run.openStores();
    if (sanitize.resources && leaked.length > 0) {
      fail(
        'HANDLE_LEAK',
        `${leaked.length} database(s) opened with t.openStore() were not closed: ${leaked.join(', ')}`,
      );
    }
    if (
      mode === 'record' &&
      error === undefined &&
      sanitizers.length === 0 &&
      tape.recorded.length > 0
    ) {
      try {
        await writeCassette(
          cassetteDir,
          {
            scenario: def.name,
            script: relative(dirname(dirname(cassetteDir)), def.file)
              .split('\\')
              .join('/'),
            clockStart,
            timeZone,
            recordedAgainst:
              (env.baseUrl ?? THINGS_CLOUD_URL) === THINGS_CLOUD_URL
                ? 'Things Cloud'
                : 'a local Things Cloud service',
          },
          tape.recorded,
          sanitize.secrets ? tape.secrets : [],
        );
        recorded = true;
      } catch (caught) {
        if (!isHarnessError(caught, 'SECRET_WRITTEN')) throw caught;
        fail('SECRET_WRITTEN', caught.message);
      }
    } else if (mode === 'replay' && sanitize.secrets && env.credentials !== null) {
      try {
        await assertNoSecrets(
          cassetteDir,
          [env.credentials.email, env.credentials.password],
          `the cassette of scenario "${def.name}"`,
        );
      } catch (caught) {
        if (!isHarnessError(caught, 'SECRET_WRITTEN')) throw caught;
        fail('SECRET_WRITTEN', caught.message);
      }
    }
  } catch (caught) {
    error ??= caught;
  }
  let trace: ScenarioResult['trace'];
  try {
    trace = await run?.endTrace();
  } finally {
    await run?.close();
  }
  const failed = error !== undefined || sanitizers.length > 0;
  return {
    ...base,
    status: failed ? 'failed' : 'passed',
    mode,
    durationMs: performance.now() - started,
    steps: run?.steps ?? [],
    ...(error === undefined ? {} : { error: errorInfo(error) }),
    sanitizers,
    recorded,
    requests,
    ...(trace === undefined ? {} : { trace }),
  };
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

/** Replaces the global `fetch` with one that refuses (replay needs no network). */
function guardNetwork(): { readonly attempts: string[]; restore(): void } {
  const original = globalThis.fetch;
  const attempts: string[] = [];
  globalThis.fetch = (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    attempts.push(new URL(url).origin);
    return Promise.reject(
      new HarnessError(
        'NET_NOT_ALLOWED',
        `Cannot fetch ${new URL(url).origin} in replay: the network is not allowed (record with --allow-net)`,
      ),
    );
  };
  return {
    attempts,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}

interface Session {
  readonly key: string;
  readonly startHead: number;
  head: number;
}

interface MutableStep {
  name: string;
  status: 'passed' | 'failed';
  durationMs: number;
  steps: MutableStep[];
  error?: ErrorInfo;
  trace?: StepTrace;
}

/** What a traced step gathers while it runs. */
interface TraceFrame {
  readonly todayBefore: CivilDate;
  readonly listsBefore: TraceLists | null;
  readonly changes: Change[];
  readonly divergences: Divergence[];
}

/** A request as traces show it. */
function traceRequest(request: TapeRequest): TraceRequest {
  const body = request.body ?? request.text;
  return {
    method: request.method,
    url: shownUrl(request.url),
    ...(body === undefined ? {} : { body }),
  };
}

/** A miss of the tape as a divergence. */
function requestDivergence(miss: TapeMiss): Divergence {
  return {
    kind: 'request',
    actual: traceRequest(miss.request),
    nearest:
      miss.nearest === null
        ? null
        : {
            number: miss.nearest.index + 1,
            of: miss.nearest.of,
            used: miss.nearest.used,
            request: traceRequest(miss.nearest.request),
          },
    diffs: miss.diffs,
    message: miss.message,
  };
}

/** The live state of one scenario and the `t` built over it. */
class ScenarioRun {
  readonly context: ScenarioContext;
  readonly steps: MutableStep[] = [];
  runningSteps = 0;
  readonly #def: ScenarioDefinition;
  readonly #env: ExecEnv;
  readonly #clock: ScenarioClock;
  readonly #client: CloudClient;
  readonly #store: Store;
  readonly #tempDir: string;
  readonly #account: ScenarioAccount;
  readonly guard: ScenarioGuard;
  readonly #extraStores = new Map<Store, string>();
  readonly #ops = new Set<Promise<unknown>>();
  readonly #tape: Tape;
  /** The frames of the running steps, innermost last (the scenario's body first); empty untraced. */
  readonly #frames: TraceFrame[] = [];
  #missesSeen = 0;
  #currentSteps: MutableStep[];
  #session: Promise<Session> | undefined;
  #synced = false;
  #changes: Change[] = [];
  #snapshotCount = 0;

  private constructor(
    def: ScenarioDefinition,
    env: ExecEnv,
    mode: 'replay' | 'record',
    tape: Tape,
    clock: ScenarioClock,
    store: Store,
    tempDir: string,
  ) {
    this.#def = def;
    this.#env = env;
    this.#clock = clock;
    this.#store = store;
    this.#tempDir = tempDir;
    this.#tape = tape;
    this.#currentSteps = this.steps;
    const replaying = mode === 'replay';
    const baseUrl = replaying ? THINGS_CLOUD_URL : (env.baseUrl ?? THINGS_CLOUD_URL);
    this.#client = new CloudClient({
      baseUrl,
      fetch: tape.fetch,
      timeoutMs: 30_000,
      // Replay: retries of recorded failures happen at once, with a fixed jitter.
      ...(replaying ? { sleep: () => Promise.resolve(), random: () => 0.5 } : {}),
      ...(!replaying && baseUrl === THINGS_CLOUD_URL ? { minIntervalMs: 1000 } : {}),
    });
    this.guard = scenarioGuard(def);
    const ids = new SeededIds(`${def.options.seed ?? ''}\u0000${def.name}\u0000${clock.start}`);
    this.#account = new ScenarioAccount((group) => this.#track(this.#commit(group)), clock, ids);
    this.context = this.#makeContext(mode);
  }

  /** Opens the scenario's temp database. */
  static async open(
    def: ScenarioDefinition,
    env: ExecEnv,
    mode: 'replay' | 'record',
    tape: Tape,
    clock: ScenarioClock,
  ): Promise<ScenarioRun> {
    const tempDir = await mkdtemp(join(tmpdir(), 'thingstape-scenario-'));
    try {
      const store = await openStore(pathToFileURL(join(tempDir, 'scenario.db')).href);
      return new ScenarioRun(def, env, mode, tape, clock, store, tempDir);
    } catch (error) {
      await rm(tempDir, { recursive: true, force: true });
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

  /** Opens the scenario body's trace frame (lists at the start), when the run is traced. */
  async beginTrace(): Promise<void> {
    if (this.#env.trace !== true) return;
    this.#frames.push(await this.#openFrame());
  }

  /** Closes the body's frame: its changes, the lists at the end, divergences not in a step. */
  async endTrace(): Promise<ScenarioResult['trace']> {
    const frame = this.#frames.pop();
    if (frame === undefined) return undefined;
    return { ...(await this.#closeFrame(frame)), timeZone: this.#clock.timeZone };
  }

  async #openFrame(): Promise<TraceFrame> {
    return {
      todayBefore: this.#clock.today,
      listsBefore: await this.#traceLists(),
      changes: [],
      divergences: [],
    };
  }

  async #closeFrame(frame: TraceFrame): Promise<StepTrace> {
    // Requests without a recording made since the last frame closed happened in this one.
    const misses = this.#tape.misses.slice(this.#missesSeen);
    this.#missesSeen = this.#tape.misses.length;
    return {
      todayBefore: frame.todayBefore,
      todayAfter: this.#clock.today,
      changes: frame.changes,
      listsBefore: frame.listsBefore,
      listsAfter: await this.#traceLists(),
      divergences: [...misses.map(requestDivergence), ...frame.divergences],
    };
  }

  /** Every list now, as traces keep them; `null` when the store cannot be read. */
  async #traceLists(): Promise<TraceLists | null> {
    try {
      const today = this.#clock.today;
      const lists = {} as Record<ListViewName, TraceLists[ListViewName]>;
      for (const name of Object.keys(LIST_VIEWS) as ListViewName[]) {
        const { rows } = await this.#store.reads.list(name, { today });
        lists[name] = rows.map((row) => ({
          id: row.id,
          title: row.title,
          type: row.type,
          status: row.status,
        }));
      }
      return lists;
    } catch {
      return null;
    }
  }

  /** Notes a divergence in the innermost traced frame. */
  #diverged(divergence: Divergence): void {
    this.#frames.at(-1)?.divergences.push(divergence);
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#ops.add(work);
    const done = (): void => void this.#ops.delete(work);
    work.then(done, done);
    return work;
  }

  /** Stores opened with `t.openStore()` and still open (closed now), by URL. */
  openStores(): string[] {
    const urls = [...this.#extraStores.values()];
    for (const store of this.#extraStores.keys()) store.close();
    this.#extraStores.clear();
    return urls;
  }

  /** Closes the database and removes the temp directory. */
  async close(): Promise<void> {
    for (const store of this.#extraStores.keys()) store.close();
    this.#store.close();
    await rm(this.#tempDir, { recursive: true, force: true });
  }

  #start(): Promise<Session> {
    const credentials = this.#env.credentials;
    const replaying = this.context.mode === 'replay';
    this.#session ??= (async () => {
      const info = await this.#client.account(
        replaying || credentials === null ? REDACTED_PLACEHOLDER : credentials.email,
        replaying || credentials === null ? REDACTED_PLACEHOLDER : credentials.password,
      );
      const meta = await this.#client.historyMeta(info.historyKey);
      return {
        key: info.historyKey,
        startHead: meta.latestServerIndex,
        head: meta.latestServerIndex,
      };
    })();
    return this.#session;
  }

  async #commit(group: Readonly<Record<string, WireWrite>>): Promise<number> {
    await this.guard.check(group, (ids) => this.#store.loadEntities(ids));
    const session = await this.#start();
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.#client.commit(session.key, session.head, group);
        session.head = result.head;
        this.guard.committed(group);
        return result.head - 1;
      } catch (error) {
        // Someone committed first (spec 10.1 step 5): learn the new head and try again, bounded.
        if (error instanceof CloudError && error.code === 'OUTDATED_ANCESTOR' && attempt < 3) {
          session.head = (await this.#client.historyMeta(session.key)).latestServerIndex;
          continue;
        }
        throw error;
      }
    }
  }

  async #sync(): Promise<Change[]> {
    const frame = this.#frames.at(-1);
    const session = await this.#start();
    if (!this.#synced) {
      this.#synced = true;
      if (this.#def.options.fromStart !== true && session.startHead > 0)
        await this.#store.startAt(session.startHead);
    }
    const changes: Change[] = [];
    const summary = await syncHistory({
      source: new CloudHistorySource(this.#client, session.key, {
        description: `the account of scenario "${this.#def.name}"`,
      }),
      store: this.#store,
      context: { timeZone: this.#clock.timeZone, referenceDate: this.#clock.today },
      meta: {
        historyKeyHash: createHash('sha256').update(HISTORY_KEY_PLACEHOLDER).digest('hex'),
        timeZone: this.#clock.timeZone,
        source: { scenario: this.#def.name },
      },
      onPage: (outcome) => changes.push(...outcome.changes),
    });
    session.head = Math.max(session.head, summary.head);
    this.#changes = changes;
    frame?.changes.push(...changes);
    return changes;
  }

  async #entities(): Promise<Entity[]> {
    const out: Entity[] = [];
    for await (const entity of this.#store.entities({ includeDeleted: true })) out.push(entity);
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
    return (await this.#store.reads.list(view, { today: this.#clock.today })).rows;
  }

  async #step(name: string, fn: ScenarioFn): Promise<void> {
    const step: MutableStep = { name, status: 'passed', durationMs: 0, steps: [] };
    const parent = this.#currentSteps;
    parent.push(step);
    this.#currentSteps = step.steps;
    this.runningSteps += 1;
    const traced = this.#frames.length > 0;
    if (traced) this.#frames.push(await this.#openFrame());
    const started = performance.now();
    try {
      await fn(this.context);
    } catch (error) {
      step.status = 'failed';
      step.error = errorInfo(error);
      throw error;
    } finally {
      step.durationMs = performance.now() - started;
      const frame = traced ? this.#frames.pop() : undefined;
      if (frame !== undefined) step.trace = await this.#closeFrame(frame);
      this.runningSteps -= 1;
      this.#currentSteps = parent;
    }
  }

  #assertChanges(
    expected: readonly ChangeMatcher[],
    options: { readonly changes?: readonly Change[]; readonly subset?: boolean },
  ): void {
    const actual = options.changes ?? this.#changes;
    const line = (c: Change): string => `${c.type} ${c.entityId} @${c.serverIndex}`;
    if (options.subset === true) {
      let from = 0;
      for (const [i, want] of expected.entries()) {
        const at = actual.findIndex((c, j) => j >= from && partialMismatches(want, c).length === 0);
        if (at === -1) {
          const message = `Changes do not contain expected[${i}] ${show(want)} after position ${from}. Actual changes:\n${actual.map((c, j) => `  [${j}] ${line(c)}`).join('\n')}`;
          this.#diverged({
            kind: 'changes',
            comparisons: [
              { index: i, outcome: 'missing', expected: want, diffs: [] },
              ...actual.map((c, j): ChangeComparison => ({
                index: j,
                outcome: j < from ? 'ok' : 'unexpected',
                actual: c,
                diffs: [],
              })),
            ],
            message,
          });
          throw new HarnessError('ASSERTION_FAILED', message);
        }
        from = at + 1;
      }
      return;
    }
    const lines: string[] = [];
    const comparisons: ChangeComparison[] = [];
    const n = Math.max(expected.length, actual.length);
    let bad = false;
    for (let i = 0; i < n; i++) {
      const want = expected[i];
      const got = actual[i];
      if (want === undefined && got !== undefined) {
        bad = true;
        lines.push(`  [${i}] unexpected ${line(got)}`);
        comparisons.push({ index: i, outcome: 'unexpected', actual: got, diffs: [] });
      } else if (got === undefined) {
        bad = true;
        lines.push(`  [${i}] missing ${show(want)}`);
        comparisons.push({ index: i, outcome: 'missing', expected: want, diffs: [] });
      } else {
        const diffs = partialMismatches(want, got);
        comparisons.push({
          index: i,
          outcome: diffs.length === 0 ? 'ok' : 'mismatch',
          expected: want,
          actual: got,
          diffs,
        });
        if (diffs.length === 0) lines.push(`  [${i}] ok ${line(got)}`);
        else {
          bad = true;
          lines.push(
            `  [${i}] ${line(got)} does not match:\n${formatDiffs(diffs).replace(/^/gm, '    ')}`,
          );
        }
      }
    }
    if (bad) {
      const message = `Changes do not match (${expected.length} expected, ${actual.length} actual):\n${lines.join('\n')}`;
      this.#diverged({ kind: 'changes', comparisons, message });
      throw new HarnessError('ASSERTION_FAILED', message);
    }
  }

  async #assertList(
    view: ListViewName,
    expected: readonly (string | DeepPartial<ViewRow>)[],
  ): Promise<void> {
    const rows = await this.#list(view);
    const want = expected.map((e) => (typeof e === 'string' ? { title: e } : e));
    const diffs = partialMismatches(want, rows);
    if (diffs.length > 0) {
      const message = `List "${view}" on ${this.#clock.today} does not match:\n${formatDiffs(diffs)}\nActual rows: ${rows.length === 0 ? '(none)' : rows.map((r) => show(r.title)).join(', ')}`;
      this.#diverged({
        kind: 'list',
        view,
        today: this.#clock.today,
        expected: want,
        actual: rows.map((r) => ({ id: r.id, title: r.title, type: r.type, status: r.status })),
        diffs,
        message,
      });
      throw new HarnessError('ASSERTION_FAILED', message);
    }
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
    const file = this.#env.snapshots.fileFor(this.#def.file);
    const stored = await file.get(key);
    if (stored === undefined) {
      if (this.#env.ci) {
        throw new HarnessError(
          'SNAPSHOT_MISSING',
          `Snapshot "${key}" does not exist in ${file.path}, and CI never writes snapshots: run the scenario locally and commit the file`,
        );
      }
      await file.set(key, normalized, 'added');
      return;
    }
    const diffs = diffValues(stored, normalized);
    if (diffs.length === 0) return;
    if (this.#env.update && !this.#env.ci) {
      await file.set(key, normalized, 'updated');
      return;
    }
    const message = `Snapshot "${key}" differs from ${file.path}:\n${formatDiffs(diffs, { expected: 'stored', actual: 'actual' })}\nRun with --update to accept the new value.`;
    this.#diverged({ kind: 'value', diffs, message });
    throw new HarnessError('SNAPSHOT_MISMATCH', message);
  }

  #makeContext(mode: 'replay' | 'record'): ScenarioContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the context's getters read the run
    const run = this;
    const clock = this.#clock;
    const context: ScenarioContext = {
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
      project: (id): Promise<ProjectView> => run.#store.reads.project(id, { today: clock.today }),
      entities: () => run.#entities(),
      store: this.#store,
      openStore: async (url) => {
        const target =
          url ?? pathToFileURL(join(run.#tempDir, `extra-${run.#extraStores.size + 1}.db`)).href;
        const store = await openStore(target);
        const tracked: Store = new Proxy(store, {
          get(inner, property) {
            if (property === 'close') {
              return () => {
                run.#extraStores.delete(tracked);
                inner.close();
              };
            }
            const value: unknown = Reflect.get(inner, property, inner);
            return typeof value === 'function'
              ? (value as (...args: unknown[]) => unknown).bind(inner)
              : value;
          },
        });
        run.#extraStores.set(tracked, store.url);
        return tracked;
      },
      assertChanges: (expected, options = {}) => run.#assertChanges(expected, options),
      assertList: (view, expected) => run.#assertList(view, expected),
      assertSnapshot: (value, options = {}) => run.#assertSnapshot(value, options),
      assert: (condition: unknown, message?: string): void => {
        if (!condition) {
          run.#diverged({ kind: 'value', diffs: [], message: message ?? 'Assertion failed' });
          throw new HarnessError('ASSERTION_FAILED', message ?? 'Assertion failed');
        }
      },
      assertEquals: (actual, expected, message) => {
        const diffs: FieldDiff[] = diffValues(expected, actual);
        if (diffs.length > 0) {
          const text = `${message ?? 'Values differ'}:\n${formatDiffs(diffs)}`;
          run.#diverged({ kind: 'value', diffs, message: text });
          throw new HarnessError('ASSERTION_FAILED', text);
        }
      },
    };
    return context;
  }
}

/** Steps as results (for reports). */
export function stepResults(steps: readonly MutableStep[]): StepResult[] {
  return steps.map((s) => ({ ...s, steps: stepResults(s.steps) }));
}
