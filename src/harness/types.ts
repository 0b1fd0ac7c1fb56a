/** The scenario API's types: options, the `t` context, results. */
import type { Change, Entity, ListViewName, ProjectView, ViewRow } from '../engine/index.ts';
import type { CivilDate, Instant } from '../protocol/index.ts';
import type { Store } from '../store/index.ts';
import type { ScenarioAccount } from './account.ts';
import type { GuardSetting } from './guard.ts';

/** How requests are served: from the cassette, from the network (recorded), or each as fits. */
export const MODES = ['replay', 'record', 'record-missing'] as const;

/** A run mode (see {@link MODES}). */
export type Mode = (typeof MODES)[number];

/** Sanitizers a scenario may switch off (all on by default). */
export interface SanitizerOptions {
  /** Unmatched and unused recorded requests. */
  readonly requests?: boolean;
  /** Requests or steps still running when the scenario ends. */
  readonly ops?: boolean;
  /** Stores opened with `t.openStore()` and not closed. */
  readonly resources?: boolean;
  /** Secrets in the cassette. */
  readonly secrets?: boolean;
}

/** Options of one scenario. */
export interface ScenarioOptions {
  /** IANA zone of the account owner: decides "today" (default `UTC`). */
  readonly timeZone?: string;
  /** Mixed into the seed of the scenario's ids. */
  readonly seed?: string;
  /**
   * Pins the clock's start (ISO 8601). Default: the wall clock when recording, the cassette's
   * recorded start when replaying.
   */
  readonly clock?: string;
  /** Skip this scenario. */
  readonly ignore?: boolean;
  /** Run only the scenarios marked `only` (the run then fails, as a reminder to remove it). */
  readonly only?: boolean;
  /** Read the whole history on the first `t.sync()` (default: start at the head the scenario found). */
  readonly fromStart?: boolean;
  readonly sanitize?: SanitizerOptions;
  /**
   * The write guard on the account's commits, in replay and record mode: `reject` (default)
   * refuses a commit that would break a real account before it is sent (the step fails with
   * UNSAFE_WRITE); `report` sends it and fails the scenario at its end; `off` sends anything.
   * `{ mode, errors, ignore }` also turns warning rules into errors (`errors: 'all'`) or skips rules.
   */
  readonly guard?: GuardSetting;
}

/** The body of a scenario or step. */
export type ScenarioFn = (t: ScenarioContext) => void | Promise<void>;

/** A registered scenario. */
export interface ScenarioDefinition {
  readonly name: string;
  /** Absolute path of the script (cassettes and snapshots live next to it). */
  readonly file: string;
  readonly options: ScenarioOptions;
  readonly fn: ScenarioFn;
}

/** A partial value: only the keys given are compared (recursively). */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly DeepPartial<U>[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What `t.assertChanges` compares each change with. */
export type ChangeMatcher =
  DeepPartial<Change> | { readonly type: string; readonly [key: string]: unknown };

/** The `t` of a scenario: steps, the account, sync, views and assertions. */
export interface ScenarioContext {
  /** The scenario's name. */
  readonly name: string;
  /** How this run serves requests. */
  readonly mode: 'replay' | 'record';
  /** The zone that decides "today". */
  readonly timeZone: string;
  /** The scenario clock's current instant (seconds). */
  readonly now: Instant;
  /** The local date of {@link now}. */
  readonly today: CivilDate;
  /** Moves the scenario clock forward (e.g. `86_400` = a day). */
  advanceClock(seconds: number): void;
  /** Runs a named step (reported as a tree; a failing step fails the scenario). */
  step(name: string, fn: ScenarioFn): Promise<void>;
  /** The account to write with (one per scenario). */
  account(): ScenarioAccount;
  /** Reads the history up to the head into the scenario's database; returns the new changes. */
  sync(): Promise<Change[]>;
  /** The changes of the last {@link sync}. */
  readonly changes: readonly Change[];
  /** A list view (inbox, today, evening, upcoming, anytime, someday, logbook, trash) now. */
  list(view: ListViewName): Promise<ViewRow[]>;
  /** A project's view (rows grouped by heading). */
  project(id: string): Promise<ProjectView>;
  /** Every stored entity (live and soft-deleted). */
  entities(): Promise<Entity[]>;
  /** The scenario's database (closed by the harness). */
  readonly store: Store;
  /** Opens another store (default a fresh temp file); the resources sanitizer checks it is closed. */
  openStore(url?: string): Promise<Store>;
  /** Each change of the last sync (or `options.changes`) must match, in order, the partial `expected`. */
  assertChanges(
    expected: readonly ChangeMatcher[],
    options?: { readonly changes?: readonly Change[]; readonly subset?: boolean },
  ): void;
  /** The view's rows must match `expected` in order: titles, or partial rows. */
  assertList(
    view: ListViewName,
    expected: readonly (string | DeepPartial<ViewRow>)[],
  ): Promise<void>;
  /** Compares with the stored snapshot (written when missing, replaced with `--update`). */
  assertSnapshot(
    value: unknown,
    options?: { readonly name?: string; readonly raw?: boolean },
  ): Promise<void>;
  /** Fails with `message` unless `condition` holds. */
  assert(condition: unknown, message?: string): void;
  /** Deep equality of JSON values. */
  assertEquals(actual: unknown, expected: unknown, message?: string): void;
}

/** A failure as reports show it. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

/** Outcome of one step. */
export interface StepResult {
  readonly name: string;
  readonly status: 'passed' | 'failed';
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  readonly error?: ErrorInfo;
}

/** Outcome of one scenario. */
export interface ScenarioResult {
  readonly file: string;
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'ignored';
  /** How requests were served (`null` when ignored). */
  readonly mode: 'replay' | 'record' | null;
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  /** The error that ended the scenario. */
  readonly error?: ErrorInfo;
  /** Sanitizer failures after it. */
  readonly sanitizers: readonly ErrorInfo[];
  /** The cassette directory. */
  readonly cassette: string;
  /** True when a cassette was written by this run. */
  readonly recorded: boolean;
  /** Number of requests made. */
  readonly requests: number;
}

/** Outcome of a run. */
export interface RunReport {
  readonly mode: Mode;
  /** The shuffle seed, or `null` when not shuffled. */
  readonly seed: number | null;
  readonly files: readonly string[];
  readonly scenarios: readonly ScenarioResult[];
  readonly passed: number;
  readonly failed: number;
  readonly ignored: number;
  readonly durationMs: number;
  readonly snapshots: { readonly added: number; readonly updated: number };
  /** Failures outside any scenario (a file that did not load, `only` left in). */
  readonly errors: readonly (ErrorInfo & { readonly file?: string })[];
}
