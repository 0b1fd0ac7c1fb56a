import { describe, expect, it } from 'vitest';

import { base58Encode, classifyId, isCanonicalId, newId } from '../../../src/protocol/index.ts';

describe('isCanonicalId()', () => {
  it('accepts the shortest canonical ids: 16 characters for 15 or 16 leading zero bytes', () => {
    const fifteenZeros = new Uint8Array(16);
    fifteenZeros[15] = 1;
    expect(base58Encode(fifteenZeros)).toBe('1111111111111112');
    expect(isCanonicalId('1111111111111112')).toBe(true);
    expect(isCanonicalId('1111111111111111')).toBe(true);
    expect(classifyId('1111111111111112')).toBe('base58');
  });
});

describe('classifyId() edges', () => {
  it.each([
    ['2'.repeat(15), 'legacyName'],
    ['2'.repeat(16), 'nonCanonicalBase58'],
    ['2'.repeat(24), 'nonCanonicalBase58'],
    ['2'.repeat(25), 'legacyName'],
    ['AD55F048-9A28-4260-A07B_6BA5C0D39AC9', 'legacyName'],
    ['AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE_20240131', 'legacyName'],
  ])('classifies %j as %s', (id, form) => {
    expect(classifyId(id)).toBe(form);
  });
});

describe('newId() failures', () => {
  it('gives up after exactly the 1000 draws its error message reports', () => {
    let calls = 0;
    expect(() =>
      newId(() => {
        calls += 1;
        return new Uint8Array(16);
      }),
    ).toThrow(/1000 draws/);
    expect(calls).toBe(1000);
  });

  it('names the length a broken random source returned', () => {
    expect(() => newId(() => new Uint8Array(15))).toThrow(/16 bytes, got 15/);
  });
});
