/** Note objects as writers send them (spec 7.1): full text with its CRC-32, or delta patches. */
import { crc32 } from '../notes.ts';

/** A full-text note `{"_t":"tx","ch":…,"v":…,"t":1}`, keys in native order, `ch` = CRC-32 of `text`. */
export function fullNote(text: string): { _t: 'tx'; ch: number; v: string; t: 1 } {
  return { _t: 'tx', ch: crc32(text), v: text, t: 1 };
}

/** One delta patch as on the wire: replacement, UTF-8 byte position and length, CRC-32 of the result. */
export interface WirePatch {
  readonly r: string;
  readonly p: number;
  readonly l: number;
  readonly ch: number;
}

/** A delta note `{"_t":"tx","t":2,"ps":[…]}`. */
export function deltaNote(patches: readonly WirePatch[]): {
  _t: 'tx';
  t: 2;
  ps: { r: string; p: number; l: number; ch: number }[];
} {
  return { _t: 'tx', t: 2, ps: patches.map((x) => ({ r: x.r, p: x.p, l: x.l, ch: x.ch })) };
}
