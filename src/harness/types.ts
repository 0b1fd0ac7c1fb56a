/** The scenario API's types: options, the `t` context, results. */
import type {
  Change,
  Entity,
  ListViewName,
  ProjectView,
  StatusName,
  ViewRow,
} from '../engine/index.ts';
import type { CivilDate, Instant } from '../protocol/index.ts';
import type { Store } from '../store/index.ts';
import type { ScenarioAccount } from './account.ts';
import type { ErrorInfo } from './errors.ts';
import type { GuardSetting } from './guard.ts';
import type { FieldDiff } from './diff.ts';

export type { ErrorInfo };

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

/** Outcome of one step. */
export interface StepResult {
  readonly name: string;
  readonly status: 'passed' | 'failed';
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  readonly error?: ErrorInfo;
  /** What the step did, when the run was traced (`RunOptions.trace`). */
  readonly trace?: StepTrace;
}

/** One row of a list as a trace keeps it: enough to show it and link it to its changes. */
export interface TraceRow {
  readonly id: string;
  readonly title: string;
  readonly type: ViewRow['type'];
  readonly status: StatusName;
}

/** Every list view at one moment, by name (empty lists included). */
export type TraceLists = Readonly<Record<ListViewName, readonly TraceRow[]>>;

/** A request as a trace shows it (the history key as `<key>`). */
export interface TraceRequest {
  readonly method: string;
  readonly url: string;
  /** The JSON body, else the text body; absent without one. */
  readonly body?: unknown;
}

/** One expected change beside the actual one in a failed `t.assertChanges`. */
export interface ChangeComparison {
  /** Position in the list of changes compared. */
  readonly index: number;
  readonly outcome: 'ok' | 'mismatch' | 'missing' | 'unexpected';
  /** The partial change the script expected (absent for `unexpected`). */
  readonly expected?: unknown;
  /** The change the engine produced (absent for `missing`). */
  readonly actual?: Change;
  /** Where they differ (empty for `ok`). */
  readonly diffs: readonly FieldDiff[];
}

/**
 * Where a scenario left what was recorded or expected, field by field: a request the cassette
 * had no recording for (with the nearest recording), or an assertion that did not hold.
 */
export type Divergence =
  | {
      readonly kind: 'request';
      readonly actual: TraceRequest;
      /** The nearest recording (unused ones first), or `null` when there is none to compare. */
      readonly nearest: {
        /** 1-based position in the cassette's `requests.json`. */
        readonly number: number;
        readonly of: number;
        /** True when the scenario had already used it. */
        readonly used: boolean;
        readonly request: TraceRequest;
      } | null;
      /** Differences from the nearest recording (`recorded` → `actual`). */
      readonly diffs: readonly FieldDiff[];
      readonly message: string;
    }
  | {
      readonly kind: 'changes';
      readonly comparisons: readonly ChangeComparison[];
      readonly message: string;
    }
  | {
      readonly kind: 'list';
      readonly view: string;
      readonly today: CivilDate;
      /** The partial rows the script expected. */
      readonly expected: readonly unknown[];
      readonly actual: readonly TraceRow[];
      readonly diffs: readonly FieldDiff[];
      readonly message: string;
    }
  | {
      /** `t.assertEquals`, `t.assertSnapshot`, `t.assert`. */
      readonly kind: 'value';
      readonly diffs: readonly FieldDiff[];
      readonly message: string;
    };

/**
 * What one step (or a scenario's own body, outside its steps) did, kept when the run is traced:
 * the changes its syncs produced, every list before and after it, and where it diverged.
 */
export interface StepTrace {
  /** The scenario clock's local date when the step started and when it ended. */
  readonly todayBefore: CivilDate;
  readonly todayAfter: CivilDate;
  /** Changes of the syncs that ran in this step and not in a step inside it, in order. */
  readonly changes: readonly Change[];
  /** The lists when the step started; `null` when they could not be read. */
  readonly listsBefore: TraceLists | null;
  /** The lists when the step ended (also when it failed); `null` when they could not be read. */
  readonly listsAfter: TraceLists | null;
  readonly divergences: readonly Divergence[];
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
  /** The scenario's own body (outside its steps), when the run was traced. */
  readonly trace?: StepTrace & { readonly timeZone: string };
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
