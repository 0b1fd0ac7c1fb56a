/**
 * The synthetic history generator: a deterministic stream of realistic Things Cloud groups.
 *
 * A simulated user works through sessions on a simulated clock (seconds between edits, hours
 * between sessions, nights skipped, a rare absence of days) and does what people do in Things:
 * areas, tags with parents and shortcuts, projects with headings, to-dos everywhere, notes (full
 * and delta), checklists, deadlines, Today / This Evening / Upcoming / Someday, repeating
 * templates and their instances, completions, cancellations, reopenings, trash and put-back,
 * permanent deletes (`t = 2` and `Tombstone2`), native empty-title creates followed by a title
 * modify, Task7 events mixed with Task6 on one id, and a `Settings5` item now and then.
 *
 * Consistency: modifies target existing entities, references point at existing containers and
 * deleted entities are never edited again, with two deliberate, rare anomalies:
 * - `resurrection`: a permanently deleted to-do is created again under its old id (t = 0);
 * - `unknownTombstone`: a `Tombstone2` whose `dloid` names an id that never existed (as in the
 *   spec's Appendix B).
 *
 * Memory stays bounded: only a capped working set of entities is editable; older ones retire
 * (they stay in the history, the generator stops touching them).
 *
 * The pieces: this loop (one step per iteration: move the clock, draw an action, emit its
 * groups), the simulated clock (`sim-clock.ts`), the shared state and helpers (`world.ts`) and
 * the actions, one module per family, in one table (`actions/index.ts`).
 */
import {
  ACTIONS,
  itemCount,
  newTodoStep,
  type Action,
  type ActionName,
  type Step,
} from './actions/index.ts';
import type { GenGroup } from './group.ts';
import { World } from './world.ts';

/** Settings of one generated history (already validated, see `resolveGenOptions`). */
export interface HistorySettings {
  /** Exact number of items (entity events) to generate. */
  readonly items: number;
  readonly seed: string | number;
  /** IANA zone of the simulated user. */
  readonly timeZone: string;
  /** First local day of the history, as days since 1970-01-01. */
  readonly startDay: number;
}

const DRAW_ORDER = Object.entries(ACTIONS) as [ActionName, Action][];

/**
 * Generates one history. Iterate {@link groups} once; afterwards {@link clock} is the simulated
 * time of the last group. Deterministic: the same settings give the same groups, always.
 */
export class HistoryGenerator {
  readonly settings: HistorySettings;
  readonly #world: World;
  readonly #counts = new Map<ActionName, number>();

  /** Prepares a generator; nothing is generated until {@link groups} is iterated. */
  constructor(settings: HistorySettings) {
    this.settings = settings;
    this.#world = new World(settings.seed, settings.timeZone, settings.startDay);
  }

  /** Simulated time of the latest group (seconds since the epoch). */
  get clock(): number {
    return this.#world.clock.seconds;
  }

  /** How often each action ran so far. */
  get actionCounts(): ReadonlyMap<ActionName, number> {
    return this.#counts;
  }

  /** The groups of the history, in order; exactly `settings.items` items in total. */
  *groups(): Generator<GenGroup, void, undefined> {
    const world = this.#world;
    let left = this.settings.items;
    while (left > 0) {
      world.clock.nextGroup();
      let step: Step | null = null;
      for (let attempt = 0; attempt < 4 && step === null; attempt++) {
        const [name, action] = this.#draw();
        step = action.run(world, left);
        if (step !== null) this.#count(name);
      }
      if (step === null) {
        step = newTodoStep(world, 1);
        this.#count('createTodo');
      }
      const size = itemCount(step);
      if (size > left || size === 0) {
        throw new Error(`generator bug: a step of ${size} items with ${left} left`);
      }
      for (const group of step) yield group;
      left -= size;
    }
  }

  /** Draws an action by weight, walking the table in its order. */
  #draw(): [ActionName, Action] {
    const world = this.#world;
    let total = 0;
    const weights: number[] = [];
    for (const [, action] of DRAW_ORDER) {
      const w = Math.max(0, action.weight(world));
      weights.push(w);
      total += w;
    }
    let r = world.rng.float() * total;
    for (let i = 0; i < DRAW_ORDER.length; i++) {
      r -= weights[i] ?? 0;
      const entry = DRAW_ORDER[i];
      if (r < 0 && entry !== undefined) return entry;
    }
    return ['createTodo', ACTIONS.createTodo];
  }

  #count(name: ActionName): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1);
  }
}
