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
