/**
 * Edges of single write rules that the one case per rule of guard.test.ts leaves open: which
 * events and families a rule judges, and where it stops (payloads of deletes, the Inbox and
 * schedule dates, repeating templates, checklist owners, stop dates, value ranges).
 */
import { describe, expect, it } from 'vitest';

import {
  checkCommit,
  checklistItemModify,
  taskModify,
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
