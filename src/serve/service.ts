/**
 * A fixture served as the Things Cloud HTTP API (spec 2.4): the account endpoint (any e-mail and
 * password; the history key is {@link SERVED_HISTORY_KEY}), history metadata, `…/items` from any
 * start index, and commits against an in-memory head (409 `OutdatedAncestor` on a stale
 * ancestor). Until the first commit, a start index where a recorded page starts is answered with
 * that page's bytes exactly; other start indexes (and every page after a commit) are cut from the
 * same groups, at most one recorded page's worth of groups, with the recorded envelope fields and
 * content-size counters that chain with the recorded pages' (`anchoredContentSizes`); `/history`
 * reports the same total. `own-history-keys` and `app-instance` answer as the spec records them.
 * Commits go through the write guard (reject by default).
 */
import { Buffer } from 'node:buffer';
import { CommitGuard, type CommitGuardOptions, type GuardedCommit } from '../fake/guard.ts';
import { anchoredContentSizes, splitPageGroups, type RecordedSizes } from '../fake/history.ts';
import {
  errorBody,
  isCommitGroup,
  jsonResponse,
  madeUpHistoryKey,
  otherEndpoint,
  parseAncestor,
} from '../fake/wire.ts';
import type { Fixture } from '../fixture/types.ts';
import { pageBodyText } from '../protocol/index.ts';

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
  const { manifest } = fixture;
  const first = manifest.pages[0]?.startIndex ?? 0;
  const groups: string[] = [];
  const recorded = new Map<number, Uint8Array>();
  const sizes: RecordedSizes[] = [];
  let schema = manifest.schema ?? 301;
  for (const page of manifest.pages) {
    const bytes = fixture.pages.get(page.file);
    if (bytes === undefined)
      throw new RangeError(`fixture "${fixture.name}" has no bytes for ${page.file}`);
    recorded.set(page.startIndex, bytes);
    const text = new TextDecoder().decode(bytes);
    const pageGroups = splitPageGroups(text);
    groups.push(...pageGroups);
    const envelope = JSON.parse(text) as Record<string, unknown>;
    const counter = (key: string): { [k: string]: number } => {
      const value = envelope[`${key}-total-content-size`];
      return typeof value === 'number' && Number.isSafeInteger(value) ? { [key]: value } : {};
    };
    sizes.push({ groups: pageGroups, ...counter('start'), ...counter('end') });
    if (
      sizes.length === 1 &&
      manifest.schema === undefined &&
      typeof envelope['schema'] === 'number'
    )
      schema = envelope['schema'];
  }
  // Synthesized pages and /history carry counters that chain with the recorded pages' own.
  const anchored = anchoredContentSizes(sizes);
  const startSize = anchored.start;
  const ends = anchored.ends;
  const pageGroups = options.pageGroups ?? Math.max(1, ...manifest.pages.map((p) => p.groups));
  let committed = 0;
  let keysMade = 0;
  const guard = new CommitGuard(options.guard, () => ({ groups, first }));
  const head = (): number => first + groups.length;
  const total = (): number => ends.at(-1) ?? startSize;

  const page = (start: number): Uint8Array | string => {
    const exact = committed === 0 ? recorded.get(start) : undefined;
    if (exact !== undefined) return exact;
    const from = start - first;
    const parts = groups.slice(from, from + pageGroups);
    const before = from === 0 ? startSize : (ends[from - 1] ?? startSize);
    const after = parts.length === 0 ? before : (ends[from + parts.length - 1] ?? before);
    return pageBodyText(parts, {
      head: head(),
      schema,
      startSize: before,
      endSize: after,
      latestSize: total(),
    });
  };

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
    const history = /^\/version\/1\/history\/([^/]+)(\/items|\/commit)?$/.exec(path);
    if (history === null) return errorBody(404, 'GenericClientError');
    if (safeDecode(history[1] ?? '') !== SERVED_HISTORY_KEY) return errorBody(404, 'AccountIssue');
    const action = history[2];
    if (action === undefined && request.method === 'GET') {
      return jsonResponse(200, {
        'latest-server-index': head(),
        'latest-schema-version': schema,
        'latest-total-content-size': total(),
        'is-empty': head() === 0,
      });
    }
    if (action === '/items' && request.method === 'GET') {
      const raw = url.searchParams.get('start-index');
      if (raw === null || !/^\d+$/.test(raw)) return errorBody(400, 'GenericClientError');
      const start = Number(raw);
      if (start > head()) return errorBody(500, null);
      if (start < first) return errorBody(404, 'AccountIssue');
      return new Response(page(start), {
        status: 200,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
      });
    }
    if (action === '/commit' && request.method === 'POST') {
      const ancestor = parseAncestor(url.searchParams.get('ancestor-index'));
      const body = await request.text();
      if (ancestor === null || !isCommitGroup(body)) return errorBody(400, 'GenericClientError');
      if (ancestor !== head()) return errorBody(409, 'OutdatedAncestor');
      const rejected = guard.check(body, ancestor);
      if (rejected !== null) return rejected;
      groups.push(body);
      guard.appended([body], head() - 1);
      ends.push(total() + Buffer.byteLength(body));
      committed += 1;
      return jsonResponse(200, { 'server-head-index': head() });
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
    state: () => ({ first, head: head(), committed, guarded: guard.found }),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
