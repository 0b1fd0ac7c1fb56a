/**
 * The sanitizers: checks of what a scenario left behind once its script returned. Each is one
 * entry of {@link SANITIZERS}, keyed by the code it fails with; they run in the table's order, and
 * a scenario fails with every one that finds something. The secrets sanitizer is not here: it is
 * the check the cassette writer (and, in replay, the cassette scan) makes on the files themselves.
 */
import type { GuardViolation } from '../protocol/index.ts';
import { HISTORY_KEY_PLACEHOLDER } from '../fixture/types.ts';
import type { RecordedRequest } from './cassette.ts';
import type { ErrorInfo, HarnessErrorCode } from './errors.ts';
import type { TapeMiss } from './tape.ts';
import type { SanitizerOptions } from './types.ts';

/** What a scenario left behind, gathered when its script returned. */
export interface Aftermath {
  /** The script threw: requests it did not make, or made without a recording, are not judged. */
  readonly threw: boolean;
  /** Syncs and account calls running the moment the script returned. */
  readonly pendingOps: number;
  /** Requests in flight the moment the script returned. */
  readonly pendingRequests: number;
  /** Steps running the moment the script returned. */
  readonly runningSteps: number;
  /** Origins the script tried to fetch in replay. */
  readonly networkAttempts: readonly string[];
  /** Requests without a recording (the script caught their errors if it did not throw). */
  readonly misses: readonly TapeMiss[];
  /** Recorded requests the scenario did not make. */
  readonly unused: readonly { readonly index: number; readonly request: RecordedRequest }[];
  /** Violations of the write rules in commits sent anyway (guard `report`). */
  readonly unsafeWrites: readonly GuardViolation[];
  /** URLs of the stores opened with `t.openStore()` and not closed. */
  readonly openStores: readonly string[];
}

/** One sanitizer. */
export interface Sanitizer {
  /** The scenario option that switches it off (`sanitize: { ops: false }`); `null`: always on. */
  readonly option: keyof SanitizerOptions | null;
  /** Why the scenario fails, or `null` when it left nothing of this kind behind. */
  readonly check: (left: Aftermath) => string | null;
}

/** Every sanitizer, by the code it fails with, in the order they report. */
export const SANITIZERS = {
  REQUEST_IN_FLIGHT: {
    option: 'ops',
    check: (left) =>
      left.pendingOps + left.pendingRequests === 0
        ? null
        : `${left.pendingOps} operation(s) and ${left.pendingRequests} request(s) were still running when the scenario ended: await every t.sync() and account call`,
  },
  STEP_LEAK: {
    option: 'ops',
    check: (left) =>
      left.runningSteps === 0
        ? null
        : `${left.runningSteps} step(s) were still running when the scenario ended: await every t.step()`,
  },
  NET_NOT_ALLOWED: {
    option: null,
    check: (left) =>
      left.networkAttempts.length === 0
        ? null
        : `The scenario tried to reach the network in replay: ${left.networkAttempts.join(', ')}; only the scenario's account and t.sync() are served from the cassette`,
  },
  UNMATCHED_REQUEST: {
    option: 'requests',
    check: (left) =>
      left.threw || left.misses.length === 0
        ? null
        : `${left.misses.length} request(s) had no recording (the scenario caught the error):\n${left.misses.map((m) => m.message).join('\n')}`,
  },
  UNUSED_RECORDING: {
    option: 'requests',
    check: (left) =>
      left.threw || left.unused.length === 0
        ? null
        : `${left.unused.length} recorded request(s) were not made: ${left.unused
            .map(
              ({ index, request }) =>
                `#${index + 1} ${request.method} ${request.url.split(HISTORY_KEY_PLACEHOLDER).join('<key>')}`,
            )
            .join(
              '; ',
            )}. The script changed since it was recorded: re-record it (--mode record --allow-net) if that is intended`,
  },
  UNSAFE_WRITE: {
    option: null,
    check: (left) =>
      left.unsafeWrites.length === 0
        ? null
        : `${left.unsafeWrites.length} violation(s) of the write rules in commits the scenario sent (guard "report"); each would break a real Things account:\n${left.unsafeWrites.map((v) => `  ${v.code} ${v.message}`).join('\n')}`,
  },
  HANDLE_LEAK: {
    option: 'resources',
    check: (left) =>
      left.openStores.length === 0
        ? null
        : `${left.openStores.length} database(s) opened with t.openStore() were not closed: ${left.openStores.join(', ')}`,
  },
} satisfies { readonly [C in HarnessErrorCode]?: Sanitizer };

/** A code a sanitizer of {@link SANITIZERS} fails with. */
export type SanitizerCode = keyof typeof SANITIZERS;

/** The failures of the sanitizers `switches` leave on, in the table's order. */
export function sanitize(left: Aftermath, switches: Required<SanitizerOptions>): ErrorInfo[] {
  const failures: ErrorInfo[] = [];
  for (const [code, sanitizer] of Object.entries(SANITIZERS) as [SanitizerCode, Sanitizer][]) {
    if (sanitizer.option !== null && !switches[sanitizer.option]) continue;
    const message = sanitizer.check(left);
    if (message !== null) failures.push({ code, message });
  }
  return failures;
}
