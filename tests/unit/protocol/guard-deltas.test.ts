/**
 * The write guard on delta notes (spec 7.3): which note objects are read as deltas, the byte
 * ranges a patch may touch, split characters, deltas on empty or unknown notes, and the CRC-32
 * each patch must carry. The cases per rule are in guard.test.ts; these pin the edges.
 */
import { describe, expect, it } from 'vitest';

import {
  checkCommit,
  crc32,
  taskModify,
  type GuardEntity,
  type GuardState,
} from '../../../src/protocol/index.ts';
import { NOW, storedTask } from './guard-support.ts';

const TODO = 'Kd5u6PEbkZ7qGDTvY4yYNi';

const task = storedTask;

function stateOf(entity: GuardEntity | undefined, complete = true): GuardState {
  return { complete, get: (id) => (id === TODO ? entity : undefined) };
}

const delta = (ps: unknown[]) => ({ _t: 'tx', t: 2, ps });

/** The violations of a modify of TODO writing `nt`, as `[code, path, found]`. */
function check(nt: unknown, stored: GuardEntity | undefined, complete = true) {
  return checkCommit({ [TODO]: taskModify({ nt }, NOW) }, stateOf(stored, complete)).violations.map(
    (v) => [v.code, v.path, v.found],
  );
}

describe('delta notes the guard reads', () => {
  const stored = task({ note: 'abc' });

  it.each([
    ['a patch that is not an object', [null]],
    ['a replacement that is not a string', [{ r: 5, p: 0, l: 0 }]],
    ['a position that is not an integer', [{ r: 'x', p: 0.5, l: 0 }]],
    ['a length that is not an integer', [{ r: 'x', p: 0, l: '1' }]],
  ])('reports %s as a malformed note, not as a patch', (_what, ps) => {
    expect(check(delta(ps), stored)).toEqual([
      ['MALFORMED_NOTE', 'p.nt.ps', JSON.stringify(ps)],
      ['NOTE_NOT_FULL_TEXT', 'p.nt.t', '2'],
    ]);
  });

  it('does not read patches in a note of another type or version', () => {
    const ps = [{ r: 'x', p: 0, l: 0 }];
    expect(check({ _t: 'xml', t: 2, ps }, stored)).toEqual([
      ['MALFORMED_NOTE', 'p.nt._t', '"xml"'],
    ]);
    expect(check({ _t: 'tx', t: 3, ps }, stored)).toEqual([['MALFORMED_NOTE', 'p.nt.t', '3']]);
    // A full-text note with a stray `ps` is judged as full text only.
    expect(check({ _t: 'tx', t: 1, v: 'hi', ch: crc32('hi'), ps }, stored)).toEqual([]);
  });
});

describe('MALFORMED_DELTA byte ranges', () => {
  // 'abc' is 3 bytes: a patch may touch [0, 3], both ends included.
  const stored = task({ note: 'abc' });
  const rangeFindings = (p: number, l: number) =>
    check(delta([{ r: 'z', p, l, ch: 0 }]), stored).filter(([code]) => code === 'MALFORMED_DELTA');

  it.each([
    [0, 3],
    [1, 2],
    [3, 0],
    [0, 0],
  ])('accepts p %i, l %i inside the text', (p, l) => {
    expect(rangeFindings(p, l)).toEqual([]);
  });

  it.each([
    [-1, 1],
    [-1, 0],
    [4, 0],
    [1, -1],
    [2, 2],
    [0, 4],
  ])('reports p %i, l %i as reaching outside the text', (p, l) => {
    expect(rangeFindings(p, l)).toEqual([
      ['MALFORMED_DELTA', 'p.nt.ps[0]', `p ${p}, l ${l} reaches outside the text`],
    ]);
  });

  it('judges each patch against the text the patches before it left', () => {
    // After the first patch the text is 'abcde' (5 bytes), so p 4, l 1 is inside it.
    const ps = [
      { r: 'de', p: 3, l: 0, ch: crc32('abcde') },
      { r: '', p: 4, l: 1, ch: crc32('abcd') },
      { r: '', p: 4, l: 1, ch: crc32('abcd') },
    ];
    expect(check(delta(ps), stored)).toEqual([
      ['NOTE_NOT_FULL_TEXT', 'p.nt.t', '2'],
      ['MALFORMED_DELTA', 'p.nt.ps[2]', 'p 4, l 1 reaches outside the text'],
    ]);
  });

  it('reports a patch that splits a UTF-8 character, and still checks its CRC', () => {
    // 'Café': é is bytes 3 and 4; replacing byte 4 alone cuts it in two.
    const report = check(delta([{ r: 'e', p: 4, l: 1, ch: 1 }]), task({ note: 'Café' }));
    expect(report.map(([code, path]) => [code, path])).toEqual([
      ['NOTE_NOT_FULL_TEXT', 'p.nt.t'],
      ['MALFORMED_DELTA', 'p.nt.ps[0]'],
      ['DELTA_CHECKSUM', 'p.nt.ps[0].ch'],
    ]);
    expect(report[1]?.[2]).toBe('p 4, l 1 splits a UTF-8 character');
  });

  it('reports a delta on an empty note, whether the note is empty or not stored at all', () => {
    const ps = [{ r: 'x', p: 0, l: 0, ch: crc32('x') }];
    const expected = [
      ['NOTE_NOT_FULL_TEXT', 'p.nt.t', '2'],
      ['MALFORMED_DELTA', 'p.nt', 'a delta on an empty note'],
    ];
    expect(check(delta(ps), task({ note: '' }))).toEqual(expected);
    expect(check(delta(ps), task())).toEqual(expected);
  });

  it('does not judge ranges when the note it applies to is not known', () => {
    const ps = [{ r: 'x', p: 99, l: 0, ch: 7 }];
    expect(check(delta(ps), undefined, false)).toEqual([['NOTE_NOT_FULL_TEXT', 'p.nt.t', '2']]);
    expect(check(delta(ps), task({ note: 'abc', deleted: 1 }))).toEqual([
      ['NOTE_NOT_FULL_TEXT', 'p.nt.t', '2'],
      ['MODIFY_MISSING_ENTITY', '', 'a deleted object'],
    ]);
  });
});

describe('DELTA_CHECKSUM when the note it applies to is not known', () => {
  it('asks only that each ch be an unsigned 32-bit integer', () => {
    const ps = [0, 0xffffffff, -1, 2 ** 32, 1.5, '7', undefined].map((ch) => ({
      r: 'x',
      p: 0,
      l: 0,
      ...(ch === undefined ? {} : { ch }),
    }));
    expect(
      check(delta(ps), undefined, false).filter(([code]) => code === 'DELTA_CHECKSUM'),
    ).toEqual([
      ['DELTA_CHECKSUM', 'p.nt.ps[2].ch', '-1'],
      ['DELTA_CHECKSUM', 'p.nt.ps[3].ch', '4294967296'],
      ['DELTA_CHECKSUM', 'p.nt.ps[4].ch', '1.5'],
      ['DELTA_CHECKSUM', 'p.nt.ps[5].ch', '"7"'],
      ['DELTA_CHECKSUM', 'p.nt.ps[6].ch', 'absent'],
    ]);
  });
});
