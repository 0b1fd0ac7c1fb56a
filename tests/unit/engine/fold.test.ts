import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EngineError,
  findUnsupported,
  foldGroup,
  referencedIds,
  type TaskEntity,
} from '../../../src/engine/index.ts';
import { decodePage } from '../../../src/protocol/index.ts';
import {
  anomalyRows,
  at,
  context,
  day,
  decodeGroups,
  MemoryState,
  nativeTask,
  rowsOf,
  testId,
} from './support.ts';

const T = testId(1);
const T2 = testId(2);
const P = testId(3);
const AREA = testId(4);
const TAG = testId(5);
const CI = testId(6);
const TS1 = testId(7);
const TS2 = testId(8);
const GHOST = testId(9);

const MD = at('2025-11-02T10:00:00Z');

/** A state holding a live to-do `T` created at index 1 with a title and a deadline. */
function withTask(overrides: Record<string, unknown> = {}): MemoryState {
  const state = new MemoryState();
  state.fold(1, [
    {
      [T]: {
        t: 0,
        e: 'Task6',
        p: nativeTask({ tt: 'Pay rent', dd: day('2025-11-10'), ...overrides }),
      },
    },
  ]);
  return state;
}

function task(state: MemoryState, id = T): TaskEntity {
  const entity = state.must(id);
  if (entity.family !== 'task') throw new Error('not a task');
  return entity;
}

describe('foldGroup()', () => {
  it('creates an unknown entity from defaults plus the payload (st defaults to Inbox)', () => {
    const state = new MemoryState();
    const result = state.fold(5, [{ [T]: { t: 0, e: 'Task6', p: { tt: 'Sparse', cd: 100 } } }]);
    expect(task(state)).toMatchObject({
      id: T,
      legacyId: null,
      kind: 'Task6',
      type: 0,
      title: 'Sparse',
      note: '',
      status: 0,
      start: 0,
      startDate: null,
      tagIds: [],
      createdAt: 100,
      createdIndex: 5,
      updatedIndex: 5,
      deleted: null,
      extra: {},
    });
    expect(result.changes.map((c) => [c.type, c.at])).toEqual([['TaskCreated', 100]]);
    expect(result.anomalies).toEqual([]);
  });

  it('keeps a native empty-title create and reports the title of the next modify', () => {
    const state = new MemoryState();
    const created = state.fold(418, [{ [T]: { t: 0, e: 'Task7', p: nativeTask() } }]);
    const titled = state.fold(419, [{ [T]: { t: 1, e: 'Task7', p: { tt: 'New task', md: MD } } }]);
    expect(created.changes.map((c) => [c.type, c.payload])).toEqual([
      [
        'TaskCreated',
        {
          resurrected: false,
          snapshot: expect.objectContaining({
            title: '',
            schedule: { list: 'inbox', start: 0, startDate: null, startBucket: 0 },
          }),
        },
      ],
    ]);
    expect(rowsOf(titled.changes)).toEqual([
      ['TaskTitleChanged', T, 419, 0, { old: '', new: 'New task' }],
    ]);
    expect(titled.changes[0]?.at).toBe(MD);
  });

  it('replaces a live entity on re-create and reports the differences, not a create', () => {
    const state = withTask({ tg: [] });
    const result = state.fold(2, [
      { [T]: { t: 0, e: 'Task6', p: { tt: 'Pay rent', st: 1, md: MD } } },
    ]);
    expect(rowsOf(result.changes)).toEqual([
      [
        'TaskMovedToAnytime',
        T,
        2,
        0,
        {
          old: { list: 'inbox', start: 0, startDate: null, startBucket: 0 },
          new: { list: 'anytime', start: 1, startDate: null, startBucket: 0 },
        },
      ],
      ['TaskDeadlineChanged', T, 2, 1, { old: '2025-11-10', new: null }],
    ]);
    expect(anomalyRows(result)).toEqual([['RECREATE_LIVE', T, 2, 0]]);
    // Keys the re-create omits go back to their defaults; the original create index stays.
    expect(task(state)).toMatchObject({
      createdAt: null,
      deadline: null,
      createdIndex: 1,
      updatedIndex: 2,
    });
  });

  it('resurrects a deleted entity on create', () => {
    const state = withTask();
    state.fold(2, [{ [T]: { t: 2, e: 'Task6', p: {} } }]);
    const result = state.fold(3, [{ [T]: { t: 0, e: 'Task6', p: { tt: 'Again', cd: 300 } } }]);
    expect(result.changes.map((c) => [c.type, c.entityId, c.payload])).toEqual([
      [
        'TaskCreated',
        T,
        {
          resurrected: true,
          snapshot: expect.objectContaining({ title: 'Again', deadline: null }),
        },
      ],
    ]);
    expect(result.anomalies).toEqual([]);
    expect(task(state)).toMatchObject({ deleted: null, title: 'Again', createdIndex: 3 });
  });

  it('merges a modify: present keys set, null clears, omitted keys stay', () => {
    const state = withTask({ tg: [TAG], ti: 7 });
    state.fold(2, [{ [TAG]: { t: 0, e: 'Tag4', p: { tt: 'Errand' } } }]);
    const result = state.fold(3, [
      { [T]: { t: 1, e: 'Task6', p: { dd: null, tt: 'Pay', md: MD } } },
    ]);
    expect(rowsOf(result.changes)).toEqual([
      ['TaskTitleChanged', T, 3, 0, { old: 'Pay rent', new: 'Pay' }],
      ['TaskDeadlineChanged', T, 3, 1, { old: '2025-11-10', new: null }],
    ]);
    expect(task(state)).toMatchObject({
      deadline: null,
      tagIds: [TAG],
      todayIndex: 7,
      modifiedAt: MD,
    });
  });

  it('creates the entity on a modify before create and flags it', () => {
    const state = new MemoryState();
    const result = state.fold(9, [{ [T]: { t: 1, e: 'Task6', p: { tt: 'Late', st: 1, md: MD } } }]);
    expect(result.changes.map((c) => [c.type, c.at, c.payload])).toEqual([
      [
        'TaskCreated',
        MD,
        {
          resurrected: false,
          snapshot: expect.objectContaining({
            title: 'Late',
            schedule: { list: 'anytime', start: 1, startDate: null, startBucket: 0 },
          }),
        },
      ],
    ]);
    expect(anomalyRows(result)).toEqual([['MODIFY_BEFORE_CREATE', T, 9, 0]]);
    expect(task(state)).toMatchObject({ title: 'Late', start: 1, deadline: null, createdIndex: 9 });
  });

  it('resurrects a deleted entity on modify from defaults plus the sparse payload', () => {
    const state = withTask();
    state.fold(2, [{ [T]: { t: 2, e: 'Task6', p: {} } }]);
    const result = state.fold(3, [{ [T]: { t: 1, e: 'Task6', p: { ss: 3, md: MD } } }]);
    expect(result.changes.map((c) => [c.type, c.payload])).toEqual([
      [
        'TaskCreated',
        { resurrected: true, snapshot: expect.objectContaining({ title: '', status: 3 }) },
      ],
    ]);
    expect(anomalyRows(result)).toEqual([['MODIFY_OF_DELETED', T, 3, 0]]);
    expect(task(state)).toMatchObject({ title: '', deadline: null, status: 3, deleted: null });
  });

  it('soft-deletes a live entity on t=2, keeping its row', () => {
    const state = withTask();
    const result = state.fold(2, [{ [T]: { t: 2, e: 'Task6', p: {} } }]);
    expect(rowsOf(result.changes)).toEqual([
      ['TaskDeleted', T, 2, 0, { by: 'delete', tombstoneId: null, at: null, title: 'Pay rent' }],
    ]);
    expect(task(state)).toMatchObject({
      title: 'Pay rent',
      deadline: '2025-11-10',
      updatedIndex: 2,
      deleted: { serverIndex: 2, at: null, by: 'delete', tombstoneId: null },
    });
  });

  it('remembers a t=2 of an unknown id as deleted, so a late modify is flagged', () => {
    const state = new MemoryState();
    const deleted = state.fold(2, [{ [CI]: { t: 2, e: 'ChecklistItem3', p: {} } }]);
    expect(deleted.changes).toEqual([]);
    expect(anomalyRows(deleted)).toEqual([['DELETE_OF_UNKNOWN', CI, 2, 0]]);
    expect(state.must(CI)).toMatchObject({
      family: 'checklistItem',
      title: '',
      deleted: { serverIndex: 2, at: null, by: 'delete', tombstoneId: null },
    });
    const late = state.fold(3, [{ [CI]: { t: 1, e: 'ChecklistItem3', p: { tt: 'Milk' } } }]);
    expect(anomalyRows(late)).toEqual([['MODIFY_OF_DELETED', CI, 3, 0]]);
    expect(late.changes.map((c) => c.type)).toEqual(['ChecklistItemCreated']);
  });

  it('changes nothing on a t=2 of a deleted entity', () => {
    const state = withTask();
    state.fold(2, [{ [T]: { t: 2, e: 'Task6', p: {} } }]);
    const result = state.fold(3, [{ [T]: { t: 2, e: 'Task6', p: {} } }]);
    expect(result.changes).toEqual([]);
    expect(result.entities.size).toBe(0);
    expect(anomalyRows(result)).toEqual([['DELETE_OF_DELETED', T, 3, 0]]);
    expect(task(state).deleted?.serverIndex).toBe(2);
  });

  it('records who deleted: t=2 with its md versus a tombstone with its dld', () => {
    const state = withTask();
    state.fold(1, [{ [T2]: { t: 0, e: 'Task6', p: nativeTask({ tt: 'Other' }) } }]);
    const byDelete = state.fold(2, [{ [T]: { t: 2, e: 'Task6', p: { md: MD } } }]);
    const byTombstone = state.fold(3, [
      { [TS1]: { t: 0, e: 'Tombstone2', p: { dloid: T2, dld: MD + 5 } } },
    ]);
    expect(task(state).deleted).toEqual({
      serverIndex: 2,
      at: MD,
      by: 'delete',
      tombstoneId: null,
    });
    expect(task(state, T2).deleted).toEqual({
      serverIndex: 3,
      at: MD + 5,
      by: 'tombstone',
      tombstoneId: TS1,
    });
    expect(rowsOf([...byDelete.changes, ...byTombstone.changes])).toEqual([
      ['TaskDeleted', T, 2, 0, { by: 'delete', tombstoneId: null, at: MD, title: 'Pay rent' }],
      ['TaskDeleted', T2, 3, 0, { by: 'tombstone', tombstoneId: TS1, at: MD + 5, title: 'Other' }],
    ]);
    expect(byTombstone.changes[0]?.at).toBe(MD + 5);
    expect(state.must(TS1)).toMatchObject({
      family: 'tombstone',
      targetId: T2,
      deletedAt: MD + 5,
      deleted: null,
    });
  });

  it('deletes targets of any family with a tombstone', () => {
    const state = new MemoryState();
    state.fold(1, [
      {
        [AREA]: { t: 0, e: 'Area3', p: { tt: 'Home' } },
        [TAG]: { t: 0, e: 'Tag4', p: { tt: 'Errand', sh: null, pn: [] } },
        [T]: { t: 0, e: 'Task6', p: nativeTask({ tt: 'Host' }) },
        [CI]: { t: 0, e: 'ChecklistItem3', p: { tt: 'Step', ts: [T] } },
      },
    ]);
    const result = state.fold(2, [
      {
        [testId(20)]: { t: 0, e: 'Tombstone2', p: { dloid: AREA, dld: 1 } },
        [testId(21)]: { t: 0, e: 'Tombstone2', p: { dloid: TAG, dld: 2 } },
        [testId(22)]: { t: 0, e: 'Tombstone', p: { dloid: CI, dld: 3 } },
      },
    ]);
    expect(result.changes.map((c) => [c.type, c.entityId, c.position, c.at])).toEqual([
      ['AreaDeleted', AREA, 0, 1],
      ['TagDeleted', TAG, 1, 2],
      ['ChecklistItemDeleted', CI, 2, 3],
    ]);
  });

  it('marks a tombstoned tombstone deleted without undoing its effect', () => {
    const state = withTask();
    state.fold(2, [{ [TS1]: { t: 0, e: 'Tombstone2', p: { dloid: T, dld: 10 } } }]);
    const result = state.fold(3, [
      { [TS2]: { t: 0, e: 'Tombstone2', p: { dloid: TS1, dld: 20 } } },
    ]);
    expect(rowsOf(result.changes)).toEqual([
      ['TombstoneDeleted', TS1, 3, 0, { by: 'tombstone', tombstoneId: TS2, at: 20, title: '' }],
    ]);
    expect(state.must(TS1).deleted).toEqual({
      serverIndex: 3,
      at: 20,
      by: 'tombstone',
      tombstoneId: TS2,
    });
    expect(task(state).deleted).toEqual({
      serverIndex: 2,
      at: 10,
      by: 'tombstone',
      tombstoneId: TS1,
    });
  });

  it('stores a tombstone of an unknown target and flags it', () => {
    const state = new MemoryState();
    const result = state.fold(4, [
      { [TS1]: { t: 0, e: 'Tombstone2', p: { dloid: GHOST, dld: 1 } } },
    ]);
    expect(result.changes).toEqual([]);
    expect(anomalyRows(result)).toEqual([['TOMBSTONE_UNKNOWN_TARGET', GHOST, 4, 0]]);
    expect(state.must(TS1)).toMatchObject({ targetId: GHOST, deleted: null });
    expect(state.entities.has(GHOST)).toBe(false);
  });

  it('flags a tombstone of an already deleted target without changing it', () => {
    const state = withTask();
    state.fold(2, [{ [T]: { t: 2, e: 'Task6', p: {} } }]);
    const result = state.fold(3, [{ [TS1]: { t: 0, e: 'Tombstone2', p: { dloid: T, dld: 1 } } }]);
    expect(result.changes).toEqual([]);
    expect(anomalyRows(result)).toEqual([['DELETE_OF_DELETED', T, 3, 0]]);
    expect(task(state).deleted?.by).toBe('delete');
  });

  it('treats Task6 and Task7 as one object and remembers the latest kind', () => {
    const state = withTask();
    const result = state.fold(2, [{ [T]: { t: 1, e: 'Task7', p: { tt: 'Renamed', md: MD } } }]);
    expect(result.changes.map((c) => c.type)).toEqual(['TaskTitleChanged']);
    expect(anomalyRows(result)).toEqual([['KIND_VERSION_CHANGE', T, 2, 0]]);
    expect(task(state)).toMatchObject({ kind: 'Task7', title: 'Renamed' });
  });

  it('keeps an item of another family raw instead of merging it', () => {
    const state = withTask();
    const result = state.fold(2, [{ [T]: { t: 0, e: 'Area3', p: { tt: 'Not a task' } } }]);
    expect(result.changes).toEqual([]);
    expect(anomalyRows(result)).toEqual([['FAMILY_CHANGE', T, 2, 0]]);
    expect(result.rawItems).toEqual([
      {
        serverIndex: 2,
        position: 0,
        itemId: T,
        kind: 'Area3',
        reason: 'familyChange',
        event: { t: 0, e: 'Area3', p: { tt: 'Not a task' } },
      },
    ]);
    expect(task(state)).toMatchObject({ family: 'task', title: 'Pay rent', updatedIndex: 1 });
  });

  it('lets later items of a group see earlier ones', () => {
    const state = new MemoryState();
    const result = state.fold(1, [
      {
        [T]: { t: 0, e: 'Task6', p: nativeTask({ tt: 'Short-lived' }) },
        [TS1]: { t: 0, e: 'Tombstone2', p: { dloid: T, dld: 5 } },
      },
    ]);
    expect(result.changes.map((c) => [c.type, c.position])).toEqual([
      ['TaskCreated', 0],
      ['TaskDeleted', 1],
    ]);
    expect(result.anomalies).toEqual([]);
  });

  it('keeps metadata raw without a change, and reports unknown families as UnknownChange', () => {
    const state = new MemoryState();
    const result = state.fold(7, [
      {
        Settings: { t: 0, e: 'Settings3', p: { ld: 1416697200, grpt: false, li: 0 } },
        [T]: { t: 1, e: 'Reminder2', p: { tt: 'private text', md: MD } },
      },
    ]);
    expect(rowsOf(result.changes)).toEqual([
      ['UnknownChange', T, 7, 0, { kind: 'Reminder2', action: 'modify' }],
    ]);
    expect(result.changes[0]).toMatchObject({ entityType: 'Reminder2', position: 1, at: MD });
    expect(anomalyRows(result)).toEqual([['UNKNOWN_KIND', T, 7, 1]]);
    expect(JSON.stringify(result.anomalies)).not.toContain('private text');
    expect(result.rawItems.map((r) => [r.itemId, r.kind, r.reason, r.position])).toEqual([
      ['Settings', 'Settings3', 'metadata', 0],
      [T, 'Reminder2', 'unknownFamily', 1],
    ]);
    expect(result.rawItems[1]?.event).toEqual({
      t: 1,
      e: 'Reminder2',
      p: { tt: 'private text', md: MD },
    });
    expect(result.entities.size).toBe(0);
  });

  it('refuses a group holding a newer kind, naming kind and index but no payload text', () => {
    const groups = decodeGroups(12, [
      { [T]: { t: 0, e: 'Task6', p: { tt: 'fine' } } },
      { [T2]: { t: 0, e: 'Task8', p: { tt: 'secret title' } } },
    ]);
    expect(findUnsupported(groups)?.kind.kind).toBe('Task8');
    expect(findUnsupported(groups.slice(0, 1))).toBeUndefined();
    const state = new MemoryState();
    let error: unknown;
    try {
      state.foldDecoded(groups);
    } catch (caught) {
      error = caught;
    }
    if (!(error instanceof EngineError)) throw new Error('expected an EngineError');
    expect(error.code).toBe('UNSUPPORTED_KIND');
    expect(error.message).toContain('Task8');
    expect(error.message).toContain('server index 13');
    expect(error.message).not.toContain('secret');
    expect(state.entities.size).toBe(0);
    const group = groups[1];
    if (group === undefined) throw new Error('no group');
    expect(() => foldGroup(state, group, context())).toThrow(EngineError);
  });

  it('resolves notes: null clears, deltas apply, mismatches and odd forms are flagged', () => {
    const state = withTask({ nt: { _t: 'tx', t: 1, ch: 0, v: '' } });
    const delta = (r: string, p: number, ch: number) => ({
      _t: 'tx',
      t: 2,
      ps: [{ r, p, l: 0, ch }],
    });
    const onEmpty = state.fold(2, [
      { [T]: { t: 1, e: 'Task6', p: { nt: delta('hello', 10, 907060870) } } },
    ]);
    expect(anomalyRows(onEmpty)).toEqual([['DELTA_ON_EMPTY_NOTE', T, 2, 0]]);
    expect(task(state).note).toBe('hello');
    const mismatch = state.fold(3, [{ [T]: { t: 1, e: 'Task6', p: { nt: delta('!', 5, 1) } } }]);
    expect(anomalyRows(mismatch)).toEqual([['NOTE_CHECKSUM_MISMATCH', T, 3, 0]]);
    expect(task(state).note).toBe('hello!');
    const odd = state.fold(4, [{ [T]: { t: 1, e: 'Task6', p: { nt: { _t: 'tx', t: 9 } } } }]);
    expect(anomalyRows(odd)).toEqual([['UNKNOWN_NOTE_FORM', T, 4, 0]]);
    expect(odd.changes).toEqual([]);
    expect(task(state).note).toBe('hello!');
    const cleared = state.fold(5, [{ [T]: { t: 1, e: 'Task6', p: { nt: null } } }]);
    expect(rowsOf(cleared.changes)).toEqual([
      ['TaskNoteChanged', T, 5, 0, { old: 'hello!', new: '' }],
    ]);
    state.fold(6, [{ [T]: { t: 1, e: 'Task6', p: { nt: { _t: 'tx', t: 1, ch: 0, v: 'é' } } } }]);
    const split = state.fold(7, [{ [T]: { t: 1, e: 'Task6', p: { nt: delta('x', 1, 0) } } }]);
    expect(anomalyRows(split).map((r) => r[0])).toEqual([
      'NOTE_PATCH_INVALID_UTF8',
      'NOTE_CHECKSUM_MISMATCH',
    ]);
    expect(task(state).note).toBe('\uFFFDx\uFFFD');
  });

  it('flags dangling references after the group and keeps their raw value', () => {
    const state = new MemoryState();
    state.fold(1, [{ [P]: { t: 0, e: 'Task6', p: nativeTask({ tp: 1, tt: 'Gone', st: 1 }) } }]);
    state.fold(2, [{ [P]: { t: 2, e: 'Task6', p: {} } }]);
    const result = state.fold(3, [
      {
        [T]: { t: 0, e: 'Task6', p: nativeTask({ pr: [P], ar: [AREA], tg: [TAG] }) },
        [TAG]: { t: 0, e: 'Tag4', p: { tt: 'Later in the same group' } },
      },
    ]);
    expect(anomalyRows(result)).toEqual([
      ['DANGLING_REFERENCE', AREA, 3, 0],
      ['DANGLING_REFERENCE', P, 3, 0],
    ]);
    expect(result.anomalies.map((a) => a.message)).toEqual([
      `Task6 "${T}" refers in p.ar[0] to "${AREA}", which is unknown`,
      `Task6 "${T}" refers in p.pr[0] to "${P}", which is deleted`,
    ]);
    expect(task(state)).toMatchObject({ projectIds: [P], areaIds: [AREA], tagIds: [TAG] });
  });

  it('merges unknown payload keys into extra and keeps recurrence fields', () => {
    const rule = {
      rrv: 4,
      tp: 0,
      fu: 256,
      fa: 2,
      of: [{ wd: 1 }],
      ia: day('2025-11-03'),
      sr: day('2025-11-03'),
      ed: 64092211200,
      rc: 0,
      ts: 0,
    };
    const state = withTask({
      rr: rule,
      icsd: day('2025-11-03'),
      icc: 2,
      icp: true,
      acrd: day('2025-11-01'),
      rmd: null,
      rp: { any: 1 },
      zz: 1,
    });
    state.fold(2, [{ [T]: { t: 1, e: 'Task6', p: { zz: null, yy: 'new' } } }]);
    expect(task(state)).toMatchObject({
      recurrence: {
        rrv: 4,
        fu: 256,
        fa: 2,
        of: [{ wd: 1 }],
        ia: '2025-11-03',
        ed: '4001-01-01',
        extra: {},
      },
      instanceCreationStartDate: '2025-11-03',
      instanceCreationCount: 2,
      instanceCreationPaused: true,
      afterCompletionReferenceDate: '2025-11-01',
      reminderDate: null,
      rp: { any: 1 },
      extra: { zz: null, yy: 'new' },
    });
  });

  it('turns decoder warnings into anomalies', () => {
    const state = new MemoryState();
    const legacy = 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE';
    const result = state.fold(1, [{ [legacy]: { t: 0, e: 'Area2', p: { tt: 'Old' } } }]);
    expect(anomalyRows(result)).toEqual([['DECODE_WARNING', 'LXmxn9gakySzcEjKj1DtgD', 1, 0]]);
    expect(result.anomalies[0]?.message).toContain('LEGACY_ID_MAPPED');
    expect(state.must('LXmxn9gakySzcEjKj1DtgD')).toMatchObject({ legacyId: legacy, title: 'Old' });
    // A modern item on the derived id is the same object and keeps the legacy id.
    state.fold(2, [{ LXmxn9gakySzcEjKj1DtgD: { t: 1, e: 'Area3', p: { tt: 'New' } } }]);
    expect(state.must('LXmxn9gakySzcEjKj1DtgD')).toMatchObject({
      legacyId: legacy,
      title: 'New',
      kind: 'Area3',
    });
  });

  it('throws INVALID_TIME_ZONE and INVALID_DATE for a bad context', () => {
    const groups = decodeGroups(1, [{ [T]: { t: 0, e: 'Task6', p: {} } }]);
    const group = groups[0];
    if (group === undefined) throw new Error('no group');
    const empty = { get: () => undefined };
    expect(() => foldGroup(empty, group, context('Mars/Olympus'))).toThrow(
      expect.objectContaining({ code: 'INVALID_TIME_ZONE' }),
    );
    expect(() => foldGroup(empty, group, context('UTC', '2025-13-01'))).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE' }),
    );
  });
});

describe('referencedIds()', () => {
  it('lists item ids, tombstone targets and referenced containers, tags and parents', () => {
    const groups = decodeGroups(1, [
      {
        [T]: { t: 1, e: 'Task6', p: { pr: [P], ar: [AREA], agr: [T2], tg: [TAG] } },
        Settings: { t: 0, e: 'Settings3', p: {} },
      },
      {
        [CI]: { t: 0, e: 'ChecklistItem3', p: { ts: [T] } },
        [TS1]: { t: 0, e: 'Tombstone2', p: { dloid: GHOST } },
        'CC-Things-Tag-High': { t: 0, e: 'Tag3', p: { pn: ['CC-Things-Tag-Priority'] } },
      },
    ]);
    expect([...referencedIds(groups)].sort()).toEqual(
      [
        T,
        P,
        AREA,
        T2,
        TAG,
        CI,
        TS1,
        GHOST,
        'Vud3WpTsVZYgTvdiyu2Afw',
        'EbnTE2BCQfFZTsXiYGG3Ba',
      ].sort(),
    );
  });
});

describe('foldPage() on the nicolai86 upstream tape (legacy ids)', () => {
  const tape: unknown = JSON.parse(
    readFileSync('/work/shared/upstream-captures/nicolai86/history-items-success.json', 'utf8'),
  );
  const AREA_ID = 'Xfr6cpPxzvRXDdC25fCgyx';
  const TASK_ID = '79nXdTuWMhUAsaqH9pRpu4';
  const HIGH = 'Vud3WpTsVZYgTvdiyu2Afw';
  const PRIORITY = 'EbnTE2BCQfFZTsXiYGG3Ba';
  const ITEM = 'KRYRy98ZbehbwsgteYJEEL';

  function replay() {
    const state = new MemoryState();
    const { groups } = decodePage(tape, { startIndex: 0 });
    const result = state.foldDecoded(groups, context('Europe/Berlin', '2017-05-27'));
    return { state, result };
  }

  it('keys entities by derived ids, keeps legacy ids and maps references', () => {
    const { state } = replay();
    expect(state.must(AREA_ID)).toMatchObject({
      legacyId: '4D83724E-19B3-41F7-8EF9-287019A05CB7',
      title: 'An Area',
    });
    expect(state.must(TASK_ID)).toMatchObject({
      legacyId: 'AD55F048-9A28-4260-A07B-6BA5C0D39AC9',
      tagIds: [HIGH],
      status: 3,
      startDate: '2013-09-01',
      todayIndex: -11332,
    });
    expect(state.must(HIGH)).toMatchObject({
      legacyId: 'CC-Things-Tag-High',
      parentIds: [PRIORITY],
      shortcut: '1',
    });
    expect(state.must(ITEM)).toMatchObject({ taskIds: [TASK_ID], status: 3, index: -269 });
  });

  it('emits the changes of the tape and flags the forward and missing references', () => {
    const { result } = replay();
    expect(result.changes.map((c) => [c.type, c.entityId, c.serverIndex])).toEqual([
      ['AreaCreated', AREA_ID, 0],
      ['TaskCreated', TASK_ID, 1],
      ['TagCreated', HIGH, 2],
      ['ChecklistItemCreated', ITEM, 3],
      ['ChecklistItemCompleted', ITEM, 4],
    ]);
    expect(result.changes[4]?.payload).toEqual({
      old: 'open',
      new: 'completed',
      stopDate: 1495911948.8604441,
    });
    expect(
      result.anomalies
        .filter((a) => a.code !== 'DECODE_WARNING')
        .map((a) => [a.code, a.entityId, a.serverIndex]),
    ).toEqual([
      ['DANGLING_REFERENCE', HIGH, 1],
      ['DANGLING_REFERENCE', PRIORITY, 2],
    ]);
    expect(result.rawItems.map((r) => [r.itemId, r.reason])).toEqual([['Settings', 'metadata']]);
  });
});
