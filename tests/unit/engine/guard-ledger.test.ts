import { describe, expect, it } from 'vitest';
import { GuardLedger } from '../../../src/engine/index.ts';
import { taskCreate, taskModify, tombstoneCreate } from '../../../src/protocol/index.ts';

const PROJECT = '3TBG8dXkUNq6ULYvCkxWzh';
const TODO = 'Kd5u6PEbkZ7qGDTvY4yYNi';
const TOMB = 'Q9sihFX2SsvGaz6vv4J2Hf';
const schedule = { st: 1, sr: null, tir: null, sb: 0 };

describe('GuardLedger', () => {
  it('folds groups into entities and indexes the live items of each container', () => {
    const ledger = new GuardLedger({ complete: true });
    ledger.applyWire(
      [
        { [PROJECT]: taskCreate({ type: 1, title: 'P', schedule, index: 1, createdAt: 1 }) },
        {
          [TODO]: taskCreate({
            type: 0,
            title: 'T',
            schedule,
            projectId: PROJECT,
            index: 2,
            createdAt: 2,
          }),
        },
      ],
      0,
    );
    expect(ledger.get(TODO)).toMatchObject({ family: 'task', type: 0, projectIds: [PROJECT] });
    expect(ledger.children(PROJECT)).toEqual([TODO]);
    ledger.applyWire([{ [TODO]: taskModify({ pr: [] }, 3) }], 2);
    expect(ledger.children(PROJECT)).toEqual([]);
    ledger.applyWire(
      [{ [TODO]: taskModify({ pr: [PROJECT] }, 4) }, { [TOMB]: tombstoneCreate(TODO, 5) }],
      3,
    );
    expect(ledger.get(TODO)?.deleted).not.toBeNull();
    expect(ledger.children(PROJECT)).toEqual([]);
    expect(ledger.complete).toBe(true);
  });

  it('stops calling itself complete when a group cannot be read, and keeps the others', () => {
    const ledger = new GuardLedger({ complete: true });
    ledger.applyTexts(
      [
        '{not json',
        JSON.stringify({ [PROJECT]: { t: 0, e: 'Task6', p: { tt: 5 } } }),
        JSON.stringify({ [TODO]: { t: 0, e: 'Task8', p: {} } }),
        JSON.stringify({
          [TOMB]: taskCreate({ type: 0, title: 'T', schedule, index: 1, createdAt: 1 }),
        }),
      ],
      0,
    );
    expect(ledger.complete).toBe(false);
    expect(ledger.get(PROJECT)).toBeUndefined();
    expect(ledger.get(TOMB)).toMatchObject({ family: 'task' });
  });
});
