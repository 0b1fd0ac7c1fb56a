/** Pages of a history: a page body around groups, and arbitrary cuts of a history into pages. */
import * as fc from 'fast-check';

import type { HistoryOptions } from './history-ops.ts';
import { wireHistory, type RenderOptions } from './rendering.ts';
import type { WireGroup, WireHistory, WirePage } from './wire-shapes.ts';

/** A page body holding `groups` of a history whose head is `head`. */
export function wirePage(groups: readonly WireGroup[], head: number): WirePage {
  return { items: groups, 'current-item-index': head, schema: 301 };
}

/**
 * The page boundaries (strictly increasing start indexes after 0) of a history of `n` groups:
 * at most `maxCuts` cuts (default: any number, up to one page per group).
 */
export function pageSplit(n: number, maxCuts = n): fc.Arbitrary<readonly number[]> {
  if (n <= 1) return fc.constant([]);
  return fc
    .uniqueArray(fc.integer({ min: 1, max: n - 1 }), { maxLength: Math.min(n - 1, maxCuts) })
    .map((cuts) => [...cuts].sort((a, b) => a - b));
}

/** The pages of a history cut at `cuts`: `[startIndex, groups]` pairs covering every group. */
export function splitPages(
  groups: readonly WireGroup[],
  cuts: readonly number[],
): { readonly startIndex: number; readonly groups: readonly WireGroup[] }[] {
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < groups.length), groups.length];
  const pages: { startIndex: number; groups: readonly WireGroup[] }[] = [];
  for (let i = 0; i + 1 < bounds.length; i += 1) {
    const start = bounds[i] ?? 0;
    const end = bounds[i + 1] ?? groups.length;
    if (end > start) pages.push({ startIndex: start, groups: groups.slice(start, end) });
  }
  return pages;
}

/** A history with a split of it into pages (at most `maxCuts` cuts, default any). */
export function splitHistory(
  options: HistoryOptions & RenderOptions & { readonly maxCuts?: number } = {},
): fc.Arbitrary<{ readonly history: WireHistory; readonly cuts: readonly number[] }> {
  return wireHistory(options).chain((history) =>
    pageSplit(history.groups.length, options.maxCuts).map((cuts) => ({ history, cuts })),
  );
}
