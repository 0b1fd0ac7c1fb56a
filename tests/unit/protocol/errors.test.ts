import { describe, expect, it } from 'vitest';

import { DecodeError, formatLocation } from '../../../src/protocol/index.ts';

describe('formatLocation()', () => {
  it('names every part of a full location in order', () => {
    expect(
      formatLocation({
        fixture: 'inbox',
        file: 'pages/000000003.json',
        page: 3,
        group: 17,
        serverIndex: 1042,
        item: 'Mx',
        path: 'p.sr',
      }),
    ).toBe(
      'fixture "inbox", pages/000000003.json (page 3), group 17 (server index 1042), item "Mx", p.sr',
    );
  });

  it('says "input" when nothing is known', () => {
    expect(formatLocation({})).toBe('input');
    expect(formatLocation({ path: '' })).toBe('input');
  });

  it('leaves out the parts that are absent', () => {
    expect(formatLocation({ page: 3 })).toBe('page 3');
    expect(formatLocation({ file: 'pages/000000003.json' })).toBe('pages/000000003.json');
    expect(formatLocation({ group: 2 })).toBe('group 2');
    expect(formatLocation({ serverIndex: 5 })).toBe('server index 5');
    expect(formatLocation({ item: 'Mx' })).toBe('item "Mx"');
    expect(formatLocation({ item: 'Mx', path: '' })).toBe('item "Mx"');
    expect(formatLocation({ fixture: 'inbox', path: 'items' })).toBe('fixture "inbox", items');
  });
});

describe('DecodeError', () => {
  it('puts the location before the reason in its message', () => {
    const error = new DecodeError('WRONG_TYPE', 'expected a string', { page: 2, path: 'p.tt' });
    expect([error.code, error.reason, error.message]).toEqual([
      'WRONG_TYPE',
      'expected a string',
      'Cannot decode page 2, p.tt: expected a string',
    ]);
  });

  it('adds outer location parts without overriding its own, keeping the cause', () => {
    const cause = new Error('root');
    const inner = new DecodeError('INVALID_ID', 'bad', { path: 'p.tg[0]' }, { cause });
    const outer = inner.withLocation({ page: 1, group: 0, path: 'ignored' });
    expect(outer).toBeInstanceOf(DecodeError);
    expect([outer.code, outer.reason, outer.location, outer.cause]).toEqual([
      'INVALID_ID',
      'bad',
      { page: 1, group: 0, path: 'p.tg[0]' },
      cause,
    ]);
    expect(outer.cause).toBe(cause);
    expect(outer.message).toBe('Cannot decode page 1, group 0, p.tg[0]: bad');
  });
});
