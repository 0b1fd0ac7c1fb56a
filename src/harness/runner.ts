/** The runner: find scenario files, load them, select, shuffle, run, save snapshots. */
import { glob, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { THINGS_CLOUD_URL, type FetchLike } from '../cloud/index.ts';
import { slugOf } from './cassette.ts';
import { errorInfo, HarnessError } from './errors.ts';
import { executeScenario, type ExecEnv } from './execute.ts';
import { collectScenarios } from './registry.ts';
import { SnapshotRegistry } from './snapshot.ts';
import {
  MODES,
  type ErrorInfo,
  type Mode,
  type RunReport,
  type ScenarioDefinition,
  type ScenarioResult,
} from './types.ts';

/** The file names the runner looks for inside directories. */
export const SCENARIO_FILE_PATTERN = '**/*.scenario.{ts,mts,js,mjs}';

/** Settings of a run, resolved from flags and environment. */
export interface RunSettings {
  readonly mode: Mode;
  readonly allowNet: boolean;
  readonly update: boolean;
  readonly ci: boolean;
  readonly credentials: { readonly email: string; readonly password: string } | null;
  readonly baseUrl?: string;
}

/** True when `CI` is set to something other than empty, `0` or `false`. */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env['CI'];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * Resolves flags and environment into settings, with the safe defaults: `replay` unless asked
 * (`--mode` or `THINGSTAPE_MODE`), and only `replay` when `CI` is set; recording needs
 * `--allow-net` and THINGS_USERNAME / THINGS_PASSWORD. Contradictions are `INVALID_OPTIONS`.
 */
export function resolveRunSettings(
  flags: {
    readonly mode?: string | undefined;
    readonly allowNet?: boolean;
    readonly update?: boolean;
    readonly baseUrl?: string | undefined;
  },
  env: Readonly<Record<string, string | undefined>>,
): RunSettings {
  const ci = isCi(env);
  const requested =
    flags.mode ?? (env['THINGSTAPE_MODE'] === '' ? undefined : env['THINGSTAPE_MODE']) ?? 'replay';
  if (!(MODES as readonly string[]).includes(requested)) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `Cannot run scenarios in mode "${requested}": the modes are ${MODES.join(', ')}`,
    );
  }
  const mode = requested as Mode;
  if (ci && mode !== 'replay') {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `Cannot run scenarios in mode "${mode}": CI is set, and in CI scenarios only replay their recordings`,
    );
  }
  if (ci && flags.update === true) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      'Cannot update snapshots: CI is set, and CI never writes snapshots; run with --update locally and commit them',
    );
  }
  const allowNet = flags.allowNet === true;
  if (mode === 'record' && !allowNet) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `Cannot record: recording talks to ${flags.baseUrl ?? THINGS_CLOUD_URL}; pass --allow-net to allow it`,
    );
  }
  const email = env['THINGS_USERNAME'];
  const password = env['THINGS_PASSWORD'];
  const credentials =
    email !== undefined && email !== '' && password !== undefined && password !== ''
      ? { email, password }
      : null;
  if (mode === 'record' && credentials === null) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      'Cannot record: set THINGS_USERNAME and THINGS_PASSWORD to the account to record against',
    );
  }
  let baseUrl: string | undefined;
  if (flags.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(flags.baseUrl);
    } catch {
      throw new HarnessError('INVALID_OPTIONS', `--base-url: "${flags.baseUrl}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `--base-url: "${flags.baseUrl}" is not an http(s) URL`,
      );
    }
    baseUrl = flags.baseUrl.replace(/\/+$/, '');
  }
  return {
    mode,
    allowNet,
    update: flags.update === true,
    ci,
    credentials,
    ...(baseUrl === undefined ? {} : { baseUrl }),
  };
}

/** The scenario files `patterns` name (files, directories searched for `*.scenario.ts`, globs), sorted. */
export async function findScenarioFiles(
  patterns: readonly string[],
  cwd: string,
): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns.length === 0 ? ['.'] : patterns) {
    const path = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
    const info = await stat(path).catch(() => null);
    if (info?.isFile() === true) {
      found.add(path);
      continue;
    }
    const [root, within] =
      info?.isDirectory() === true ? [path, SCENARIO_FILE_PATTERN] : [cwd, pattern];
    for await (const match of glob(within, {
      cwd: root,
      exclude: (name) => name === 'node_modules' || name.endsWith('.cassette'),
    })) {
      found.add(resolve(root, match));
    }
  }
  return [...found].sort();
}

/** Imports each file with a collector installed; a file that fails to load is an error, not a crash. */
export async function loadScenarioFiles(files: readonly string[]): Promise<{
  readonly definitions: ScenarioDefinition[];
  readonly errors: (ErrorInfo & { readonly file: string })[];
}> {
  const definitions: ScenarioDefinition[] = [];
  const errors: (ErrorInfo & { file: string })[] = [];
  for (const file of files) {
    try {
      definitions.push(...(await collectScenarios(file, () => import(pathToFileURL(file).href))));
    } catch (error) {
      const info = errorInfo(error);
      errors.push({ file, code: 'LOAD_FAILED', message: `Cannot load ${file}: ${info.message}` });
    }
  }
  return { definitions, errors };
}

/** Settings of {@link runScenarios}. */
export interface RunOptions extends RunSettings {
  /** Text contained in the name, or `/regex/flags`. */
  readonly filter?: string;
  /** Shuffle seed; `null`/absent keeps file order. */
  readonly shuffle?: number | null;
  /** The `fetch` recording goes through (tests record against an in-process fake). */
  readonly upstream?: FetchLike;
  /** Wall clock in ms, read only to start a recording's clock. */
  readonly wallClock?: () => number;
  /** Called after each scenario (streaming reporters). */
  readonly onResult?: (result: ScenarioResult) => void;
  /** Errors found while loading, carried into the report. */
  readonly loadErrors?: readonly (ErrorInfo & { readonly file?: string })[];
  readonly files?: readonly string[];
  /** Keep a trace of each step: its changes, the lists before and after, divergences (html reports). */
  readonly trace?: boolean;
}

/** Runs scenarios one after another and saves the snapshots they added or changed. */
export async function runScenarios(
  definitions: readonly ScenarioDefinition[],
  options: RunOptions,
): Promise<RunReport> {
  const started = performance.now();
  const errors: (ErrorInfo & { file?: string })[] = [...(options.loadErrors ?? [])];
  const seen = new Map<string, string>();
  for (const def of definitions) {
    const key = `${def.file}\u0000${slugOf(def.name)}`;
    const other = seen.get(key);
    if (other !== undefined) {
      errors.push({
        file: def.file,
        code: 'LOAD_FAILED',
        message: `Scenarios "${other}" and "${def.name}" of ${def.file} would share a cassette: give them names that differ in letters or digits`,
      });
    }
    seen.set(key, def.name);
  }
  let selected = [...definitions];
  if (selected.some((d) => d.options.only === true)) {
    selected = selected.filter((d) => d.options.only === true);
    errors.push({
      code: 'ONLY',
      message: 'Scenarios marked { only: true } ran alone: remove `only` before committing',
    });
  }
  if (options.filter !== undefined && options.filter !== '') {
    const match = nameMatcher(options.filter);
    selected = selected.filter((d) => match(d.name));
  }
  const seed = options.shuffle ?? null;
  if (seed !== null) selected = shuffle(selected, seed);
  const env: ExecEnv = {
    mode: options.mode,
    allowNet: options.allowNet,
    credentials: options.credentials,
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    ...(options.upstream === undefined ? {} : { upstream: options.upstream }),
    update: options.update,
    ci: options.ci,
    snapshots: new SnapshotRegistry(),
    wallClock: options.wallClock ?? Date.now,
    ...(options.trace === true ? { trace: true } : {}),
  };
  const results: ScenarioResult[] = [];
  for (const def of selected) {
    const result = await executeScenario(def, env);
    results.push(result);
    options.onResult?.(result);
  }
  const snapshots = options.ci ? { added: 0, updated: 0 } : await env.snapshots.saveAll();
  return {
    mode: options.mode,
    seed,
    files: options.files ?? [...new Set(definitions.map((d) => d.file))],
    scenarios: results,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    ignored: results.filter((r) => r.status === 'ignored').length,
    durationMs: performance.now() - started,
    snapshots: { added: snapshots.added, updated: snapshots.updated },
    errors,
  };
}

/** True when the run failed: a scenario failed or something outside them did. */
export function runFailed(report: RunReport): boolean {
  return report.failed > 0 || report.errors.length > 0;
}

function nameMatcher(filter: string): (name: string) => boolean {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(filter);
  if (regex !== null) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(regex[1] ?? '', regex[2]);
    } catch (error) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `--filter: ${filter} is not a regular expression (${String(error)})`,
      );
    }
    return (name) => pattern.test(name);
  }
  return (name) => name.includes(filter);
}

/** A seeded Fisher–Yates shuffle (mulberry32). */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `--shuffle` without a value: a seed from the wall clock (printed, so the order can be replayed). */
export function parseShuffle(
  value: string | undefined,
  now: () => number = Date.now,
): number | null {
  if (value === undefined) return null;
  if (value === '' || value === 'true') return now() % 2_147_483_647;
  if (!/^\d+$/.test(value))
    throw new HarnessError(
      'INVALID_OPTIONS',
      `--shuffle: expected a whole number seed, got "${value}"`,
    );
  return Number(value) % 4_294_967_296;
}
