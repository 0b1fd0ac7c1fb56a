/**
 * Scenario scripts, Deno style: `scenario(name, async (t) => …)` with steps, a typed account that
 * writes native payloads, `t.sync()` through the real sync loop into libSQL, views, assertions and
 * snapshots; recorded once into a cassette next to the script and replayed forever.
 *
 * ```ts
 * import { scenario } from 'thingstape/harness';
 *
 * scenario('complete a to-do', async (t) => {
 *   const todo = await t.account().createTodo({ title: 'Buy milk', when: 'today' });
 *   await t.sync();
 *   await t.account().complete(todo);
 *   await t.sync();
 *   t.assertChanges([{ type: 'TaskCompleted', entityId: todo }]);
 *   await t.assertList('logbook', ['Buy milk']);
 * });
 * ```
 */
export { scenario, collectScenarios } from './registry.ts';
export { ScenarioAccount } from './account.ts';
export type { CommitGroup, Id, ProjectInput, TaskEdit, TodoInput } from './account.ts';
export { ScenarioClock, SeededIds } from './clock.ts';
export { ScenarioGuard, type GuardSetting } from './guard.ts';
// The wire writer's builders under the names the harness has always exported them.
export * from './payloads.ts';
export { HarnessError, HARNESS_ERROR_CODES, isHarnessError } from './errors.ts';
export type { HarnessErrorCode } from './errors.ts';
export { executeScenario } from './execute.ts';
export type { ExecEnv } from './execute.ts';
export { DEFAULT_CLOCK_START } from './plan.ts';
export {
  cassettePath,
  slugOf,
  REQUESTS_FILE,
  REQUESTS_FORMAT,
  readCassette,
  writeCassette,
  assertNoSecrets,
} from './cassette.ts';
export type {
  Cassette,
  CassetteMeta,
  RecordedEntry,
  RecordedRequest,
  RecordedResponse,
} from './cassette.ts';
export { Tape, KEPT_RESPONSE_HEADERS, shownUrl } from './tape.ts';
export type { TapeMiss, TapeOptions, TapeRequest } from './tape.ts';
export { SnapshotFile, SnapshotRegistry, normalizeSnapshot, snapshotPath } from './snapshot.ts';
export type { NormalizeContext } from './snapshot.ts';
export {
  SCENARIO_FILE_PATTERN,
  findScenarioFiles,
  isCi,
  loadScenarioFiles,
  parseShuffle,
  resolveRunSettings,
  runFailed,
  runScenarios,
  shuffle,
} from './runner.ts';
export type { RunOptions, RunSettings } from './runner.ts';
export {
  REPORTERS,
  formatJson,
  formatJunit,
  formatPretty,
  prettyScenario,
  prettySummary,
  xmlEscape,
} from './reporters.ts';
export type { ReporterName, ShowPath } from './reporters.ts';
export { diffValues, formatDiffs, jsonEqual, partialMismatches } from './diff.ts';
export type { FieldDiff } from './diff.ts';
export { MODES } from './types.ts';
export type {
  ChangeComparison,
  ChangeMatcher,
  DeepPartial,
  Divergence,
  ErrorInfo,
  Mode,
  RunReport,
  SanitizerOptions,
  ScenarioContext,
  ScenarioDefinition,
  ScenarioFn,
  ScenarioOptions,
  ScenarioResult,
  StepResult,
  StepTrace,
  TraceLists,
  TraceRequest,
  TraceRow,
} from './types.ts';
