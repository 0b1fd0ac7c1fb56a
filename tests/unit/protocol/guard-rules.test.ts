/**
 * Edges of single write rules that the one case per rule of guard.test.ts leaves open: which
 * events and families a rule judges, and where it stops (payloads of deletes, the Inbox and
 * schedule dates, repeating templates, checklist owners, stop dates, value ranges).
 */
import { describe, expect, it } from 'vitest';

import {
  areaCreate,
  base58Encode,
  checkCommit,
  checklistItemCreate,
  checklistItemModify,
  crc32,
  scheduleFields,
  tombstoneCreate,
  type GuardEntity,
  type GuardState,
} from '../../../src/protocol/index.ts';
import { NO_CONTAINERS, NOW, DAY, TODAY, created, modify, storedTask } from './guard-support.ts';

const TODO = 'Kd5u6PEbkZ7qGDTvY4yYNi';
const INBOX = '3TBG8dXkUNq6ULYvCkxWzh';
const TEMPLATE = 'LXmxn9gakySzcEjKj1DtgD';
const CHECK = 'ELjLmgnpNCnKAgZQYHm1wp';
const OTHER = 'VJ1edXTP9q3PmFDUuy8EQh';

const task = (fields: Partial<GuardEntity> = {}): GuardEntity =>
  storedTask({ status: 0, recurrence: null, ...NO_CONTAINERS, ...fields });

const ENTITIES: Record<string, GuardEntity> = {
  [TODO]: task(),
  [OTHER]: task(),
  [INBOX]: task({ start: 0 }),
  [TEMPLATE]: task({ recurrence: { rrv: 4 } }),
  [CHECK]: { family: 'checklistItem', kind: 'ChecklistItem3', deleted: null, status: 0, index: 1 },
};
const STATE: GuardState = { complete: true, get: (id) => ENTITIES[id] };

/** The `code` violations of a one-entry commit, as `[path, found]`. */
function found(code: string, id: string, event: unknown, state = STATE): string[][] {
  return checkCommit({ [id]: event }, state)
    .violations.filter((v) => v.code === code)
    .map((v) => [v.path, v.found]);
}

const create = (type: 0 | 1 | 2, overrides: Record<string, unknown> = {}) =>
  created(
    { type, title: 'Garden', schedule: scheduleFields('anytime', TODAY, type !== 0), index: 2 },
    overrides,
  );
const NEW = 'Q9sihFX2SsvGaz6vv4J2Hf';

describe('MALFORMED_EVENT payloads', () => {
  it('asks creates and modifies for an object payload, and deletes for none', () => {
    expect(found('MALFORMED_EVENT', TODO, { t: 1, e: 'Task6', p: 5 })).toEqual([['p', '5']]);
    expect(found('MALFORMED_EVENT', TODO, { t: 1, e: 'Task6' })).toEqual([['p', 'absent']]);
    expect(found('MALFORMED_EVENT', TODO, { t: 2, e: 'Task6' })).toEqual([]);
    // An unknown action: no payload is asked for, only t is wrong.
    expect(found('MALFORMED_EVENT', TODO, { t: 5, e: 'Task6' })).toEqual([['t', '5']]);
  });

  it('leaves a malformed event to MALFORMED_EVENT, even when its kind is unknown', () => {
    const codes = checkCommit({ [TODO]: { t: 5, e: 'Task8', p: {} } }, STATE).violations.map(
      (v) => v.code,
    );
    expect(codes).toEqual(['MALFORMED_EVENT']);
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

  it('takes only a tombstone create as a delete, not a tombstone modify', () => {
    expect(left(NEW, { t: 1, e: 'Tombstone2', p: { dloid: AREA } })).toEqual([]);
    expect(left(NEW, tombstoneCreate(AREA, NOW))).toHaveLength(1);
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

  it('does not judge a tombstone for an id a partial state does not know', () => {
    const partial: GuardState = { ...withGone, complete: false };
    const report = checkCommit({ [NEW]: tombstoneCreate(never, NOW) }, partial);
    expect(report.violations.filter((v) => v.code === 'DANGLING_REFERENCE')).toEqual([]);
    expect(dangling(tombstoneCreate(never, NOW))).toHaveLength(1);
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

// Containers beside the entities above, for the rules about where a to-do sits.
const AREA = 'RiQowyWLm8dfSWsgX9eqCQ';
const PROJECT = 'WJSvWdRLuotEzx8PbZFneV';
const HEADING = '3GzMkDCxa6Px5rGdx8GQ7g';
const PLACES: Record<string, GuardEntity> = {
  ...ENTITIES,
  [AREA]: { family: 'area', kind: 'Area3', deleted: null, index: 1 },
  [PROJECT]: task({ type: 1 }),
  [HEADING]: task({ type: 2, projectIds: [PROJECT] }),
};
/** A complete state over `PLACES`, with the to-do `TODO` stored with these fields. */
const todo = (fields: Partial<GuardEntity>): GuardState => ({
  complete: true,
  get: (id) => (id === TODO ? task(fields) : PLACES[id]),
});
const paths = (violations: string[][]) => violations.map(([path]) => path);

describe('kinds on creates', () => {
  it('names Area2 on an area create, and leaves modifies of areas alone', () => {
    const area = areaCreate({ title: 'Home', index: 1 });
    expect(found('AREA2_CREATE', NEW, { ...area, e: 'Area2' })).toEqual([['e', '"Area2"']]);
    expect(found('AREA2_CREATE', AREA, { t: 1, e: 'Area2', p: { tt: 'Work' } }, todo({}))).toEqual(
      [],
    );
  });

  it('judges the length of new ids only, not of ids already stored', () => {
    const short = 'fxsSvCT97pJn3XZ4wp5t4';
    const stored: GuardState = { complete: true, get: (id) => (id === short ? task() : undefined) };
    expect(found('SHORT_ID', short, modify({ tt: 'a' }), stored)).toEqual([]);
    expect(found('SHORT_ID', short, create(0), STATE)).toEqual([['', JSON.stringify(short)]]);
  });
});

describe('CREATE_KEY_SET', () => {
  it('lists every missing key', () => {
    const { dd: _dd, rmd: _rmd, ...p } = create(0).p;
    expect(found('CREATE_KEY_SET', NEW, { ...create(0), p })).toEqual([
      ['p', '32 of 34 keys, missing dd rmd'],
    ]);
  });
});

describe('STOP_DATE_WITHOUT_STATUS', () => {
  it('asks open checklist items for sp null too', () => {
    expect(
      found('STOP_DATE_WITHOUT_STATUS', CHECK, checklistItemModify({ ss: 0, sp: 0 }, NOW)),
    ).toEqual([['p.sp', '0']]);
  });

  it('reads the stored status when a modify writes sp alone', () => {
    expect(found('STOP_DATE_WITHOUT_STATUS', TODO, modify({ sp: NOW }))).toEqual([
      ['p.sp', String(NOW)],
    ]);
    const done = todo({ status: 3 });
    expect(found('STOP_DATE_WITHOUT_STATUS', TODO, modify({ sp: NOW }), done)).toEqual([]);
  });
});

describe('ST_CONTRADICTS_TYPE', () => {
  it('reports projects as well as headings with st 0', () => {
    expect(found('ST_CONTRADICTS_TYPE', NEW, create(1, { st: 0 }))).toEqual([['p.st', '0']]);
  });

  it('judges modifies that write st or tp, against the stored type and start', () => {
    expect(found('ST_CONTRADICTS_TYPE', HEADING, modify({ st: 0 }), todo({}))).toEqual([
      ['p.st', '0'],
    ]);
    // An Inbox to-do (st 0) turned into a heading: the tp written is what breaks the rule.
    expect(paths(found('ST_CONTRADICTS_TYPE', INBOX, modify({ tp: 2 })))).toEqual(['p.tp']);
    expect(found('ST_CONTRADICTS_TYPE', HEADING, modify({ tt: 'a' }), todo({}))).toEqual([]);
  });
});

describe('ST_CONTRADICTS_CONTAINER', () => {
  it('reports an Inbox to-do put into a container, at the key that puts it there', () => {
    expect(found('ST_CONTRADICTS_CONTAINER', INBOX, modify({ ar: [AREA] }))).toEqual([
      ['p.ar', JSON.stringify([AREA])],
    ]);
    expect(paths(found('ST_CONTRADICTS_CONTAINER', INBOX, modify({ pr: [PROJECT] })))).toEqual([
      'p.pr',
    ]);
    expect(paths(found('ST_CONTRADICTS_CONTAINER', INBOX, modify({ agr: [HEADING] })))).toEqual([
      'p.agr',
    ]);
    // A container list written empty is not where the to-do goes.
    expect(
      paths(found('ST_CONTRADICTS_CONTAINER', INBOX, modify({ ar: [], pr: [PROJECT] }))),
    ).toEqual(['p.pr']);
  });

  it('points at st when the container is stored and the write leaves it', () => {
    const inboxInProject = todo({ start: 0, projectIds: [PROJECT] });
    expect(found('ST_CONTRADICTS_CONTAINER', TODO, modify({ ar: [] }), inboxInProject)).toEqual([
      ['p.st', 'absent'],
    ]);
  });

  it('does not judge a to-do whose containers it cannot know', () => {
    const partial: GuardState = { complete: false, get: () => undefined };
    expect(found('ST_CONTRADICTS_CONTAINER', NEW, modify({ st: 0 }), partial)).toEqual([]);
    // A state that gives a to-do without its container lists.
    const bare: GuardEntity = { family: 'task', kind: 'Task6', deleted: null, type: 0, start: 1 };
    const listless: GuardState = { complete: true, get: (id) => (id === TODO ? bare : undefined) };
    expect(found('ST_CONTRADICTS_CONTAINER', TODO, modify({ st: 0 }), listless)).toEqual([]);
  });
});

describe('TWO_CONTAINERS', () => {
  it('names the containers after the write, at the key written', () => {
    expect(
      found('TWO_CONTAINERS', TODO, modify({ ar: [AREA] }), todo({ projectIds: [PROJECT] })),
    ).toEqual([
      [
        'p.ar',
        `ar ${JSON.stringify([AREA])}, pr ${JSON.stringify([PROJECT])}, agr [] after the write`,
      ],
    ]);
    const inArea = todo({ areaIds: [AREA] });
    const at = (keys: Record<string, unknown>, state = inArea) =>
      paths(found('TWO_CONTAINERS', TODO, modify(keys), state));
    expect(at({ agr: [HEADING] })).toEqual(['p.agr']);
    expect(at({ pr: [], agr: [HEADING] })).toEqual(['p.agr']);
    expect(at({ pr: [PROJECT], agr: [HEADING] })).toEqual(['p.pr']);
    expect(at({ ar: [AREA], pr: [PROJECT] }, todo({}))).toEqual(['p.ar']);
  });

  it('judges a to-do already in two containers only when the write touches them', () => {
    const inTwo = todo({ areaIds: [AREA], projectIds: [PROJECT] });
    expect(found('TWO_CONTAINERS', TODO, modify({ tt: 'a' }), inTwo)).toEqual([]);
    expect(paths(found('TWO_CONTAINERS', TODO, modify({ agr: [] }), inTwo))).toEqual(['p.ar']);
  });
});

describe('MULTIPLE_PARENTS', () => {
  it('judges ar, pr and agr of tasks', () => {
    const two = [AREA, OTHER];
    expect(paths(found('MULTIPLE_PARENTS', TODO, modify({ ar: two, pr: two, agr: two })))).toEqual([
      'p.ar',
      'p.pr',
      'p.agr',
    ]);
  });
});

describe('SCHEDULE_MISMATCH and templates', () => {
  it('reads a template from the rr the create writes', () => {
    const template = create(0, { rr: { rrv: 4, tp: 1, fu: 256, fa: 1 }, sr: DAY, tir: null });
    expect(found('SCHEDULE_MISMATCH', NEW, template)).toEqual([]);
    expect(found('SCHEDULE_MISMATCH', NEW, create(0, { sr: DAY, tir: null }))).toEqual([
      ['p.tir', 'null'],
    ]);
  });

  it('asks for tir beside sr on a task the state does not know', () => {
    const partial: GuardState = { complete: false, get: () => undefined };
    expect(found('SCHEDULE_MISMATCH', NEW, modify({ sr: DAY }), partial)).toEqual([
      ['p.tir', 'absent'],
    ]);
  });

  it('reads a create without st as the Inbox', () => {
    const { st: _st, ...p } = create(0, { sr: DAY, tir: DAY }).p;
    expect(found('SCHEDULE_MISMATCH', NEW, { ...create(0), p })).toEqual([
      ['p.sr', String(DAY)],
      ['p.tir', String(DAY)],
    ]);
  });

  it('names a modify of a template as such', () => {
    expect(found('TEMPLATE_EDIT', TEMPLATE, modify({ tt: 'a' }))).toEqual([
      ['p', 'a modify of a repeating template'],
    ]);
  });
});

describe('notes', () => {
  it('shows the value found in a malformed note', () => {
    expect(found('MALFORMED_NOTE', TODO, modify({ nt: { _t: 'tx', t: 1, v: 5, ch: 0 } }))).toEqual([
      ['p.nt.v', '5'],
    ]);
    expect(found('MALFORMED_NOTE', TODO, modify({ nt: { _t: 'tx', t: 2 } }))).toEqual([
      ['p.nt.ps', 'absent'],
    ]);
    expect(found('MALFORMED_NOTE', TODO, modify({ nt: { _t: 'tx', t: 2, ps: 5 } }))).toEqual([
      ['p.nt.ps', '5'],
    ]);
  });

  it('checks the checksum of full-text notes only, and says when it is absent', () => {
    expect(found('NOTE_CHECKSUM', TODO, modify({ nt: { _t: 'tx', t: 1, v: 'hello' } }))).toEqual([
      ['p.nt.ch', `absent (CRC-32 of the text is ${crc32('hello')})`],
    ]);
    for (const nt of [
      { _t: 'zz', t: 1, v: 'hello', ch: 1 },
      { _t: 'tx', t: 3, v: 'hello', ch: 1 },
    ]) {
      expect(found('NOTE_CHECKSUM', TODO, modify({ nt }))).toEqual([]);
    }
  });

  it('gives the checksum a delta patch should carry', () => {
    const noted = todo({ note: 'Buy milk' });
    const nt = (ch?: number) => ({
      _t: 'tx',
      t: 2,
      ps: [{ r: '!', p: 8, l: 0, ...(ch === undefined ? {} : { ch }) }],
    });
    const want = crc32('Buy milk!');
    expect(found('DELTA_CHECKSUM', TODO, modify({ nt: nt(1) }), noted)).toEqual([
      ['p.nt.ps[0].ch', `1 (CRC-32 after the patch is ${want})`],
    ]);
    expect(found('DELTA_CHECKSUM', TODO, modify({ nt: nt() }), noted)).toEqual([
      ['p.nt.ps[0].ch', `absent (CRC-32 after the patch is ${want})`],
    ]);
    // On a create there is no text to patch: MALFORMED_DELTA says so, no checksum is asked.
    expect(found('DELTA_CHECKSUM', NEW, create(0, { nt: nt() }))).toEqual([]);
  });
});

describe('md', () => {
  const item = checklistItemCreate({ taskId: TODO, title: 'Milk', index: 0, createdAt: NOW });

  it('judges md of checklist items as of tasks', () => {
    expect(found('MD_ON_CREATE', NEW, { ...item, p: { ...item.p, md: NOW } })).toEqual([
      ['p.md', String(NOW)],
    ]);
    expect(
      found('MODIFY_WITHOUT_MD', CHECK, { t: 1, e: 'ChecklistItem3', p: { tt: 'a' } }),
    ).toEqual([['p.md', 'absent']]);
  });

  it('leaves a create without md to CREATE_KEY_SET', () => {
    const { md: _md, ...p } = item.p;
    const codes = checkCommit({ [NEW]: { ...item, p } }, STATE).violations.map((v) => v.code);
    expect(codes).toEqual(['CREATE_KEY_SET']);
  });
});

describe('references', () => {
  it('does not judge the kind of what rt names, and asks pr for a project', () => {
    expect(found('REFERENCE_KIND_MISMATCH', TODO, modify({ rt: [TEMPLATE] }))).toEqual([]);
    expect(found('REFERENCE_KIND_MISMATCH', TODO, modify({ pr: [OTHER] }))).toEqual([
      ['p.pr[0]', `"${OTHER}" (a to-do, not a project)`],
    ]);
  });

  it('reports a tombstone whose dloid is null', () => {
    expect(
      found('INVALID_TOMBSTONE_TARGET', NEW, { t: 0, e: 'Tombstone2', p: { dloid: null } }),
    ).toEqual([['p.dloid', 'null']]);
    expect(
      found('INVALID_TOMBSTONE_TARGET', NEW, { t: 1, e: 'Tombstone2', p: { dloid: 'x' } }),
    ).toEqual([['p.dloid', '"x"']]);
  });
});

describe('creates only', () => {
  it('judges icp on project creates, not on modifies of projects', () => {
    expect(found('PROJECT_ICP', PROJECT, modify({ icp: true }), todo({}))).toEqual([]);
  });

  it('names the id a create replaces', () => {
    expect(found('RECREATE_LIVE', TODO, create(0))).toEqual([['', `"${TODO}" (exists)`]]);
  });
});
