/** Areas (`Area3`): a few kept for good, a few ephemeral ones created to be deleted. */
import { ev } from '../group.ts';
import { areaCreate } from '../payload-builders.ts';
import type { AreaState } from '../state.ts';
import * as text from '../text.ts';
import { WORKING_SET, type World } from '../world.ts';
import type { Action, Step } from './action.ts';

function newArea(w: World, budget: number, ephemeral: boolean): Step | null {
  if (budget < 1) return null;
  const area: AreaState = { id: w.id(), refs: 0, ephemeral, slot: -1 };
  w.areas.add(area);
  if (ephemeral) w.ephemeralAreas++;
  const title = ephemeral ? `Archive ${w.rng.int(2019, 2024)}` : text.areaTitle(w.rng);
  return [[[area.id, ev(0, 'Area3', areaCreate(title, w.areaIx++))]]];
}

/** An area to-dos go in: two early on, then rarely, up to the working set's size. */
export const createArea: Action = {
  weight: (w) =>
    w.nonEphemeralAreas() < 2 ? 200 : w.nonEphemeralAreas() < WORKING_SET.areas ? 0.3 : 0,
  run: (w, budget) => newArea(w, budget, false),
};

/** An area nothing is ever put in, so that it can be deleted. */
export const createEphemeralArea: Action = {
  weight: (w) => (w.ephemeralAreas < WORKING_SET.ephemeralAreas ? 0.35 : 0),
  run: (w, budget) => newArea(w, budget, true),
};

/** A new title for an area. */
export const renameArea: Action = {
  weight: (w) => (w.areas.size > 0 ? 0.15 : 0),
  run: (w, budget) => {
    const area = w.areas.pick(w.rng);
    if (area === null || budget < 1) return null;
    // Native area renames sometimes come without `md` (spec 6.1, "md is normally present").
    return [[[area.id, ev(1, 'Area3', { tt: text.areaTitle(w.rng) })]]];
  },
};

/** Deletes an area nothing points at: `t = 2`, a tombstone, or both in one group. */
export const deleteArea: Action = {
  weight: (w) => (w.ephemeralAreas > 0 ? 0.4 : 0),
  run: (w, budget) => {
    const area = w.areas.pickWhere(w.rng, (x) => x.refs === 0, 32);
    if (area === null) return null;
    const group = w.deletion(area.id, 'Area3', budget);
    if (group === null) return null;
    w.areas.remove(area);
    if (area.ephemeral) w.ephemeralAreas--;
    return [group];
  },
};
