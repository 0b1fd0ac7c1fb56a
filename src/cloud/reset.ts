/**
 * History identity (spec 3.3, 9.7): the history key is stored only as its SHA-256, and a reset is
 * detected by comparing that hash and the head with what a store holds.
 */
import { sha256Hex } from '../fixture/sha256.ts';

/** Lower-case hex SHA-256 of the history key's UTF-8 bytes: what stores keep instead of the key. */
export function historyKeyHash(historyKey: string): string {
  return sha256Hex(new TextEncoder().encode(historyKey));
}

/** Why a stored state no longer matches the account's history. */
export type ResetReason =
  | { readonly kind: 'keyChanged' }
  | { readonly kind: 'headBehindCursor'; readonly head: number; readonly cursor: number };

/**
 * The reason the stored state (`historyKeyHash` may be `null` for a store that never synced, then
 * only the head is compared) cannot be continued with the current history, or `null` when it can.
 */
export function detectReset(
  stored: { readonly historyKeyHash: string | null; readonly cursor: number },
  current: { readonly historyKeyHash: string; readonly head: number },
): ResetReason | null {
  if (stored.historyKeyHash !== null && stored.historyKeyHash !== current.historyKeyHash) {
    return { kind: 'keyChanged' };
  }
  if (current.head < stored.cursor) {
    return { kind: 'headBehindCursor', head: current.head, cursor: stored.cursor };
  }
  return null;
}

/** One sentence for people: why the history is considered replaced. */
export function describeReset(reason: ResetReason): string {
  return reason.kind === 'keyChanged'
    ? 'the account now names a different history key than the one the stored state comes from'
    : `the history's head (${reason.head}) is behind the stored cursor (${reason.cursor})`;
}
