import { describe, expect, it } from 'vitest';
import type { Change, ViewRow } from '../../../src/engine/index.ts';
import type { CivilDate } from '../../../src/protocol/index.ts';
import {
  judgeSnapshot,
  matchChanges,
  matchCondition,
  matchList,
  matchValue,
} from '../../../src/harness/assertions.ts';

const change = (type: string, entityId: string, serverIndex: number): Change =>
  ({ type, entityType: 'Task', entityId, serverIndex, position: 0 }) as unknown as Change;

const day = '2026-03-02' as CivilDate;
const created = change('TaskCreated', 'A', 1);
const completed = change('TaskCompleted', 'A', 2);
const renamed = change('TaskTitleChanged', 'B', 3);

describe('matchChanges()', () => {
  it('accepts changes that match the partial changes position by position', () => {
    expect(
      matchChanges([{ type: 'TaskCreated' }, { entityId: 'A' }], [created, completed], false),
    ).toBeNull();
  });

  it('names the position and field that differ, and the missing and unexpected changes', () => {
    const mismatch = matchChanges(
      [{ type: 'TaskCreated' }, { type: 'TaskDeleted' }],
      [created, completed, renamed],
      false,
    );
    expect(mismatch?.message).toMatch(
      /^Changes do not match \(2 expected, 3 actual\):\n {2}\[0\] ok TaskCreated A @1\n {2}\[1\] TaskCompleted A @2 does not match:/,
    );
    expect(mismatch?.message).toContain('[2] unexpected TaskTitleChanged B @3');
    expect(mismatch?.divergence).toMatchObject({
      kind: 'changes',
      comparisons: [{ outcome: 'ok' }, { outcome: 'mismatch' }, { outcome: 'unexpected' }],
    });
    expect(matchChanges([{ type: 'TaskCreated' }], [], false)?.divergence).toMatchObject({
      comparisons: [{ index: 0, outcome: 'missing' }],
    });
  });

  it('with subset, accepts expected changes in order among others and names the first missing one', () => {
    expect(
      matchChanges(
        [{ type: 'TaskCreated' }, { entityId: 'B' }],
        [created, completed, renamed],
        true,
      ),
    ).toBeNull();
    const mismatch = matchChanges(
      [{ entityId: 'B' }, { type: 'TaskCreated' }],
      [created, completed, renamed],
      true,
    );
    expect(mismatch?.message).toMatch(
      /^Changes do not contain expected\[1\] .* after position 3\./,
    );
  });
});

describe('matchList()', () => {
  const rows = [
    { id: 'A', title: 'Buy milk', type: 'to-do', status: 'open' },
  ] as unknown as ViewRow[];

  it('accepts titles or partial rows in order', () => {
    expect(matchList('today', day, ['Buy milk'], rows)).toBeNull();
    expect(matchList('today', day, [{ id: 'A' }], rows)).toBeNull();
  });

  it('names the list, the date, the differing fields and the actual titles', () => {
    const mismatch = matchList('today', day, ['Buy bread'], rows);
    expect(mismatch?.message).toMatch(/^List "today" on 2026-03-02 does not match:\n/);
    expect(mismatch?.message).toMatch(/Actual rows: "Buy milk"$/);
    expect(mismatch?.divergence).toMatchObject({
      kind: 'list',
      view: 'today',
      expected: [{ title: 'Buy bread' }],
    });
    expect(matchList('inbox', day, ['x'], [])?.message).toMatch(/Actual rows: \(none\)$/);
  });
});

describe('matchCondition() and matchValue()', () => {
  it('fail with the given message, or a default one', () => {
    expect(matchCondition(1)).toBeNull();
    expect(matchCondition(0, 'must hold')?.message).toBe('must hold');
    expect(matchCondition('')?.message).toBe('Assertion failed');
    expect(matchValue({ a: [1] }, { a: [1] })).toBeNull();
    expect(matchValue({ a: 1 }, { a: 2 }, 'totals')?.message).toMatch(/^totals:\n/);
    expect(matchValue(1, 2)?.divergence).toMatchObject({ kind: 'value' });
  });
});

describe('judgeSnapshot()', () => {
  const local = { update: false, ci: false };

  it('writes a missing snapshot, except in CI', () => {
    expect(judgeSnapshot('k', 'p.snap', undefined, 1, local)).toEqual({
      kind: 'write',
      how: 'added',
    });
    expect(judgeSnapshot('k', 'p.snap', undefined, 1, { update: false, ci: true })).toMatchObject({
      kind: 'missing',
      message: expect.stringMatching(
        /^Snapshot "k" does not exist in p\.snap, and CI never writes/,
      ),
    });
  });

  it('keeps an equal one, replaces a differing one with update (never in CI), else fails', () => {
    expect(judgeSnapshot('k', 'p.snap', { a: 1 }, { a: 1 }, local)).toEqual({ kind: 'same' });
    expect(judgeSnapshot('k', 'p.snap', 1, 2, { update: true, ci: false })).toEqual({
      kind: 'write',
      how: 'updated',
    });
    expect(judgeSnapshot('k', 'p.snap', 1, 2, { update: true, ci: true })).toMatchObject({
      kind: 'mismatch',
    });
    expect(judgeSnapshot('k', 'p.snap', 1, 2, local)).toMatchObject({
      kind: 'mismatch',
      message: expect.stringMatching(
        /^Snapshot "k" differs from p\.snap:\n[\s\S]*--update to accept/,
      ),
    });
  });
});
