/**
 * The changes `foldPage()` reports in rare cases that the property tests reach only with large
 * budgets (so `make mutation`, which runs them with a small one, needs a direct example): entity
 * types of non-task changes, tag diffs, evening moves, status transitions that are not changes,
 * headings under projects, verbatim `xx` and delegates.
 */
import { describe, expect, it } from 'vitest';

import { foldPage } from '../../../src/engine/index.ts';
import type { Change, Entity } from '../../../src/engine/types.ts';
import { canonicalTestId } from '../../arbitraries/index.ts';
import type { WireGroup } from '../../arbitraries/index.ts';
import { CONTEXT, decodeGroups } from '../../property/support.ts';

const A = canonicalTestId(20, 1);
const B = canonicalTestId(20, 2);
const T1 = canonicalTestId(20, 3);
const T2 = canonicalTestId(20, 4);
const T3 = canonicalTestId(20, 5);
const MD = 1_761_998_400.5; // 2025-11-01T12:00:00.5Z
const TODAY = 1_761_955_200; // 2025-11-01 as a day stamp

function fold(groups: readonly WireGroup[]): {
  changes: readonly Change[];
  entities: ReadonlyMap<string, Entity>;
} {
  return foldPage(new Map(), decodeGroups(groups), CONTEXT);
}

/** The changes of the last group. */
function lastChanges(
  groups: readonly WireGroup[],
): { type: string; entityType: string; payload: unknown }[] {
  const last = groups.length - 1;
  return fold(groups)
    .changes.filter((c) => c.serverIndex === last)
    .map((c) => ({ type: c.type, entityType: c.entityType, payload: c.payload }));
}

describe('foldPage() changes the properties cover only with large budgets', () => {
  it('names areas, tags and checklist items as the entity type of their live changes', () => {
    const groups: WireGroup[] = [
      { [A]: { t: 0, e: 'Area3', p: { tt: 'Home' } } },
      { [T1]: { t: 0, e: 'Tag4', p: { tt: 'red' } } },
      { [B]: { t: 0, e: 'ChecklistItem3', p: { tt: 'one' } } },
      {
        [A]: { t: 1, e: 'Area3', p: { tt: 'House', tg: [T1], md: MD } },
        [T1]: { t: 1, e: 'Tag4', p: { tt: 'blue', sh: 'b', pn: [T2], md: MD } },
        [B]: { t: 1, e: 'ChecklistItem3', p: { tt: 'two', ts: [T3], md: MD } },
      },
    ];
    expect(lastChanges(groups).map((c) => [c.type, c.entityType])).toEqual([
      ['AreaRenamed', 'Area'],
      ['AreaTagsChanged', 'Area'],
      ['TagRenamed', 'Tag'],
      ['TagShortcutChanged', 'Tag'],
      ['TagParentChanged', 'Tag'],
      ['ChecklistItemTitleChanged', 'ChecklistItem'],
      ['ChecklistItemMovedToTask', 'ChecklistItem'],
    ]);
  });

  it('lists exactly the added and removed tags, sorted', () => {
    const groups: WireGroup[] = [
      { [A]: { t: 0, e: 'Task6', p: { tt: 'x', tg: [T3, T1] } } },
      { [A]: { t: 1, e: 'Task6', p: { tg: [T1, T2, B], md: MD } } },
    ];
    expect(lastChanges(groups)).toEqual([
      {
        type: 'TaskTagsChanged',
        entityType: 'Task',
        payload: { old: [T3, T1], new: [T1, T2, B], added: [T2, B].sort(), removed: [T3] },
      },
    ]);
  });

  it('moves a to-do to This Evening when only sb changes on a Today date', () => {
    const groups: WireGroup[] = [
      { [A]: { t: 0, e: 'Task6', p: { tt: 'x', st: 1, sr: TODAY, sb: 0, md: MD } } },
      { [A]: { t: 1, e: 'Task6', p: { sb: 1, md: MD } } },
    ];
    expect(lastChanges(groups).map((c) => c.type)).toEqual(['TaskMovedToEvening']);
  });

  it('emits no move for a start value outside 0–2, and no reschedule then either', () => {
    const groups: WireGroup[] = [
      { [A]: { t: 0, e: 'Task6', p: { tt: 'x', st: 1, md: MD } } },
      { [A]: { t: 1, e: 'Task6', p: { st: 7, sr: TODAY, md: MD } } },
    ];
    expect(lastChanges(groups)).toEqual([]);
  });

  it('emits no status change when the status stays or moves between open-like values', () => {
    const groups: WireGroup[] = [
      { [A]: { t: 0, e: 'Task6', p: { tt: 'x', ss: 3, sp: MD } } },
      { [A]: { t: 1, e: 'Task6', p: { ss: 3, md: MD } } },
      { [B]: { t: 0, e: 'Task6', p: { tt: 'y', ss: 0 } } },
      { [B]: { t: 1, e: 'Task6', p: { ss: 1, md: MD } } },
    ];
    const changes = fold(groups).changes.filter((c) => c.serverIndex === 1 || c.serverIndex === 3);
    expect(changes).toEqual([]);
  });

  it('reports a reopened canceled to-do as uncanceled', () => {
    const groups: WireGroup[] = [
      { [A]: { t: 0, e: 'Task6', p: { tt: 'x', ss: 2, sp: MD } } },
      { [A]: { t: 1, e: 'Task6', p: { ss: 0, sp: null, md: MD } } },
    ];
    expect(lastChanges(groups)).toEqual([
      {
        type: 'TaskUncanceled',
        entityType: 'Task',
        payload: { old: 'canceled', new: 'open', stopDate: null },
      },
    ]);
  });

  it('gives a project no heading change', () => {
    const groups: WireGroup[] = [
      { [A]: { t: 0, e: 'Task6', p: { tt: 'p', tp: 1 } } },
      { [A]: { t: 1, e: 'Task6', p: { agr: [B], md: MD } } },
    ];
    expect(lastChanges(groups)).toEqual([]);
  });

  it('keeps xx verbatim, lt and delegates as set, across a sparse modify', () => {
    const groups: WireGroup[] = [
      { [A]: { t: 0, e: 'Task6', p: { tt: 'x', lt: true, xx: { a: [1] } } } },
      { [A]: { t: 1, e: 'Task6', p: { dl: [B], md: MD } } },
      { [T1]: { t: 0, e: 'Area3', p: { tt: 'a', xx: { b: 2 } } } },
      { [T1]: { t: 1, e: 'Area3', p: { tt: 'c' } } },
    ];
    const { entities } = fold(groups);
    expect(entities.get(A)).toMatchObject({
      leavesTombstone: true,
      xx: { a: [1] },
      delegateIds: [B],
    });
    expect(entities.get(T1)).toMatchObject({ xx: { b: 2 }, title: 'c' });
  });
});
