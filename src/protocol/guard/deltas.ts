/**
 * Delta notes as the write rules see them (spec 7.3): the patches of a well-formed delta, the note
 * text it applies to, and the walk patch by patch with clamping, split characters and CRC-32.
 */
import { crc32, applyPatches } from '../notes.ts';
import type { NotePatch } from '../types.ts';
import { isRecord, live, type GuardItem } from './commit.ts';

/** The current note text of the entity a delta applies to, when the guard can know it. */
export function noteBase(item: GuardItem): string | undefined {
  return live(item.stored) ? (item.stored.note ?? '') : undefined;
}

export interface RawPatch {
  readonly index: number;
  readonly r: string;
  readonly p: number;
  readonly l: number;
  readonly ch: unknown;
}

/** The patches of a well-formed delta note, or `null` when the note is not one. */
export function deltaPatches(nt: unknown): RawPatch[] | null {
  if (!isRecord(nt) || nt['_t'] !== 'tx' || nt['t'] !== 2 || !Array.isArray(nt['ps'])) return null;
  const out: RawPatch[] = [];
  for (const [index, patch] of (nt['ps'] as unknown[]).entries()) {
    if (!isRecord(patch)) return null;
    const { r, p, l } = patch;
    if (typeof r !== 'string' || !Number.isSafeInteger(p) || !Number.isSafeInteger(l)) return null;
    out.push({ index, r, p: p as number, l: l as number, ch: patch['ch'] });
  }
  return out;
}

export function isUint32(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 0xffffffff;
}

const encoder = new TextEncoder();

/**
 * Applies a delta patch by patch (spec 7.3), yielding per patch whether it needed clamping,
 * whether it split a character, and the CRC-32 of the text after it.
 */
export function* walkDelta(
  base: string,
  patches: readonly RawPatch[],
): Generator<{ patch: RawPatch; clamped: boolean; splits: boolean; crc: number }> {
  let text = base;
  for (const patch of patches) {
    const length = encoder.encode(text).length;
    // The bytes [p, p + l) must lie inside the text (p > length implies p + l > length).
    const clamped = patch.p < 0 || patch.l < 0 || patch.p + patch.l > length;
    const wire: NotePatch = {
      replacement: patch.r,
      position: patch.p,
      length: patch.l,
      checksum: null,
    };
    let splits = false;
    try {
      applyPatches(text, [wire], { checked: true });
    } catch {
      splits = true;
    }
    text = applyPatches(text, [wire], { checked: false }).text;
    yield { patch, clamped, splits, crc: crc32(text) };
  }
}
