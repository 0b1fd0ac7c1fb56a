import { describe, expect, it } from 'vitest';

import { decodePage, decodePageText, DecodeError } from '../../../src/protocol/index.ts';
import type { Page } from '../../../src/protocol/index.ts';
import { decodeError, decodeEvent, ID, TAG, page } from './support.ts';
import { newItemContext } from '../../../src/protocol/decode.ts';

/** The error of decoding one Task6 update with payload `p`. */
function taskError(p: unknown): DecodeError {
  return decodeError(() => decodeEvent({ t: 1, e: 'Task6', p }));
}

function envelopeOf(envelope: Record<string, unknown>, items: unknown[] = []): Page {
  return decodePage(
    { items, 'current-item-index': 0, schema: 301, ...envelope },
    { startIndex: 0 },
  );
}

describe('decodePageText() positions', () => {
  it('reports an error at the very first character with its position', () => {
    const error = decodeError(() => decodePageText('x', { startIndex: 0 }));
    expect(error.code).toBe('INVALID_JSON');
    expect(error.reason).toMatch(/^invalid JSON at character 0 of 1 \(line 1, column 1\): /);
  });

  it('reports a truncated text as ending early', () => {
    const error = decodeError(() => decodePageText('{"items": [', { startIndex: 0 }));
    expect(error.reason).toMatch(/^invalid JSON: the text ends early \(11 characters, line 1\): /);
  });
});

describe('decodePage() envelope edges', () => {
  it('names the bad startIndex in the RangeError', () => {
    expect(() => decodePage(page([]), { startIndex: -1 })).toThrow(
      'startIndex must be a non-negative integer, got -1',
    );
  });

  it('describes what it got instead of an envelope object', () => {
    const cases: [unknown, string][] = [
      [undefined, 'nothing'],
      [null, 'null'],
      [[1], 'an array'],
      ['abc', 'a string "abc"'],
      [7, 'the number 7'],
      [true, 'the boolean true'],
      [() => 1, 'a function'],
    ];
    for (const [input, described] of cases) {
      const error = decodeError(() => decodePage(input, { startIndex: 0 }));
      expect([error.code, error.reason]).toEqual([
        'NOT_AN_OBJECT',
        `expected the page to be an object, got ${described}`,
      ]);
    }
  });

  it('shortens long strings in descriptions to 40 characters', () => {
    const forty = 'a'.repeat(40);
    expect(decodeError(() => decodePage(forty, { startIndex: 0 })).reason).toBe(
      `expected the page to be an object, got a string "${forty}"`,
    );
    expect(decodeError(() => decodePage(`${forty}bc`, { startIndex: 0 })).reason).toBe(
      `expected the page to be an object, got a string "${forty}…"`,
    );
  });

  it('explains missing and mistyped envelope fields', () => {
    expect(decodeError(() => decodePage({}, { startIndex: 0 })).reason).toBe(
      'the page has no "items"',
    );
    expect(decodeError(() => decodePage({ items: {} }, { startIndex: 0 })).reason).toBe(
      'expected an array, got an object',
    );
    expect(decodeError(() => decodePage({ items: [] }, { startIndex: 0 })).reason).toBe(
      'the page has no "current-item-index"',
    );
    expect(decodeError(() => envelopeOf({ 'current-item-index': '3' })).reason).toBe(
      'expected an integer, got a string "3"',
    );
    expect(decodeError(() => envelopeOf({ 'current-item-index': -2 })).reason).toBe(
      'expected a non-negative integer, got -2',
    );
  });

  it('treats a null schema as missing and falls back to latest-schema-version', () => {
    const nullOnly = envelopeOf({ schema: null });
    expect(nullOnly.schema).toBeNull();
    expect(nullOnly.warnings.map((w) => w.code)).toEqual(['SCHEMA_MISSING']);
    const fallback = envelopeOf({ schema: null, 'latest-schema-version': 200, mode: 'x' });
    expect(fallback.schema).toBe(200);
    expect(fallback.extra).toEqual({ mode: 'x' });
  });

  it('keeps latest-schema-version in extra when schema is present', () => {
    const decoded = envelopeOf({ schema: 301, 'latest-schema-version': 5 });
    expect(decoded.schema).toBe(301);
    expect(decoded.extra).toEqual({ 'latest-schema-version': 5 });
  });

  it('keeps extra keys writable and configurable', () => {
    const decoded = envelopeOf({ note: 'x' });
    expect(Object.getOwnPropertyDescriptor(decoded.extra, 'note')).toEqual({
      value: 'x',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });

  it('names both schema numbers when the schema is too new', () => {
    const error = decodeError(() => envelopeOf({ schema: 302 }));
    expect([error.code, error.location.path, error.reason]).toEqual([
      'UNSUPPORTED_SCHEMA',
      'schema',
      'schema 302 is newer than the newest this version of thingstape understands (301)',
    ]);
  });

  it('reads null content sizes as absent', () => {
    const decoded = envelopeOf({
      'start-total-content-size': null,
      'end-total-content-size': null,
      'latest-total-content-size': null,
    });
    expect([
      decoded.startTotalContentSize,
      decoded.endTotalContentSize,
      decoded.latestTotalContentSize,
    ]).toEqual([null, null, null]);
  });

  it('describes a group that is not an object', () => {
    const error = decodeError(() => decodePage(page([5]), { startIndex: 3 }));
    expect([error.code, error.location, error.reason]).toEqual([
      'NOT_AN_OBJECT',
      { group: 0, serverIndex: 3, path: 'items[0]' },
      'expected a group object, got the number 5',
    ]);
  });

  it('lets errors that are not decode errors pass through unchanged', () => {
    const boom = new Error('boom');
    const group = Object.defineProperty({}, ID, {
      enumerable: true,
      get(): never {
        throw boom;
      },
    });
    expect(() => decodePage(page([group]), { startIndex: 0 })).toThrow(boom);
  });
});

describe('decodePage() envelope warnings', () => {
  function warningsOf(
    envelope: Record<string, unknown>,
    groups = 0,
    startIndex = 0,
  ): readonly unknown[] {
    const items = Array.from({ length: groups }, () => ({}));
    return decodePage({ items, schema: 301, ...envelope }, { startIndex }).warnings;
  }

  it('words and locates the head warnings', () => {
    expect(warningsOf({ 'current-item-index': 3 }, 0, 5)).toEqual([
      {
        code: 'HEAD_BEFORE_START',
        path: 'current-item-index',
        message: 'current-item-index 3 is below start-index 5: the history may have been reset',
      },
    ]);
    expect(warningsOf({ 'current-item-index': 11 }, 2, 10)).toEqual([
      {
        code: 'PAGE_BEYOND_HEAD',
        path: 'current-item-index',
        message: 'start-index 10 + 2 groups = 12 exceeds current-item-index 11',
      },
    ]);
    expect(warningsOf({ 'current-item-index': 4 }, 0, 1)).toEqual([
      {
        code: 'EMPTY_PAGE_BEFORE_HEAD',
        path: 'items',
        message: 'no groups although start-index 1 is below current-item-index 4',
      },
    ]);
    expect(decodePage({ items: [], 'current-item-index': 0 }, { startIndex: 0 }).warnings).toEqual([
      { code: 'SCHEMA_MISSING', path: 'schema', message: 'the page names no schema' },
    ]);
  });

  it('words and locates the content size warnings', () => {
    const head = { 'current-item-index': 0 };
    expect(
      warningsOf({ ...head, 'start-total-content-size': 9, 'end-total-content-size': 4 }),
    ).toEqual([
      {
        code: 'CONTENT_SIZE_INCONSISTENT',
        path: 'end-total-content-size',
        message: 'end-total-content-size 4 is below start-total-content-size 9',
      },
    ]);
    expect(
      warningsOf({ ...head, 'end-total-content-size': 9, 'latest-total-content-size': 4 }),
    ).toEqual([
      {
        code: 'CONTENT_SIZE_INCONSISTENT',
        path: 'end-total-content-size',
        message: 'end-total-content-size 9 exceeds latest-total-content-size 4',
      },
    ]);
  });

  it('compares content sizes only when both are present', () => {
    const head = { 'current-item-index': 0 };
    expect(warningsOf({ ...head, 'start-total-content-size': 5 })).toEqual([]);
    expect(warningsOf({ ...head, 'end-total-content-size': 5 })).toEqual([]);
    expect(warningsOf({ ...head, 'latest-total-content-size': 5 })).toEqual([]);
  });

  it('accepts equal content sizes', () => {
    expect(
      warningsOf({
        'current-item-index': 0,
        'start-total-content-size': 5,
        'end-total-content-size': 5,
        'latest-total-content-size': 5,
      }),
    ).toEqual([]);
  });
});

describe('decodePage() event edges', () => {
  it('explains malformed events', () => {
    const cases: [unknown, string, string | undefined, string][] = [
      [[], 'NOT_AN_OBJECT', undefined, 'expected an event object, got an array'],
      [{ e: 'Task6' }, 'MISSING_FIELD', 't', 'the event has no action "t"'],
      [
        { t: '1', e: 'Task6' },
        'WRONG_TYPE',
        't',
        'expected the action as a number 0, 1 or 2, got a string "1"',
      ],
      [{ t: 1 }, 'MISSING_FIELD', 'e', 'the event has no kind "e"'],
      [{ t: 1, e: 6 }, 'WRONG_TYPE', 'e', 'expected the kind as a string, got the number 6'],
      [{ t: 1, e: 'Task6' }, 'MISSING_FIELD', 'p', 'a modify needs a payload "p"'],
      [{ t: 1, e: 'Task6', p: null }, 'NOT_AN_OBJECT', 'p', 'expected a payload object, got null'],
      [
        { t: 1, e: 'Task6', p: [] },
        'NOT_AN_OBJECT',
        'p',
        'expected a payload object, got an array',
      ],
      [
        { t: 0, e: 'Tombstone2', p: {} },
        'MISSING_FIELD',
        'p.dloid',
        'a tombstone create needs "dloid"',
      ],
    ];
    for (const [event, code, path, reason] of cases) {
      const error = decodeError(() => decodeEvent(event));
      expect([error.code, error.location.path, error.reason]).toEqual([code, path, reason]);
    }
  });

  it('quotes at most 80 characters of an implausible kind', () => {
    const kind = 'Task '.repeat(30);
    const error = decodeError(() => decodeEvent({ t: 1, e: kind, p: {} }));
    expect([error.code, error.reason]).toEqual([
      'INVALID_KIND',
      `not a plausible kind: ${JSON.stringify(kind.slice(0, 80))}`,
    ]);
  });

  it('flags a non-canonical key of a settings kind that is not the Settings key', () => {
    const item = decodeEvent({ t: 0, e: 'Settings3', p: {} }, 'CC-Things-Tag-High');
    expect(item.warnings).toEqual([
      {
        code: 'NON_CANONICAL_ID',
        path: '',
        message: 'the item key "CC-Things-Tag-High" is not canonical Base58 (legacyName)',
      },
    ]);
  });
});

describe('decodePage() id messages', () => {
  it('names the item key or the JSON path of an invalid id', () => {
    const inKey = decodeError(() => decodeEvent({ t: 1, e: 'Task6', p: {} }, 'bad id'));
    expect(inKey.reason).toBe('the item key "bad id" is not an id in any known form');
    const inRef = decodeError(() => decodeEvent({ t: 1, e: 'Task6', p: { tg: [TAG, ''] } }));
    expect(inRef.reason).toBe('p.tg[1] "" is not an id in any known form');
  });

  it('quotes at most 80 characters of an invalid id', () => {
    const raw = `x ${'y'.repeat(100)}`;
    const error = decodeError(() => decodeEvent({ t: 1, e: 'Task6', p: {} }, raw));
    expect(error.reason).toBe(
      `the item key ${JSON.stringify(raw.slice(0, 80))} is not an id in any known form`,
    );
  });

  it('words the legacy-mapping and non-canonical warnings', () => {
    const legacy = decodeEvent({ t: 0, e: 'Task3', p: { tg: ['CC-Things-Tag-High'] } });
    expect(legacy.warnings).toEqual([
      {
        code: 'LEGACY_ID_MAPPED',
        path: 'p.tg[0]',
        message: 'p.tg[0] "CC-Things-Tag-High" (legacyName) mapped to Vud3WpTsVZYgTvdiyu2Afw',
      },
    ]);
    const modern = decodeEvent({ t: 0, e: 'Task6', p: { tg: ['CC-Things-Tag-High'] } });
    expect(modern.warnings).toEqual([
      {
        code: 'NON_CANONICAL_ID',
        path: 'p.tg[0]',
        message: 'p.tg[0] "CC-Things-Tag-High" is not canonical Base58 (legacyName)',
      },
    ]);
  });

  it('starts a fresh item context with no legacy kind and no warnings', () => {
    expect(newItemContext('warn')).toEqual({ legacyKind: false, invalidIds: 'warn', warnings: [] });
  });
});

describe('decodePage() payload value errors', () => {
  it('reports the code, path and reason of each mistyped value', () => {
    const cases: [Record<string, unknown>, string, string, string][] = [
      [
        { tt: null },
        'WRONG_TYPE',
        'p.tt',
        'expected a value of type string (null is not allowed here)',
      ],
      [
        { tp: null },
        'WRONG_TYPE',
        'p.tp',
        'expected a non-negative integer (null is not allowed here)',
      ],
      [{ ix: null }, 'WRONG_TYPE', 'p.ix', 'expected an integer (null is not allowed here)'],
      [{ ix: '3' }, 'WRONG_TYPE', 'p.ix', 'expected an integer, got a string "3"'],
      [{ ix: 1.5 }, 'OUT_OF_RANGE', 'p.ix', 'expected an integer, got 1.5'],
      [{ tp: -1 }, 'OUT_OF_RANGE', 'p.tp', 'expected a non-negative integer, got -1'],
      [{ tt: 5 }, 'WRONG_TYPE', 'p.tt', 'expected a string, got the number 5'],
      [{ tr: 0 }, 'WRONG_TYPE', 'p.tr', 'expected a boolean, got the number 0'],
      [
        { sp: 'now' },
        'WRONG_TYPE',
        'p.sp',
        'expected an instant (seconds, number), got a string "now"',
      ],
      [{ sp: Infinity }, 'OUT_OF_RANGE', 'p.sp', 'expected a finite instant, got Infinity'],
      [{ ar: 'x' }, 'NOT_AN_ARRAY', 'p.ar', 'expected an array of ids, got a string "x"'],
      [{ ar: [TAG, 3] }, 'WRONG_TYPE', 'p.ar[1]', 'expected an id string, got the number 3'],
      [{ sr: '2024' }, 'WRONG_TYPE', 'p.sr', 'expected a day stamp (number), got a string "2024"'],
      [
        { sr: 1e12 },
        'OUT_OF_RANGE',
        'p.sr',
        'day stamp 1000000000000 is outside the years 0000–9999',
      ],
      [
        { nt: 5 },
        'WRONG_TYPE',
        'p.nt',
        'expected a note (string, object or null), got the number 5',
      ],
      [
        { rr: 'daily' },
        'NOT_AN_OBJECT',
        'p.rr',
        'expected a recurrence rule object, got a string "daily"',
      ],
      [
        { rr: { of: {} } },
        'NOT_AN_ARRAY',
        'p.rr.of',
        'expected an array of offsets, got an object',
      ],
      [
        { rr: { of: [1] } },
        'NOT_AN_OBJECT',
        'p.rr.of[0]',
        'expected an offset object, got the number 1',
      ],
      [
        { rr: { of: [{ dy: 'x' }] } },
        'WRONG_TYPE',
        'p.rr.of[0].dy',
        'expected an integer, got a string "x"',
      ],
      [
        { rr: { of: [{ dy: 0.5 }] } },
        'OUT_OF_RANGE',
        'p.rr.of[0].dy',
        'expected an integer, got 0.5',
      ],
    ];
    for (const [p, code, path, reason] of cases) {
      const error = taskError(p);
      expect([error.code, error.location.path, error.reason]).toEqual([code, path, reason]);
    }
  });

  it('rejects a dloid that is not a string', () => {
    const error = decodeError(() => decodeEvent({ t: 0, e: 'Tombstone2', p: { dloid: 7 } }));
    expect([error.code, error.location.path, error.reason]).toEqual([
      'WRONG_TYPE',
      'p.dloid',
      'expected an id string, got the number 7',
    ]);
  });
});

describe('decodePage() note edges', () => {
  it('reports the code, path and reason of each malformed note', () => {
    const tx = { _t: 'tx', t: 2 };
    const patch = { r: 'a', p: 0, l: 0 };
    const cases: [unknown, string, string, string][] = [
      [
        { _t: 'tx', t: 1, v: 3 },
        'INVALID_NOTE',
        'p.nt.v',
        'a full-text note needs a string "v", got the number 3',
      ],
      [tx, 'INVALID_NOTE', 'p.nt.ps', 'a delta note needs "ps"'],
      [{ ...tx, ps: {} }, 'INVALID_NOTE', 'p.nt.ps', 'expected an array of patches, got an object'],
      [{ ...tx, ps: [null] }, 'INVALID_NOTE', 'p.nt.ps[0]', 'expected a patch object, got null'],
      [
        { ...tx, ps: [{ ...patch, r: 1 }] },
        'INVALID_NOTE',
        'p.nt.ps[0].r',
        'expected a replacement string, got the number 1',
      ],
      [
        { ...tx, ps: [{ ...patch, p: '0' }] },
        'INVALID_NOTE',
        'p.nt.ps[0].p',
        'expected an integer, got a string "0"',
      ],
      [
        { ...tx, ps: [{ ...patch, l: 2 ** 32 }] },
        'NOTE_PATCH_TOO_LARGE',
        'p.nt.ps[0].l',
        '4294967296 is beyond ±2^31',
      ],
      [
        { ...tx, ps: [{ ...patch, p: 0.5 }] },
        'INVALID_NOTE',
        'p.nt.ps[0].p',
        'expected an integer, got 0.5',
      ],
      [
        { ...tx, ps: [{ ...patch, ch: -1 }] },
        'INVALID_NOTE',
        'p.nt.ps[0].ch',
        'expected a CRC-32 (unsigned 32-bit integer), got the number -1',
      ],
      [
        { ...tx, ps: [{ ...patch, ch: 1.5 }] },
        'INVALID_NOTE',
        'p.nt.ps[0].ch',
        'expected a CRC-32 (unsigned 32-bit integer), got the number 1.5',
      ],
    ];
    for (const [nt, code, path, reason] of cases) {
      const error = taskError({ nt });
      expect([error.code, error.location.path, error.reason]).toEqual([code, path, reason]);
    }
  });

  it('gives the size of an oversized replacement', () => {
    const r = 'é'.repeat(600_000);
    const error = taskError({ nt: { _t: 'tx', t: 2, ps: [{ r, p: 0, l: 0 }] } });
    expect([error.code, error.location.path, error.reason]).toEqual([
      'NOTE_PATCH_TOO_LARGE',
      'p.nt.ps[0].r',
      'replacement of 1200000 UTF-8 bytes exceeds 1048576',
    ]);
  });

  it('accepts the largest CRC-32', () => {
    const item = decodeEvent({
      t: 1,
      e: 'Task6',
      p: { nt: { _t: 'tx', t: 1, v: '', ch: 0xffffffff } },
    });
    expect(item.payload).toMatchObject({ nt: { form: 'full', text: '', checksum: 0xffffffff } });
  });
});
