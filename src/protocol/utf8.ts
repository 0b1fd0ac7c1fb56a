/**
 * Page bytes → text. Things Cloud sends UTF-8 without a byte order mark; a page that is anything
 * else was damaged (on disk, in a fixture, on the way) and is refused with the byte offset where
 * it goes wrong, never read with U+FFFD in place of the bytes.
 */
import { DecodeError, type DecodeLocation } from './errors.ts';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a page body. Throws a DecodeError `INVALID_UTF8` naming the byte offset when the
 * bytes start with a UTF-8 byte order mark or are not valid UTF-8.
 */
export function pageText(bytes: Uint8Array, location: DecodeLocation = {}): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new DecodeError(
      'INVALID_UTF8',
      'the body starts with a byte order mark (EF BB BF) at byte 0; a page is UTF-8 without one',
      location,
    );
  }
  try {
    return strict.decode(bytes);
  } catch (error) {
    const offset = firstInvalidUtf8(bytes);
    const shown = Array.from(bytes.subarray(offset, offset + 4), (b) =>
      b.toString(16).toUpperCase().padStart(2, '0'),
    ).join(' ');
    throw new DecodeError(
      'INVALID_UTF8',
      `invalid UTF-8 at byte ${offset} of ${bytes.length} (bytes ${shown})`,
      location,
      { cause: error },
    );
  }
}

/**
 * The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or `bytes.length` when all are valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
