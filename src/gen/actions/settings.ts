/** The `Settings` entity: created once, early; a preference changed now and then. */
import { ev } from '../group.ts';
import type { Payload } from '../payload-builders.ts';
import type { Action } from './action.ts';

/** Creates `Settings5` first, then changes one preference (`li`, `grpt` or `ld`). */
export const settings: Action = {
  weight: (w) => (w.settingsCreated ? 0.25 : 1000),
  run: (w, budget) => {
    if (budget < 1) return null;
    if (!w.settingsCreated) {
      w.settingsCreated = true;
      return [[['Settings', ev(0, 'Settings5', { ld: w.clock.midnight(), li: 0, grpt: false })]]];
    }
    const rng = w.rng;
    const p: Payload = rng.chance(0.5)
      ? { li: rng.pick([0, 1, 7, 30]) }
      : rng.chance(0.5)
        ? { grpt: rng.chance(0.5) }
        : { ld: w.clock.midnight() };
    return [[['Settings', ev(1, 'Settings5', p)]]];
  },
};
