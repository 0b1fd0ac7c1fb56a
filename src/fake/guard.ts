/**
 * The write guard where a commit arrives: the fake Things Cloud (msw) and `thingstape serve`
 * (node:http) check every commit body against the history it would append to, and reject it
 * (HTTP 422 with the violations as JSON, the default) or accept and report it. Real Things Cloud
 * accepts anything; these fakes refuse what would break a real account.
 */
import { GuardLedger } from '../engine/index.ts';
import {
  checkCommitText,
  type GuardOptions,
  type GuardReport,
  type GuardViolation,
} from '../protocol/index.ts';

/** What the service does with a commit that breaks the write rules. */
export const GUARD_MODES = ['reject', 'report', 'off'] as const;
/** `reject` (default): HTTP 422, nothing appended; `report`: appended and reported; `off`. */
export type GuardMode = (typeof GUARD_MODES)[number];

/** Guard settings of a service: the mode plus the guard's own options. */
export interface CommitGuardOptions extends GuardOptions {
  /** Default `reject`. */
  readonly mode?: GuardMode;
  /** Called for every commit with violations (rejected or not). */
  readonly onViolations?: (commit: GuardedCommit) => void;
}

/** A commit the guard found something in. */
export interface GuardedCommit {
  /** `ancestor-index` of the request. */
  readonly ancestor: number;
  /** `rejected` (HTTP 422) or `accepted` (appended; warnings only, or report mode). */
  readonly verdict: 'rejected' | 'accepted';
  readonly violations: readonly GuardViolation[];
}

/** The `Content-Type`, status and header of a rejection. */
export const GUARD_REJECT_STATUS = 422;
/** Header on a rejection, so a client can tell the fake's guard from a server error. */
export const GUARD_HEADER = 'thingstape-guard';

/**
 * The guard of one service. The state is the service's whole history, folded once on the first
 * commit (not before: many tests never commit) and kept up to date with every appended group.
 */
export class CommitGuard {
  readonly mode: GuardMode;
  readonly #options: CommitGuardOptions;
  readonly #history: () => { readonly groups: readonly string[]; readonly first: number };
  readonly #found: GuardedCommit[] = [];
  #ledger: GuardLedger | null = null;

  /**
   * `history` gives the groups the service holds (JSON texts) and the server index of the first;
   * a history that does not start at 0 is an incomplete state (unknown ids are not judged).
   */
  constructor(
    options: CommitGuardOptions | undefined,
    history: () => { readonly groups: readonly string[]; readonly first: number },
  ) {
    this.#options = options ?? {};
    this.mode = options?.mode ?? 'reject';
    this.#history = history;
    // Unknown rule codes are a mistake of the caller: say so now, not at the first commit.
    checkCommitText('{}', { complete: false, get: () => undefined }, this.#options);
  }

  /** Commits with violations so far, in order. */
  get found(): readonly GuardedCommit[] {
    return this.#found;
  }

  /**
   * Checks a commit body: `null` to go on and append it, or the 422 response to send instead.
   * Call {@link appended} once the group is in the history.
   */
  check(body: string, ancestor: number): Response | null {
    if (this.mode === 'off') return null;
    const report = checkCommitText(body, this.#state(), this.#options);
    if (report.violations.length === 0) return null;
    const reject = this.mode === 'reject' && !report.ok;
    const guarded: GuardedCommit = {
      ancestor,
      verdict: reject ? 'rejected' : 'accepted',
      violations: report.violations,
    };
    this.#found.push(guarded);
    this.#options.onViolations?.(guarded);
    return reject ? rejection(report) : null;
  }

  /** Folds groups the service appended (commits, or another device's groups) into the state. */
  appended(groups: readonly string[], startIndex: number): void {
    this.#ledger?.applyTexts(groups, startIndex);
  }

  /** Forgets the state (the history was replaced). */
  reset(): void {
    this.#ledger = null;
  }

  #state(): GuardLedger {
    if (this.#ledger === null) {
      const { groups, first } = this.#history();
      this.#ledger = new GuardLedger({ complete: first === 0 });
      this.#ledger.applyTexts(groups, first);
    }
    return this.#ledger;
  }
}

/** HTTP 422 with the violations: `{"IsSyncronyErrorResponse": true, "error", "message", …}`. */
function rejection(report: GuardReport): Response {
  const errors = report.violations.filter((v) => v.severity === 'error');
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new Response(
    JSON.stringify({
      IsSyncronyErrorResponse: true,
      error: 'UNSAFE_WRITE',
      message: `Cannot commit: the write would break a real Things account: ${first?.message ?? ''}${more}`,
      errors: report.errors,
      warnings: report.warnings,
      violations: report.violations,
    }),
    {
      status: GUARD_REJECT_STATUS,
      headers: { 'content-type': 'application/json', [GUARD_HEADER]: 'rejected' },
    },
  );
}
