/** Tags (`Tag4`): with parents and shortcuts, plus ephemeral ones created to be deleted. */
import { ev } from '../group.ts';
import { tagCreate } from '../payload-builders.ts';
import type { TagState } from '../state.ts';
import * as text from '../text.ts';
import { WORKING_SET, type World } from '../world.ts';
import type { Action, Step } from './action.ts';

function newTag(w: World, budget: number, ephemeral: boolean): Step | null {
  if (budget < 1) return null;
  const rng = w.rng;
  const parent =
    !ephemeral && rng.chance(0.35)
      ? w.tags.pickWhere(rng, (t) => !t.ephemeral && t.parent === null)
      : null;
  const tag: TagState = { id: w.id(), refs: 0, ephemeral, parent, slot: -1 };
  if (parent !== null) parent.refs++;
  w.tags.add(tag);
  if (ephemeral) w.ephemeralTags++;
  const sh = !ephemeral && rng.chance(0.25) ? String(rng.int(1, 9)) : null;
  const ix = rng.chance(0.3) ? -1237 : w.tagIx++;
  const title = ephemeral ? `tmp-${rng.int(1, 999)}` : text.tagTitle(rng);
  return [[[tag.id, ev(0, 'Tag4', tagCreate(title, ix, sh, parent === null ? null : parent.id))]]];
}

/** A tag to-dos carry, sometimes under a parent, sometimes with a shortcut key. */
export const createTag: Action = {
  weight: (w) =>
    w.nonEphemeralTags() < 4 ? 100 : w.nonEphemeralTags() < WORKING_SET.tags ? 0.5 : 0,
  run: (w, budget) => newTag(w, budget, false),
};

/** A tag nothing ever carries, so that it can be deleted. */
export const createEphemeralTag: Action = {
  weight: (w) => (w.ephemeralTags < WORKING_SET.ephemeralTags ? 0.4 : 0),
  run: (w, budget) => newTag(w, budget, true),
};

/** Deletes a tag nothing points at. */
export const deleteTag: Action = {
  weight: (w) => (w.ephemeralTags > 0 ? 0.45 : 0),
  run: (w, budget) => {
    const tag = w.tags.pickWhere(w.rng, (x) => x.refs === 0, 32);
    if (tag === null) return null;
    const group = w.deletion(tag.id, 'Tag4', budget);
    if (group === null) return null;
    w.tags.remove(tag);
    if (tag.ephemeral) w.ephemeralTags--;
    if (tag.parent !== null) tag.parent.refs--;
    return [group];
  },
};
