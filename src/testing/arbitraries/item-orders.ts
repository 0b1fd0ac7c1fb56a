/** Orders: permutations of a group's items and interleavings of several streams. */
import * as fc from 'fast-check';

import type { WireEvent, WireGroup, WireHistory } from './wire-shapes.ts';

/** A permutation of `0…n-1` (shrinks towards the identity). */
export function permutation(n: number): fc.Arbitrary<readonly number[]> {
  if (n <= 1) return fc.constant(Array.from({ length: n }, (_, i) => i));
  return fc.array(fc.nat({ max: n - 1 }), { minLength: n, maxLength: n }).map((draws) => {
    // Fisher–Yates driven by the draws: all zeros is the identity.
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < n; i += 1) {
      const j = i + ((draws[i] ?? 0) % (n - i));
      const a = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = a;
    }
    return order;
  });
}

/** A group with its keys (items) reordered by `order`. */
export function reorderGroup(group: WireGroup, order: readonly number[]): WireGroup {
  const entries = Object.entries(group);
  const out: Record<string, WireEvent> = {};
  for (const i of order) {
    const entry = entries[i];
    if (entry !== undefined) {
      Object.defineProperty(out, entry[0], {
        value: entry[1],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

/** A permutation of the items inside every group of a history. */
export function groupOrders(history: WireHistory): fc.Arbitrary<WireHistory> {
  return fc
    .tuple(...history.groups.map((group) => permutation(Object.keys(group).length)))
    .map((orders) => ({
      groups: history.groups.map((group, i) => reorderGroup(group, orders[i] ?? [])),
    }));
}

/**
 * An interleaving of several streams that keeps each stream's own order: the merged sequence as
 * `[stream, position]` pairs. Shrinks towards "stream 0 first, then stream 1, …".
 */
export function interleaving(
  lengths: readonly number[],
): fc.Arbitrary<readonly (readonly [number, number])[]> {
  const total = lengths.reduce((sum, n) => sum + n, 0);
  return fc
    .array(fc.nat({ max: Math.max(lengths.length - 1, 0) }), {
      minLength: total,
      maxLength: total,
    })
    .map((draws) => {
      const next = lengths.map(() => 0);
      const out: [number, number][] = [];
      for (const draw of draws) {
        // Take from the drawn stream, or the first non-exhausted one after it.
        for (let k = 0; k < lengths.length; k += 1) {
          const s = (draw + k) % lengths.length;
          const at = next[s] ?? 0;
          if (at < (lengths[s] ?? 0)) {
            out.push([s, at]);
            next[s] = at + 1;
            break;
          }
        }
      }
      return out;
    });
}
