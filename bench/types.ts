/**
 * The shapes of a benchmark run: its settings ({@link BenchOptions}) and the results file it
 * writes ({@link BenchResults}: figures with every run, targets judged on medians, raw results).
 */
import type { ReadsHistory, ReadsOptions } from './reads.ts';
import type { QueryPlan } from './tasks/query-plans.ts';

/** Version of the results JSON. */
export const BENCH_RESULTS_VERSION = 1;

/** Where to replay. */
export type BenchTarget = 'file' | 'sqld';

/** Settings of one benchmark run. */
export interface BenchOptions {
  /** Base history sizes (items) for throughput and RSS. */
  readonly sizes: readonly number[];
  /** Base size whose incremental page cost is the reference (the 1× of the ratio). */
  readonly incrementalBase: number;
  readonly runs: number;
  readonly targets: readonly BenchTarget[];
  /** Incremental pages per history and items per incremental page. */
  readonly incrementalPages: number;
  readonly incrementalItems: number;
  readonly seed: string;
  /** Generated fixtures are cached here. */
  readonly cacheDir: string;
  /** Databases are created here (removed after each measurement). */
  readonly workDir?: string;
  /** The command line, recorded in the results. */
  readonly command: string;
  /**
   * Also measure the what-ifs (ledger tracked, secondary indexes dropped, the replay's own SQL
   * alone); default true.
   */
  readonly variants?: boolean;
  /** `commitItems` of the base replays (default: the sync loop's, DEFAULT_COMMIT_ITEMS). */
  readonly commitItems?: number;
  /** Extra Node flags for every child (e.g. `--cpu-prof`). */
  readonly childFlags?: readonly string[];
  /** Measure the writes (replay throughput, memory, incremental cost, what-ifs); default true. */
  readonly writes?: boolean;
  /** Measure the reads (lists, search, change log; library and CLI) on these settings. */
  readonly reads?: ReadsOptions;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** The results so far, after every measurement (to keep a partial file of a long run). */
  readonly onPartial?: (results: BenchResults) => Promise<void> | void;
}

/** The machine a run was measured on. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryMb: number;
  readonly os: string;
  readonly node: string;
  readonly libsqlClient: string;
  readonly libsqlNative: string;
  readonly sqld: string | null;
}

/** One figure: every run and the median. */
export interface Figure {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly runs: readonly number[];
  readonly median: number;
  /**
   * The machine's 1-minute load average when each run's value was taken (the same length as
   * `runs`; absent in results files older than the reads part).
   */
  readonly load?: readonly number[];
}

/** One target of the benchmark, judged on medians. */
export interface TargetResult {
  readonly id: string;
  readonly label: string;
  readonly value: number | null;
  readonly limit: string;
  /** null when the figure was not measured in this run. */
  readonly met: boolean | null;
}

/** The results file. */
export interface BenchResults {
  readonly format: 'thingstape-bench';
  readonly version: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly settings: Pick<
    BenchOptions,
    | 'sizes'
    | 'incrementalBase'
    | 'runs'
    | 'targets'
    | 'incrementalPages'
    | 'incrementalItems'
    | 'seed'
  > & { readonly source: string; readonly commitItems: number };
  readonly histories: readonly {
    readonly items: number;
    readonly pages: number;
    readonly incrementalPages: number;
    readonly dir: string;
  }[];
  /** The reads part's settings and histories (absent when it did not run). */
  readonly reads?: ReadsOptions & {
    readonly histories: readonly (Omit<ReadsHistory, 'fixture'> & {
      readonly pages: number;
      readonly dir: string;
    })[];
  };
  readonly figures: readonly Figure[];
  readonly targets: readonly TargetResult[];
  /** EXPLAIN QUERY PLAN of the store's reads on the replayed incremental-base database. */
  readonly queryPlans: readonly QueryPlan[];
  /** Every child's full result, in the order they ran. */
  readonly raw: readonly {
    readonly run: number;
    readonly what: string;
    readonly result: unknown;
  }[];
}
