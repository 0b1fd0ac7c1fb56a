/**
 * The texts search indexes (src/store/search-texts.ts): lower-cased as the view lower-cases, and
 * a NUL (at which SQLite ends an indexed text) stored as a character no lower-cased text holds.
 */
import { describe, expect, it } from 'vitest';
import { NUL_STAND_IN, searchText } from '../../../src/store/search-texts.ts';

describe('searchText()', () => {
  it('lower-cases as toLowerCase() does and stores a NUL as the stand-in', () => {
    expect(searchText('Straße ΌΣΟΣ İx')).toBe('Straße ΌΣΟΣ İx'.toLowerCase());
    expect(searchText('A\0b')).toBe(`a${NUL_STAND_IN}b`);
  });

  it('uses a stand-in that toLowerCase() never returns, alone or beside a sigma', () => {
    const returns: number[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      for (const text of [char, `xΣ${char}`, `${char}Σx`]) {
        if (text.toLowerCase().includes(NUL_STAND_IN)) returns.push(code);
      }
    }
    expect(returns).toEqual([]);
  });
});
