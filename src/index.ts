/**
 * thingstape: record, replay and sync Things Cloud histories into libSQL.
 *
 * The package root gathers the pieces a user's own code calls most; each module is also importable
 * on its own (`thingstape/protocol`, `thingstape/fixture`, `thingstape/testing`, `thingstape/fake`).
 */
export * as protocol from './protocol/index.ts';
export * as engine from './engine/index.ts';
export { ThingstapeError, isThingstapeError } from './errors.ts';
export { openStore, createReads } from './store/index.ts';
export type {
  Store,
  SyncState,
  StoreStatus,
  PageCommit,
  ChangeFilter,
  ChangeQuery,
  DateQuery,
  ListPage,
  ListQuery,
  ListRow,
  ProjectQuery,
  Reads,
} from './store/index.ts';
export { syncHistory, CloudHistorySource, FixtureHistorySource, SyncError } from './sync/index.ts';
export type { HistorySource, SyncOptions, SyncSummary, PageOutcome } from './sync/index.ts';
export {
  replayFixture,
  fixtureHandlers,
  fixtureServer,
  openFixtureReplay,
  ReplayError,
} from './replay/index.ts';
export type {
  ReplayOptions,
  ReplaySummary,
  ReplayMiss,
  FixtureServer,
  FixtureServerOptions,
  FixtureReplay,
  FixtureReplayOptions,
} from './replay/index.ts';
export { CloudClient, CloudError } from './cloud/index.ts';
export { readFixture, readFixtureManifest, readPage, FixtureWriter } from './fixture/node.ts';
