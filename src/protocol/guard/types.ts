/**
 * Types of the write guard: what it reads (a commit body and the state it applies to), what it
 * reports (violations of the write rules of spec sections 4–10, 13 and 16), and its options.
 */
import type { EntityFamily } from '../types.ts';

/**
 * How much a rule's evidence is worth, as the spec tags it: [R] recorded data, [L] observed live,
 * [S] stated or implemented by an SDK, [I] inferred by the spec's author.
 */
export type Confidence = 'R' | 'L' | 'S' | 'I';

/** `error` blocks a commit; `warning` is reported beside it. [R] and [L] rules are errors. */
export type Severity = 'error' | 'warning';

/**
 * What the guard needs to know about one stored entity. The engine's entities have exactly these
 * fields (an engine `Entity` is a `GuardEntity`), so any store or fold can serve as state.
 */
export interface GuardEntity {
  readonly family: EntityFamily;
  /** Latest wire kind, e.g. `Task7`. */
  readonly kind: string;
  /** `null` while live; anything else means permanently deleted. */
  readonly deleted: unknown;
  /** Task family: `tp` (0 to-do, 1 project, 2 heading). */
  readonly type?: number;
  /** Task family: `st`. */
  readonly start?: number;
  /** `ss` (tasks and checklist items). */
  readonly status?: number;
  /** `ix`. */
  readonly index?: number;
  /** Task family: the note text (`''` = no note). */
  readonly note?: string;
  /** Task family: `rr` (non-null on repeating templates). */
  readonly recurrence?: unknown;
  /** Task family: `ar`. */
  readonly areaIds?: readonly string[];
  /** Task family: `pr`. */
  readonly projectIds?: readonly string[];
  /** Task family: `agr`. */
  readonly headingIds?: readonly string[];
}

/**
 * The state a commit applies to: the entities of the history up to the commit's ancestor.
 *
 * Contract: `get` returns the entity under its engine id (legacy ids mapped), deleted ones
 * included. When `complete` is true the state holds the whole history, so an id it does not know
 * does not exist (dangling references and modifies of missing entities are then reported); when
 * false (a scenario that started at the head, a commit checked on its own) unknown ids are not
 * judged. `children`, when given, lists the live to-dos, headings and projects whose `ar`, `pr` or
 * `agr` holds `id` (for deletes of non-empty containers); `undefined` means "not known".
 */
export interface GuardState {
  readonly complete: boolean;
  get(id: string): GuardEntity | undefined;
  children?(id: string): readonly string[] | undefined;
}

/** One broken rule. */
export interface GuardViolation {
  /** The rule, e.g. `NON_POSITIVE_IX`. */
  readonly code: string;
  readonly severity: Severity;
  /** The entity id (the commit's key) the violation is about; `null` for the commit as a whole. */
  readonly entityId: string | null;
  /** JSON path inside the entity's event (`p.ar[1]`, `p.nt.ps[0].ch`, `e`); `''` is the event itself. */
  readonly path: string;
  /** What was found there, as JSON text (shortened), or `absent`. */
  readonly found: string;
  /** What the rule asks for. */
  readonly rule: string;
  /** Spec sections the rule comes from, e.g. `10.2, 13 #7, 16.1`. */
  readonly section: string;
  /** The spec's tags for the rule's evidence, e.g. `[L wbopan #16, PR #18][L matsvarn]`. */
  readonly tag: string;
  /** The tag that sets the default severity. */
  readonly confidence: Confidence;
  /** One line for people. */
  readonly message: string;
}

/** What {@link checkCommit} found. */
export interface GuardReport {
  /** True when no violation is an error (warnings allowed). */
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  /** In commit key order, then rule order. */
  readonly violations: readonly GuardViolation[];
}

/** Options of {@link checkCommit}. */
export interface GuardOptions {
  /** Warning rules to treat as errors, or `all` (every violation is an error). */
  readonly errors?: readonly string[] | 'all';
  /** Rules not to check at all. */
  readonly ignore?: readonly string[];
}
