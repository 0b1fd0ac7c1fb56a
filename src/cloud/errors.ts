import { ThingstapeError } from '../errors.ts';

/** Codes a {@link CloudError} can carry. */
export const CLOUD_ERROR_CODES = [
  /** The server answered with a non-success HTTP status. */
  'HTTP_STATUS',
  /** The request never got an answer (connection refused or reset, DNS, aborted). */
  'NETWORK',
  /** The request took longer than the client's timeout. */
  'TIMEOUT',
  /** A success response whose body is not what the endpoint returns. */
  'INVALID_RESPONSE',
  /** The replayer has no recording for the request (replay only). */
  'NO_RECORDING',
] as const;
export type CloudErrorCode = (typeof CLOUD_ERROR_CODES)[number];

/** A failed Things Cloud request. Never carries credentials or the history key. */
export class CloudError extends ThingstapeError {
  declare readonly code: CloudErrorCode;
  /** HTTP status when the server answered, else `null`. */
  readonly status: number | null;
  /** The `Things-Response` header (`OutdatedAncestor`, `AbusePrevention`, `AccountIssue`, …). */
  readonly thingsResponse: string | null;
  /** `Retry-After` in milliseconds when the server sent one. */
  readonly retryAfterMs: number | null;

  constructor(
    code: CloudErrorCode,
    message: string,
    details: {
      status?: number | null;
      thingsResponse?: string | null;
      retryAfterMs?: number | null;
      cause?: unknown;
    } = {},
  ) {
    super(code, message, { cause: details.cause });
    this.status = details.status ?? null;
    this.thingsResponse = details.thingsResponse ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}
