/**
 * `scenario()`: registers a scenario with the runner that is importing the file, or — when the
 * file was started directly (`node file.scenario.ts`) — runs every scenario of the file once the
 * module and everything it started have finished (`beforeExit`), with flags from `process.argv`.
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
  let direct = globals[DIRECT_KEY] as ScenarioDefinition[] | undefined;
  if (direct === undefined) {
    const list: ScenarioDefinition[] = [];
    direct = list;
    globals[DIRECT_KEY] = list;
    // Inside a vitest worker the file is being inspected, not run.
    if (!('__vitest_worker__' in globalThis)) {
      process.once('beforeExit', () => {
        void import('./direct.ts').then((m) => m.runDirect(list, process.argv.slice(2)));
      });
    }
  }
  direct.push({ name, options, fn, file: resolve(process.argv[1] ?? 'scenario.ts') });
}

/** Runs `load` with a collector for `file` installed; returns the scenarios it declared. */
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
  return collector.scenarios;
}
