import { describe, expect, it } from 'vitest';

import {
  applyNote,
  applyPatches,
  DecodeError,
  utf8ByteLength,
} from '../../../src/protocol/index.ts';
import type { Note } from '../../../src/protocol/index.ts';

import { caught, patch } from './support.ts';

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
