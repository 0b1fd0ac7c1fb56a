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

  it('indexes every live item of a container, and counts deleted entities too', () => {
    const OTHER = 'M9CrKBjvpDP2D7uEsCtwyg';
    const inProject = (title: string, createdAt: number) =>
      taskCreate({ type: 0, title, schedule, projectId: PROJECT, index: 2, createdAt });
    const ledger = new GuardLedger({ complete: true });
    ledger.applyWire([{ [TODO]: inProject('T', 1) }, { [OTHER]: inProject('U', 2) }], 0);
    expect([...ledger.children(PROJECT)].sort()).toEqual([OTHER, TODO].sort());
    expect(ledger.children(TODO)).toEqual([]);
    expect(ledger.size).toBe(2);
    ledger.applyWire([{ [TOMB]: tombstoneCreate(TODO, 3) }], 2);
    expect(ledger.children(PROJECT)).toEqual([OTHER]);
    expect(ledger.size).toBe(3); // the tombstone, and TODO kept as deleted
  });

  it('stays complete while every group can be read', () => {
    const ledger = new GuardLedger({ complete: true });
    ledger.applyTexts(
      [
        JSON.stringify({
          [PROJECT]: taskCreate({ type: 1, title: 'P', schedule, index: 1, createdAt: 1 }),
        }),
      ],
      0,
    );
    expect([ledger.complete, ledger.size]).toEqual([true, 1]);
  });

  it.each([
    ['a text that is not JSON', ['{not json']],
    [
      'a group the decoder rejects',
      [JSON.stringify({ [TODO]: { t: 0, e: 'Task6', p: { tt: 5 } } })],
    ],
    ['a kind newer than thingstape', [JSON.stringify({ [TODO]: { t: 0, e: 'Task8', p: {} } })]],
  ])('is no longer complete after %s, and still folds the groups after it', (_what, bad) => {
    const ledger = new GuardLedger({ complete: true });
    const good = JSON.stringify({
      [PROJECT]: taskCreate({ type: 1, title: 'P', schedule, index: 1, createdAt: 1 }),
    });
    ledger.applyTexts([...bad, good], 0);
    expect(ledger.complete).toBe(false);
    expect(ledger.get(PROJECT)).toMatchObject({ family: 'task', type: 1, createdIndex: 1 });
  });
});
