/** Notes of to-dos: full texts (set, replaced, cleared) and native delta edits (spec 7.3). */
import { crc32, utf8ByteLength } from '../../protocol/index.ts';
import {
  deltaNote as deltaNotePayload,
  fullNote as fullNotePayload,
  type WirePatch,
} from '../payload-builders.ts';
import type { Rng } from '../prng.ts';
import * as text from '../text.ts';
import { anyTodo, type Action } from './action.ts';

/** Above this many UTF-8 bytes, delta edits only delete or replace text. */
const MAX_NOTE_BYTES = 900;

/** A full note text set or replaced, or the note cleared (`null` or an empty full note). */
export const fullNote: Action = {
  weight: (w) => 2.5 * anyTodo(w),
  run: (w, budget) => {
    const rng = w.rng;
    const todo = w.todos.pickWhere(rng, (t) => !t.tr);
    if (todo === null || budget < 1) return null;
    if (todo.note !== '' && rng.chance(0.1)) {
      todo.note = '';
      return [[w.modify(todo, { nt: rng.chance(0.5) ? null : fullNotePayload('') })]];
    }
    todo.note = text.noteText(rng);
    return [[w.modify(todo, { nt: fullNotePayload(todo.note) })]];
  },
};

/** A native delta edit (spec 7.3): 1–3 patches, UTF-8 byte offsets, `ch` after each patch. */
export const deltaNote: Action = {
  weight: (w) => 5 * anyTodo(w),
  run: (w, budget) => {
    const rng = w.rng;
    // Native apps send deltas only to edit an existing note; a new note is a full text.
    const todo = w.todos.pickWhere(rng, (t) => !t.tr && t.note !== '', 32);
    if (todo === null || budget < 1) return null;
    const patches: WirePatch[] = [];
    const count = rng.pick([1, 1, 1, 2, 3]);
    let note = todo.note;
    for (let i = 0; i < count; i++) {
      const [next, patch] = randomPatch(rng, note);
      note = next;
      patches.push(patch);
    }
    todo.note = note;
    return [[w.modify(todo, { nt: deltaNotePayload(patches) })]];
  },
};

/** A random position in `s` that does not split a surrogate pair. */
function boundary(rng: Rng, s: string): number {
  let i = rng.int(0, s.length);
  // Never split a surrogate pair (a patch must not cut a UTF-8 character).
  if (i > 0 && i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) i--;
  }
  return i;
}

/** One patch of `note` (an append, an insertion, or a deletion or replacement) and its result. */
function randomPatch(rng: Rng, note: string): [string, WirePatch] {
  const bytes = utf8ByteLength(note);
  const r = rng.float();
  let start: number;
  let end: number;
  let replacement: string;
  if (note === '' || (r < 0.35 && bytes < MAX_NOTE_BYTES)) {
    start = note.length;
    end = note.length;
    replacement = note === '' ? text.sentence(rng) : `\n${text.sentence(rng)}`;
  } else if (r < 0.6 && bytes < MAX_NOTE_BYTES) {
    start = boundary(rng, note);
    end = start;
    replacement = ` ${text.word(rng)}`;
  } else {
    const a = boundary(rng, note);
    const b = boundary(rng, note);
    start = Math.min(a, b);
    end = Math.min(Math.max(a, b), start + 40);
    if (end < note.length) {
      const c = note.charCodeAt(end);
      if (c >= 0xdc00 && c <= 0xdfff) end--;
    }
    replacement = bytes >= MAX_NOTE_BYTES || rng.chance(0.3) ? '' : text.word(rng);
  }
  const next = note.slice(0, start) + replacement + note.slice(end);
  const patch: WirePatch = {
    r: replacement,
    p: utf8ByteLength(note.slice(0, start)),
    l: utf8ByteLength(note.slice(start, end)),
    ch: crc32(next),
  };
  return [next, patch];
}
