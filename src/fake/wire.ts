/**
 * Request and response pieces shared by the fake service (msw) and `thingstape serve` (node:http):
 * both answer like Things Cloud, so they parse commits and shape errors the same way.
 */
import { DecodeError, decodePage } from '../protocol/index.ts';

/** An error response as Things Cloud sends it, with its `Things-Response` header when given. */
export function errorBody(status: number, thingsResponse: string | null): Response {
  return new Response(JSON.stringify({ IsSyncronyErrorResponse: true }), {
    status,
    headers: {
      'content-type': 'application/json',
      ...(thingsResponse === null ? {} : { 'things-response': thingsResponse }),
    },
  });
}

/** The `ancestor-index` query value as a count, or `null` when missing or not a whole number. */
export function parseAncestor(raw: string | null): number | null {
  return raw !== null && /^\d+$/.test(raw) ? Number(raw) : null;
}

/** Largest commit body the fake service and `serve` read (16 MiB); a larger one is refused. */
export const MAX_COMMIT_BYTES = 16 * 1024 * 1024;

/**
 * True when a commit body is one group of history events: a JSON object whose items decode as a
 * page of thingstape's own decoder would (ids, actions, kinds, payload types, value limits), so a
 * history served back after it can be synced again. `{"x": 1}` is not one.
 */
export function isCommitGroup(body: string): boolean {
  return commitGroupProblem(body) === null;
}

/** Why a commit body is not one group of history events (see {@link isCommitGroup}), or null. */
export function commitGroupProblem(body: string): string | null {
  let group: unknown;
  try {
    group = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  if (typeof group !== 'object' || group === null || Array.isArray(group)) {
    return 'the body is not a JSON object';
  }
  try {
    decodePage({ items: [group], 'current-item-index': 1 }, { startIndex: 0 });
  } catch (error) {
    if (error instanceof DecodeError) return error.message;
    throw error;
  }
  return null;
}

/** `Things-Response` of the 404 that every `GET …/own-history-keys` gets since 2026 (spec 2.6). */
export const OWN_HISTORY_KEYS_GONE = 'GenericClientError';

/**
 * The endpoints besides account, history, items and commit, answered as the spec records them
 * (2.4, 2.6): `GET …/own-history-keys` 404 `GenericClientError` (every account, 2026);
 * `POST …/own-history-keys` 200 `{"new-history-key"}` (password required); `DELETE
 * …/own-history-keys/{key}` 202, also for a key that does not exist (password required);
 * `PUT /version/1/app-instance/{id}` 200. `null` for any other request. `newKey` names the key
 * a POST reports (the services do not serve histories created this way).
 */
export function otherEndpoint(
  request: Request,
  path: string,
  newKey: () => string,
): Response | null {
  const keys = /^\/version\/1\/account\/[^/]+\/own-history-keys(\/[^/]+)?$/.exec(path);
  if (keys !== null) {
    const one = keys[1] !== undefined;
    const authorized = /^Password .+/.test(request.headers.get('authorization') ?? '');
    if (request.method === 'GET' && !one) return errorBody(404, OWN_HISTORY_KEYS_GONE);
    if (request.method === 'POST' && !one) {
      return authorized ? jsonResponse(200, { 'new-history-key': newKey() }) : errorBody(401, null);
    }
    if (request.method === 'DELETE' && one) {
      return authorized ? new Response(null, { status: 202 }) : errorBody(401, null);
    }
    return errorBody(405, 'GenericClientError');
  }
  if (/^\/version\/1\/app-instance\/[^/]+$/.test(path)) {
    return request.method === 'PUT' ? jsonResponse(200, {}) : errorBody(405, 'GenericClientError');
  }
  return null;
}

/** A JSON response. */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** The `n`-th history key a service makes up: lowercase UUID-shaped, like real ones (spec 3.1). */
export function madeUpHistoryKey(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
