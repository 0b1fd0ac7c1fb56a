/**
 * A fixture served as the Things Cloud HTTP API (spec 2.4): the account endpoint (any e-mail and
 * password; the history key is {@link SERVED_HISTORY_KEY}), history metadata, `…/items` from any
 * start index, and commits against an in-memory head (409 `OutdatedAncestor` on a stale
 * ancestor). Until the first commit, a start index where a recorded page starts is answered with
 * that page's bytes exactly; other start indexes (and every page after a commit) are cut from the
 * same groups, at most one recorded page's worth of groups, with the recorded envelope fields and
 * content-size counters that chain with the recorded pages' (`anchoredContentSizes`); `/history`
 * reports the same total. `own-history-keys` and `app-instance` answer as the spec records them.
 * Commits go through the write guard (reject by default). The history, its pages and its commits
 * are the fake Things Cloud's (`FakeHistory` fed by `fixtureHistory`, `commitGroup`); this file is
 * only the HTTP face `serve` shows: any credentials, one history key, a fixture's first index.
 */
import { commitGroup } from '../fake/commit.ts';
import { CommitGuard, type CommitGuardOptions, type GuardedCommit } from '../fake/guard.ts';
import { fixtureHistory } from '../fake/sources.ts';
import {
  errorBody,
  jsonResponse,
  madeUpHistoryKey,
  otherEndpoint,
  parseAncestor,
} from '../fake/wire.ts';
import type { Fixture } from '../fixture/types.ts';

/**
 * The history key `serve` hands out. Not the fixture placeholder: a recorder or scenario treats
 * the key as a secret and scans what it writes for it, and the placeholder is in every recording.
 */
export const SERVED_HISTORY_KEY = 'served-by-thingstape-7d1f0c9a';

/** A request handler in Fetch API terms (what the HTTP server calls). */
export type FetchHandler = (request: Request) => Promise<Response>;

/** One request served (for logs). */
export interface ServedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly status: number;
}

/** Settings of {@link fixtureService}. */
export interface FixtureServiceOptions {
  /** Groups per synthesized page (default: the largest recorded page, at least 1). */
  readonly pageGroups?: number;
  /** Called after each request. */
  readonly onRequest?: (served: ServedRequest) => void;
  /**
   * The write guard on commits (see `FakeThingsCloud`): `reject` (default) answers a commit that
   * would break a real account with HTTP 422 and the violations; `report` appends it and calls
   * `onViolations`; `off` accepts anything, as Things Cloud does.
   */
  readonly guard?: CommitGuardOptions;
}

/** What a {@link fixtureService} holds now. */
export interface FixtureServiceState {
  /** First server index the fixture holds (0, or the cursor an incremental fixture starts at). */
  readonly first: number;
  readonly head: number;
  /** Groups appended by commits. */
  readonly committed: number;
  /** Commits the write guard found violations in (rejected ones included). */
  readonly guarded: readonly GuardedCommit[];
}

/** The service and a view of its state. */
export interface FixtureService {
  readonly handle: FetchHandler;
  state(): FixtureServiceState;
}

/** Builds the service over a fixture held in memory (see `readFixture`). */
export function fixtureService(
  fixture: Fixture,
  options: FixtureServiceOptions = {},
): FixtureService {
  const { history, recorded, largestPage } = fixtureHistory(fixture);
  const { first } = history;
  const recordedHead = history.head;
  const limits = { pageGroups: options.pageGroups ?? largestPage };
  let keysMade = 0;
  const guard = new CommitGuard(options.guard, () => history);
  const committed = (): number => history.head - recordedHead;

  // Until the first commit, a recorded page is answered with its bytes exactly.
  const page = (start: number): Uint8Array | string =>
    (committed() === 0 ? recorded.get(start) : undefined) ?? history.page(start, limits).text;

  const answer = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname;
    const account = /^\/version\/1\/account\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && account !== null) {
      if (!/^Password .+/.test(request.headers.get('authorization') ?? ''))
        return errorBody(401, null);
      return jsonResponse(200, {
        'SLA-version-accepted': 'https://cloud.culturedcode.com/sla/v1.5-rich.html?language=en',
        email: safeDecode(account[1] ?? ''),
        'history-key': SERVED_HISTORY_KEY,
        issues: [],
        'maildrop-email': 'add-to-things-served@things.email',
        status: 'SYAccountStatusActive',
      });
    }
    const other = otherEndpoint(request, path, () => madeUpHistoryKey(++keysMade));
    if (other !== null) return other;
    const match = /^\/version\/1\/history\/([^/]+)(\/items|\/commit)?$/.exec(path);
    if (match === null) return errorBody(404, 'GenericClientError');
    if (safeDecode(match[1] ?? '') !== SERVED_HISTORY_KEY) return errorBody(404, 'AccountIssue');
    const action = match[2];
    if (action === undefined && request.method === 'GET') {
      return jsonResponse(200, history.meta());
    }
    if (action === '/items' && request.method === 'GET') {
      const raw = url.searchParams.get('start-index');
      if (raw === null || !/^\d+$/.test(raw)) return errorBody(400, 'GenericClientError');
      const start = Number(raw);
      if (start > history.head) return errorBody(500, null);
      if (start < first) return errorBody(404, 'AccountIssue');
      return new Response(page(start), {
        status: 200,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
      });
    }
    if (action === '/commit' && request.method === 'POST') {
      const ancestor = parseAncestor(url.searchParams.get('ancestor-index'));
      return commitGroup(history, guard, ancestor, await request.text());
    }
    return errorBody(405, 'GenericClientError');
  };

  return {
    handle: async (request) => {
      const response = await answer(request);
      const url = new URL(request.url);
      options.onRequest?.({
        method: request.method,
        url: `${url.pathname}${url.search}`,
        status: response.status,
      });
      return response;
    },
    state: () => ({ first, head: history.head, committed: committed(), guarded: guard.found }),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
