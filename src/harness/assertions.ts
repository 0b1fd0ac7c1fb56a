/**
 * The assertions of `t`, as pure matchers: each compares what the script expected with what it
 * got and returns `null`, or the failure's message and the divergence a traced report shows. The
 * context turns a failure into an `ASSERTION_FAILED` (or snapshot) error.
 */
import type { Change, ListViewName, ViewRow } from '../engine/index.ts';
import type { CivilDate } from '../protocol/index.ts';
import { diffValues, formatDiffs, partialMismatches, show } from './diff.ts';
import type { ChangeComparison, ChangeMatcher, DeepPartial, Divergence } from './types.ts';

/** An assertion that did not hold. */
export interface Mismatch {
  readonly message: string;
  readonly divergence: Divergence;
}

const changeLine = (c: Change): string => `${c.type} ${c.entityId} @${c.serverIndex}`;

/**
 * `t.assertChanges`: each change of `actual` matches the partial change at the same position of
 * `expected`, and there are as many; with `subset`, `expected` need only appear in order.
 */
export function matchChanges(
  expected: readonly ChangeMatcher[],
  actual: readonly Change[],
  subset: boolean,
): Mismatch | null {
  return subset ? matchChangeSubset(expected, actual) : matchChangeList(expected, actual);
}

function matchChangeSubset(
  expected: readonly ChangeMatcher[],
  actual: readonly Change[],
): Mismatch | null {
  let from = 0;
  for (const [i, want] of expected.entries()) {
    const at = actual.findIndex((c, j) => j >= from && partialMismatches(want, c).length === 0);
    if (at === -1) {
      const message = `Changes do not contain expected[${i}] ${show(want)} after position ${from}. Actual changes:\n${actual.map((c, j) => `  [${j}] ${changeLine(c)}`).join('\n')}`;
      const comparisons: ChangeComparison[] = [
        { index: i, outcome: 'missing', expected: want, diffs: [] },
        ...actual.map((c, j): ChangeComparison => ({
          index: j,
          outcome: j < from ? 'ok' : 'unexpected',
          actual: c,
          diffs: [],
        })),
      ];
      return { message, divergence: { kind: 'changes', comparisons, message } };
    }
    from = at + 1;
  }
  return null;
}

function matchChangeList(
  expected: readonly ChangeMatcher[],
  actual: readonly Change[],
): Mismatch | null {
  const lines: string[] = [];
  const comparisons: ChangeComparison[] = [];
  let bad = false;
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const want = expected[i];
    const got = actual[i];
    if (want === undefined && got !== undefined) {
      bad = true;
      lines.push(`  [${i}] unexpected ${changeLine(got)}`);
      comparisons.push({ index: i, outcome: 'unexpected', actual: got, diffs: [] });
    } else if (got === undefined) {
      bad = true;
      lines.push(`  [${i}] missing ${show(want)}`);
      comparisons.push({ index: i, outcome: 'missing', expected: want, diffs: [] });
    } else {
      const diffs = partialMismatches(want, got);
      comparisons.push({
        index: i,
        outcome: diffs.length === 0 ? 'ok' : 'mismatch',
        expected: want,
        actual: got,
        diffs,
      });
      if (diffs.length === 0) lines.push(`  [${i}] ok ${changeLine(got)}`);
      else {
        bad = true;
        lines.push(
          `  [${i}] ${changeLine(got)} does not match:\n${formatDiffs(diffs).replace(/^/gm, '    ')}`,
        );
      }
    }
  }
  if (!bad) return null;
  const message = `Changes do not match (${expected.length} expected, ${actual.length} actual):\n${lines.join('\n')}`;
  return { message, divergence: { kind: 'changes', comparisons, message } };
}

/** `t.assertList`: the view's rows match `expected` (titles, or partial rows) in order. */
export function matchList(
  view: ListViewName,
  today: CivilDate,
  expected: readonly (string | DeepPartial<ViewRow>)[],
  rows: readonly ViewRow[],
): Mismatch | null {
  const want = expected.map((e) => (typeof e === 'string' ? { title: e } : e));
  const diffs = partialMismatches(want, rows);
  if (diffs.length === 0) return null;
  const message = `List "${view}" on ${today} does not match:\n${formatDiffs(diffs)}\nActual rows: ${rows.length === 0 ? '(none)' : rows.map((r) => show(r.title)).join(', ')}`;
  return {
    message,
    divergence: {
      kind: 'list',
      view,
      today,
      expected: want,
      actual: rows.map((r) => ({ id: r.id, title: r.title, type: r.type, status: r.status })),
      diffs,
      message,
    },
  };
}

/** `t.assert`: `condition` holds. */
export function matchCondition(condition: unknown, message?: string): Mismatch | null {
  if (condition) return null;
  const text = message ?? 'Assertion failed';
  return { message: text, divergence: { kind: 'value', diffs: [], message: text } };
}

/** `t.assertEquals`: deep equality of JSON values. */
export function matchValue(actual: unknown, expected: unknown, message?: string): Mismatch | null {
  const diffs = diffValues(expected, actual);
  if (diffs.length === 0) return null;
  const text = `${message ?? 'Values differ'}:\n${formatDiffs(diffs)}`;
  return { message: text, divergence: { kind: 'value', diffs, message: text } };
}

/** What `t.assertSnapshot` does with a value: keep the stored one, write it, or fail. */
export type SnapshotVerdict =
  | { readonly kind: 'same' }
  | { readonly kind: 'write'; readonly how: 'added' | 'updated' }
  | { readonly kind: 'missing'; readonly message: string }
  | ({ readonly kind: 'mismatch' } & Mismatch);

/**
 * Judges a normalised snapshot against the stored one (`undefined`: none): a missing one is
 * written, except in CI; a differing one is replaced with `update` (never in CI), else it fails.
 */
export function judgeSnapshot(
  key: string,
  path: string,
  stored: unknown,
  actual: unknown,
  settings: { readonly update: boolean; readonly ci: boolean },
): SnapshotVerdict {
  if (stored === undefined) {
    if (!settings.ci) return { kind: 'write', how: 'added' };
    return {
      kind: 'missing',
      message: `Snapshot "${key}" does not exist in ${path}, and CI never writes snapshots: run the scenario locally and commit the file`,
    };
  }
  const diffs = diffValues(stored, actual);
  if (diffs.length === 0) return { kind: 'same' };
  if (settings.update && !settings.ci) return { kind: 'write', how: 'updated' };
  const message = `Snapshot "${key}" differs from ${path}:\n${formatDiffs(diffs, { expected: 'stored', actual: 'actual' })}\nRun with --update to accept the new value.`;
  return { kind: 'mismatch', message, divergence: { kind: 'value', diffs, message } };
}
