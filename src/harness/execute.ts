/**
 * Running one scenario: read its cassette, plan the run, build the tape and `t`, run the script,
 * apply the sanitizers to what it left behind, and write (or, in replay, scan) the cassette.
 */
import { dirname, relative } from 'node:path';
import { THINGS_CLOUD_URL, type FetchLike } from '../cloud/index.ts';
import {
  assertNoSecrets,
  cassettePath,
  readCassette,
  writeCassette,
  type Cassette,
} from './cassette.ts';
import { ScenarioClock } from './clock.ts';
import { ScenarioRun, type ContextSettings } from './context.ts';
import { errorInfo, HarnessError, isHarnessError, type ErrorInfo } from './errors.ts';
import { planScenario, scenarioMode, type PlanSettings, type ScenarioPlan } from './plan.ts';
import { sanitize, type Aftermath } from './sanitizers.ts';
import { Tape } from './tape.ts';
import type { ScenarioDefinition, ScenarioResult } from './types.ts';

/** What running scenarios needs from the run. */
export interface ExecEnv extends PlanSettings, ContextSettings {
  /** The `fetch` recording goes through (default the global one). */
  readonly upstream?: FetchLike;
  /** How long to wait for requests still in flight after a scenario (default 5 s). */
  readonly settleMs?: number;
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
  const sanitizers: ErrorInfo[] = [];
  let error: unknown;
  let run: ScenarioRun | undefined;
  let mode: 'replay' | 'record' = 'replay';
  let recorded = false;
  let requests = 0;
  try {
    const cassette = await readCassette(cassetteDir);
    mode = scenarioMode(env.mode, cassette !== null);
    const plan = planScenario(def, env, cassette);
    const tape = scenarioTape(plan, env, cassette, cassetteDir);
    run = await ScenarioRun.open(def, env, tape, new ScenarioClock(plan.clockStart, plan.timeZone));
    await run.trace.begin();
    const guard = plan.mode === 'replay' ? guardNetwork() : null;
    let pendingOps = 0;
    let pendingRequests = 0;
    let runningSteps = 0;
    try {
      await def.fn(run.context);
    } catch (caught) {
      error = caught;
    } finally {
      // Judged at once: every operation the scenario awaited is finished by now.
      pendingOps = run.pendingOps;
      pendingRequests = tape.inFlight;
      runningSteps = run.runningSteps;
      guard?.restore();
    }
    requests =
      plan.mode === 'record'
        ? tape.recorded.length
        : (cassette?.requests.length ?? 0) - tape.unused().length + tape.misses.length;
    await run.settleOps(env.settleMs ?? 5000);
    await tape.settle(env.settleMs ?? 5000);
    const left: Aftermath = {
      threw: error !== undefined,
      pendingOps,
      pendingRequests,
      runningSteps,
      networkAttempts: guard?.attempts ?? [],
      misses: tape.misses,
      unused: tape.unused(),
      unsafeWrites: run.guard.reported,
      openStores: run.stores.closeLeftOpen(),
    };
    sanitizers.push(...sanitize(left, plan.sanitize));
    if (plan.mode === 'record' && error === undefined && sanitizers.length === 0) {
      recorded = await recordCassette(def, env, plan, tape, cassetteDir, sanitizers);
    } else if (plan.mode === 'replay' && plan.sanitize.secrets && env.credentials !== null) {
      await scanCassette(def, env.credentials, cassetteDir, sanitizers);
    }
  } catch (caught) {
    error ??= caught;
  }
  let trace: ScenarioResult['trace'];
  try {
    trace = await run?.trace.end();
  } finally {
    await run?.stores.close();
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

/** The tape of a planned run: the cassette in replay, the upstream service in record. */
function scenarioTape(
  plan: ScenarioPlan,
  env: ExecEnv,
  cassette: Cassette | null,
  cassetteDir: string,
): Tape {
  if (plan.mode === 'replay') return new Tape({ mode: 'replay', cassette, cassetteDir });
  return new Tape({
    mode: 'record',
    ...(env.upstream === undefined ? {} : { upstream: env.upstream }),
    secrets: env.credentials === null ? [] : [env.credentials.email, env.credentials.password],
  });
}

/**
 * Writes what the tape recorded as the scenario's cassette (nothing when it recorded nothing);
 * true when written. A secret found in the files is the secrets sanitizer's failure.
 */
async function recordCassette(
  def: ScenarioDefinition,
  env: ExecEnv,
  plan: ScenarioPlan,
  tape: Tape,
  cassetteDir: string,
  sanitizers: ErrorInfo[],
): Promise<boolean> {
  if (tape.recorded.length === 0) return false;
  try {
    await writeCassette(
      cassetteDir,
      {
        scenario: def.name,
        script: relative(dirname(dirname(cassetteDir)), def.file)
          .split('\\')
          .join('/'),
        clockStart: plan.clockStart,
        timeZone: plan.timeZone,
        recordedAgainst:
          (env.baseUrl ?? THINGS_CLOUD_URL) === THINGS_CLOUD_URL
            ? 'Things Cloud'
            : 'a local Things Cloud service',
      },
      tape.recorded,
      plan.sanitize.secrets ? tape.secrets : [],
    );
    return true;
  } catch (caught) {
    if (!isHarnessError(caught, 'SECRET_WRITTEN')) throw caught;
    sanitizers.push({ code: 'SECRET_WRITTEN', message: caught.message });
    return false;
  }
}

/** The secrets sanitizer in replay: the credentials of this run appear nowhere in the cassette. */
async function scanCassette(
  def: ScenarioDefinition,
  credentials: { readonly email: string; readonly password: string },
  cassetteDir: string,
  sanitizers: ErrorInfo[],
): Promise<void> {
  try {
    await assertNoSecrets(
      cassetteDir,
      [credentials.email, credentials.password],
      `the cassette of scenario "${def.name}"`,
    );
  } catch (caught) {
    if (!isHarnessError(caught, 'SECRET_WRITTEN')) throw caught;
    sanitizers.push({ code: 'SECRET_WRITTEN', message: caught.message });
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
