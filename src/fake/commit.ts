/** A commit to a served history, answered as Things Cloud answers it (spec 10.1). */
import type { CommitGuard } from './guard.ts';
import type { FakeHistory } from './fake-history.ts';
import { errorBody, isCommitGroup, jsonResponse } from './wire.ts';

/**
 * Appends a commit's group when its ancestor is the head and the write guard lets it through:
 * 400 for a missing ancestor or a body that is not one group object, 409 `OutdatedAncestor` for a
 * stale ancestor, the guard's 422 when it rejects, else 200 with the new head.
 */
export function commitGroup(
  history: FakeHistory,
  guard: CommitGuard,
  ancestor: number | null,
  body: string,
): Response {
  if (ancestor === null || !isCommitGroup(body)) return errorBody(400, 'GenericClientError');
  if (ancestor !== history.head) return errorBody(409, 'OutdatedAncestor');
  const rejected = guard.check(body, ancestor);
  if (rejected !== null) return rejected;
  const head = history.append([body]);
  guard.appended([body], head - 1);
  return jsonResponse(200, { 'server-head-index': head });
}
