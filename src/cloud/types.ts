/**
 * The contract of the Things Cloud client: its options, the injected `fetch`, the retry events it
 * reports, and what its calls return (account, history metadata, raw pages, commits).
 */
import type { CloudError } from './errors.ts';
import type { RetryPolicy } from './retry.ts';

/** `fetch` as the client uses it; inject a fake, a counting wrapper or msw-intercepted global. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** One retry the client is about to make (for logs; `what` never names the key or e-mail). */
export interface RetryEvent {
  /** `GET history/<key>/items?start-index=0`. */
  readonly what: string;
  /** The attempt that failed (1 = the first). */
  readonly attempt: number;
  /** How long the client waits before the next attempt. */
  readonly delayMs: number;
  readonly error: CloudError;
}

/** Settings of a {@link CloudClient}. */
export interface CloudClientOptions {
  /** Base URL without a trailing slash; defaults to {@link THINGS_CLOUD_URL}. */
  readonly baseUrl?: string;
  /** Defaults to the global `fetch` at call time (so msw interception applies). */
  readonly fetch?: FetchLike;
  /** `User-Agent` to send; defaults to a native-looking Mac build (spec 2.3). */
  readonly userAgent?: string;
  /** Per-attempt timeout in milliseconds (default 60 000). */
  readonly timeoutMs?: number;
  /** Retry policy for transient failures; see {@link RetryPolicy}. */
  readonly retry?: Partial<RetryPolicy>;
  /** Waits `ms` milliseconds (backoff, rate limit); default `setTimeout`. Tests inject a fake clock. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform random number in [0, 1) for backoff jitter; default `Math.random`. */
  readonly random?: () => number;
  /** Monotonic milliseconds for the rate limit and timings; default `performance.now`. */
  readonly now?: () => number;
  /** Minimum time between the starts of two requests (rate limit; default 0 = none). */
  readonly minIntervalMs?: number;
  /** Called before each retry (log it; it carries no secret). */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** `GET /version/1/account/{email}` (spec 2.4), without the e-mail and maildrop address. */
export interface AccountInfo {
  /** The current history key: a bearer secret. Never log it. */
  readonly historyKey: string;
  readonly status: string;
  readonly issues: readonly unknown[];
  readonly slaVersionAccepted: string | null;
}

/** `GET /version/1/history/{key}` (spec 2.4). */
export interface HistoryMeta {
  /** The head: number of groups in the history now. */
  readonly latestServerIndex: number;
  readonly latestSchemaVersion: number | null;
  readonly latestTotalContentSize: number | null;
  readonly isEmpty: boolean | null;
}

/** The envelope of an `/items` page (spec 2.4), read from a parsed copy of the body. */
export interface PageEnvelope {
  /** `items.length`: the number of groups. */
  readonly groups: number;
  /** Number of entity events over all groups (keys of the group objects). */
  readonly entities: number;
  /** The head at response time (not the end of the page). */
  readonly currentItemIndex: number;
  readonly schema: number | null;
  readonly startTotalContentSize: number | null;
  readonly endTotalContentSize: number | null;
  readonly latestTotalContentSize: number | null;
}

/** A raw `/items` response: the verbatim body and the headers worth keeping. */
export interface RawPage {
  readonly startIndex: number;
  /** The response body, byte for byte. */
  readonly body: Uint8Array;
  readonly status: number;
  /** Response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The envelope when the page was fetched with `validate: true`, else `null`. */
  readonly envelope: PageEnvelope | null;
  /** Attempts it took (1 without retries). */
  readonly attempts: number;
  /** Duration of the successful attempt in milliseconds (by the client's `now`). */
  readonly durationMs: number;
}

/** What a successful commit returns. */
export interface CommitResult {
  /** `server-head-index`: the head after the commit; the new group is at `head − 1`. */
  readonly head: number;
}
