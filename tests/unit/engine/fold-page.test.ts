import { describe, expect, it } from 'vitest';
import { foldPage, type GroupResult, type TaskEntity } from '../../../src/engine/index.ts';
import {
  at,
  context,
  day,
  decodeGroups,
  MemoryState,
  nativeTask,
  rowsOf,
  testId,
} from './support.ts';

const T = testId(101);
const T2 = testId(102);
const CI = testId(103);
const AREA = testId(104);
const TAG = testId(105);
const TS1 = testId(106);
const GHOST = testId(107);
const MD = at('2025-11-02T10:00:00Z');

function messages(result: GroupResult): [string, string][] {
  return result.anomalies.map((a) => [a.code, a.message]);
}

function withTask(): MemoryState {
  const state = new MemoryState();
  state.fold(1, [{ [T]: { t: 0, e: 'Task6', p: nativeTask({ tt: 'Pay rent' }) } }]);
  return state;
}

function task(state: MemoryState, id = T): TaskEntity {
  const entity = state.must(id);
  if (entity.family !== 'task') throw new Error('not a task');
  return entity;
}

describe('foldPage() anomaly messages', () => {
  it('names the id and what happened for every item-level anomaly', () => {
    const state = withTask();
    expect(messages(state.fold(2, [{ [T]: { t: 0, e: 'Area3', p: { tt: 'x' } } }]))).toEqual([
      ['FAMILY_CHANGE', `"${T}" is a task (Task6); a Area3 item for it is kept raw, not applied`],
    ]);
    expect(messages(state.fold(3, [{ [T]: { t: 1, e: 'Task7', p: { tt: 'y' } } }]))).toEqual([
      ['KIND_VERSION_CHANGE', `"${T}" was Task6, now Task7 (same object)`],
    ]);
    expect(messages(state.fold(4, [{ [T]: { t: 0, e: 'Task7', p: nativeTask() } }]))).toEqual([
      ['RECREATE_LIVE', `create of live "${T}"; replaced`],
    ]);
    state.fold(5, [{ [T]: { t: 2, e: 'Task7', p: {} } }]);
    expect(messages(state.fold(6, [{ [T]: { t: 2, e: 'Task7', p: {} } }]))).toEqual([
      ['DELETE_OF_DELETED', `delete of already deleted "${T}"`],
    ]);
    expect(messages(state.fold(7, [{ [CI]: { t: 2, e: 'ChecklistItem3', p: {} } }]))).toEqual([
      ['DELETE_OF_UNKNOWN', `delete of unknown "${CI}"; remembered as deleted`],
    ]);
    expect(
      messages(state.fold(8, [{ [CI]: { t: 1, e: 'ChecklistItem3', p: { tt: 'Milk' } } }])),
    ).toEqual([
      ['MODIFY_OF_DELETED', `modify of deleted "${CI}"; resurrected from defaults and the payload`],
    ]);
    expect(messages(state.fold(9, [{ [T2]: { t: 1, e: 'Task6', p: { tt: 'z' } } }]))).toEqual([
      ['MODIFY_BEFORE_CREATE', `modify of unknown "${T2}"; created from defaults and the payload`],
    ]);
    expect(
      messages(state.fold(10, [{ [T2]: { t: 1, e: 'Reminder2', p: { tt: 'private' } } }])),
    ).toEqual([['UNKNOWN_KIND', 'kind "Reminder2" is not a known family; kept raw']]);
  });

  it('names the tombstone and its target when the target is unknown or already deleted', () => {
    const state = withTask();
    expect(
      messages(state.fold(2, [{ [TS1]: { t: 0, e: 'Tombstone2', p: { dloid: GHOST, dld: 1 } } }])),
    ).toEqual([
      [
        'TOMBSTONE_UNKNOWN_TARGET',
        `tombstone "${TS1}" targets unknown "${GHOST}"; stored, no other effect`,
      ],
    ]);
    state.fold(3, [{ [T]: { t: 2, e: 'Task6', p: {} } }]);
    expect(
      messages(state.fold(4, [{ [TS1]: { t: 1, e: 'Tombstone2', p: { dloid: T, dld: 2 } } }])),
    ).toEqual([['DELETE_OF_DELETED', `tombstone "${TS1}" targets already deleted "${T}"`]]);
  });

  it('lets the first of two tombstones of one target in a group delete it, in key order', () => {
    // The spec keeps a group's key order as received (section 4.1); the second tombstone is an
    // anomaly. So such a group is order-dependent, and the arbitraries never put one into a group
    // they call independent (src/testing/arbitraries/rendering.ts).
    const TS2 = testId(108);
    for (const [first, second] of [
      [TS1, TS2],
      [TS2, TS1],
    ] as const) {
      const state = withTask();
      const result = state.fold(2, [
        {
          [first]: { t: 0, e: 'Tombstone2', p: { dloid: T, dld: 2 } },
          [second]: { t: 0, e: 'Tombstone2', p: { dloid: T, dld: 3 } },
        },
      ]);
      expect(task(state).deleted).toMatchObject({ by: 'tombstone', tombstoneId: first, at: 2 });
      expect(messages(result)).toEqual([
        ['DELETE_OF_DELETED', `tombstone "${second}" targets already deleted "${T}"`],
      ]);
    }
  });

  it('prefixes a note anomaly with the payload path of the note', () => {
    const state = withTask();
    const result = state.fold(2, [
      {
        [T]: {
          t: 1,
          e: 'Task6',
          p: { nt: { _t: 'tx', t: 2, ps: [{ r: 'hi', p: 0, l: 0, ch: 1 }] } },
        },
      },
    ]);
    expect(result.anomalies.map((a) => a.code)).toContain('NOTE_CHECKSUM_MISMATCH');
    for (const anomaly of result.anomalies) expect(anomaly.message).toMatch(/^p\.nt\S*: \S/);
  });

  it('writes a decoder warning as "CODE at path: message", or "CODE: message" without a path', () => {
    const legacy = 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE';
    const groups = decodeGroups(1, [
      { [legacy]: { t: 0, e: 'Area2', p: { tt: 'Old' } } },
      { [T]: { t: 0, e: 'Task6', p: nativeTask({ ar: [legacy] }) } },
    ]);
    const warnings = groups.flatMap((g) => g.items.flatMap((item) => item.warnings));
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['LEGACY_ID_MAPPED', ''],
      ['NON_CANONICAL_ID', 'p.ar[0]'],
    ]);
    const result = new MemoryState().foldDecoded(groups);
    expect(messages(result).filter(([code]) => code === 'DECODE_WARNING')).toEqual([
      ['DECODE_WARNING', `LEGACY_ID_MAPPED: ${warnings[0]?.message}`],
      ['DECODE_WARNING', `NON_CANONICAL_ID at p.ar[0]: ${warnings[1]?.message}`],
    ]);
  });
});

describe('foldPage() dangling references', () => {
  it('checks the reference fields of every family and names their payload path', () => {
    const result = new MemoryState().fold(1, [
      {
        [T]: { t: 0, e: 'Task6', p: nativeTask({ agr: [GHOST], tg: [GHOST] }) },
        [CI]: { t: 0, e: 'ChecklistItem3', p: { tt: 'Milk', ts: [GHOST] } },
        [AREA]: { t: 0, e: 'Area3', p: { tt: 'Home', tg: [GHOST] } },
        [TAG]: { t: 0, e: 'Tag4', p: { tt: 'Errand', pn: [GHOST] } },
      },
    ]);
    expect(result.anomalies.map((a) => a.message)).toEqual([
      `Task6 "${T}" refers in p.agr[0] to "${GHOST}", which is unknown`,
      `Task6 "${T}" refers in p.tg[0] to "${GHOST}", which is unknown`,
      `ChecklistItem3 "${CI}" refers in p.ts[0] to "${GHOST}", which is unknown`,
      `Area3 "${AREA}" refers in p.tg[0] to "${GHOST}", which is unknown`,
      `Tag4 "${TAG}" refers in p.pn[0] to "${GHOST}", which is unknown`,
    ]);
  });

  it('does not judge the references of an item it did not apply (other family, delete)', () => {
    const state = withTask();
    const other = state.fold(2, [{ [T]: { t: 0, e: 'Area3', p: { tt: 'x', tg: [GHOST] } } }]);
    expect(other.anomalies.map((a) => a.code)).toEqual(['FAMILY_CHANGE']);
    const deleted = state.fold(3, [{ [T]: { t: 2, e: 'Task6', p: { ar: [GHOST] } } }]);
    expect(deleted.anomalies).toEqual([]);
    expect(deleted.changes.map((c) => c.type)).toEqual(['TaskDeleted']);
  });
});

describe('foldPage() unknown families', () => {
  it('times an UnknownChange only by a numeric p.md, whatever the shape of p', () => {
    // Unknown families are kept raw, so the wire may carry any JSON as p.
    const shapes: unknown[] = [null, 'text', { md: 'soon' }, [1, 2]];
    for (const p of shapes) {
      const event = { t: 1, e: 'Reminder2', p: p as Record<string, unknown> };
      const result = new MemoryState().fold(1, [{ [T]: event }]);
      expect(rowsOf(result.changes)).toEqual([
        ['UnknownChange', T, 1, 0, { kind: 'Reminder2', action: 'modify' }],
      ]);
      expect(result.changes[0]?.at).toBeNull();
    }
  });
});

describe('foldPage() today of a modify', () => {
  it('ignores the cd of a modify: without md it is judged at the reference date', () => {
    const result = new MemoryState().fold(
      1,
      [
        { [T]: { t: 0, e: 'Task6', p: nativeTask({ st: 2 }) } },
        { [T]: { t: 1, e: 'Task6', p: { sr: day('2025-11-03'), cd: at('2025-11-03T12:00:00Z') } } },
      ],
      context('UTC', '2025-11-02'),
    );
    expect(result.changes.map((c) => c.type)).toEqual(['TaskCreated', 'TaskMovedToUpcoming']);
  });
});

describe('foldPage() tombstone modifies', () => {
  it('deletes the new target when a modify sets dloid', () => {
    const state = new MemoryState();
    state.fold(1, [
      {
        [T]: { t: 0, e: 'Task6', p: nativeTask({ tt: 'One' }) },
        [T2]: { t: 0, e: 'Task6', p: nativeTask({ tt: 'Two' }) },
      },
    ]);
    state.fold(2, [{ [TS1]: { t: 0, e: 'Tombstone2', p: { dloid: T, dld: 10 } } }]);
    const result = state.fold(3, [
      { [TS1]: { t: 1, e: 'Tombstone2', p: { dloid: T2, dld: 20, md: MD } } },
    ]);
    expect(rowsOf(result.changes)).toEqual([
      ['TaskDeleted', T2, 3, 0, { by: 'tombstone', tombstoneId: TS1, at: 20, title: 'Two' }],
    ]);
    expect(task(state, T2).deleted).toEqual({
      serverIndex: 3,
      at: 20,
      by: 'tombstone',
      tombstoneId: TS1,
    });
  });

  it('does not delete the target again on a modify without dloid', () => {
    const state = withTask();
    state.fold(2, [{ [TS1]: { t: 0, e: 'Tombstone2', p: { dloid: T, dld: 10 } } }]);
    state.fold(3, [{ [T]: { t: 1, e: 'Task6', p: { tt: 'Back' } } }]);
    expect(task(state).deleted).toBeNull();
    const result = state.fold(4, [{ [TS1]: { t: 1, e: 'Tombstone2', p: { dld: 30 } } }]);
    expect(result.changes).toEqual([]);
    expect(result.anomalies).toEqual([]);
    expect(task(state)).toMatchObject({ title: 'Back', deleted: null });
  });
});

describe('foldPage() context checks', () => {
  it('rejects a bad zone or reference date even for a page that needs no date', () => {
    const empty = { get: () => undefined };
    expect(() => foldPage(empty, [], context('Mars/Olympus'))).toThrow(
      expect.objectContaining({
        code: 'INVALID_TIME_ZONE',
        message: 'Cannot use time zone "Mars/Olympus": not an IANA zone this runtime knows',
      }),
    );
    expect(() =>
      foldPage(empty, [], { timeZone: 'UTC', referenceDate: '2025-13-01' as never }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATE',
        message: 'Cannot use reference date "2025-13-01": expected a calendar date YYYY-MM-DD',
      }),
    );
  });
});
