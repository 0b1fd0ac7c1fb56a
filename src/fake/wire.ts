/**
 * Request and response pieces shared by the fake service (msw) and `thingstape serve` (node:http):
 * both answer like Things Cloud, so they parse commits and shape errors the same way.
 */

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

/** True when a commit body is one group: a JSON object (not an array, not malformed). */
export function isCommitGroup(body: string): boolean {
  let group: unknown;
  try {
    group = JSON.parse(body);
  } catch {
    return false;
  }
  return typeof group === 'object' && group !== null && !Array.isArray(group);
}
