/**
 * Retry policy of the Things Cloud client (spec 2.7): bounded attempts, exponential backoff with
 * full jitter, `Retry-After` honoured up to a cap. Time and randomness are parameters so tests run
 * instantly and deterministically.
 */
import { CloudError } from './errors.ts';

/** How the client retries transient failures. */
export interface RetryPolicy {
  /** Attempts per request including the first (default 5). `1` disables retries. */
  readonly maxAttempts: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs·2ⁿ⁻¹)). */
  readonly baseDelayMs: number;
  /** Upper bound of one backoff wait (default 30 s). */
  readonly maxDelayMs: number;
  /** Longest `Retry-After` honoured (default 60 s); a longer one fails with `RETRY_AFTER_TOO_LONG`. */
  readonly maxRetryAfterMs: number;
}

/** The default policy: 5 attempts, 500 ms base, 30 s cap per wait, `Retry-After` up to 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/** Statuses retried as transient (spec 2.6, 2.7). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * True when a failed request may be sent again: timeouts, reset connections, truncated bodies, 429
 * (unless `AbusePrevention`) and 500–504. Everything else (4xx, invalid bodies, account problems)
 * would fail the same way again.
 */
export function isRetryable(error: CloudError): boolean {
  if (error.code === 'NETWORK' || error.code === 'TIMEOUT' || error.code === 'TRUNCATED_BODY') {
    return true;
  }
  return (
    error.code === 'HTTP_STATUS' && error.status !== null && RETRYABLE_STATUSES.has(error.status)
  );
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): `Retry-After` when the server
 * sent one, else full jitter `random() · min(maxDelayMs, baseDelayMs · 2^(attempt − 1))`.
 * Returns `null` when the server's `Retry-After` exceeds the policy's cap.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | null,
  random: () => number,
): number | null {
  if (retryAfterMs !== null) {
    return retryAfterMs > policy.maxRetryAfterMs ? null : retryAfterMs;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Validates a partial policy against the defaults; throws RangeError for nonsense values. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...partial };
  if (!Number.isSafeInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer ≥ 1, got ${policy.maxAttempts}`);
  }
  for (const key of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!(policy[key] >= 0)) throw new RangeError(`retry.${key} must be ≥ 0, got ${policy[key]}`);
  }
  return policy;
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds (dates relative to `nowMs`). */
export function parseRetryAfter(value: string | null, nowMs?: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || nowMs === undefined) return null;
  return Math.max(0, date - nowMs);
}
