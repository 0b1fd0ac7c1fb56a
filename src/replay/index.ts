export { fixtureHandlers } from './handlers.ts';
export type { FixtureHandlerOptions, PageReader, ReplayMiss } from './handlers.ts';
export { replayFixture } from './replay.ts';
export type { ReplayOptions, ReplaySummary } from './replay.ts';
export { ReplayError, REPLAY_ERROR_CODES } from './errors.ts';
export type { ReplayErrorCode } from './errors.ts';
