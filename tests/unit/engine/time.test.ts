import { describe, expect, it } from 'vitest';
import { localDate, todayIn } from '../../../src/engine/index.ts';
import {
  at,
  context,
  day,
  MemoryState,
  nativeTask,
  rowsOf,
  testId,
  type WireGroup,
} from './support.ts';

const T = testId(70);

/** A someday task, then a modify scheduling it for 2025-11-03 with the given md. */
function scheduleAt(md: number): WireGroup[] {
  return [
    {
      [T]: {
        t: 0,
        e: 'Task6',
        p: nativeTask({ tt: 'Dentist', st: 2, md: at('2025-10-01T12:00:00Z') }),
      },
    },
    { [T]: { t: 1, e: 'Task6', p: { st: 2, sr: day('2025-11-03'), tir: day('2025-11-03'), md } } },
  ];
}

function movedTo(timeZone: string, md: number, referenceDate = '2025-11-02'): string[] {
  const state = new MemoryState();
  return state
    .fold(1, scheduleAt(md), context(timeZone, referenceDate))
    .changes.filter((c) => c.serverIndex === 2)
    .map((c) => c.type);
}

describe('location changes without a wall clock', () => {
  it('gives identical changes whatever the reference date when every item has md', () => {
    const groups: WireGroup[] = [
      ...scheduleAt(at('2025-11-02T23:30:00Z')),
      { [T]: { t: 1, e: 'Task6', p: { st: 1, sr: null, md: at('2025-11-05T08:00:00Z') } } },
      {
        [T]: {
          t: 1,
          e: 'Task6',
          p: { sr: day('2025-11-05'), sb: 1, md: at('2025-11-05T09:00:00Z') },
        },
      },
    ];
    const runs = ['1990-01-01', '2025-11-02', '2040-12-31'].map((date) =>
      rowsOf(new MemoryState().fold(1, groups, context('Europe/Berlin', date)).changes),
    );
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[0]?.map((r) => r[0])).toEqual([
      'TaskCreated',
      'TaskMovedToToday',
      'TaskMovedToAnytime',
      'TaskMovedToEvening',
    ]);
  });

  it('judges a move at the local date of md: Upcoming in UTC, Today in Berlin (00:30 on the 3rd)', () => {
    const md = at('2025-11-02T23:30:00Z');
    expect(movedTo('UTC', md)).toEqual(['TaskMovedToUpcoming']);
    expect(movedTo('Europe/Berlin', md)).toEqual(['TaskMovedToToday']);
    expect(movedTo('Asia/Tokyo', md)).toEqual(['TaskMovedToToday']);
  });

  it('judges west of UTC by the local date too', () => {
    const md = at('2025-11-03T05:00:00Z'); // 21:00 on the 2nd in Los Angeles
    expect(movedTo('UTC', md)).toEqual(['TaskMovedToToday']);
    expect(movedTo('America/Los_Angeles', md)).toEqual(['TaskMovedToUpcoming']);
    expect(movedTo('America/New_York', md)).toEqual(['TaskMovedToToday']); // 00:00 on the 3rd
  });

  it('handles the zones furthest from UTC around midnight', () => {
    expect(movedTo('Pacific/Kiritimati', at('2025-11-02T10:00:00Z'))).toEqual(['TaskMovedToToday']);
    expect(movedTo('Pacific/Kiritimati', at('2025-11-02T09:59:59Z'))).toEqual([
      'TaskMovedToUpcoming',
    ]);
    expect(movedTo('Pacific/Pago_Pago', at('2025-11-03T10:59:59Z'))).toEqual([
      'TaskMovedToUpcoming',
    ]);
    expect(movedTo('Pacific/Pago_Pago', at('2025-11-03T11:00:00Z'))).toEqual(['TaskMovedToToday']);
  });

  it('uses the reference date only when the item has no md', () => {
    const groups: WireGroup[] = [
      { [T]: { t: 0, e: 'Task6', p: nativeTask({ st: 2 }) } },
      { [T]: { t: 1, e: 'Task6', p: { sr: day('2025-11-03') } } },
    ];
    const types = (date: string) =>
      new MemoryState().fold(1, groups, context('UTC', date)).changes.map((c) => c.type);
    expect(types('2025-11-02')).toEqual(['TaskCreated', 'TaskMovedToUpcoming']);
    expect(types('2025-11-03')).toEqual(['TaskCreated', 'TaskMovedToToday']);
  });

  it('judges a create snapshot at its cd when it has no md', () => {
    const create = (cd: number) =>
      new MemoryState().fold(
        1,
        [{ [T]: { t: 0, e: 'Task6', p: nativeTask({ st: 2, sr: day('2025-11-03'), cd }) } }],
        context('Europe/Berlin', '1990-01-01'),
      ).changes[0]?.payload;
    expect(create(at('2025-11-02T23:30:00Z'))).toMatchObject({
      snapshot: { schedule: { list: 'today' } },
    });
    expect(create(at('2025-11-02T22:30:00Z'))).toMatchObject({
      snapshot: { schedule: { list: 'upcoming' } },
    });
  });
});

describe('localDate() and todayIn()', () => {
  it('gives the local calendar date of an instant', () => {
    const instant = at('2025-11-02T23:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2025-11-02');
    expect(localDate(instant, 'Europe/Berlin')).toBe('2025-11-03');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2025-11-02');
    expect(todayIn('Pacific/Kiritimati', at('2025-11-02T09:59:59Z'))).toBe('2025-11-02');
    expect(todayIn('Pacific/Kiritimati', at('2025-11-02T10:00:00Z'))).toBe('2025-11-03');
    expect(todayIn('Pacific/Pago_Pago', at('2025-11-03T10:59:59Z'))).toBe('2025-11-02');
  });

  it('rejects an unknown zone with INVALID_TIME_ZONE', () => {
    expect(() => localDate(0, 'Mars/Olympus')).toThrow(
      expect.objectContaining({ code: 'INVALID_TIME_ZONE' }),
    );
  });
});
