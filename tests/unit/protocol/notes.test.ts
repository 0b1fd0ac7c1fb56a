import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyNote,
  applyPatches,
  crc32,
  DecodeError,
  utf8ByteLength,
} from '../../../src/protocol/index.ts';
import { caught, patch } from './support.ts';
import type { Note } from '../../../src/protocol/index.ts';

/** Reads a nested field of parsed JSON, or undefined. */
function field(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, key);
  }
  return current;
}

const captures: unknown = JSON.parse(
  readFileSync('/work/shared/upstream-captures/arthursoares/doc-fragments.json', 'utf8'),
);
const nativeDelta = (() => {
  const fragments = field(captures, 'fragments');
  const fragment = Array.isArray(fragments)
    ? fragments.find((candidate) => field(candidate, 'id') === 'native-task7-note-delta')
    : undefined;
  const wire = field(fragment, 'json', 'ps', 0);
  const text = (key: string): string => {
    const value = field(fragment, key);
    return typeof value === 'string' ? value : '';
  };
  const num = (key: string): number => {
    const value = field(wire, key);
    return typeof value === 'number' ? value : Number.NaN;
  };
  const r = field(wire, 'r');
  return {
    before: text('note_before'),
    after: text('note_after'),
    patch: patch(typeof r === 'string' ? r : '', num('p'), num('l'), num('ch')),
  };
})();

describe('crc32()', () => {
  it('matches the check values of spec 7.2', () => {
    expect(crc32('')).toBe(0);
    expect(crc32('hello')).toBe(907060870);
    expect(crc32('hello')).toBe(0x3610a686);
    expect(crc32('Buy milk and eggs')).toBe(1648408671);
    expect(crc32('Café menu')).toBe(2516445109);
    expect(crc32('123456789')).toBe(0xcbf43926);
  });
});

describe('utf8ByteLength()', () => {
  it('counts UTF-8 bytes, lone surrogates as three', () => {
    expect(utf8ByteLength('')).toBe(0);
    expect(utf8ByteLength('Native Task7 note α 🚀\n')).toBe(26);
    expect(utf8ByteLength('é€🚀')).toBe(2 + 3 + 4);
    expect(utf8ByteLength('\ud800x')).toBe(4);
  });
});

describe('applyPatches()', () => {
  it.each([
    ['Buy milk', patch(' and eggs', 8, 0, 1648408671), 'Buy milk and eggs'],
    ['Café list', patch('menu', 6, 4, 2516445109), 'Café menu'],
    ['AB', patch('X', 1, 100), 'AX'],
    ['', patch('hello', 10, 0), 'hello'],
    ['ABC', patch('X', -4, -2), 'XABC'],
  ])('applies the spec 7.3 example on %j', (before, p, after) => {
    const result = applyPatches(before, [p], { checked: true });
    expect(result.text).toBe(after);
    expect(result.checks).toEqual([
      p.checksum === null
        ? { checksum: null, actual: null, matches: null }
        : { checksum: p.checksum, actual: p.checksum, matches: true },
    ]);
  });

  it('applies the native Task7 sample (α and 🚀 before the patch, byte offset 26)', () => {
    expect(nativeDelta.before).toBe('Native Task7 note α 🚀\nSecond line.');
    expect(nativeDelta.patch).toEqual(patch('Update', 26, 5, 3672733299));
    const result = applyPatches(nativeDelta.before, [nativeDelta.patch], { checked: true });
    expect(result.text).toBe('Native Task7 note α 🚀\nUpdated line.');
    expect(result.text).toBe(nativeDelta.after);
    expect(result.checks[0]).toEqual({ checksum: 3672733299, actual: 3672733299, matches: true });
  });

  it('applies patches in order, each on the previous result, checking each checksum', () => {
    const result = applyPatches(
      'one two three',
      [
        patch('2', 4, 3, crc32('one 2 three')),
        patch('', 0, 4, 12345),
        patch('!', 99, 5, crc32('2 three!')),
      ],
      { checked: true },
    );
    expect(result.text).toBe('2 three!');
    expect(result.checks.map((check) => check.matches)).toEqual([true, false, true]);
    expect(result.checks[1]).toEqual({ checksum: 12345, actual: crc32('2 three'), matches: false });
  });

  it('clamps a position beyond the end and a negative length', () => {
    expect(applyPatches('abc', [patch('Z', 2 ** 31, -5)], { checked: true }).text).toBe('abcZ');
    expect(applyPatches('abc', [patch('Z', 1, -5)], { checked: true }).text).toBe('aZbc');
    expect(applyPatches('abc', [], { checked: true })).toEqual({ text: 'abc', checks: [] });
  });

  it('rejects a patch that splits a UTF-8 character when checked', () => {
    // "é" is bytes 1–2 of "Café"; position 4 is inside it.
    const error = caught(() =>
      applyPatches('Café!', [patch('', 3, 0), patch('X', 4, 1)], { checked: true }),
    );
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({
      code: 'NOTE_PATCH_INVALID_UTF8',
      location: { path: 'p.nt.ps[1]' },
    });
  });

  it('allows a no-op patch positioned inside a character', () => {
    expect(applyPatches('Café', [patch('', 4, 0)], { checked: true }).text).toBe('Café');
  });

  it('patches bytes blindly when unchecked, replacing invalid sequences at the end only', () => {
    // Removing the second byte of "é" and later the first leaves valid text again.
    const result = applyPatches('Café', [patch('', 4, 1), patch('e', 3, 1)], { checked: false });
    expect(result.text).toBe('Cafe');
    expect(applyPatches('Café', [patch('', 4, 1)], { checked: false }).text).toBe('Caf\ufffd');
  });

  it('rejects lone surrogates in the base text or a replacement when checked', () => {
    expect(() => applyPatches('a\ud800', [], { checked: true })).toThrow(DecodeError);
    expect(
      caught(() => applyPatches('a', [patch('\udc00', 0, 0)], { checked: true })),
    ).toMatchObject({
      code: 'NOTE_PATCH_INVALID_UTF8',
      location: { path: 'p.nt.ps[0].r' },
    });
  });

  it('keeps a leading byte-order mark', () => {
    expect(applyPatches('\ufeffx', [patch('y', 4, 0)], { checked: true }).text).toBe('\ufeffxy');
  });

  it('throws RangeError for non-integer offsets (never produced by the decoder)', () => {
    expect(() => applyPatches('abc', [patch('x', 1.5, 0)], { checked: true })).toThrow(RangeError);
  });
});

describe('applyNote()', () => {
  it('clears the note to the empty string on null', () => {
    expect(applyNote('old', null)).toEqual({ text: '', warnings: [] });
    expect(applyNote(null, null)).toEqual({ text: '', warnings: [] });
  });

  it('keeps plain strings verbatim, XML wrapper included', () => {
    const plain = '<note xml:space="preserve">test body pm</note>';
    expect(applyNote('old', { form: 'plain', text: plain })).toEqual({ text: plain, warnings: [] });
  });

  it('replaces the note with a full text and checks its checksum', () => {
    expect(applyNote('old', { form: 'full', text: 'hello', checksum: 907060870 })).toEqual({
      text: 'hello',
      warnings: [],
    });
    expect(applyNote(null, { form: 'full', text: '', checksum: 0 })).toEqual({
      text: '',
      warnings: [],
    });
    expect(applyNote(null, { form: 'full', text: 'hello', checksum: null })).toEqual({
      text: 'hello',
      warnings: [],
    });
    const mismatch = applyNote('old', { form: 'full', text: 'hello', checksum: 1 });
    expect(mismatch.text).toBe('hello');
    expect(mismatch.warnings).toMatchObject([{ code: 'NOTE_CHECKSUM_MISMATCH', path: 'p.nt.ch' }]);
  });

  it('applies a delta to the current text and reports a checksum mismatch', () => {
    const ok = applyNote('Buy milk', {
      form: 'delta',
      patches: [patch(' and eggs', 8, 0, 1648408671)],
    });
    expect(ok).toEqual({ text: 'Buy milk and eggs', warnings: [] });
    const wrongBase = applyNote('Buy bread', {
      form: 'delta',
      patches: [patch(' and eggs', 8, 0, 1648408671)],
    });
    expect(wrongBase.text).toBe('Buy brea and eggsd');
    expect(wrongBase.warnings).toMatchObject([
      { code: 'NOTE_CHECKSUM_MISMATCH', path: 'p.nt.ps[0].ch' },
    ]);
  });

  it('warns about a delta on an unknown or empty note and starts from ""', () => {
    const delta = { form: 'delta', patches: [patch('hello', 10, 0, 907060870)] } as const;
    expect(applyNote(null, delta)).toMatchObject({
      text: 'hello',
      warnings: [{ code: 'DELTA_ON_EMPTY_NOTE', path: 'p.nt' }],
    });
    expect(applyNote('', delta)).toMatchObject({
      text: 'hello',
      warnings: [{ code: 'DELTA_ON_EMPTY_NOTE', path: 'p.nt' }],
    });
  });

  it('throws NOTE_PATCH_INVALID_UTF8 for a splitting delta unless unchecked', () => {
    const delta = { form: 'delta', patches: [patch('', 4, 1)] } as const;
    expect(() => applyNote('Café', delta)).toThrow(DecodeError);
    expect(applyNote('Café', delta, { checked: false }).text).toBe('Caf\ufffd');
  });

  it('leaves the note unchanged for an unknown form', () => {
    expect(applyNote('kept', { form: 'unknown', raw: { _t: 'tx', t: 9 } })).toMatchObject({
      text: 'kept',
      warnings: [{ code: 'UNKNOWN_NOTE_FORM', path: 'p.nt' }],
    });
    expect(applyNote(null, { form: 'unknown', raw: {} }).text).toBe('');
  });
});

describe('utf8ByteLength()', () => {
  // TextEncoder is the reference: it writes a lone surrogate as U+FFFD (3 bytes).
  it.each([
    ['U+007F, the last 1-byte code point', '\u007f'],
    ['U+0080, the first 2-byte code point', '\u0080'],
    ['U+07FF, the last 2-byte code point', '\u07ff'],
    ['U+0800, the first 3-byte code point', '\u0800'],
    ['a 3-byte character followed by a low surrogate', '€\udc00'],
    ['the lowest surrogate pair', '\ud800\udc00'],
    ['the highest surrogate pair', '\udbff\udfff'],
    ['two low surrogates', '\udc00\udc00'],
    ['a high surrogate followed by U+E000', '\ud800\ue000'],
    ['a high surrogate followed by a 2-byte character', '\ud800é'],
    ['a high surrogate followed by another high surrogate', '\udbff\ud800'],
    ['a high surrogate at the end of the text', 'a\udbff'],
  ])('counts %s as TextEncoder does', (_label, text) => {
    expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
  });
});

describe('applyPatches() errors', () => {
  it('rejects a current text with a lone surrogate as NOTE_PATCH_INVALID_UTF8 at p.nt', () => {
    const error = caught(() => applyPatches('a\ud800', [], { checked: true }));
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ code: 'NOTE_PATCH_INVALID_UTF8', location: { path: 'p.nt' } });
  });

  it('names the patch index, position and length of a non-integer patch', () => {
    expect(() =>
      applyPatches('abc', [patch('', 0, 0), patch('x', 1.5, 2)], { checked: true }),
    ).toThrow(/note patch 1 .*1\.5 and 2/);
  });

  it('names the byte position and length of a patch that splits a character', () => {
    const error = caught(() => applyPatches('Café', [patch('', 4, 1)], { checked: true }));
    expect(error).toMatchObject({
      code: 'NOTE_PATCH_INVALID_UTF8',
      location: { path: 'p.nt.ps[0]' },
      reason: 'patch at byte 4 (length 1) splits a UTF-8 character',
    });
  });
});

describe('applyNote() warning messages', () => {
  it('names the wire checksum and the computed CRC-32 of a full note', () => {
    const result = applyNote('old', { form: 'full', text: 'hello', checksum: 1 });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.message).toMatch(/checksum 1 .*CRC-32 907060870/);
  });

  it('names the patch checksum and the CRC-32 of the patched text', () => {
    const delta: Note = { form: 'delta', patches: [patch('!', 5, 0, 7)] };
    const result = applyNote('hello', delta);
    expect(result.text).toBe('hello!');
    expect(result.warnings).toMatchObject([
      { code: 'NOTE_CHECKSUM_MISMATCH', path: 'p.nt.ps[0].ch' },
    ]);
    expect(result.warnings[0]?.message).toMatch(/checksum 7 .*CRC-32 2592524640/);
  });

  it('tells a delta on an unknown note apart from one on an empty note', () => {
    const delta: Note = { form: 'delta', patches: [patch('x', 0, 0)] };
    const unknown = applyNote(null, delta).warnings[0]?.message ?? '';
    const empty = applyNote('', delta).warnings[0]?.message ?? '';
    expect(unknown).toMatch(/unknown note/);
    expect(empty).toMatch(/empty note/);
    expect(empty).not.toMatch(/unknown/);
  });
});
