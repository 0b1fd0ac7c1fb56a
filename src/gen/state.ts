/**
 * The generator's compact model of the live working set. Only entities that may still be edited
 * are kept; old ones retire (they stay in the history, the generator just stops touching them).
 */
import type { Rng } from './prng.ts';
import type { Rule } from './recurrence.ts';

/** `Task6` or `Task7`: the kind an entity was created with. */
export type TaskKind = 'Task6' | 'Task7';

/** Anything kept in a {@link Pool}. */
export interface Slotted {
  /** Position in its pool, `-1` when not in one. */
  slot: number;
}

/** An area (`Area3`). `refs` counts every non-deleted entity that points at it, retired ones too. */
export interface AreaState extends Slotted {
  readonly id: string;
  refs: number;
  /** Created to be deleted later: nothing is ever put in it. */
  readonly ephemeral: boolean;
}

/** A tag (`Tag4`). `refs` counts tasks and child tags that point at it, retired ones too. */
export interface TagState extends Slotted {
  readonly id: string;
  refs: number;
  readonly ephemeral: boolean;
  readonly parent: TagState | null;
}

/** A heading (`tp 2`). */
export interface HeadingState {
  readonly id: string;
  readonly kind: TaskKind;
}

/** A project (`tp 1`). Projects are never deleted, so references to them stay valid. */
export interface ProjectState extends Slotted {
  readonly id: string;
  readonly kind: TaskKind;
  readonly headings: HeadingState[];
  ss: number;
  nextIx: number;
}

/** A checklist item (`ChecklistItem3`) of a live to-do. */
export interface ChecklistState {
  readonly id: string;
  ss: number;
  readonly ix: number;
}

/** A repeating template (a to-do with `rr`). */
export interface TemplateState extends Slotted {
  readonly id: string;
  readonly kind: TaskKind;
  readonly title: string;
  rule: Rule;
  /** Next occurrence day (days since 1970-01-01); `null` while an after-completion rule waits. */
  next: number | null;
  icc: number;
  paused: boolean;
  readonly project: ProjectState | null;
}

/** A live to-do (`tp 0`), instance or not. */
export interface TodoState extends Slotted {
  readonly id: string;
  readonly kind: TaskKind;
  ss: number;
  st: number;
  sr: number | null;
  sb: number;
  dd: number | null;
  tr: boolean;
  project: ProjectState | null;
  heading: HeadingState | null;
  area: AreaState | null;
  tags: TagState[];
  /** Current note text (`''` = no note). Exactly what a reader folding the history computes. */
  note: string;
  checklist: ChecklistState[];
  readonly template: TemplateState | null;
}

/** An unordered set with O(1) add, remove and random pick. */
export class Pool<T extends Slotted> {
  readonly items: T[] = [];

  /** Number of members. */
  get size(): number {
    return this.items.length;
  }

  /** Adds a member (must not be in a pool). */
  add(item: T): void {
    item.slot = this.items.length;
    this.items.push(item);
  }

  /** Removes a member (swap with the last); does nothing for a non-member. */
  remove(item: T): void {
    if (item.slot < 0 || this.items[item.slot] !== item) return;
    const last = this.items.pop();
    if (last === undefined) return;
    if (last !== item) {
      this.items[item.slot] = last;
      last.slot = item.slot;
    }
    item.slot = -1;
  }

  /** A random member, or `null` when empty. */
  pick(rng: Rng): T | null {
    return this.items.length === 0 ? null : rng.pick(this.items);
  }

  /** A random member matching `test`, sampling up to `tries` times; `null` when none found. */
  pickWhere(rng: Rng, test: (item: T) => boolean, tries = 16): T | null {
    if (this.items.length === 0) return null;
    for (let i = 0; i < tries; i++) {
      const item = rng.pick(this.items);
      if (test(item)) return item;
    }
    return null;
  }

  /** The first member matching `test` in pool order (a full scan; use on small pools). */
  find(test: (item: T) => boolean): T | null {
    for (const item of this.items) if (test(item)) return item;
    return null;
  }
}
