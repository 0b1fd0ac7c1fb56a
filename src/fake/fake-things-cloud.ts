/**
 * A faithful fake of Things Cloud as msw handlers: the account endpoint (password header), history
 * metadata, paged `/items` (the fake's own page size, independent of how the history was fed),
 * commits (ancestor index, 409 on a stale ancestor), resets and seeded fault injection.
 */
import { http, HttpResponse, type HttpHandler } from 'msw/http';
import { ACTIVE_ACCOUNT_STATUS, THINGS_CLOUD_URL } from '../cloud/client.ts';
import { assertNever } from '../protocol/assert.ts';
import { FakeHistory, type PageLimits } from './fake-history.ts';
import { CommitGuard, type CommitGuardOptions, type GuardedCommit } from './guard.ts';
import { commitGroup } from './commit.ts';
import { errorBody, madeUpHistoryKey, otherEndpoint, parseAncestor } from './wire.ts';
import {
  FaultSchedule,
  type FakeEndpoint,
  type FaultDecision,
  type FaultOptions,
} from './faults.ts';

/** The account the fake serves. */
export interface FakeAccount {
  readonly email: string;
  readonly password: string;
  readonly historyKey: string;
  /** Default `SYAccountStatusActive`. */
  readonly status?: string;
  /** Default `[]`. */
  readonly issues?: readonly unknown[];
}

/** Settings of a {@link FakeThingsCloud}. */
export interface FakeCloudOptions {
  readonly account: FakeAccount;
  /** The history: group JSON texts, in order (see `generatedGroups`, `fixtureGroups`). */
  readonly groups?: Iterable<string>;
  /** Base URL to answer on (default the production URL, so the real client is exercised). */
  readonly baseUrl?: string;
  /** `schema` of every page (default 301). */
  readonly schema?: number;
  /** Groups per page (default 250). */
  readonly pageGroups?: number;
  /** Approximate byte cap per page (the real server caps by volume); default none. */
  readonly pageBytes?: number;
  readonly faults?: FaultOptions;
  /**
   * The write guard on commits (spec 10, 13, 16.1): `reject` (default) answers a commit that would
   * break a real account with HTTP 422 and the violations, appending nothing; `report` appends it
   * and lists it in {@link FakeThingsCloud.guarded}; `off` accepts anything, as Things Cloud does.
   */
  readonly guard?: CommitGuardOptions;
}

/** One request the fake saw (no secret in it). */
export interface FakeRequest {
  /** 1-based request number (the fault schedule's clock). */
  readonly n: number;
  readonly method: string;
  readonly endpoint: FakeEndpoint | 'unknown';
  /** `start-index` of an items request, `ancestor-index` of a commit. */
  readonly index: number | null;
  /** HTTP status answered, or `0` for a network error. */
  readonly status: number;
  /** The injected fault, if any. */
  readonly fault: string | null;
}

/**
 * The fake service. Use {@link handlers} with msw's `setupServer` (tests, `thingstape serve`).
 * Behaviour mirrors what is known of the real one (spec 2): wrong password → 401
 * `{"IsSyncronyErrorResponse":true}`; a start index beyond the head → 500, or 404
 * `Things-Response: AccountIssue` once the history was reset (as seen live, spec 2.6); an
 * unknown (old) history key → 404 `AccountIssue`; a stale commit ancestor → 409 `OutdatedAncestor`.
 */
export class FakeThingsCloud {
  readonly baseUrl: string;
  readonly #account: { -readonly [K in keyof FakeAccount]: FakeAccount[K] };
  #history: FakeHistory;
  #limits: PageLimits;
  #faults: FaultSchedule;
  readonly #guard: CommitGuard;
  #resets = 0;
  #keysMade = 0;
  #n = 0;
  readonly #log: FakeRequest[] = [];

  constructor(options: FakeCloudOptions) {
    this.baseUrl = (options.baseUrl ?? THINGS_CLOUD_URL).replace(/\/+$/, '');
    this.#account = { ...options.account };
    this.#history = new FakeHistory(options.groups ?? [], options.schema ?? 301);
    this.#limits = {
      pageGroups: options.pageGroups ?? 250,
      ...(options.pageBytes === undefined ? {} : { pageBytes: options.pageBytes }),
    };
    if (!Number.isSafeInteger(this.#limits.pageGroups) || this.#limits.pageGroups < 1) {
      throw new RangeError(`pageGroups must be a positive integer, got ${this.#limits.pageGroups}`);
    }
    this.#faults = new FaultSchedule(options.faults);
    this.#guard = new CommitGuard(options.guard, () => this.#history);
  }

  /** Commits the write guard found violations in (rejected ones included), in order. */
  get guarded(): readonly GuardedCommit[] {
    return this.#guard.found;
  }

  /** The current head (number of groups). */
  get head(): number {
    return this.#history.head;
  }

  /** The current history key (a test secret). */
  get historyKey(): string {
    return this.#account.historyKey;
  }

  /** The history itself (read-only use: group texts, sizes). */
  get history(): FakeHistory {
    return this.#history;
  }

  /** Every request so far, in order. */
  get requests(): readonly FakeRequest[] {
    return this.#log;
  }

  /** Appends groups (JSON texts or objects) as if another device committed; returns the head. */
  append(groups: Iterable<string | Readonly<Record<string, unknown>>>): number {
    const texts = [...groups].map((group) =>
      typeof group === 'string' ? group : JSON.stringify(group),
    );
    const start = this.#history.head;
    const head = this.#history.append(texts);
    this.#guard.appended(texts, start);
    return head;
  }

  /**
   * Replaces the history (an account reset, spec 3.3). With `historyKey`, the account names the
   * new key and the old one answers 404 `AccountIssue`.
   */
  resetHistory(groups: Iterable<string>, options: { readonly historyKey?: string } = {}): void {
    this.#history = new FakeHistory(groups, this.#history.schema);
    this.#guard.reset();
    if (options.historyKey !== undefined) this.#account.historyKey = options.historyKey;
    this.#resets++;
  }

  /** Replaces the fault schedule (the request counter keeps running). */
  setFaults(options: FaultOptions): void {
    this.#faults = new FaultSchedule(options);
  }

  /** Changes how pages are cut. */
  setPageLimits(limits: PageLimits): void {
    this.#limits = limits;
  }

  /**
   * The msw handlers; the last one answers `own-history-keys` and `app-instance` as the spec
   * records them (see `otherEndpoint`) and every other request to the base URL with 404.
   */
  handlers(): HttpHandler[] {
    const base = this.baseUrl;
    return [
      http.get(`${base}/version/1/account/:email`, ({ request }) =>
        this.#serve(request, 'account', null, () => this.#accountResponse(request)),
      ),
      http.get(`${base}/version/1/history/:key`, ({ request, params }) =>
        this.#serve(request, 'history', null, () => {
          if (params['key'] !== this.#account.historyKey) return unknownKey();
          return HttpResponse.json(this.#history.meta());
        }),
      ),
      http.get(`${base}/version/1/history/:key/items`, ({ request, params }) => {
        const raw = new URL(request.url).searchParams.get('start-index');
        const start = raw !== null && /^\d+$/.test(raw) ? Number(raw) : null;
        return this.#serve(request, 'items', start, () => {
          if (params['key'] !== this.#account.historyKey) return unknownKey();
          if (start === null) return errorBody(400, 'GenericClientError');
          if (start > this.#history.head) {
            return this.#resets > 0 ? unknownKey() : errorBody(500, null);
          }
          const page = this.#history.page(start, this.#limits);
          return new HttpResponse(page.text, {
            status: 200,
            headers: { 'content-type': 'application/json; charset=UTF-8' },
          });
        });
      }),
      http.post(`${base}/version/1/history/:key/commit`, ({ request, params }) => {
        const ancestor = parseAncestor(new URL(request.url).searchParams.get('ancestor-index'));
        return this.#serve(request, 'commit', ancestor, async () => {
          if (params['key'] !== this.#account.historyKey) return unknownKey();
          return commitGroup(this.#history, this.#guard, ancestor, await request.text());
        });
      }),
      http.all(`${base}/*`, ({ request }) => {
        const prefix = new URL(base).pathname.replace(/\/$/, '');
        const path = new URL(request.url).pathname.slice(prefix.length);
        const response =
          otherEndpoint(request, path, () => madeUpHistoryKey(++this.#keysMade)) ??
          errorBody(404, 'GenericClientError');
        this.#log.push({
          n: ++this.#n,
          method: request.method,
          endpoint: 'unknown',
          index: null,
          status: response.status,
          fault: null,
        });
        return response;
      }),
    ];
  }

  #accountResponse(request: Request): Response {
    const account = this.#account;
    const segment = new URL(request.url).pathname.split('/').at(-1) ?? '';
    const email = safeDecode(segment);
    const authorization = request.headers.get('authorization') ?? '';
    const match = /^Password (.*)$/.exec(authorization);
    const password = match?.[1] === undefined ? null : safeDecode(match[1]);
    if (email !== account.email || password !== account.password) {
      return new HttpResponse(JSON.stringify({ IsSyncronyErrorResponse: true }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      });
    }
    return HttpResponse.json({
      'SLA-version-accepted': 'https://cloud.culturedcode.com/sla/v1.5-rich.html?language=en',
      email: account.email,
      'history-key': account.historyKey,
      issues: account.issues ?? [],
      'maildrop-email': 'add-to-things-fake@things.email',
      status: account.status ?? ACTIVE_ACCOUNT_STATUS,
    });
  }

  async #serve(
    request: Request,
    endpoint: FakeEndpoint,
    index: number | null,
    answer: () => Response | Promise<Response>,
  ): Promise<Response> {
    const n = ++this.#n;
    const decision = this.#faults.decide(n, endpoint);
    const entry = (status: number, fault: string | null): void => {
      this.#log.push({ n, method: request.method, endpoint, index, status, fault });
    };
    if (decision.kind === 'history-reset') {
      this.resetHistory(
        decision.groups,
        decision.historyKey === undefined ? {} : { historyKey: decision.historyKey },
      );
    }
    const response = await this.#faulty(request, decision, answer);
    entry(
      response.type === 'error' ? 0 : response.status,
      decision.kind === 'none' ? null : decision.kind,
    );
    return response;
  }

  async #faulty(
    request: Request,
    decision: FaultDecision,
    answer: () => Response | Promise<Response>,
  ): Promise<Response> {
    switch (decision.kind) {
      case 'none':
      case 'history-reset':
        return answer();
      case 'server-error':
        return errorBody(decision.status, null);
      case 'rate-limit':
        return new HttpResponse(JSON.stringify({ IsSyncronyErrorResponse: true }), {
          status: 429,
          headers: {
            'content-type': 'application/json',
            'retry-after': String(decision.retryAfterSeconds),
          },
        });
      case 'abuse-prevention':
        return errorBody(429, 'AbusePrevention');
      case 'account-issue':
        return unknownKey();
      case 'connection-reset':
        return HttpResponse.error();
      case 'timeout':
        await hang(request.signal, this.#faults.hangMs);
        return HttpResponse.error();
      case 'truncated-body': {
        const full = await answer();
        if (!full.ok) return full;
        const bytes = new Uint8Array(await full.arrayBuffer());
        const cut = Math.max(
          1,
          Math.min(bytes.length - 1, Math.floor(decision.fraction * bytes.length)),
        );
        return new HttpResponse(bytes.slice(0, cut), {
          status: 200,
          headers: { 'content-type': 'application/json; charset=UTF-8' },
        });
      }
    }
    return assertNever(decision, 'fault decision');
  }
}

function unknownKey(): Response {
  return errorBody(404, 'AccountIssue');
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function hang(signal: AbortSignal, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(resolve, maxMs);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
