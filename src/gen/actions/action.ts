/** The shape of one generator action (see `index.ts` for the table of all of them). */
import type { GenGroup } from '../group.ts';
import type { World } from '../world.ts';

/** The groups one action emits, in order. */
export type Step = GenGroup[];

/**
 * One thing the simulated user does. `weight` says how likely it is now (0: impossible);
 * `run` emits at most `budget` items, or returns `null` (and changes nothing) when it cannot.
 */
export interface Action {
  readonly weight: (world: World) => number;
  readonly run: (world: World, budget: number) => Step | null;
}

/** Number of items in a step. */
export function itemCount(step: Step): number {
  let n = 0;
  for (const group of step) n += group.length;
  return n;
}

/** Weight factor of actions that need a to-do: 1 when the working set has one, else 0. */
export function anyTodo(w: World): number {
  return w.todos.size > 0 ? 1 : 0;
}
