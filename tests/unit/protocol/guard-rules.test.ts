/**
 * Edges of single write rules that the one case per rule of guard.test.ts leaves open: which
 * events and families a rule judges, and where it stops (payloads of deletes, the Inbox and
 * schedule dates, repeating templates, checklist owners, stop dates, value ranges).
 */
import { describe, expect, it } from 'vitest';

import {
  base58Encode,
  checkCommit,
  checklistItemModify,
  scheduleFields,
  taskCreate,
  taskModify,
  tombstoneCreate,
  type CivilDate,
  type GuardEntity,
  type GuardState,
} from '../../../src/protocol/index.ts';

const NOW = 1_767_268_800.5;
const DAY = 1_767_225_600; // 2026-01-01
const TODO = 'Kd5u6PEbkZ7qGDTvY4yYNi';
const INBOX = '3TBG8dXkUNq6ULYvCkxWzh';
const TEMPLATE = 'LXmxn9gakySzcEjKj1DtgD';
const CHECK = 'ELjLmgnpNCnKAgZQYHm1wp';
const OTHER = 'VJ1edXTP9q3PmFDUuy8EQh';

const task = (fields: Partial<GuardEntity> = {}): GuardEntity => ({
  family: 'task',
  kind: 'Task6',
  deleted: null,
  type: 0,
  start: 1,
  status: 0,
  index: 1,
  recurrence: null,
  areaIds: [],
  projectIds: [],
  headingIds: [],
  ...fields,
});

const ENTITIES: Record<string, GuardEntity> = {
  [TODO]: task(),
  [OTHER]: task(),
  [INBOX]: task({ start: 0 }),
  [TEMPLATE]: task({ recurrence: { rrv: 4 } }),
  [CHECK]: { family: 'checklistItem', kind: 'ChecklistItem3', deleted: null, status: 0, index: 1 },
};
const STATE: GuardState = { complete: true, get: (id) => ENTITIES[id] };

/** The `code` violations of a one-entry commit, as `[path, found]`. */
function found(code: string, id: string, event: unknown): string[][] {
  return checkCommit({ [id]: event }, STATE)
    .violations.filter((v) => v.code === code)
    .map((v) => [v.path, v.found]);
}

const modify = (keys: Record<string, unknown>) => taskModify(keys, NOW);

function create(type: 0 | 1 | 2, overrides: Record<string, unknown> = {}) {
  const event = taskCreate({
    type,
    title: 'Garden',
    schedule: scheduleFields('anytime', '2026-01-01' as CivilDate, type !== 0),
    index: 2,
    createdAt: NOW,
  });
  return { ...event, p: { ...event.p, ...overrides } };
}
const NEW = 'Q9sihFX2SsvGaz6vv4J2Hf';

describe('MALFORMED_EVENT payloads', () => {
  it('asks creates and modifies for an object payload, and deletes for none', () => {
    expect(found('MALFORMED_EVENT', TODO, { t: 1, e: 'Task6', p: 5 })).toEqual([['p', '5']]);
    expect(found('MALFORMED_EVENT', TODO, { t: 1, e: 'Task6' })).toEqual([['p', 'absent']]);
    expect(found('MALFORMED_EVENT', TODO, { t: 2, e: 'Task6' })).toEqual([]);
  });
});

describe('SCHEDULE_MISMATCH', () => {
  it('reports sr and tir on a task written into the Inbox', () => {
    expect(found('SCHEDULE_MISMATCH', TODO, modify({ st: 0, sr: DAY, tir: DAY }))).toEqual([
      ['p.sr', String(DAY)],
      ['p.tir', String(DAY)],
    ]);
    expect(found('SCHEDULE_MISMATCH', TODO, modify({ st: 0, sr: null, tir: null }))).toEqual([]);
  });

  it('judges the Inbox part only where st is written', () => {
    expect(found('SCHEDULE_MISMATCH', INBOX, modify({ sr: DAY, tir: DAY }))).toEqual([]);
  });

  it('asks a tir equal to sr, except on repeating templates', () => {
    expect(found('SCHEDULE_MISMATCH', TODO, modify({ sr: DAY }))).toEqual([['p.tir', 'absent']]);
    expect(found('SCHEDULE_MISMATCH', TEMPLATE, modify({ sr: DAY }))).toEqual([]);
  });
});

describe('CHECKLIST_OWNER', () => {
  it('judges ts where a checklist item writes it', () => {
    expect(found('CHECKLIST_OWNER', CHECK, checklistItemModify({ tt: 'x' }, NOW))).toEqual([]);
    expect(found('CHECKLIST_OWNER', CHECK, checklistItemModify({ ts: [] }, NOW))).toEqual([
      ['p.ts', '[]'],
    ]);
    expect(
      found('CHECKLIST_OWNER', CHECK, checklistItemModify({ ts: [TODO, OTHER] }, NOW)),
    ).toEqual([['p.ts', JSON.stringify([TODO, OTHER])]]);
  });
});

describe('STATUS_WITHOUT_STOP_DATE', () => {
  it('asks a completed or canceled item for a positive sp', () => {
    expect(found('STATUS_WITHOUT_STOP_DATE', TODO, modify({ ss: 3, sp: NOW }))).toEqual([]);
    expect(found('STATUS_WITHOUT_STOP_DATE', TODO, modify({ ss: 3, sp: 0 }))).toEqual([
      ['p.sp', '0'],
    ]);
    expect(found('STATUS_WITHOUT_STOP_DATE', TODO, modify({ ss: 2 }))).toEqual([
      ['p.sp', 'absent'],
    ]);
    expect(
      found('STATUS_WITHOUT_STOP_DATE', CHECK, checklistItemModify({ ss: 2, sp: null }, NOW)),
    ).toEqual([['p.sp', 'null']]);
  });
});

describe('VALUE_OUT_OF_RANGE', () => {
  it('judges tp, ss, st and sb of tasks, and only ss of checklist items', () => {
    expect(found('VALUE_OUT_OF_RANGE', TODO, modify({ tp: 3, ss: 1, st: 3, sb: 2 }))).toEqual([
      ['p.tp', '3'],
      ['p.ss', '1'],
      ['p.st', '3'],
      ['p.sb', '2'],
    ]);
    expect(found('VALUE_OUT_OF_RANGE', CHECK, checklistItemModify({ ss: 1, st: 3 }, NOW))).toEqual([
      ['p.ss', '1'],
    ]);
  });
});

describe('MALFORMED_DELTA on a create', () => {
  it('reports a delta note on a create, whatever it patches', () => {
    const nt = { _t: 'tx', t: 2, ps: [{ r: 'x', p: 0, l: 0, ch: 0 }] };
    expect(found('MALFORMED_DELTA', NEW, create(0, { nt }))).toEqual([
      ['p.nt', 'a delta note on a create'],
    ]);
  });
});

describe('NON_POSITIVE_IX and EDIT_OF_NON_POSITIVE_IX', () => {
  it('asks a create for ix ≥ 1, and a modify only when it writes ix', () => {
    expect(found('NON_POSITIVE_IX', NEW, create(0, { ix: -1 }))).toEqual([['p.ix', '-1']]);
    const { ix: _ix, ...withoutIx } = create(0).p;
    expect(found('NON_POSITIVE_IX', NEW, { ...create(0), p: withoutIx })).toEqual([
      ['p.ix', 'absent (read as 0)'],
    ]);
    expect(found('NON_POSITIVE_IX', TODO, modify({ tt: 'a' }))).toEqual([]);
    expect(found('NON_POSITIVE_IX', TODO, modify({ ix: 0 }))).toEqual([['p.ix', '0']]);
  });

  it('suggests an ix when a modify leaves a stored ix ≤ 0 as it is', () => {
    const zero = { ...STATE, get: (id: string) => (id === TODO ? task({ index: 0 }) : undefined) };
    const edit = (keys: Record<string, unknown>) =>
      checkCommit({ [TODO]: modify(keys) }, zero)
        .violations.filter((v) => v.code === 'EDIT_OF_NON_POSITIVE_IX')
        .map((v) => v.found);
    expect(edit({ tt: 'a' })).toEqual(['absent (stored ix 0)']);
    expect(edit({ ix: 3 })).toEqual([]);
    expect(found('EDIT_OF_NON_POSITIVE_IX', TODO, modify({ tt: 'a' }))).toEqual([]);
  });
});

describe('WHOLE_OBJECT_MODIFY', () => {
  // The native create's task keys without cd and md (md comes with every modify).
  const keys = Object.keys(create(0).p).filter((key) => key !== 'cd' && key !== 'md');
  const some = (n: number): Record<string, unknown> =>
    Object.fromEntries(keys.slice(0, n).map((key) => [key, create(0).p[key]]));

  it('reports a modify of 24 or more of the 34 task keys, md included, and counts no others', () => {
    expect(found('WHOLE_OBJECT_MODIFY', TODO, modify(some(23)))).toEqual([['p', '24 of 34 keys']]);
    expect(found('WHOLE_OBJECT_MODIFY', TODO, modify({ ...some(22), zz: 1, yy: 2 }))).toEqual([]);
  });

  it('counts only cd for checklist items', () => {
    const many = { tt: 'a', ss: 0, sp: null, ix: 1, ts: [TODO], lt: false, xx: {} };
    expect(found('WHOLE_OBJECT_MODIFY', CHECK, checklistItemModify(many, NOW))).toEqual([]);
    expect(found('WHOLE_OBJECT_MODIFY', CHECK, checklistItemModify({ cd: NOW }, NOW))).toEqual([
      ['p', '2 of 9 keys, the creation date cd included'],
    ]);
  });
});

describe('PROJECT_ICP', () => {
  it('judges icp only on project creates', () => {
    expect(found('PROJECT_ICP', NEW, create(1, { icp: true }))).toEqual([['p.icp', 'true']]);
    expect(found('PROJECT_ICP', NEW, create(1, { icp: false }))).toEqual([]);
    expect(found('PROJECT_ICP', NEW, create(0, { icp: true }))).toEqual([]);
    expect(found('PROJECT_ICP', TODO, modify({ icp: true }))).toEqual([]);
  });
});

describe('CONTAINER_DELETE_LEAVES_CHILDREN', () => {
  const AREA = 'FQxaqvLBkbR5q2Q5oRoknc';
  const HEADING = 'BVU8qZ9dNjrdxLvDHPvfDS';
  const KIDS = [TODO, OTHER, INBOX, TEMPLATE];
  const all: Record<string, GuardEntity> = {
    ...ENTITIES,
    [AREA]: { family: 'area', kind: 'Area3', deleted: null, index: 1 },
    [HEADING]: task({ type: 2 }),
  };
  const withChildren: GuardState = { complete: true, get: (id) => all[id], children: () => KIDS };
  const left = (id: string, event: unknown, state: GuardState = withChildren) =>
    checkCommit({ [id]: event }, state)
      .violations.filter((v) => v.code === 'CONTAINER_DELETE_LEAVES_CHILDREN')
      .map((v) => v.found);

  it('reports areas and headings deleted with items in them, naming the first three', () => {
    const text = (id: string) =>
      `${JSON.stringify(id)}, which still holds 4 item(s), e.g. ${KIDS.slice(0, 3).join(', ')}`;
    expect(left(AREA, { t: 2, e: 'Area3', p: {} })).toEqual([text(AREA)]);
    expect(left(HEADING, { t: 2, e: 'Task6', p: {} })).toEqual([text(HEADING)]);
  });

  it('does not judge a to-do, nor a state that does not know children', () => {
    expect(left(TODO, { t: 2, e: 'Task6', p: {} })).toEqual([]);
    expect(
      left(AREA, { t: 2, e: 'Area3', p: {} }, { complete: true, get: (id) => all[id] }),
    ).toEqual([]);
  });
});

describe('DANGLING_REFERENCE', () => {
  it('does not judge the ids in dl, and judges the other reference lists', () => {
    const missing = 'H8Xu72gj7fooPuYoBMZ5TK';
    expect(found('DANGLING_REFERENCE', TODO, modify({ dl: [missing] }))).toEqual([]);
    expect(found('DANGLING_REFERENCE', TODO, modify({ rt: [missing] }))).toEqual([
      ['p.rt[0]', `"${missing}" (never created)`],
    ]);
  });
});

describe('tombstones', () => {
  const GONE = 'BVU8qZ9dNjrdxLvDHPvfDS';
  const never = 'H8Xu72gj7fooPuYoBMZ5TK';
  const withGone: GuardState = {
    complete: true,
    get: (id) => (id === GONE ? task({ deleted: NOW }) : ENTITIES[id]),
  };
  const dangling = (event: unknown) =>
    checkCommit({ [NEW]: event }, withGone)
      .violations.filter((v) => v.code === 'DANGLING_REFERENCE')
      .map((v) => [v.path, v.found]);

  it('reports a tombstone for an id never created or already deleted', () => {
    expect(dangling(tombstoneCreate(never, NOW))).toEqual([
      ['p.dloid', `"${never}" (never created)`],
    ]);
    expect(dangling(tombstoneCreate(GONE, NOW))).toEqual([
      ['p.dloid', `"${GONE}" (already deleted)`],
    ]);
    expect(dangling(tombstoneCreate(TODO, NOW))).toEqual([]);
    expect(dangling({ t: 1, e: 'Tombstone2', p: { dloid: never } })).toEqual([]);
  });

  it('asks a tombstone create for a canonical dloid, and a modify only when it writes one', () => {
    const target = (p: Record<string, unknown>, t = 0) =>
      found('INVALID_TOMBSTONE_TARGET', NEW, { t, e: 'Tombstone2', p });
    expect(target({ dld: NOW })).toEqual([['p.dloid', 'absent']]);
    expect(target({ dloid: 5, dld: NOW })).toEqual([['p.dloid', '5']]);
    expect(target({ dld: NOW }, 1)).toEqual([]);
    expect(target({ dloid: TODO, dld: NOW })).toEqual([]);
  });
});

describe('kinds and families', () => {
  it('names an unknown family, and the kind written on a stored object of another family', () => {
    expect(found('UNKNOWN_KIND', TODO, { t: 1, e: 'Frobnicate1', p: {} })).toEqual([
      ['e', '"Frobnicate1" (an unknown family)'],
    ]);
    expect(found('FAMILY_CHANGE', TODO, { t: 1, e: 'Area3', p: { tt: 'a' } })).toEqual([
      ['e', '"Area3" on a stored task'],
    ]);
  });

  it('asks new ids not to start with "1"', () => {
    // A leading zero byte encodes as a leading "1": 22 characters when the other 15 are high.
    const one = base58Encode(new Uint8Array([0, ...Array.from({ length: 15 }, () => 0xff)]));
    expect([one.length, one[0]]).toEqual([22, '1']);
    expect(found('SHORT_ID', one, create(0))).toEqual([['', JSON.stringify(one)]]);
    expect(found('SHORT_ID', NEW, create(0))).toEqual([]);
  });
});
