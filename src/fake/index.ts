/**
 * A fake Things Cloud for tests, users' suites and `thingstape serve`: msw handlers backed by an
 * in-memory history, with commits, resets and seeded fault injection.
 *
 * ```ts
 * const fake = new FakeThingsCloud({ account, groups: generatedGroups({ items: 1000, seed: 1 }) });
 * const server = setupServer(...fake.handlers());
 * ```
 */
export { FakeThingsCloud } from './fake-things-cloud.ts';
export type { FakeAccount, FakeCloudOptions, FakeRequest } from './fake-things-cloud.ts';
export { anchoredContentSizes, FakeHistory, splitPageGroups } from './fake-history.ts';
export type { PageLimits, RecordedSizes } from './fake-history.ts';
export { FaultSchedule, TRANSIENT_FAULTS } from './faults.ts';
export type { FakeEndpoint, FaultDecision, FaultKind, FaultOptions, ResetFault } from './faults.ts';
export { fixtureGroups, fixtureGroupsFrom, generatedGroups } from './sources.ts';
export { FakeClock } from './clock.ts';
export { CommitGuard, GUARD_HEADER, GUARD_MODES, GUARD_REJECT_STATUS } from './guard.ts';
export type { CommitGuardOptions, GuardedCommit, GuardMode } from './guard.ts';
