import { describe, expect, it } from 'vitest';
import { inboxView, logbookView, projectView, todayView } from '../../../src/engine/index.ts';
import { crc32 } from '../../../src/protocol/index.ts';
import { anomalyRows, context, MemoryState, rowsOf, type WireGroup, civil } from './support.ts';

const A = '9JUsTFzUp3YBZX9DxRF9iS';
const P = 'Xg2niZrMftRZkYWfs8tAHn';
const T = 'NaQPzAwCsa9cHgzrfzNPzE';
const C = 'FFU71D7c5JTETxWYicrL3Q';
const TOMB = '8aPHNuzWDTtswEKXCuqidr';
const GHOST = 'UwW2s4vFvq7BqRkLWz26yR';

/** The page of spec Appendix B, verbatim. */
const PAGE: WireGroup[] = [
  {
    [A]: { t: 0, e: 'Area3', p: { tt: 'Home', ix: 1, tg: [] } },
    [P]: {
      t: 0,
      e: 'Task6',
      p: {
        tp: 1,
        tt: 'Renovation',
        st: 1,
        ss: 0,
        ar: [A],
        pr: [],
        agr: [],
        md: null,
        cd: 1762078500.5,
      },
    },
  },
  {
    [T]: {
      t: 0,
      e: 'Task6',
      p: {
        tp: 0,
        tt: 'Buy paint',
        st: 1,
        ss: 0,
        pr: [P],
        ar: [],
        agr: [],
        sr: null,
        tir: null,
        md: null,
        cd: 1762081200.25,
      },
    },
    [C]: {
      t: 0,
      e: 'ChecklistItem3',
      p: { tt: 'White', ss: 0, sp: null, ix: 0, ts: [T], md: null, cd: 1762081200.25 },
    },
  },
  {
    [T]: {
      t: 1,
      e: 'Task7',
      p: {
        sr: 1762041600,
        tir: 1762041600,
        nt: { _t: 'tx', ch: 3490927434, v: 'Matte finish', t: 1 },
        md: 1762085000.75,
      },
    },
  },
  {
    [T]: {
      t: 1,
      e: 'Task7',
      p: {
        nt: { _t: 'tx', t: 2, ps: [{ r: ' only', p: 12, l: 0, ch: 2463960263 }] },
        ss: 3,
        sp: 1762090000.125,
        md: 1762090000.125,
      },
    },
    [C]: { t: 1, e: 'ChecklistItem3', p: { ss: 3, sp: 1762090000.125, md: 1762090000.125 } },
  },
  {
    [C]: { t: 2, e: 'ChecklistItem3', p: {} },
    [TOMB]: { t: 0, e: 'Tombstone2', p: { dloid: GHOST, dld: 1762090000.125 } },
  },
];

const ctx = context('Europe/Berlin', '2025-11-02');
const today = civil('2025-11-02');

function run() {
  const state = new MemoryState();
  const result = state.fold(40, PAGE, ctx);
  return { state, result };
}

describe('foldPage() on the Appendix B worked example', () => {
  it('emits exactly the changes of the example, in order', () => {
    const { result } = run();
    const anytime = { list: 'anytime', start: 1, startDate: null, startBucket: 0 };
    expect(rowsOf(result.changes)).toEqual([
      ['AreaCreated', A, 40, 0, { resurrected: false, snapshot: { title: 'Home', tagIds: [] } }],
      [
        'ProjectCreated',
        P,
        40,
        0,
        {
          resurrected: false,
          snapshot: {
            type: 1,
            title: 'Renovation',
            note: '',
            status: 0,
            stopDate: null,
            schedule: anytime,
            deadline: null,
            trashed: false,
            areaId: A,
            projectId: null,
            headingId: null,
            tagIds: [],
            recurrence: null,
            templateId: null,
          },
        },
      ],
      [
        'TaskCreated',
        T,
        41,
        0,
        {
          resurrected: false,
          snapshot: {
            type: 0,
            title: 'Buy paint',
            note: '',
            status: 0,
            stopDate: null,
            schedule: anytime,
            deadline: null,
            trashed: false,
            areaId: null,
            projectId: P,
            headingId: null,
            tagIds: [],
            recurrence: null,
            templateId: null,
          },
        },
      ],
      [
        'ChecklistItemCreated',
        C,
        41,
        0,
        { resurrected: false, snapshot: { title: 'White', status: 0, taskId: T } },
      ],
      ['TaskNoteChanged', T, 42, 0, { old: '', new: 'Matte finish' }],
      [
        'TaskMovedToToday',
        T,
        42,
        1,
        {
          old: anytime,
          new: { list: 'today', start: 1, startDate: '2025-11-02', startBucket: 0 },
        },
      ],
      ['TaskNoteChanged', T, 43, 0, { old: 'Matte finish', new: 'Matte finish only' }],
      ['TaskCompleted', T, 43, 1, { old: 'open', new: 'completed', stopDate: 1762090000.125 }],
      [
        'ChecklistItemCompleted',
        C,
        43,
        0,
        { old: 'open', new: 'completed', stopDate: 1762090000.125 },
      ],
      [
        'ChecklistItemDeleted',
        C,
        44,
        0,
        { by: 'delete', tombstoneId: null, at: null, title: 'White' },
      ],
    ]);
    expect(result.changes.map((c) => [c.position, c.at])).toEqual([
      [0, null],
      [1, 1762078500.5],
      [0, 1762081200.25],
      [1, 1762081200.25],
      [0, 1762085000.75],
      [0, 1762085000.75],
      [0, 1762090000.125],
      [0, 1762090000.125],
      [1, 1762090000.125],
      [0, null],
    ]);
  });

  it('reports the kind change and the tombstone of an unknown id, nothing else', () => {
    const { result } = run();
    expect(anomalyRows(result)).toEqual([
      ['KIND_VERSION_CHANGE', T, 42, 0],
      ['TOMBSTONE_UNKNOWN_TARGET', GHOST, 44, 1],
    ]);
    expect(result.rawItems).toEqual([]);
  });

  it('leaves the final state of the example', () => {
    const { state } = run();
    expect(crc32('Matte finish')).toBe(3490927434);
    expect(crc32('Matte finish only')).toBe(2463960263);
    expect(state.must(T)).toMatchObject({
      kind: 'Task7',
      title: 'Buy paint',
      note: 'Matte finish only',
      status: 3,
      stopDate: 1762090000.125,
      start: 1,
      startDate: '2025-11-02',
      todayIndexDate: '2025-11-02',
      projectIds: [P],
      createdIndex: 41,
      updatedIndex: 43,
      deleted: null,
    });
    expect(state.must(C)).toMatchObject({
      status: 3,
      taskIds: [T],
      deleted: { serverIndex: 44, at: null, by: 'delete', tombstoneId: null },
    });
    expect(state.must(TOMB)).toMatchObject({
      family: 'tombstone',
      targetId: GHOST,
      deletedAt: 1762090000.125,
      deleted: null,
    });
    expect(state.entities.has(GHOST)).toBe(false);
    expect(state.must(P)).toMatchObject({ type: 1, areaIds: [A], deleted: null });
    expect([...state.entities.keys()].sort()).toEqual([A, P, T, C, TOMB].sort());
  });

  it('gives the final views of the example', () => {
    const { state } = run();
    const entities = state.entities.values();
    const all = [...entities];
    expect(inboxView(all, { today })).toEqual([]);
    expect(todayView(all, { today })).toEqual([]);
    expect(logbookView(all, { today }).map((r) => [r.id, r.status, r.stopDate])).toEqual([
      [T, 'completed', 1762090000.125],
    ]);
    const view = projectView(all, P, { today });
    expect(view.project).toMatchObject({ id: P, title: 'Renovation', areaId: A, type: 'project' });
    expect(view.sections).toEqual([{ heading: null, rows: [] }]);
  });
});
