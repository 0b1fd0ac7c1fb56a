export { DEFAULT_COMMIT_ITEMS, syncHistory } from './loop.ts';
export type { PageOutcome, SyncOptions, SyncProgress, SyncSummary } from './loop.ts';
export { CloudHistorySource, FixtureHistorySource } from './source.ts';
export type { HistorySource, SourcePage } from './source.ts';
export { SyncError, SYNC_ERROR_CODES } from './errors.ts';
export type { SyncErrorCode } from './errors.ts';
export { filePathOf, liveSync } from './live.ts';
export type { LiveSyncOptions, LiveSyncResult, ResetOutcome } from './live.ts';
