/**
 * How the write guard reads a commit across its entries: events it cannot read, what the commit
 * itself deletes or creates (references to them), what a reference points at, the containers a
 * to-do sits in after a write (create defaults, stored values), and children moved out of a
 * container deleted in the same commit. The cases per rule are in guard.test.ts.
 */
import { describe, expect, it } from 'vitest';

import {
  checkCommit,
  scheduleFields,
  tagCreate,
  tombstoneCreate,
  type GuardEntity,
  type GuardState,
} from '../../../src/protocol/index.ts';
import { NO_CONTAINERS, NOW, TODAY, created, modify, storedTask } from './guard-support.ts';

const TODO = 'Kd5u6PEbkZ7qGDTvY4yYNi';
const PROJECT = '3TBG8dXkUNq6ULYvCkxWzh';
const HEADING = 'LXmxn9gakySzcEjKj1DtgD';
const AREA = 'VJ1edXTP9q3PmFDUuy8EQh';
const TAG = 'FQxaqvLBkbR5q2Q5oRoknc';
const GONE = 'BVU8qZ9dNjrdxLvDHPvfDS';
const CHECK = 'ELjLmgnpNCnKAgZQYHm1wp';
const ODD = 'H8Xu72gj7fooPuYoBMZ5TK';
const NEW = 'Q9sihFX2SsvGaz6vv4J2Hf';
const NEW2 = 'M9CrKBjvpDP2D7uEsCtwyg';

const task = (fields: Partial<GuardEntity> = {}): GuardEntity =>
  storedTask({ ...NO_CONTAINERS, ...fields });

const ENTITIES: Record<string, GuardEntity> = {
  [TODO]: task(),
  [PROJECT]: task({ type: 1 }),
  [HEADING]: task({ type: 2, projectIds: [PROJECT] }),
  [AREA]: { family: 'area', kind: 'Area3', deleted: null, index: 1 },
  [TAG]: { family: 'tag', kind: 'Tag4', deleted: null, index: 1 },
  [GONE]: { family: 'tag', kind: 'Tag4', deleted: NOW, index: 2 },
  [CHECK]: { family: 'checklistItem', kind: 'ChecklistItem3', deleted: null, index: 1 },
  [ODD]: task({ type: 7 }),
};

function state(overrides: Record<string, GuardEntity> = {}, complete = true): GuardState {
  const all = { ...ENTITIES, ...overrides };
  return { complete, get: (id) => all[id] };
}

/** The violations as `[entity, code, path, found]`. */
function check(body: Record<string, unknown>, guardState: GuardState = state()) {
  return checkCommit(body, guardState).violations.map((v) => [v.entityId, v.code, v.path, v.found]);
}

const only = (code: string, found: unknown[][]) => found.filter((v) => v[1] === code);
const create = (type: 0 | 1 | 2, overrides: Record<string, unknown> = {}) =>
  created(
    { type, title: 'Garden', schedule: scheduleFields('anytime', TODAY, true), index: 2 },
    overrides,
  );

describe('events the guard cannot read', () => {
  it.each([
    ['null', null, '', 'null'],
    ['t as a string', { t: '1', e: 'Task6', p: { md: NOW } }, 't', '"1"'],
    ['e empty', { t: 1, e: '', p: { md: NOW } }, 'e', '""'],
    ['e absent', { t: 1, p: { md: NOW } }, 'e', 'absent'],
    ['e a number', { t: 1, e: 6, p: { md: NOW } }, 'e', '6'],
  ])(
    'reports an event with %s as malformed, and judges nothing else in it',
    (_w, event, path, found) => {
      expect(check({ [TODO]: event })).toEqual([[TODO, 'MALFORMED_EVENT', path, found]]);
    },
  );
});

describe('what the commit deletes', () => {
  const dangling = [[TODO, 'DANGLING_REFERENCE', 'p.tg[0]', `"${TAG}" (deleted)`]];

  it('counts a delete and a tombstone create as deleting their target for later references', () => {
    expect(check({ [TAG]: { t: 2, e: 'Tag4', p: {} }, [TODO]: modify({ tg: [TAG] }) })).toEqual(
      dangling,
    );
    expect(check({ [NEW]: tombstoneCreate(TAG, NOW), [TODO]: modify({ tg: [TAG] }) })).toEqual(
      dangling,
    );
  });

  it('does not count a dloid outside a tombstone create, nor a delete it cannot read', () => {
    const tombstoneModify = { t: 1, e: 'Tombstone2', p: { dloid: TAG } };
    for (const other of [tombstoneModify, create(0, { dloid: TAG }), { t: 2, p: {} }]) {
      const body = { [NEW]: other, [TODO]: modify({ tg: [TAG] }) };
      expect(only('DANGLING_REFERENCE', check(body, state({}, false)))).toEqual([]);
    }
    expect(
      only('DANGLING_REFERENCE', check({ [TAG]: { t: 2 }, [TODO]: modify({ tg: [TAG] }) })),
    ).toEqual([]);
  });

  it('reports a reference to a stored deleted object, and lets its id be created again', () => {
    expect(check({ [TODO]: modify({ tg: [GONE] }) })).toEqual([
      [TODO, 'DANGLING_REFERENCE', 'p.tg[0]', `"${GONE}" (deleted)`],
    ]);
    expect(check({ [GONE]: tagCreate({ title: 'Back', index: 3 }) })).toEqual([]);
  });
});

describe('what a reference points at', () => {
  it.each([
    [PROJECT, 'a project'],
    [HEADING, 'a heading'],
    [TODO, 'a to-do'],
    [ODD, 'a task'],
    [TAG, 'a tag'],
    [CHECK, 'a checklist item'],
  ])('names %s as %s when it is not an area', (id, what) => {
    expect(only('REFERENCE_KIND_MISMATCH', check({ [TODO]: modify({ ar: [id] }) }))).toEqual([
      [TODO, 'REFERENCE_KIND_MISMATCH', 'p.ar[0]', `"${id}" (${what}, not an area)`],
    ]);
  });

  it('knows objects the same commit creates', () => {
    expect(check({ [NEW]: create(1), [NEW2]: create(0, { pr: [NEW] }) })).toEqual([]);
    expect(check({ [NEW]: create(1), [TODO]: modify({ ar: [NEW] }) })).toEqual([
      [TODO, 'REFERENCE_KIND_MISMATCH', 'p.ar[0]', `"${NEW}" (a project, not an area)`],
    ]);
  });

  it('does not judge the task type of a target whose tp is not a number', () => {
    // tp "1" is WRONG_TYPE's business; the reference to it is not a kind mismatch.
    expect(check({ [NEW]: create(1, { tp: '1' }), [NEW2]: create(0, { pr: [NEW] }) })).toEqual([
      [NEW, 'WRONG_TYPE', 'p.tp', '"1"'],
    ]);
  });

  it('does not take an object of a metadata kind for a target', () => {
    const body = { [NEW]: { t: 0, e: 'Settings5', p: {} }, [TODO]: modify({ tg: [NEW] }) };
    expect(only('DANGLING_REFERENCE', check(body))).toEqual([
      [TODO, 'DANGLING_REFERENCE', 'p.tg[0]', `"${NEW}" (never created)`],
    ]);
    expect(only('REFERENCE_KIND_MISMATCH', check(body))).toEqual([]);
  });
});

describe('the containers and schedule of a task after a write', () => {
  it('reads keys a create leaves out as their create defaults', () => {
    const heading = create(2, { pr: [PROJECT] }) as { p: Record<string, unknown> };
    delete heading.p['st'];
    expect(only('ST_CONTRADICTS_TYPE', check({ [NEW]: heading }))).toEqual([
      [NEW, 'ST_CONTRADICTS_TYPE', 'p.tp', 'absent'],
    ]);
    const inbox = create(0, { st: 0, sr: null, tir: null }) as { p: Record<string, unknown> };
    for (const key of ['ar', 'pr', 'agr']) delete inbox.p[key];
    expect(check({ [NEW]: inbox }).map((v) => v[1])).toEqual(['CREATE_KEY_SET']);
  });

  it('reads keys a modify leaves out from the stored task', () => {
    const inProject = state({ [TODO]: task({ projectIds: [PROJECT] }) });
    expect(check({ [TODO]: modify({ st: 0 }) }, inProject)).toEqual([
      [TODO, 'ST_CONTRADICTS_CONTAINER', 'p.st', '0'],
    ]);
    expect(check({ [TODO]: modify({ st: 0, agr: [HEADING] }) })).toEqual([
      [TODO, 'ST_CONTRADICTS_CONTAINER', 'p.st', '0'],
    ]);
  });

  it('does not blame a modify for stored values it does not touch', () => {
    const bad = state({
      [TODO]: task({ start: 0, projectIds: [PROJECT] }),
      [HEADING]: task({ type: 2, start: 0, projectIds: [PROJECT] }),
    });
    expect(check({ [TODO]: modify({ tt: 'a' }), [HEADING]: modify({ tt: 'b' }) }, bad)).toEqual([]);
  });

  it('takes only id lists for containers: anything else in ar is a wrong type, not an area', () => {
    expect(check({ [TODO]: modify({ st: 0, ar: [5] }) }).map((v) => v[1])).toEqual(['WRONG_TYPE']);
    expect(check({ [TODO]: modify({ st: 0, ar: AREA }) }).map((v) => v[1])).toEqual(['WRONG_TYPE']);
  });
});

describe('deleting a container with children', () => {
  const CHILD = NEW;
  // A child as a store may give it: only the list that holds it.
  const child: GuardEntity = { family: 'task', kind: 'Task6', deleted: null, type: 0, start: 1 };
  const withChild = (projectIds: string[]): GuardState => {
    const all: Record<string, GuardEntity> = {
      ...ENTITIES,
      [CHILD]: { ...child, projectIds },
    };
    return {
      complete: true,
      get: (id) => all[id],
      children: (id) => (id === PROJECT ? [CHILD] : []),
    };
  };
  const remove = { t: 2, e: 'Task6', p: {} };
  const left = [
    [
      PROJECT,
      'CONTAINER_DELETE_LEAVES_CHILDREN',
      '',
      `"${PROJECT}", which still holds 1 item(s), e.g. ${CHILD}`,
    ],
  ];

  it('accepts the delete when the same commit moves the child out', () => {
    expect(check({ [PROJECT]: remove, [CHILD]: modify({ pr: [] }) }, withChild([PROJECT]))).toEqual(
      [],
    );
  });

  it('reports the child when the commit edits it without moving it out', () => {
    const body = (keys: Record<string, unknown>) => ({ [PROJECT]: remove, [CHILD]: modify(keys) });
    expect(
      only('CONTAINER_DELETE_LEAVES_CHILDREN', check(body({ tt: 'a' }), withChild([PROJECT]))),
    ).toEqual(left);
    expect(
      only(
        'CONTAINER_DELETE_LEAVES_CHILDREN',
        check(body({ pr: [PROJECT] }), withChild([PROJECT])),
      ),
    ).toEqual(left);
  });
});
