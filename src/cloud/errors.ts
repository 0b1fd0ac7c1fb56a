import { ThingstapeError } from '../errors.ts';
import { PAGING_ERROR_CODES } from '../protocol/walk.ts';

/** Codes a {@link CloudError} can carry. */
export const CLOUD_ERROR_CODES = [
  /** The server answered with a non-success HTTP status not covered by a more specific code. */
  'HTTP_STATUS',
  /** The request never got an answer (connection refused or reset, DNS, aborted). */
  'NETWORK',
  /** The request took longer than the client's timeout. */
  'TIMEOUT',
  /** A success response whose body ended early (not complete JSON): retried like a network error. */
  'TRUNCATED_BODY',
  /** A success response whose body is not what the endpoint returns. */
  'INVALID_RESPONSE',
  /** The replayer has no recording for the request (replay only). */
  'NO_RECORDING',
  /** The account endpoint did not accept the e-mail and password (HTTP 401/403). */
  'AUTH_FAILED',
  /** The account is not active or reports issues (spec 14.1 step 1): refuse to sync or record. */
  'ACCOUNT_UNUSABLE',
  /** `Things-Response: AccountIssue` (e.g. 404 at a cursor beyond a replaced history): re-verify. */
  'ACCOUNT_ISSUE',
  /** `Things-Response: AbusePrevention`: stop completely, do not retry (spec 2.7). */
  'ABUSE_PREVENTION',
  /** The server asked to wait longer (`Retry-After`) than the client's cap, or retries ran out. */
  'RETRY_AFTER_TOO_LONG',
  /** A commit's `ancestor-index` is not the head any more (HTTP 409): read, rebase, retry. */
  'OUTDATED_ANCESTOR',
  /** A commit got no answer: it may or may not have landed (spec 10.1 step 6). */
  'COMMIT_UNCERTAIN',
  /** The page walker's: `HISTORY_RESET`, `NO_PROGRESS`, `MALFORMED_PAGE`, `UNSUPPORTED_SCHEMA`. */
  ...PAGING_ERROR_CODES,
] as const;
export type CloudErrorCode = (typeof CLOUD_ERROR_CODES)[number];

/** A failed Things Cloud request. Never carries credentials or the history key. */
export class CloudError extends ThingstapeError<CloudErrorCode> {
  /** HTTP status when the server answered, else `null`. */
  readonly status: number | null;
  /** The `Things-Response` header (`OutdatedAncestor`, `AbusePrevention`, `AccountIssue`, …). */
  readonly thingsResponse: string | null;
  /** `Retry-After` in milliseconds when the server sent one. */
  readonly retryAfterMs: number | null;
  /** How many attempts were made before giving up (1 when the failure was not retried). */
  readonly attempts: number;

  constructor(
    code: CloudErrorCode,
    message: string,
    details: {
      status?: number | null;
      thingsResponse?: string | null;
      retryAfterMs?: number | null;
      attempts?: number;
      cause?: unknown;
    } = {},
  ) {
    super(code, message, { cause: details.cause });
    this.status = details.status ?? null;
    this.thingsResponse = details.thingsResponse ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.attempts = details.attempts ?? 1;
  }
}

/** True when `value` is a {@link CloudError} (optionally of one code). */
export function isCloudError(value: unknown, code?: CloudErrorCode): value is CloudError {
  return value instanceof CloudError && (code === undefined || value.code === code);
}
