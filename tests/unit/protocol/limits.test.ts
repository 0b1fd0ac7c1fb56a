import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  DecodeError,
  decodePage,
  decodePageBytes,
  decodePageText,
  firstInvalidUtf8,
  MAX_VALUE_DEPTH,
  MAX_VALUE_SIZE,
  pageText,
} from '../../../src/protocol/index.ts';
import { decodeError, decodeEvent, ID, page } from './support.ts';

/** `depth` arrays nested in one another, innermost holding `inner`. */
function nested(depth: number, inner: unknown = 1): unknown {
  let value = inner;
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
}

/** A page whose text nests `depth` arrays at `where` (built as text: no recursion needed). */
function deepPageText(depth: number, where: 'xx' | 'unknown key' | 'opaque kind'): string {
  const deep = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  const event =
    where === 'xx'
      ? `{"t":0,"e":"Task6","p":{"tt":"a","xx":${deep}}}`
      : where === 'unknown key'
        ? `{"t":0,"e":"Task6","p":{"tt":"a","zz":${deep}}}`
        : `{"t":0,"e":"Reminder2","p":${deep}}`;
  return `{"items":[{"${ID}":${event}}],"current-item-index":1,"schema":301}`;
}

describe('decodePage() limits on values it keeps as they are', () => {
  it.each([
    ['xx', 'p.xx'],
    ['unknown key', 'p.zz'],
    ['opaque kind', 'p'],
  ] as const)(
    'refuses JSON nested 100,000 deep in %s as TOO_DEEP at %s, without overflowing the stack',
    (where, path) => {
      const error = decodeError(() =>
        decodePageText(deepPageText(100_000, where), { startIndex: 0 }),
      );
      expect(error.code).toBe('TOO_DEEP');
      expect(error.location).toEqual({ group: 0, serverIndex: 0, item: ID, path });
      expect(error.message).toBe(
        `Cannot decode group 0 (server index 0), item "${ID}", ${path}: the value nests arrays and objects deeper than ${MAX_VALUE_DEPTH} levels`,
      );
    },
  );

  it(`keeps a value nested ${MAX_VALUE_DEPTH} deep and refuses one level more`, () => {
    const kept = decodeEvent({ t: 0, e: 'Task6', p: { tt: 'a', xx: nested(MAX_VALUE_DEPTH) } });
    expect(kept.payload).toMatchObject({ xx: nested(MAX_VALUE_DEPTH) });
    const error = decodeError(() =>
      decodeEvent({ t: 0, e: 'Task6', p: { tt: 'a', xx: nested(MAX_VALUE_DEPTH + 1) } }),
    );
    expect(error.code).toBe('TOO_DEEP');
  });

  it('refuses deep values in an unknown note form, an event key and the envelope', () => {
    const deep = nested(MAX_VALUE_DEPTH + 1);
    expect(
      decodeError(() =>
        decodeEvent({ t: 0, e: 'Task6', p: { tt: 'a', nt: { _t: 'zz', v: deep } } }),
      ),
    ).toMatchObject({ code: 'TOO_DEEP', location: { path: 'p.nt' } });
    expect(
      decodeError(() => decodeEvent({ t: 0, e: 'Task6', p: { tt: 'a' }, future: deep })),
    ).toMatchObject({ code: 'TOO_DEEP', location: { path: 'future' } });
    expect(
      decodeError(() => decodePage(page([], { 'new-server-field': deep }), { startIndex: 0 })),
    ).toMatchObject({ code: 'TOO_DEEP', location: { path: 'new-server-field' } });
  });

  it('refuses a title, a note and a kept value over MAX_VALUE_SIZE as TOO_LARGE', () => {
    const huge = 'x'.repeat(MAX_VALUE_SIZE + 1);
    expect(decodeError(() => decodeEvent({ t: 0, e: 'Task6', p: { tt: huge } }))).toMatchObject({
      code: 'TOO_LARGE',
      location: { path: 'p.tt' },
    });
    expect(
      decodeError(() => decodeEvent({ t: 0, e: 'Task6', p: { tt: 'a', nt: huge } })),
    ).toMatchObject({ code: 'TOO_LARGE', location: { path: 'p.nt' } });
    const many = Array.from({ length: 2 ** 12 }, () => 'y'.repeat(2 ** 10));
    expect(
      decodeError(() => decodeEvent({ t: 0, e: 'Task6', p: { tt: 'a', xx: many } })),
    ).toMatchObject({ code: 'TOO_LARGE', location: { path: 'p.xx' } });
    // At the limit, a string is kept.
    const atLimit = 'z'.repeat(MAX_VALUE_SIZE);
    expect(decodeEvent({ t: 0, e: 'Task6', p: { tt: atLimit } }).payload).toMatchObject({
      tt: atLimit,
    });
  });
});

describe('pageText()', () => {
  const encoder = new TextEncoder();

  it('refuses a byte order mark, naming byte 0', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('{"items":[]}')]);
    const error = decodeError(() => pageText(bytes, { fixture: 'f', page: 2 }));
    expect(error.code).toBe('INVALID_UTF8');
    expect(error.message).toBe(
      'Cannot decode fixture "f", page 2: the body starts with a byte order mark (EF BB BF) at byte 0; a page is UTF-8 without one',
    );
  });

  it('refuses invalid UTF-8, naming the byte offset and the bytes', () => {
    const bytes = new Uint8Array([...encoder.encode('{"a":"é'), 0xff, 0x41, 0x22, 0x7d]);
    const error = decodeError(() => pageText(bytes, { page: 'x' }));
    expect(error.code).toBe('INVALID_UTF8');
    expect(error.reason).toBe('invalid UTF-8 at byte 8 of 12 (bytes FF 41 22 7D)');
  });

  it('decodes text whose first bytes are close to a byte order mark', () => {
    // EF BB 80, EF BF BF, E2 BB BF and 41 C2 BF: each shares two of the mark's three bytes.
    for (const text of ['\ufec0', '\uffff', '\u2eff', 'A\u00bf']) {
      expect(pageText(encoder.encode(text))).toBe(text);
    }
  });

  it('shows the bad bytes with two hex digits each', () => {
    const error = decodeError(() => pageText(new Uint8Array([0x41, 0xff, 0x05, 0x0a])));
    expect(error.reason).toBe('invalid UTF-8 at byte 1 of 4 (bytes FF 05 0A)');
  });

  it('decodes valid UTF-8 as TextDecoder does', () => {
    expect(pageText(encoder.encode('{"t":"Bo\u0000x 😀"}'))).toBe('{"t":"Bo\u0000x 😀"}');
  });

  it('decodePageBytes() checks the bytes before the JSON', () => {
    const error = decodeError(() =>
      decodePageBytes(new Uint8Array([0x7b, 0xc0, 0x80, 0x7d]), { startIndex: 0 }),
    );
    expect(error).toBeInstanceOf(DecodeError);
    expect(error.code).toBe('INVALID_UTF8');
  });
});

describe('firstInvalidUtf8()', () => {
  it.each([
    ['an overlong two-byte form', [0x41, 0xc0, 0x80], 1],
    ['an overlong three-byte form', [0xe0, 0x80, 0x80], 0],
    ['a surrogate', [0x41, 0x42, 0xed, 0xa0, 0x80], 2],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a lead byte F5', [0xf5, 0x80, 0x80, 0x80], 0],
    ['a stray continuation byte', [0x41, 0x80], 1],
    ['a sequence cut at the end', [0x41, 0xe2, 0x82], 1],
  ])('finds %s', (_name, bytes, offset) => {
    expect(firstInvalidUtf8(new Uint8Array(bytes))).toBe(offset);
  });

  it('ends at the longest valid prefix for every lead byte and the continuation bytes at the range edges', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const longestValidPrefix = (bytes: Uint8Array): number => {
      for (let end = bytes.length; end > 0; end -= 1) {
        try {
          fatal.decode(bytes.subarray(0, end));
          return end;
        } catch {
          // shorter
        }
      }
      return 0;
    };
    // The edges of every range RFC 3629 allows after a lead byte, and bytes just outside them.
    const edges = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xff];
    const mismatches: string[] = [];
    const compare = (bytes: number[]) => {
      const data = new Uint8Array([0x41, ...bytes]);
      const [got, want] = [firstInvalidUtf8(data), longestValidPrefix(data)];
      if (got !== want)
        mismatches.push(`${bytes.map((b) => b.toString(16)).join(' ')}: ${got} != ${want}`);
    };
    for (let lead = 0; lead < 256; lead += 1) {
      compare([lead]);
      for (const a of edges) {
        compare([lead, a]);
        if (lead < 0xc0) continue;
        for (const b of edges) {
          compare([lead, a, b]);
          if (lead >= 0xf0) for (const c of edges) compare([lead, a, b, c]);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agrees with a fatal TextDecoder on any bytes, and points at the first bad sequence', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const offset = firstInvalidUtf8(bytes);
        let valid = true;
        try {
          fatal.decode(bytes);
        } catch {
          valid = false;
        }
        expect(offset === bytes.length).toBe(valid);
        // Everything before the offset is valid UTF-8.
        expect(() => fatal.decode(bytes.subarray(0, offset))).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
