/**
 * Notes (spec 7): CRC-32 checksums, applying delta patches on UTF-8 bytes, and folding a decoded
 * `nt` value into the current note text.
 *
 * "No note" is the empty string `''` everywhere in thingstape: {@link applyNote} never returns
 * `null` (a `null` note clears the text to `''`, spec 7.1), and a `null` current text means "no
 * note known yet" and is read as `''`.
 */

import { assertNever } from './assert.ts';
import { DecodeError } from './errors.ts';
import type { DecodeWarning, Note, NotePatch } from './types.ts';
import { warning } from './warnings.ts';

const encoder = new TextEncoder();
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

// CRC-32 and the UTF-8 length are written out here, not taken from `node:zlib` or `Buffer`,
// because `protocol/` is pure and runs in any runtime; Node-only code may use those (decision 0033).
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32/IEEE (zlib, PNG) of bytes, as an unsigned number. */
export function crc32Bytes(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i += 1) {
    crc = (CRC_TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32/IEEE of the UTF-8 bytes of `text` (spec 7.2): `crc32('hello') === 907060870`. */
export function crc32(text: string): number {
  return crc32Bytes(encoder.encode(text));
}

/** Number of UTF-8 bytes of `text` (lone surrogates count as U+FFFD, 3 bytes), without encoding. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** The checksum outcome of one applied patch. */
export interface PatchCheck {
  /** The patch's `ch`, or `null` when the wire had none. */
  readonly checksum: number | null;
  /** CRC-32 of the text after the patch; `null` when there was no checksum to compare with. */
  readonly actual: number | null;
  /** `checksum === actual`, or `null` when there was no checksum. */
  readonly matches: boolean | null;
}

/** Result of {@link applyPatches}. */
export interface PatchResult {
  readonly text: string;
  /** One entry per patch, in order. */
  readonly checks: readonly PatchCheck[];
}

/** Options of {@link applyPatches} and {@link applyNote}. */
export interface PatchOptions {
  /**
   * Reject the whole delta (DecodeError NOTE_PATCH_INVALID_UTF8) when the original text, a
   * replacement, or any intermediate result is not valid UTF-8 (spec 7.3 step 4). Unchecked, the
   * bytes are patched blindly and invalid sequences in the final text become U+FFFD.
   */
  readonly checked: boolean;
}

/**
 * Applies delta patches to `text` exactly as spec 7.3: positions and lengths are UTF-8 byte
 * counts, `p` is clamped into `[0, len]`, `l` into `[0, len − p]`, each patch works on the result
 * of the previous one. Throws RangeError for a non-integer position or length (the decoder never
 * produces one) and DecodeError NOTE_PATCH_INVALID_UTF8 (path `p.nt.ps[i]`) in checked mode.
 */
export function applyPatches(
  text: string,
  patches: readonly NotePatch[],
  options: PatchOptions,
): PatchResult {
  if (options.checked && !text.isWellFormed()) {
    throw new DecodeError(
      'NOTE_PATCH_INVALID_UTF8',
      'the current note text is not valid Unicode (lone surrogate)',
      { path: 'p.nt' },
    );
  }
  let bytes = encoder.encode(text);
  const checks: PatchCheck[] = [];
  patches.forEach((patch, index) => {
    if (!Number.isInteger(patch.position) || !Number.isInteger(patch.length)) {
      throw new RangeError(
        `note patch ${index} needs integer position and length, got ${patch.position} and ${patch.length}`,
      );
    }
    if (options.checked && !patch.replacement.isWellFormed()) {
      throw new DecodeError(
        'NOTE_PATCH_INVALID_UTF8',
        'the replacement text is not valid Unicode (lone surrogate)',
        { path: `p.nt.ps[${index}].r` },
      );
    }
    const position = Math.min(Math.max(patch.position, 0), bytes.length);
    const length = Math.min(Math.max(patch.length, 0), bytes.length - position);
    const replacement = encoder.encode(patch.replacement);
    const next = new Uint8Array(bytes.length - length + replacement.length);
    next.set(bytes.subarray(0, position));
    next.set(replacement, position);
    next.set(bytes.subarray(position + length), position + replacement.length);
    bytes = next;
    if (options.checked) {
      try {
        strictDecoder.decode(bytes);
      } catch (error) {
        throw new DecodeError(
          'NOTE_PATCH_INVALID_UTF8',
          `patch at byte ${position} (length ${length}) splits a UTF-8 character`,
          { path: `p.nt.ps[${index}]` },
          { cause: error },
        );
      }
    }
    if (patch.checksum === null) {
      checks.push({ checksum: null, actual: null, matches: null });
    } else {
      const actual = crc32Bytes(bytes);
      checks.push({ checksum: patch.checksum, actual, matches: actual === patch.checksum });
    }
  });
  return { text: lenientDecoder.decode(bytes), checks };
}

/** Result of {@link applyNote}. */
export interface NoteResult {
  /** The new note text; `''` means no note. */
  readonly text: string;
  /** Paths are relative to the item (`p.nt`, `p.nt.ch`, `p.nt.ps[1].ch`). */
  readonly warnings: readonly DecodeWarning[];
}

/**
 * Folds a decoded `nt` value into the current note text (`null` = no note known): `null` → `''`;
 * plain strings verbatim; full text → `v`; delta → patches applied to the current text (checked
 * by default, see {@link applyPatches}); unknown forms leave the note unchanged. Checksum
 * mismatches, deltas on an empty or unknown base and unknown forms are warnings.
 */
export function applyNote(
  current: string | null,
  note: Note | null,
  options: PatchOptions = { checked: true },
): NoteResult {
  if (note === null) return { text: '', warnings: [] };
  switch (note.form) {
    case 'plain':
      return { text: note.text, warnings: [] };
    case 'full': {
      const warnings: DecodeWarning[] = [];
      if (note.checksum !== null) {
        const actual = crc32(note.text);
        if (actual !== note.checksum) {
          warnings.push(
            warning(
              'NOTE_CHECKSUM_MISMATCH',
              'p.nt.ch',
              `note checksum ${note.checksum} does not match CRC-32 ${actual} of the text`,
            ),
          );
        }
      }
      return { text: note.text, warnings };
    }
    case 'delta': {
      const warnings: DecodeWarning[] = [];
      if (current === null || current === '') {
        warnings.push(
          warning(
            'DELTA_ON_EMPTY_NOTE',
            'p.nt',
            current === null
              ? 'delta note applied to an unknown note (read as empty)'
              : 'delta note applied to an empty note',
          ),
        );
      }
      const result = applyPatches(current ?? '', note.patches, options);
      result.checks.forEach((check, index) => {
        if (check.matches === false) {
          warnings.push(
            warning(
              'NOTE_CHECKSUM_MISMATCH',
              `p.nt.ps[${index}].ch`,
              `patch checksum ${check.checksum} does not match CRC-32 ${check.actual} of the text after the patch; the base text was probably wrong`,
            ),
          );
        }
      });
      return { text: result.text, warnings };
    }
    case 'unknown':
      return {
        text: current ?? '',
        warnings: [
          warning('UNKNOWN_NOTE_FORM', 'p.nt', 'note object of an unknown form left unchanged'),
        ],
      };
  }
  return assertNever(note, 'note form');
}
