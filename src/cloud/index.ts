export { CloudClient, THINGS_CLOUD_URL, parseRetryAfter } from './client.ts';
export type { CloudClientOptions, FetchLike, HistoryMeta, RawPage } from './client.ts';
export { CloudError, CLOUD_ERROR_CODES } from './errors.ts';
export type { CloudErrorCode } from './errors.ts';
