import { describe, expect, it } from 'vitest';
import { CHANGE_TYPES } from '../../../src/engine/index.ts';
import { changeSummary } from '../../../src/report/summary.ts';

const titles = new Map([
  ['P1', 'Move house'],
  ['T1', 'errands'],
  ['T2', 'home'],
]);
const titleOf = (id: string): string => titles.get(id) ?? id;

describe('changeSummary()', () => {
  it('says something of its own for every change type the engine has', () => {
    // A payload of the general shape; the summary must not fall back to the bare type name.
    for (const type of CHANGE_TYPES) {
      const text = changeSummary(type, { old: null, new: null, snapshot: {} }, titleOf);
      expect({ type, text: text === type }).toEqual({ type, text: false });
    }
  });

  it('names lists with their start date, and references by title', () => {
    expect(
      changeSummary(
        'TaskMovedToToday',
        {
          old: { list: 'upcoming', start: 2, startDate: '2025-03-01', startBucket: 0 },
          new: { list: 'today', start: 1, startDate: '2025-02-01', startBucket: 0 },
        },
        titleOf,
      ),
    ).toBe('Upcoming (2025-03-01) → Today (2025-02-01)');
    expect(changeSummary('TaskAssignedToProject', { old: null, new: 'P1' }, titleOf)).toBe(
      'project none → Move house',
    );
    expect(
      changeSummary(
        'TaskTagsChanged',
        { old: ['T2'], new: ['T1'], added: ['T1'], removed: ['T2'] },
        titleOf,
      ),
    ).toBe('tags +errands, −home');
  });

  it('reads a compact snapshot (defaults left out) and says when an entity came back', () => {
    expect(
      changeSummary(
        'TaskCreated',
        { resurrected: true, snapshot: { title: 'Call Anna', schedule: { list: 'inbox' } } },
        titleOf,
      ),
    ).toBe('created "Call Anna" in Inbox, back after a deletion (resurrected)');
    expect(
      changeSummary('TaskDeleted', { by: 'tombstone', tombstoneId: 'X', title: 'Old' }, titleOf),
    ).toBe('deleted "Old" for good (by a tombstone; the row is kept)');
    expect(changeSummary('TaskNoteChanged', { old: 'ab', new: 'abcd' }, titleOf)).toBe(
      'note edited (2 → 4 characters)',
    );
    expect(changeSummary('TaskNoteChanged', { oldLength: 2, new: 'abcd' }, titleOf)).toBe(
      'note edited (2 → 4 characters)',
    );
  });

  it('is self-contained, so the report page can run its source text', () => {
    // The page inlines the function's source: it must run with nothing from this module around it.
    // eslint-disable-next-line typescript/no-implied-eval -- runs our own function's source, as the page does
    const fn = new Function(
      `${changeSummary.toString()}; return changeSummary;`,
    )() as typeof changeSummary;
    expect(fn('TaskTitleChanged', { old: 'a', new: 'b' }, titleOf)).toBe('"a" → "b"');
  });
});
