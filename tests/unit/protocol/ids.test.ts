import { describe, expect, it } from 'vitest';
import {
  base58Decode,
  base58Encode,
  classifyId,
  isCanonicalId,
  legacyToBase58,
  newId,
  sha1,
  toEntityRef,
} from '../../../src/protocol/index.ts';

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (s: string): Uint8Array =>
  Uint8Array.from(s.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('sha1()', () => {
  it('matches the FIPS 180 test vectors', () => {
    expect(hex(sha1(utf8('')))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex(sha1(utf8('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha1(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
    expect(hex(sha1(utf8('a'.repeat(1000))))).toBe('291e9a6c66994949b57ba5e650361e98fc36b1ba');
  });

  it('hashes inputs whose padding crosses a block boundary (55, 56, 64 bytes)', () => {
    expect(hex(sha1(utf8('a'.repeat(55))))).toBe('c1c8bbdc22796e28c0e15163d20899b65621d65a');
    expect(hex(sha1(utf8('a'.repeat(56))))).toBe('c2db330f6083854c99d4b5bfb6e8f29f201be699');
    expect(hex(sha1(utf8('a'.repeat(64))))).toBe('0098ba824b5c16427bd7a1122a5a442a25ec644d');
  });
});

describe('base58Encode() and base58Decode()', () => {
  it('writes leading zero bytes as leading 1s (spec 8.2)', () => {
    expect(base58Encode(fromHex('00d7c4c60e3ad208ce5066441036e9f1'))).toBe(
      '1737v7rGkNoNixupi9fJyE',
    );
    expect(hex(base58Decode('1737v7rGkNoNixupi9fJyE') ?? new Uint8Array())).toBe(
      '00d7c4c60e3ad208ce5066441036e9f1',
    );
    expect(base58Encode(new Uint8Array(16))).toBe('1'.repeat(16));
    expect(base58Encode(new Uint8Array())).toBe('');
    expect(base58Encode(Uint8Array.of(0, 0, 1))).toBe('112');
    expect(base58Encode(Uint8Array.of(58))).toBe('21');
  });

  it('decodes the naive encoding of a leading-zero value to 15 bytes', () => {
    expect(base58Decode('5oZf9hEoaHJSVh7vQbmTx')?.length).toBe(15);
    expect(base58Decode('15oZf9hEoaHJSVh7vQbmTx')?.length).toBe(16);
  });

  it('returns null for characters outside the alphabet', () => {
    for (const bad of ['0abc', 'Oabc', 'Iabc', 'labc', 'ab c', 'é'])
      expect(base58Decode(bad)).toBeNull();
  });

  it('round-trips random 16-byte values', () => {
    let seed = 7;
    for (let n = 0; n < 200; n += 1) {
      const bytes = Uint8Array.from({ length: 16 }, () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % 256;
      });
      if (n % 10 === 0) bytes[0] = 0;
      expect(hex(base58Decode(base58Encode(bytes)) ?? new Uint8Array())).toBe(hex(bytes));
    }
  });
});

describe('isCanonicalId()', () => {
  it('accepts canonical 16-byte ids of 21 and 22 characters and with a leading 1', () => {
    for (const id of [
      'VJ1edXTP9q3PmFDUuy8EQh',
      'FQxaqvLBkbR5q2Q5oRoknc',
      'unSkqeiqBPiJGw2SY4Bt9',
      '1737v7rGkNoNixupi9fJyE',
      '15oZf9hEoaHJSVh7vQbmTx',
      'fxsSvCT97pJn3XZ4wp5t4',
    ]) {
      expect(isCanonicalId(id)).toBe(true);
    }
  });

  it('rejects 15- and 17-byte values, padding and other strings', () => {
    for (const id of [
      '5oZf9hEoaHJSVh7vQbmTx',
      '1unSkqeiqBPiJGw2SY4Bt9',
      'tiqzvgT8m7ME4gooPqtdq3',
      'AD55F048-9A28-4260-A07B-6BA5C0D39AC9',
      '',
      'VJ1edXTP9q3PmFDUuy8EQ0',
    ]) {
      expect(isCanonicalId(id)).toBe(false);
    }
  });
});

describe('classifyId()', () => {
  it.each([
    ['VJ1edXTP9q3PmFDUuy8EQh', 'base58'],
    ['unSkqeiqBPiJGw2SY4Bt9', 'base58'],
    ['1737v7rGkNoNixupi9fJyE', 'base58'],
    ['5oZf9hEoaHJSVh7vQbmTx', 'nonCanonicalBase58'],
    ['1unSkqeiqBPiJGw2SY4Bt9', 'nonCanonicalBase58'],
    ['tiqzvgT8m7ME4gooPqtdq3', 'nonCanonicalBase58'],
    ['AD55F048-9A28-4260-A07B-6BA5C0D39AC9', 'legacyUuid'],
    ['ad55f048-9a28-4260-a07b-6ba5c0d39ac9', 'legacyUuid'],
    ['AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE-20240131', 'legacyInstance'],
    ['CC-Things-Tag-High', 'legacyName'],
    ['TOMBSTONE-AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE-20191229', 'legacyName'],
    ['Settings', 'legacyName'],
    ['a.b_c', 'legacyName'],
    ['', 'invalid'],
    [' VJ1edXTP9q3PmFDUuy8EQh', 'invalid'],
    ['has space', 'invalid'],
    ['tab\there', 'invalid'],
    ['ümlaut', 'invalid'],
    ['x'.repeat(257), 'invalid'],
  ])('classifies %j as %s', (id, form) => {
    expect(classifyId(id)).toBe(form);
  });
});

describe('legacyToBase58()', () => {
  it.each([
    ['AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE', 'LXmxn9gakySzcEjKj1DtgD'],
    ['AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE-20240131', 'H8Xu72gj7fooPuYoBMZ5TK'],
    ['00000006-1111-2222-3333-000000000006', 'fxsSvCT97pJn3XZ4wp5t4'],
    ['000000B4-1111-2222-3333-0000000000B4', '14q4keicwiREVK8EKAuowZ'],
    ['CC-Things-Tag-High', 'Vud3WpTsVZYgTvdiyu2Afw'],
    ['CC-Things-Tag-Priority', 'EbnTE2BCQfFZTsXiYGG3Ba'],
  ])('maps %s to %s (spec 8.3)', (legacy, derived) => {
    expect(legacyToBase58(legacy)).toBe(derived);
    expect(isCanonicalId(derived)).toBe(true);
  });

  it('hashes the bytes exactly as received (no upper-casing)', () => {
    expect(legacyToBase58('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee')).not.toBe(
      'LXmxn9gakySzcEjKj1DtgD',
    );
    expect(legacyToBase58('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee')).toBe(
      base58Encode(sha1(utf8('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee')).subarray(0, 16)),
    );
  });

  it('uses the composite rule only for <UUID>-YYYYMMDD', () => {
    const composite = legacyToBase58('AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE-20240131');
    const plain = base58Encode(
      sha1(utf8('AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE-20240131')).subarray(0, 16),
    );
    expect(composite).not.toBe(plain);
    const tombstone = 'TOMBSTONE-AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE-20191229';
    expect(legacyToBase58(tombstone)).toBe(base58Encode(sha1(utf8(tombstone)).subarray(0, 16)));
  });
});

describe('toEntityRef()', () => {
  it('maps non-canonical ids in legacy kinds only', () => {
    expect(toEntityRef('CC-Things-Tag-High', { legacyKind: true })).toEqual({
      raw: 'CC-Things-Tag-High',
      id: 'Vud3WpTsVZYgTvdiyu2Afw',
      form: 'legacyName',
    });
    expect(toEntityRef('CC-Things-Tag-High', { legacyKind: false })).toEqual({
      raw: 'CC-Things-Tag-High',
      id: 'CC-Things-Tag-High',
      form: 'legacyName',
    });
    expect(toEntityRef('5oZf9hEoaHJSVh7vQbmTx', { legacyKind: true }).id).toBe(
      base58Encode(sha1(utf8('5oZf9hEoaHJSVh7vQbmTx')).subarray(0, 16)),
    );
  });

  it('never maps a canonical id, even in a legacy kind', () => {
    expect(toEntityRef('VJ1edXTP9q3PmFDUuy8EQh', { legacyKind: true })).toEqual({
      raw: 'VJ1edXTP9q3PmFDUuy8EQh',
      id: 'VJ1edXTP9q3PmFDUuy8EQh',
      form: 'base58',
    });
  });
});

describe('newId()', () => {
  it('redraws values that encode to 21 characters or start with 1', () => {
    const draws = [
      new Uint8Array(16), // all zero: "1111111111111111"
      fromHex('00d7c4c60e3ad208ce5066441036e9f1'), // leading zero byte: starts with 1
      fromHex('01000000000000000000000000000000'), // 21 characters
      fromHex('ffffffffffffffffffffffffffffffff'),
    ];
    let calls = 0;
    const id = newId(() => draws[calls++] ?? new Uint8Array(16));
    expect(calls).toBe(4);
    expect(id).toBe(base58Encode(fromHex('ffffffffffffffffffffffffffffffff')));
    expect(id).toHaveLength(22);
    expect(isCanonicalId(id)).toBe(true);
  });

  it('rejects a random source that returns the wrong length or never succeeds', () => {
    expect(() => newId(() => new Uint8Array(15))).toThrow(RangeError);
    expect(() => newId(() => new Uint8Array(16))).toThrow(/random source/);
  });
});

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
