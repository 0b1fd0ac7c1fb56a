import { describe, expect, it } from 'vitest';
import {
  CHANGE_TYPES,
  decodeChange,
  encodeChange,
  encodeChangePayload,
  EngineError,
  type Change,
} from '../../../src/engine/index.ts';
import {
  at,
  context,
  day,
  MemoryState,
  nativeTask,
  rowsOf,
  testId,
  type WireGroup,
  civil,
} from './support.ts';
import {
  resolveNote,
  applyChecklistItemPayload,
  applyTagPayload,
} from '../../../src/engine/apply.ts';
import {
  checklistItemChanges,
  liveChanges,
  statusName,
  taskChanges,
} from '../../../src/engine/changes.ts';
import type { ItemTimes } from '../../../src/engine/changes.ts';
import { defaultEntity } from '../../../src/engine/defaults.ts';
import type {
  ChecklistItemEntity,
  Entity,
  EntityFamily,
  TagEntity,
  TaskEntity,
} from '../../../src/engine/types.ts';
import type { ChecklistItemPayload, TagPayload } from '../../../src/protocol/index.ts';

const T = testId(31);
const P = testId(32);
const H = testId(33);
const AREA = testId(34);
const AREA2 = testId(35);
const TAG = testId(36);
const TAG2 = testId(37);
const CI = testId(38);
const TS = testId(39);
const P2 = testId(40);
const H2 = testId(41);
const MD = at('2025-11-02T10:00:00Z');
const SP = at('2025-11-02T09:00:00Z');

function sched(list: string | null, start: number, startDate: string | null, startBucket = 0) {
  return { list, start, startDate, startBucket };
}
const ANYTIME = sched('anytime', 1, null);
const RULE = {
  rrv: 4,
  tp: 0,
  fu: 16,
  fa: 1,
  of: [{ dy: 0 }],
  ia: day('2025-11-03'),
  sr: day('2025-11-03'),
  ed: 64092211200,
  rc: 0,
  ts: 0,
};
const RULE_DECODED = {
  rrv: 4,
  tp: 0,
  fu: 16,
  fa: 1,
  of: [{ dy: 0 }],
  ia: '2025-11-03',
  sr: '2025-11-03',
  ed: '4001-01-01',
  rc: 0,
  ts: 0,
  extra: {},
};

/** Everything the scenarios need, created at index 1. */
const BASE: WireGroup = {
  [AREA]: { t: 0, e: 'Area3', p: { tt: 'Home', ix: 0, tg: [] } },
  [AREA2]: { t: 0, e: 'Area3', p: { tt: 'Work', ix: 1, tg: [] } },
  [TAG]: { t: 0, e: 'Tag4', p: { tt: 'Errand', sh: null, pn: [] } },
  [TAG2]: { t: 0, e: 'Tag4', p: { tt: 'Parent', sh: '2', pn: [] } },
  [P]: { t: 0, e: 'Task6', p: nativeTask({ tp: 1, tt: 'Proj', st: 1, ar: [AREA] }) },
  [P2]: { t: 0, e: 'Task6', p: nativeTask({ tp: 1, tt: 'Proj 2', st: 1 }) },
  [H]: { t: 0, e: 'Task6', p: nativeTask({ tp: 2, tt: 'Head', st: 1, pr: [P] }) },
  [H2]: { t: 0, e: 'Task6', p: nativeTask({ tp: 2, tt: 'Head 2', st: 1, pr: [P] }) },
  [T]: { t: 0, e: 'Task6', p: nativeTask({ tt: 'Base', st: 1, tg: [TAG] }) },
  [CI]: { t: 0, e: 'ChecklistItem3', p: { tt: 'Step', ss: 0, ts: [T] } },
};

interface Scenario {
  /** Extra groups applied at index 2 (setup) before the step at index 3. */
  readonly setup?: WireGroup;
  readonly step: WireGroup;
  readonly expected: unknown[][];
}

function modify(id: string, p: Record<string, unknown>, e = 'Task6'): WireGroup {
  return { [id]: { t: 1, e, p: { md: MD, ...p } } };
}

const open = (stopDate: number | null = null) => ({ old: 'open', new: 'completed', stopDate });

/** One scenario per change type: the step at index 3 emits exactly `expected`. */
const SCENARIOS: Record<string, Scenario> = {
  TaskCreated: {
    step: {
      [testId(50)]: {
        t: 0,
        e: 'Task6',
        p: nativeTask({ tt: 'New', st: 2, sr: day('2025-11-01'), sb: 1, rt: [T] }),
      },
    },
    expected: [
      [
        'TaskCreated',
        testId(50),
        3,
        0,
        {
          resurrected: false,
          snapshot: {
            type: 0,
            title: 'New',
            note: '',
            status: 0,
            stopDate: null,
            schedule: sched('evening', 2, '2025-11-01', 1),
            deadline: null,
            trashed: false,
            areaId: null,
            projectId: null,
            headingId: null,
            tagIds: [],
            recurrence: null,
            templateId: T,
          },
        },
      ],
    ],
  },
  TaskDeleted: {
    step: { [T]: { t: 2, e: 'Task6', p: {} } },
    expected: [
      ['TaskDeleted', T, 3, 0, { by: 'delete', tombstoneId: null, at: null, title: 'Base' }],
    ],
  },
  TaskTitleChanged: {
    step: modify(T, { tt: 'Renamed' }),
    expected: [['TaskTitleChanged', T, 3, 0, { old: 'Base', new: 'Renamed' }]],
  },
  TaskNoteChanged: {
    step: modify(T, { nt: { _t: 'tx', t: 1, ch: 907060870, v: 'hello' } }),
    expected: [['TaskNoteChanged', T, 3, 0, { old: '', new: 'hello' }]],
  },
  TaskCompleted: {
    step: modify(T, { ss: 3, sp: SP }),
    expected: [['TaskCompleted', T, 3, 0, open(SP)]],
  },
  TaskCanceled: {
    step: modify(T, { ss: 2, sp: SP }),
    expected: [['TaskCanceled', T, 3, 0, { old: 'open', new: 'canceled', stopDate: SP }]],
  },
  TaskUncompleted: {
    setup: modify(T, { ss: 3, sp: SP }),
    step: modify(T, { ss: 0, sp: null }),
    expected: [['TaskUncompleted', T, 3, 0, { old: 'completed', new: 'open', stopDate: null }]],
  },
  TaskUncanceled: {
    setup: modify(T, { ss: 2, sp: SP }),
    step: modify(T, { ss: 0, sp: null }),
    expected: [['TaskUncanceled', T, 3, 0, { old: 'canceled', new: 'open', stopDate: null }]],
  },
  TaskTrashed: {
    step: modify(T, { tr: true }),
    expected: [['TaskTrashed', T, 3, 0, { old: false, new: true }]],
  },
  TaskRestored: {
    setup: modify(T, { tr: true }),
    step: modify(T, { tr: false }),
    expected: [['TaskRestored', T, 3, 0, { old: true, new: false }]],
  },
  TaskMovedToInbox: {
    step: modify(T, { st: 0 }),
    expected: [['TaskMovedToInbox', T, 3, 0, { old: ANYTIME, new: sched('inbox', 0, null) }]],
  },
  TaskMovedToToday: {
    step: modify(T, { sr: day('2025-11-02'), tir: day('2025-11-02') }),
    expected: [
      ['TaskMovedToToday', T, 3, 0, { old: ANYTIME, new: sched('today', 1, '2025-11-02') }],
    ],
  },
  TaskMovedToEvening: {
    step: modify(T, { sr: day('2025-11-02'), sb: 1 }),
    expected: [
      ['TaskMovedToEvening', T, 3, 0, { old: ANYTIME, new: sched('evening', 1, '2025-11-02', 1) }],
    ],
  },
  TaskMovedToAnytime: {
    setup: modify(T, { st: 0 }),
    step: modify(T, { st: 1 }),
    expected: [['TaskMovedToAnytime', T, 3, 0, { old: sched('inbox', 0, null), new: ANYTIME }]],
  },
  TaskMovedToSomeday: {
    step: modify(T, { st: 2 }),
    expected: [['TaskMovedToSomeday', T, 3, 0, { old: ANYTIME, new: sched('someday', 2, null) }]],
  },
  TaskMovedToUpcoming: {
    step: modify(T, { st: 2, sr: day('2025-11-05') }),
    expected: [
      ['TaskMovedToUpcoming', T, 3, 0, { old: ANYTIME, new: sched('upcoming', 2, '2025-11-05') }],
    ],
  },
  TaskRescheduled: {
    setup: modify(T, { st: 2, sr: day('2025-11-05') }),
    step: modify(T, { sr: day('2025-11-07') }),
    expected: [
      [
        'TaskRescheduled',
        T,
        3,
        0,
        { old: sched('upcoming', 2, '2025-11-05'), new: sched('upcoming', 2, '2025-11-07') },
      ],
    ],
  },
  TaskDeadlineChanged: {
    step: modify(T, { dd: day('2025-12-24') }),
    expected: [['TaskDeadlineChanged', T, 3, 0, { old: null, new: '2025-12-24' }]],
  },
  TaskAssignedToProject: {
    step: modify(T, { pr: [P] }),
    expected: [['TaskAssignedToProject', T, 3, 0, { old: null, new: P }]],
  },
  TaskAssignedToArea: {
    step: modify(T, { ar: [AREA] }),
    expected: [['TaskAssignedToArea', T, 3, 0, { old: null, new: AREA }]],
  },
  TaskMovedUnderHeading: {
    step: modify(T, { pr: [P], agr: [H] }),
    expected: [
      ['TaskAssignedToProject', T, 3, 0, { old: null, new: P }],
      ['TaskMovedUnderHeading', T, 3, 1, { old: null, new: H }],
    ],
  },
  TaskTagsChanged: {
    step: modify(T, { tg: [TAG2] }),
    expected: [
      ['TaskTagsChanged', T, 3, 0, { old: [TAG], new: [TAG2], added: [TAG2], removed: [TAG] }],
    ],
  },
  TaskRepeatRuleChanged: {
    step: modify(T, { rr: RULE }),
    expected: [['TaskRepeatRuleChanged', T, 3, 0, { old: null, new: RULE_DECODED }]],
  },
  TaskTypeChanged: {
    step: modify(P2, { tp: 0 }),
    expected: [['TaskTypeChanged', P2, 3, 0, { old: 1, new: 0 }]],
  },
  ProjectCreated: {
    step: { [testId(51)]: { t: 0, e: 'Task6', p: { tp: 1, tt: 'P new', st: 1, cd: 5 } } },
    expected: [
      [
        'ProjectCreated',
        testId(51),
        3,
        0,
        {
          resurrected: false,
          snapshot: {
            type: 1,
            title: 'P new',
            note: '',
            status: 0,
            stopDate: null,
            schedule: ANYTIME,
            deadline: null,
            trashed: false,
            areaId: null,
            projectId: null,
            headingId: null,
            tagIds: [],
            recurrence: null,
            templateId: null,
          },
        },
      ],
    ],
  },
  ProjectDeleted: {
    step: { [TS]: { t: 0, e: 'Tombstone2', p: { dloid: P2, dld: 9 } } },
    expected: [
      ['ProjectDeleted', P2, 3, 0, { by: 'tombstone', tombstoneId: TS, at: 9, title: 'Proj 2' }],
    ],
  },
  ProjectTitleChanged: {
    step: modify(P, { tt: 'P!' }),
    expected: [['ProjectTitleChanged', P, 3, 0, { old: 'Proj', new: 'P!' }]],
  },
  ProjectNoteChanged: {
    step: modify(P, { nt: { _t: 'tx', t: 1, ch: 907060870, v: 'hello' } }),
    expected: [['ProjectNoteChanged', P, 3, 0, { old: '', new: 'hello' }]],
  },
  ProjectCompleted: {
    step: modify(P, { ss: 3, sp: SP }),
    expected: [['ProjectCompleted', P, 3, 0, open(SP)]],
  },
  ProjectCanceled: {
    step: modify(P, { ss: 2, sp: SP }),
    expected: [['ProjectCanceled', P, 3, 0, { old: 'open', new: 'canceled', stopDate: SP }]],
  },
  ProjectUncompleted: {
    setup: modify(P, { ss: 3, sp: SP }),
    step: modify(P, { ss: 0, sp: null }),
    expected: [['ProjectUncompleted', P, 3, 0, { old: 'completed', new: 'open', stopDate: null }]],
  },
  'ProjectCanceled only, from completed': {
    setup: modify(P, { ss: 3, sp: SP }),
    step: modify(P, { ss: 2, sp: SP }),
    expected: [['ProjectCanceled', P, 3, 0, { old: 'completed', new: 'canceled', stopDate: SP }]],
  },
  ProjectUncanceled: {
    setup: modify(P, { ss: 2, sp: SP }),
    step: modify(P, { ss: 0, sp: null }),
    expected: [['ProjectUncanceled', P, 3, 0, { old: 'canceled', new: 'open', stopDate: null }]],
  },
  ProjectTrashed: {
    step: modify(P, { tr: true }),
    expected: [['ProjectTrashed', P, 3, 0, { old: false, new: true }]],
  },
  ProjectRestored: {
    setup: modify(P, { tr: true }),
    step: modify(P, { tr: false }),
    expected: [['ProjectRestored', P, 3, 0, { old: true, new: false }]],
  },
  ProjectMovedToToday: {
    step: modify(P, { sr: day('2025-11-02') }),
    expected: [
      ['ProjectMovedToToday', P, 3, 0, { old: ANYTIME, new: sched('today', 1, '2025-11-02') }],
    ],
  },
  ProjectMovedToEvening: {
    step: modify(P, { sr: day('2025-11-01'), sb: 1 }),
    expected: [
      [
        'ProjectMovedToEvening',
        P,
        3,
        0,
        { old: ANYTIME, new: sched('evening', 1, '2025-11-01', 1) },
      ],
    ],
  },
  ProjectMovedToAnytime: {
    setup: modify(P, { st: 2 }),
    step: modify(P, { st: 1 }),
    expected: [
      ['ProjectMovedToAnytime', P, 3, 0, { old: sched('someday', 2, null), new: ANYTIME }],
    ],
  },
  ProjectMovedToSomeday: {
    step: modify(P, { st: 2 }),
    expected: [
      ['ProjectMovedToSomeday', P, 3, 0, { old: ANYTIME, new: sched('someday', 2, null) }],
    ],
  },
  ProjectMovedToUpcoming: {
    step: modify(P, { st: 2, sr: day('2026-01-01') }),
    expected: [
      [
        'ProjectMovedToUpcoming',
        P,
        3,
        0,
        { old: ANYTIME, new: sched('upcoming', 2, '2026-01-01') },
      ],
    ],
  },
  ProjectMovedToInbox: {
    step: modify(P, { st: 0 }),
    expected: [['ProjectMovedToInbox', P, 3, 0, { old: ANYTIME, new: sched('inbox', 0, null) }]],
  },
  ProjectRescheduled: {
    setup: modify(P, { sr: day('2025-10-30') }),
    step: modify(P, { sr: day('2025-10-31') }),
    expected: [
      [
        'ProjectRescheduled',
        P,
        3,
        0,
        { old: sched('today', 1, '2025-10-30'), new: sched('today', 1, '2025-10-31') },
      ],
    ],
  },
  ProjectDeadlineChanged: {
    step: modify(P, { dd: day('2025-12-01') }),
    expected: [['ProjectDeadlineChanged', P, 3, 0, { old: null, new: '2025-12-01' }]],
  },
  ProjectAssignedToArea: {
    step: modify(P, { ar: [AREA2] }),
    expected: [['ProjectAssignedToArea', P, 3, 0, { old: AREA, new: AREA2 }]],
  },
  ProjectTagsChanged: {
    step: modify(P, { tg: [TAG, TAG2] }),
    expected: [
      [
        'ProjectTagsChanged',
        P,
        3,
        0,
        { old: [], new: [TAG, TAG2], added: [TAG, TAG2].sort(), removed: [] },
      ],
    ],
  },
  ProjectRepeatRuleChanged: {
    step: modify(P, { rr: RULE }),
    expected: [['ProjectRepeatRuleChanged', P, 3, 0, { old: null, new: RULE_DECODED }]],
  },
  ProjectTypeChanged: {
    step: modify(T, { tp: 1 }),
    expected: [['ProjectTypeChanged', T, 3, 0, { old: 0, new: 1 }]],
  },
  HeadingCreated: {
    step: { [testId(52)]: { t: 0, e: 'Task6', p: { tp: 2, tt: 'H new', st: 1, pr: [P] } } },
    expected: [
      [
        'HeadingCreated',
        testId(52),
        3,
        0,
        {
          resurrected: false,
          snapshot: {
            type: 2,
            title: 'H new',
            note: '',
            status: 0,
            stopDate: null,
            schedule: ANYTIME,
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
    ],
  },
  HeadingDeleted: {
    step: { [H]: { t: 2, e: 'Task6', p: { md: MD } } },
    expected: [
      ['HeadingDeleted', H, 3, 0, { by: 'delete', tombstoneId: null, at: MD, title: 'Head' }],
    ],
  },
  HeadingTitleChanged: {
    step: modify(H, { tt: 'H!' }),
    expected: [['HeadingTitleChanged', H, 3, 0, { old: 'Head', new: 'H!' }]],
  },
  HeadingNoteChanged: {
    step: modify(H, { nt: 'plain' }),
    expected: [['HeadingNoteChanged', H, 3, 0, { old: '', new: 'plain' }]],
  },
  HeadingCompleted: {
    step: modify(H, { ss: 3, sp: SP }),
    expected: [['HeadingCompleted', H, 3, 0, open(SP)]],
  },
  HeadingCanceled: {
    step: modify(H, { ss: 2, sp: SP }),
    expected: [['HeadingCanceled', H, 3, 0, { old: 'open', new: 'canceled', stopDate: SP }]],
  },
  HeadingUncompleted: {
    setup: modify(H, { ss: 3, sp: SP }),
    step: modify(H, { ss: 0, sp: null }),
    expected: [['HeadingUncompleted', H, 3, 0, { old: 'completed', new: 'open', stopDate: null }]],
  },
  HeadingUncanceled: {
    setup: modify(H, { ss: 2, sp: SP }),
    step: modify(H, { ss: 0, sp: null }),
    expected: [['HeadingUncanceled', H, 3, 0, { old: 'canceled', new: 'open', stopDate: null }]],
  },
  HeadingTrashed: {
    step: modify(H, { tr: true }),
    expected: [['HeadingTrashed', H, 3, 0, { old: false, new: true }]],
  },
  HeadingRestored: {
    setup: modify(H, { tr: true }),
    step: modify(H, { tr: false }),
    expected: [['HeadingRestored', H, 3, 0, { old: true, new: false }]],
  },
  HeadingAssignedToProject: {
    step: modify(H2, { pr: [P2] }),
    expected: [['HeadingAssignedToProject', H2, 3, 0, { old: P, new: P2 }]],
  },
  HeadingTypeChanged: {
    step: modify(T, { tp: 2, tt: 'Now a heading' }),
    expected: [
      ['HeadingTypeChanged', T, 3, 0, { old: 0, new: 2 }],
      ['HeadingTitleChanged', T, 3, 1, { old: 'Base', new: 'Now a heading' }],
    ],
  },
  AreaCreated: {
    step: { [testId(53)]: { t: 0, e: 'Area3', p: { tt: 'Garden', tg: [TAG] } } },
    expected: [
      [
        'AreaCreated',
        testId(53),
        3,
        0,
        { resurrected: false, snapshot: { title: 'Garden', tagIds: [TAG] } },
      ],
    ],
  },
  AreaDeleted: {
    step: { [AREA2]: { t: 2, e: 'Area3', p: {} } },
    expected: [
      ['AreaDeleted', AREA2, 3, 0, { by: 'delete', tombstoneId: null, at: null, title: 'Work' }],
    ],
  },
  AreaRenamed: {
    step: { [AREA]: { t: 1, e: 'Area3', p: { tt: 'House' } } },
    expected: [['AreaRenamed', AREA, 3, 0, { old: 'Home', new: 'House' }]],
  },
  AreaTagsChanged: {
    step: { [AREA]: { t: 1, e: 'Area3', p: { tg: [TAG] } } },
    expected: [['AreaTagsChanged', AREA, 3, 0, { old: [], new: [TAG], added: [TAG], removed: [] }]],
  },
  TagCreated: {
    step: { [testId(54)]: { t: 0, e: 'Tag4', p: { tt: 'Child', sh: 'c', pn: [TAG2] } } },
    expected: [
      [
        'TagCreated',
        testId(54),
        3,
        0,
        { resurrected: false, snapshot: { title: 'Child', shortcut: 'c', parentId: TAG2 } },
      ],
    ],
  },
  TagDeleted: {
    step: { [TAG2]: { t: 2, e: 'Tag4', p: {} } },
    expected: [
      ['TagDeleted', TAG2, 3, 0, { by: 'delete', tombstoneId: null, at: null, title: 'Parent' }],
    ],
  },
  TagRenamed: {
    step: { [TAG]: { t: 1, e: 'Tag4', p: { tt: 'Errands' } } },
    expected: [['TagRenamed', TAG, 3, 0, { old: 'Errand', new: 'Errands' }]],
  },
  TagShortcutChanged: {
    step: { [TAG2]: { t: 1, e: 'Tag4', p: { sh: null } } },
    expected: [['TagShortcutChanged', TAG2, 3, 0, { old: '2', new: null }]],
  },
  TagParentChanged: {
    step: { [TAG]: { t: 1, e: 'Tag4', p: { pn: [TAG2] } } },
    expected: [['TagParentChanged', TAG, 3, 0, { old: null, new: TAG2 }]],
  },
  ChecklistItemCreated: {
    step: { [testId(55)]: { t: 0, e: 'ChecklistItem3', p: { tt: 'More', ts: [T] } } },
    expected: [
      [
        'ChecklistItemCreated',
        testId(55),
        3,
        0,
        { resurrected: false, snapshot: { title: 'More', status: 0, taskId: T } },
      ],
    ],
  },
  ChecklistItemDeleted: {
    step: { [CI]: { t: 2, e: 'ChecklistItem3', p: {} } },
    expected: [
      [
        'ChecklistItemDeleted',
        CI,
        3,
        0,
        { by: 'delete', tombstoneId: null, at: null, title: 'Step' },
      ],
    ],
  },
  ChecklistItemTitleChanged: {
    step: modify(CI, { tt: 'Step 1' }, 'ChecklistItem3'),
    expected: [['ChecklistItemTitleChanged', CI, 3, 0, { old: 'Step', new: 'Step 1' }]],
  },
  ChecklistItemCompleted: {
    step: modify(CI, { ss: 3, sp: SP }, 'ChecklistItem3'),
    expected: [['ChecklistItemCompleted', CI, 3, 0, open(SP)]],
  },
  ChecklistItemCanceled: {
    step: modify(CI, { ss: 2, sp: SP }, 'ChecklistItem3'),
    expected: [['ChecklistItemCanceled', CI, 3, 0, { old: 'open', new: 'canceled', stopDate: SP }]],
  },
  ChecklistItemUncompleted: {
    setup: modify(CI, { ss: 3, sp: SP }, 'ChecklistItem3'),
    step: modify(CI, { ss: 0, sp: null }, 'ChecklistItem3'),
    expected: [
      ['ChecklistItemUncompleted', CI, 3, 0, { old: 'completed', new: 'open', stopDate: null }],
    ],
  },
  ChecklistItemUncanceled: {
    setup: modify(CI, { ss: 2, sp: SP }, 'ChecklistItem3'),
    step: modify(CI, { ss: 0, sp: null }, 'ChecklistItem3'),
    expected: [
      ['ChecklistItemUncanceled', CI, 3, 0, { old: 'canceled', new: 'open', stopDate: null }],
    ],
  },
  ChecklistItemMovedToTask: {
    step: modify(CI, { ts: [P] }, 'ChecklistItem3'),
    expected: [['ChecklistItemMovedToTask', CI, 3, 0, { old: T, new: P }]],
  },
  TombstoneDeleted: {
    setup: { [TS]: { t: 0, e: 'Tombstone2', p: { dloid: P2, dld: 1 } } },
    step: { [TS]: { t: 2, e: 'Tombstone2', p: {} } },
    expected: [
      ['TombstoneDeleted', TS, 3, 0, { by: 'delete', tombstoneId: null, at: null, title: '' }],
    ],
  },
  UnknownChange: {
    step: { [testId(56)]: { t: 0, e: 'Reminder2', p: { md: MD } } },
    expected: [['UnknownChange', testId(56), 3, 0, { kind: 'Reminder2', action: 'create' }]],
  },
};

function runScenario(scenario: Scenario): readonly Change[] {
  const state = new MemoryState();
  state.fold(1, [BASE]);
  if (scenario.setup !== undefined) state.fold(2, [scenario.setup]);
  return state.fold(3, [scenario.step], context('UTC', '1999-01-01')).changes;
}

/** Every change the scenarios produce (for the codec round trip). */
function allChanges(): Change[] {
  return Object.values(SCENARIOS).flatMap(runScenario);
}

describe('semantic changes', () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(`emits ${name} exactly`, () => {
      expect(rowsOf(runScenario(scenario))).toEqual(scenario.expected);
    });
  }

  it('covers every change type with a scenario that emits it', () => {
    const emitted = new Set(allChanges().map((c) => c.type));
    expect([...CHANGE_TYPES].filter((t) => !emitted.has(t))).toEqual([]);
  });

  it('times a change by md, else sp for status, dld for tombstones, cd for creates', () => {
    const state = new MemoryState();
    state.fold(1, [BASE]);
    const result = state.fold(2, [
      {
        [T]: { t: 1, e: 'Task6', p: { ss: 3, sp: SP, tt: 'x' } },
        [testId(57)]: { t: 0, e: 'Task6', p: { tt: 'y', cd: 77 } },
        [TS]: { t: 0, e: 'Tombstone2', p: { dloid: P2, dld: 88 } },
      },
    ]);
    expect(result.changes.map((c) => [c.type, c.at])).toEqual([
      ['TaskTitleChanged', null],
      ['TaskCompleted', SP],
      ['TaskCreated', 77],
      ['ProjectDeleted', 88],
    ]);
  });

  it('orders the changes of one item: type, title, note, status, trash, list, deadline, containers, tags, rule', () => {
    const changes = runScenario({
      step: modify(T, {
        tp: 1,
        tt: 'All',
        nt: 'n',
        ss: 3,
        sp: SP,
        tr: true,
        st: 2,
        dd: day('2026-01-01'),
        ar: [AREA],
        tg: [],
        rr: RULE,
      }),
      expected: [],
    });
    expect(changes.map((c) => [c.type, c.ordinal])).toEqual([
      ['ProjectTypeChanged', 0],
      ['ProjectTitleChanged', 1],
      ['ProjectNoteChanged', 2],
      ['ProjectCompleted', 3],
      ['ProjectTrashed', 4],
      ['ProjectMovedToSomeday', 5],
      ['ProjectDeadlineChanged', 6],
      ['ProjectAssignedToArea', 7],
      ['ProjectTagsChanged', 8],
      ['ProjectRepeatRuleChanged', 9],
    ]);
  });

  it('emits no location change when only tir changes, or the tag list is only reordered', () => {
    const changes = runScenario({
      setup: modify(T, { tg: [TAG, TAG2] }),
      step: modify(T, { tir: day('2025-11-02'), tg: [TAG2, TAG] }),
      expected: [],
    });
    expect(changes).toEqual([]);
  });
});

describe('encodeChangePayload() and decodeChange()', () => {
  it('reads every change type back as the same typed object', () => {
    const changes = allChanges();
    expect(new Set(changes.map((c) => c.type)).size).toBe(CHANGE_TYPES.length);
    for (const change of changes) {
      expect(decodeChange(encodeChange(change))).toEqual(change);
    }
  });

  it('writes canonical JSON with sorted keys', () => {
    const [change] = runScenario(SCENARIOS.TaskCompleted ?? { step: {}, expected: [] });
    if (change === undefined) throw new Error('no change');
    expect(encodeChangePayload(change)).toBe(`{"new":"completed","old":"open","stopDate":${SP}}`);
  });

  const row = {
    type: 'TaskTitleChanged',
    entityType: 'Task',
    entityId: T,
    serverIndex: 3,
    position: 0,
    ordinal: 0,
    at: null,
    payload: '{"new":"b","old":"a"}',
  };

  it('rejects an unknown change type with UNKNOWN_CHANGE_TYPE', () => {
    expect(() => decodeChange({ ...row, type: 'TaskTeleported' })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_CHANGE_TYPE' }),
    );
    expect(() => decodeChange({ ...row, type: 'toString' })).toThrow(EngineError);
  });

  it('rejects payloads that are not JSON or not of the type shape with INVALID_CHANGE_PAYLOAD', () => {
    for (const payload of ['{', '{"old":"a"}', '{"old":1,"new":"b"}', '[]', 'null']) {
      expect(() => decodeChange({ ...row, payload })).toThrow(
        expect.objectContaining({ code: 'INVALID_CHANGE_PAYLOAD' }),
      );
    }
    expect(() =>
      decodeChange({
        ...row,
        type: 'TaskMovedToToday',
        payload:
          '{"old":{"list":"mars","start":1,"startDate":null,"startBucket":0},"new":{"list":"today","start":1,"startDate":"2025-11-02","startBucket":0}}',
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CHANGE_PAYLOAD' }));
    expect(() => decodeChange({ ...row, ordinal: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CHANGE_PAYLOAD' }),
    );
  });
});

const TIMES: ItemTimes = { md: MD, sp: null };
const TODAY = () => civil('2025-11-02');

function base(n: number) {
  return { id: testId(n), legacyId: null, kind: 'x', createdIndex: 1, updatedIndex: 1 };
}

function entity(family: EntityFamily, n: number): Entity {
  const e = defaultEntity(family, base(n));
  return family === 'tombstone' ? e : ({ ...e, title: `${family} ${n}` } as Entity);
}

function task(overrides: Partial<TaskEntity> = {}): TaskEntity {
  return { ...(defaultEntity('task', base(1)) as TaskEntity), ...overrides };
}

describe('statusName()', () => {
  it('names an unknown status by its number', () => {
    expect(statusName(1)).toBe('status:1');
    expect(statusName(7)).toBe('status:7');
  });
});

describe('taskChanges()', () => {
  it('lists removed tags in sorted order whatever order the entity held them in', () => {
    const old = task({ tagIds: ['zz', 'mm', 'aa'] });
    const next = task({ tagIds: [] });
    const changes = taskChanges(old, next, TODAY, TIMES);
    expect(changes.map((c) => c.type)).toEqual(['TaskTagsChanged']);
    expect(changes[0]?.payload).toMatchObject({ added: [], removed: ['aa', 'mm', 'zz'] });
  });

  it('reports no reschedule when only the evening bucket changes and the list stays the same', () => {
    // Anytime without a start date stays Anytime whatever the bucket says.
    const old = task({ start: 1, startDate: null, startBucket: 0 });
    const next = task({ start: 1, startDate: null, startBucket: 1 });
    expect(taskChanges(old, next, TODAY, TIMES)).toEqual([]);
  });

  it('does not report TaskAssignedToProject when a project changes its project reference', () => {
    const old = task({ type: 1, projectIds: [] });
    const next = task({ type: 1, projectIds: [testId(9)] });
    expect(taskChanges(old, next, TODAY, TIMES).map((c) => c.type)).toEqual([]);
  });
});

describe('checklistItemChanges()', () => {
  it('tags a checklist item status change with the ChecklistItem entity type', () => {
    const old = defaultEntity('checklistItem', base(2)) as ChecklistItemEntity;
    const next: ChecklistItemEntity = { ...old, status: 3, stopDate: MD };
    const changes = checklistItemChanges(old, next, TIMES);
    expect(changes.map((c) => [c.type, c.entityType])).toEqual([
      ['ChecklistItemCompleted', 'ChecklistItem'],
    ]);
  });
});

describe('liveChanges()', () => {
  const families: EntityFamily[] = ['task', 'checklistItem', 'area', 'tag', 'tombstone'];
  const pairs = families.flatMap((a) =>
    families.filter((b) => b !== a).map((b) => [a, b] as const),
  );
  it.each(pairs)('reports nothing when the family changes from %s to %s', (a, b) => {
    expect(liveChanges(entity(a, 3), entity(b, 4), TODAY, TIMES)).toEqual([]);
  });
});

describe('resolveNote()', () => {
  it('reports a patch that splits a UTF-8 character at the path of that patch', () => {
    const result = resolveNote('éa', {
      form: 'delta',
      patches: [{ replacement: 'x', position: 1, length: 0, checksum: null }],
    });
    expect(result.noteWarnings.map((w) => [w.code, w.path])).toEqual([
      ['NOTE_PATCH_INVALID_UTF8', 'p.nt.ps[0]'],
    ]);
  });
});

describe('applyChecklistItemPayload()', () => {
  it('keeps xx when the payload omits it', () => {
    const item = {
      ...(defaultEntity('checklistItem', base(5)) as ChecklistItemEntity),
      xx: { k: 1 },
    };
    const payload: ChecklistItemPayload = { tt: 'renamed', extra: {} };
    expect(applyChecklistItemPayload(item, payload)).toMatchObject({
      title: 'renamed',
      xx: { k: 1 },
    });
  });
});

describe('applyTagPayload()', () => {
  it('keeps xx when the payload omits it', () => {
    const tag: TagEntity = { ...(defaultEntity('tag', base(6)) as TagEntity), xx: { k: 1 } };
    const payload: TagPayload = { tt: 'renamed', extra: {} };
    expect(applyTagPayload(tag, payload)).toMatchObject({ title: 'renamed', xx: { k: 1 } });
  });

  it('stores a present xx verbatim', () => {
    const tag = defaultEntity('tag', base(7)) as TagEntity;
    const payload: TagPayload = { xx: { sn: 2 }, extra: {} };
    expect(applyTagPayload(tag, payload).xx).toEqual({ sn: 2 });
  });
});

describe('defaultEntity()', () => {
  it('gives a new area no tags', () => {
    expect(defaultEntity('area', base(8))).toMatchObject({ family: 'area', tagIds: [] });
  });
});
