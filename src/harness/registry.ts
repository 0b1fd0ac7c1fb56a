/**
 * Where scenarios are declared. `scenario()` adds a scenario to the runner that is importing the
 * file (see {@link collectScenarios}); when no runner is importing it — the file was started
 * directly, `node file.scenario.ts` — the scenarios are kept, and once the module and everything
 * it started have finished (`beforeExit`) the file is handed to the CLI as
 * `thingstape run <file> <arguments>`, so a direct run has the same flags, reports and exit codes.
 *
 * A leaf: of its neighbours it imports only types. The CLI is reached through the package's
 * `#cli` entry (the one `bin/thingstape.js` starts), loaded only when a file runs directly.
 */
import { resolve } from 'node:path';
import type { ScenarioDefinition, ScenarioFn, ScenarioOptions } from './types.ts';

const COLLECTOR_KEY = Symbol.for('thingstape.harness.collector');
const DIRECT_KEY = Symbol.for('thingstape.harness.direct');

/** Where a runner collects the scenarios of the file it imports. */
export interface Collector {
  currentFile: string;
  readonly scenarios: ScenarioDefinition[];
}

type Globals = Record<symbol, unknown>;

/** Declares a scenario; `t` gives steps, the account, sync, views and assertions. */
export function scenario(name: string, fn: ScenarioFn): void;
/** Declares a scenario with options (time zone, pinned clock, seed, sanitizers, ignore/only). */
export function scenario(name: string, options: ScenarioOptions, fn: ScenarioFn): void;
export function scenario(name: string, a: ScenarioOptions | ScenarioFn, b?: ScenarioFn): void {
  const fn = typeof a === 'function' ? a : b;
  const options = typeof a === 'function' ? {} : a;
  if (typeof name !== 'string' || name.trim() === '')
    throw new TypeError('scenario() needs a name');
  if (typeof fn !== 'function') throw new TypeError(`scenario("${name}") needs a function`);
  const globals = globalThis as Globals;
  const collector = globals[COLLECTOR_KEY] as Collector | undefined;
  if (collector !== undefined) {
    collector.scenarios.push({ name, options, fn, file: collector.currentFile });
    return;
  }
  const file = resolve(process.argv[1] ?? 'scenario.ts');
  let direct = globals[DIRECT_KEY] as Map<string, ScenarioDefinition[]> | undefined;
  if (direct === undefined) {
    direct = new Map();
    globals[DIRECT_KEY] = direct;
    // Inside a vitest worker the file is being inspected, not run.
    if (!('__vitest_worker__' in globalThis)) {
      process.once('beforeExit', () => void runDirectly(file, process.argv.slice(2)));
    }
  }
  const list = direct.get(file) ?? [];
  direct.set(file, list);
  list.push({ name, options, fn, file });
}

/**
 * Runs `load` (which imports `file`) with a collector installed and returns the scenarios `file`
 * declared. A file that already ran directly is not evaluated again by its import: its scenarios
 * are the ones it declared then.
 */
export async function collectScenarios(
  file: string,
  load: () => Promise<unknown>,
): Promise<ScenarioDefinition[]> {
  const globals = globalThis as Globals;
  const previous = globals[COLLECTOR_KEY];
  const collector: Collector = { currentFile: file, scenarios: [] };
  globals[COLLECTOR_KEY] = collector;
  try {
    await load();
  } finally {
    globals[COLLECTOR_KEY] = previous;
  }
  if (collector.scenarios.length > 0) return collector.scenarios;
  const direct = globals[DIRECT_KEY] as Map<string, ScenarioDefinition[]> | undefined;
  return [...(direct?.get(file) ?? [])];
}

/** `thingstape run <file> <argv>` in this process; its exit code becomes the process's. */
async function runDirectly(file: string, argv: readonly string[]): Promise<void> {
  const { main } = await import('#cli');
  process.exitCode = await main(['run', file, ...argv]);
}
