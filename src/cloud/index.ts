/** The Things Cloud HTTP client: account, history metadata, pages, commits, paging and resets. */
export { ACTIVE_ACCOUNT_STATUS, CloudClient, THINGS_CLOUD_URL } from './client.ts';
export type {
  AccountInfo,
  CloudClientOptions,
  CommitResult,
  FetchLike,
  HistoryMeta,
  PageEnvelope,
  RawPage,
  RetryEvent,
} from './types.ts';
export { CloudError, CLOUD_ERROR_CODES, isCloudError } from './errors.ts';
export type { CloudErrorCode } from './errors.ts';
export {
  DEFAULT_RETRY_POLICY,
  RETRYABLE_STATUSES,
  backoffDelay,
  isRetryable,
  parseRetryAfter,
  resolveRetryPolicy,
} from './retry.ts';
export type { RetryPolicy } from './retry.ts';
export { readHistoryPages } from './paging.ts';
export type { HistoryPage, ReadPagesOptions } from './paging.ts';
export { describeReset, detectReset, historyKeyHash } from './reset.ts';
export type { ResetReason } from './reset.ts';
