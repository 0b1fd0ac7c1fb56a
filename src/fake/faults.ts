/**
 * Fault injection for the fake Things Cloud: a seeded schedule decides, request by request, whether
 * to answer normally or with a fault, so a failing trial is reproduced by its seed.
 */
import { Rng } from '../gen/prng.ts';
import { assertNever } from '../protocol/assert.ts';

/** Transient faults a robust client survives by retrying. */
export const TRANSIENT_FAULTS = [
  'server-error',
  'rate-limit',
  'timeout',
  'truncated-body',
  'connection-reset',
] as const;

/**
 * What the fake can do instead of answering:
 * - `server-error`: HTTP 500, 502, 503 or 504;
 * - `rate-limit`: HTTP 429 with `Retry-After` (seconds);
 * - `timeout`: no answer until the client gives up (its abort signal fires; `hangMs` at most),
 *   then a network error;
 * - `truncated-body`: HTTP 200 with the body cut short (incomplete JSON);
 * - `connection-reset`: a network error (`HttpResponse.error()`);
 * - `abuse-prevention`: HTTP 429 with `Things-Response: AbusePrevention` (a client must stop);
 * - `account-issue`: HTTP 404 with `Things-Response: AccountIssue`.
 */
export type FaultKind = (typeof TRANSIENT_FAULTS)[number] | 'abuse-prevention' | 'account-issue';

/** The endpoints faults can hit. */
export type FakeEndpoint = 'account' | 'history' | 'items' | 'commit';

/** A scripted history reset: before answering, the history is replaced. */
export interface ResetFault {
  readonly kind: 'history-reset';
  /** The new, usually shorter, history (group JSON texts). */
  readonly groups: readonly string[];
  /** The new history key; the old one then answers 404 `AccountIssue`. Default: keep the key. */
  readonly historyKey?: string;
}

/** Settings of the fault schedule. */
export interface FaultOptions {
  /** Seed of the schedule; the same seed and request sequence give the same faults. */
  readonly seed?: string | number;
  /** Probability of a random fault per request (default 0). */
  readonly probability?: number;
  /** Kinds random faults are drawn from (default {@link TRANSIENT_FAULTS}). */
  readonly kinds?: readonly FaultKind[];
  /** Endpoints random faults hit (default account, history and items; never commit). */
  readonly endpoints?: readonly FakeEndpoint[];
  /** At most this many random faults in a row (default 2), so bounded retries always succeed. */
  readonly maxConsecutive?: number;
  /** `Retry-After` of `rate-limit` faults, drawn from [min, max] seconds (default [1, 3]). */
  readonly retryAfterSeconds?: readonly [number, number];
  /** How long a `timeout` hangs if the client never aborts (default 30 000 ms). */
  readonly hangMs?: number;
  /** Faults at given request numbers (1-based, counting every request to the fake). */
  readonly script?: Readonly<Record<number, FaultKind | ResetFault>>;
}

/** What the schedule decided for one request. */
export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: Exclude<FaultKind, 'rate-limit' | 'server-error' | 'truncated-body'> }
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds: number }
  | { readonly kind: 'server-error'; readonly status: number }
  | { readonly kind: 'truncated-body'; readonly fraction: number }
  | ResetFault;

/** The seeded schedule. */
export class FaultSchedule {
  readonly options: FaultOptions;
  readonly #rng: Rng;
  #consecutive = 0;

  constructor(options: FaultOptions = {}) {
    const probability = options.probability ?? 0;
    if (!(probability >= 0 && probability <= 1)) {
      throw new RangeError(`faults.probability must be in [0, 1], got ${probability}`);
    }
    this.options = options;
    this.#rng = new Rng(options.seed ?? 0);
  }

  /** How long a timeout fault hangs at most. */
  get hangMs(): number {
    return this.options.hangMs ?? 30_000;
  }

  /** Decides request number `n` (1-based) to `endpoint`. */
  decide(n: number, endpoint: FakeEndpoint): FaultDecision {
    // Draw the same numbers for every request so scripted faults do not shift the random ones.
    const roll = this.#rng.float();
    const pick = this.#rng.float();
    const detail = this.#rng.float();
    const scripted = this.options.script?.[n];
    if (scripted !== undefined) {
      return typeof scripted === 'string' ? this.#shape(scripted, detail) : scripted;
    }
    const endpoints = this.options.endpoints ?? ['account', 'history', 'items'];
    const maxConsecutive = this.options.maxConsecutive ?? 2;
    if (
      roll < (this.options.probability ?? 0) &&
      endpoints.includes(endpoint) &&
      this.#consecutive < maxConsecutive
    ) {
      const kinds = this.options.kinds ?? TRANSIENT_FAULTS;
      const kind = kinds[Math.floor(pick * kinds.length)];
      if (kind !== undefined) {
        this.#consecutive++;
        return this.#shape(kind, detail);
      }
    }
    this.#consecutive = 0;
    return { kind: 'none' };
  }

  #shape(kind: FaultKind, detail: number): FaultDecision {
    switch (kind) {
      case 'server-error':
        return { kind, status: [500, 502, 503, 504][Math.floor(detail * 4)] ?? 500 };
      case 'rate-limit': {
        const [min, max] = this.options.retryAfterSeconds ?? [1, 3];
        return { kind, retryAfterSeconds: min + Math.floor(detail * (max - min + 1)) };
      }
      case 'truncated-body':
        return { kind, fraction: detail };
      case 'timeout':
      case 'connection-reset':
      case 'abuse-prevention':
      case 'account-issue':
        return { kind };
    }
    return assertNever(kind, 'fault kind');
  }
}
