/**
 * The write guard's value checks, one field type at a time (the key tables of fields.ts): what
 * each type accepts and rejects, `null` where a key allows it, the keys inside `rr`, and the
 * seconds/milliseconds boundary of dates. The cases per rule are in guard.test.ts.
 */
import { describe, expect, it } from 'vitest';

import { checkCommit, taskModify, type GuardState } from '../../../src/protocol/index.ts';
import { NOW, DAY } from './guard-support.ts';

const TODO = 'Kd5u6PEbkZ7qGDTvY4yYNi';
const TAG = 'FQxaqvLBkbR5q2Q5oRoknc';

const STATE: GuardState = {
  complete: true,
  get: (id) =>
    id === TODO
      ? { family: 'task', kind: 'Task6', deleted: null, type: 0, start: 1, index: 1 }
      : id === TAG
        ? { family: 'tag', kind: 'Tag4', deleted: null, index: 1 }
        : undefined,
};

/** The `code` violations of a modify of a stored to-do writing `keys`, as `[path, found]`. */
function found(code: string, keys: Record<string, unknown>): string[][] {
  return checkCommit({ [TODO]: taskModify(keys, NOW) }, STATE)
    .violations.filter((v) => v.code === code)
    .map((v) => [v.path, v.found]);
}

describe('WRONG_TYPE per field type', () => {
  it.each([
    ['a string', 'tt', 'Rent'],
    ['null for a nullable note', 'nt', null],
    ['a note as a string', 'nt', 'plain'],
    ['an int below zero', 'ix', -5],
    ['a uint of zero', 'icc', 0],
    ['a bool', 'tr', true],
    ['an instant', 'lai', NOW],
    ['an id list', 'tg', [TAG]],
    ['an empty id list', 'tg', []],
    [
      'any object where any value goes',
      'rp',
      { anything: [1, 'x'], rrv: 'an rr key only inside rr' },
    ],
  ])('accepts %s', (_type, key, value) => {
    expect(found('WRONG_TYPE', { [key]: value })).toEqual([]);
  });

  it.each([
    ['null where the key is not nullable', 'tt', null],
    ['a number for a string', 'tt', 5],
    ['a fraction for an int', 'ix', 1.5],
    ['a negative uint', 'icc', -1],
    ['a string for a bool', 'tr', 'yes'],
    ['a boolean for an instant', 'lai', true],
    ['a string for an id list', 'tg', TAG],
    ['an object for an id list', 'tg', { 0: TAG }],
    ['a number inside an id list', 'tg', [TAG, 5]],
    ['a number for a note', 'nt', 5],
    ['a string for rr', 'rr', 'daily'],
  ])('reports %s', (_what, key, value) => {
    expect(found('WRONG_TYPE', { [key]: value })).toEqual([[`p.${key}`, JSON.stringify(value)]]);
  });

  it('leaves non-string ids in a list to WRONG_TYPE alone', () => {
    const report = checkCommit({ [TODO]: taskModify({ tg: [5] }, NOW) }, STATE);
    expect(report.violations.map((v) => [v.code, v.path])).toEqual([['WRONG_TYPE', 'p.tg']]);
  });
});

describe('values inside rr', () => {
  it('checks the keys of rr it knows and leaves the others', () => {
    const rr = { rrv: 4, ia: '2026-01-01', sr: DAY + 3600, ed: null, zz: 'x', of: [{ dy: 1 }] };
    expect(found('STRING_DATE', { rr })).toEqual([['p.rr.ia', '"2026-01-01"']]);
    expect(found('DAY_STAMP_NOT_MIDNIGHT', { rr })).toEqual([['p.rr.sr', String(DAY + 3600)]]);
    expect(found('WRONG_TYPE', { rr })).toEqual([]);
    expect(found('WRONG_TYPE', { rr: { rrv: 'x' } })).toEqual([['p.rr.rrv', '"x"']]);
  });

  it.each([
    ['an object of integers per offset', [{ dy: 1 }, { wd: 2, mo: -1 }], true],
    ['no offsets', [], true],
    ['a fraction', [{ dy: 1.5 }], false],
    ['a number for an offset', [5], false],
    ['a string for the list', 'x', false],
    ['one bad offset after a good one', [{ dy: 1 }, { dy: 'x' }], false],
    ['one bad value beside a good one', [{ dy: 1, wd: 'x' }], false],
  ])('takes offsets (rr.of) with %s as %s', (_what, of, ok) => {
    expect(found('WRONG_TYPE', { rr: { of } })).toEqual(
      ok ? [] : [['p.rr.of', JSON.stringify(of)]],
    );
  });
});

describe('dates in seconds or milliseconds', () => {
  it('takes 1e11 and more (either sign) as milliseconds, and less as seconds', () => {
    expect(found('MILLISECOND_DATE', { lai: 1e11 - 1 })).toEqual([]);
    expect(found('MILLISECOND_DATE', { lai: 1e11 })).toEqual([['p.lai', '100000000000']]);
    expect(found('MILLISECOND_DATE', { lai: -1e11 })).toEqual([['p.lai', '-100000000000']]);
  });
});
