import { describe, expect, it } from 'vitest';
import {
  ScenarioClock,
  SeededIds,
  TASK_CREATE_KEYS,
  checklistItemCreate,
  noteObject,
  scheduleFields,
  taskCreate,
  tombstoneCreate,
} from '../../../src/harness/index.ts';
import { isCanonicalId, type CivilDate } from '../../../src/protocol/index.ts';

const SPEC_KEYS =
  'acrd agr ar ato cd dd dds dl do icc icp icsd ix lai lt md nt pr rmd rp rr rt sb sp sr ss st tg ti tir tp tr tt xx'.split(
    ' ',
  );
const TODAY = '2025-11-02' as CivilDate;

describe('taskCreate()', () => {
  it('writes exactly the 34 native keys with md null and a checksummed empty note', () => {
    expect([...TASK_CREATE_KEYS].sort()).toEqual(SPEC_KEYS);
    const event = taskCreate({
      type: 0,
      title: 'Pay rent',
      schedule: scheduleFields('today', TODAY, false),
      index: 1,
      createdAt: 1762076400,
    });
    expect(event).toMatchObject({ t: 0, e: 'Task6' });
    expect(event.p).toMatchObject({
      md: null,
      st: 1,
      sr: 1762041600,
      tir: 1762041600,
      nt: { _t: 'tx', ch: 0, v: '', t: 1 },
      xx: { _t: 'oo', sn: {} },
    });
  });

  it('gives projects and headings st 1 even when asked for the Inbox', () => {
    const p = taskCreate({
      type: 2,
      title: 'H',
      schedule: { st: 0, sr: null, tir: null, sb: 0 },
      index: 1,
      createdAt: 1,
    }).p;
    expect(p['st']).toBe(1);
  });
});

describe('scheduleFields()', () => {
  it('follows spec 10.2 for every list and a date', () => {
    expect(scheduleFields('inbox', TODAY, false)).toEqual({ st: 0, sr: null, tir: null, sb: 0 });
    expect(scheduleFields('inbox', TODAY, true)).toEqual({ st: 1, sr: null, tir: null, sb: 0 });
    expect(scheduleFields('evening', TODAY, false)).toEqual({
      st: 1,
      sr: 1762041600,
      tir: 1762041600,
      sb: 1,
    });
    expect(scheduleFields('someday', TODAY, false)).toEqual({ st: 2, sr: null, tir: null, sb: 0 });
    expect(scheduleFields('2025-11-05', TODAY, false)).toEqual({
      st: 2,
      sr: 1762300800,
      tir: 1762300800,
      sb: 0,
    });
    expect(scheduleFields('2025-11-01', TODAY, false).st).toBe(1);
    expect(() => scheduleFields('tomorrow', TODAY, false)).toThrow(RangeError);
  });
});

describe('noteObject(), checklistItemCreate(), tombstoneCreate()', () => {
  it('checksums the note with CRC-32 of its UTF-8 bytes', () => {
    expect(noteObject('hello')).toEqual({ _t: 'tx', ch: 907060870, v: 'hello', t: 1 });
  });

  it('writes ChecklistItem3 and Tombstone2 shapes', () => {
    expect(checklistItemCreate({ taskId: 'T', title: 'x', index: 0, createdAt: 5 })).toEqual({
      t: 0,
      e: 'ChecklistItem3',
      p: {
        tt: 'x',
        ss: 0,
        sp: null,
        ix: 0,
        ts: ['T'],
        cd: 5,
        md: null,
        lt: false,
        xx: { _t: 'oo', sn: {} },
      },
    });
    expect(tombstoneCreate('T', 9)).toEqual({ t: 0, e: 'Tombstone2', p: { dloid: 'T', dld: 9 } });
  });
});

describe('SeededIds and ScenarioClock', () => {
  it('draws canonical 22-character ids, the same for the same seed', () => {
    const a = new SeededIds('s');
    const b = new SeededIds('s');
    const ids = [a.next(), a.next(), a.next()];
    expect(ids).toEqual([b.next(), b.next(), b.next()]);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id.length === 22 && isCanonicalId(id)).toBe(true);
    expect(new SeededIds('t').next()).not.toBe(ids[0]);
  });

  it('ticks one second per write and judges today in its zone', () => {
    const clock = new ScenarioClock(Date.UTC(2026, 6, 10, 5) / 1000, 'America/Los_Angeles');
    expect(clock.today).toBe('2026-07-09');
    expect(clock.tick()).toBe(clock.start + 1);
    clock.advance(86_400);
    expect(clock.today).toBe('2026-07-10');
  });
});
