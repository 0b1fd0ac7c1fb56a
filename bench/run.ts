/**
 * The benchmark harness: replay throughput into `file:` and a local sqld, the same-run ceilings,
 * peak RSS, incremental page cost and HTTP round trips per page. Every measurement runs in its
 * own child process (bench/child.ts) on a fresh database; the results are medians over `runs`.
 *
 * The HTTP layer of Things Cloud is bypassed: pages are read from a generated fixture on disk by
 * an in-process HistorySource (their read time is measured and subtracted); everything after
 * that (decode, fold, load, commit) is the real sync loop.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem, type as osType, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SQLD_BINARY, hasSqld, startSqld } from '../tools/sqld.ts';
import type {
  CeilingResult,
  ChildResult,
  ChildTask,
  QueryPlan,
  ReplayResult,
  ReplayVariant,
  StoreSqlResult,
} from './child.ts';
import { DEFAULT_COMMIT_ITEMS } from '../src/sync/index.ts';
import { ensureBenchFixture, type BenchFixture } from './fixture.ts';
import { CLI_BIN, cliEnv, cliNodeFlags } from './cli.ts';
import { peakRssOf } from './process.ts';
import {
  describeReadFigure,
  ensureReadsHistory,
  readTargets,
  runReadsOnce,
  type ReadsHistory,
  type ReadsOptions,
} from './reads.ts';
import type { ReadsResult } from './reads-child.ts';
import { median } from './stats.ts';

export { cliNodeFlags, median };

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

/** The sizes of `thingstape bench` (full) and `--quick`. */
export const BENCH_PRESETS = {
  full: { sizes: [100_000, 1_000_000], incrementalBase: 10_000 },
  quick: { sizes: [10_000, 50_000], incrementalBase: 10_000 },
} as const;

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

/** One target of issue 8, judged on medians. */
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

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

function packageVersion(name: string): string {
  // Packages whose `exports` hide package.json: walk up from the entry point instead.
  try {
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve(name));
    while (dir !== dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (json.name === name && json.version !== undefined) return json.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

/** CPU, memory, Node and driver versions of this machine. */
export function machineInfo(): MachineInfo {
  let sqld: string | null = null;
  if (hasSqld()) {
    try {
      sqld = execFileSync(SQLD_BINARY, ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      sqld = 'unknown';
    }
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    os: `${osType()} ${release()}`,
    node: process.version,
    libsqlClient: packageVersion('@libsql/client'),
    libsqlNative: packageVersion('libsql'),
    sqld,
  };
}

async function runChild(
  task: ChildTask,
  workDir: string,
  flags: readonly string[],
): Promise<ChildResult> {
  const file = join(workDir, `task-${process.pid}-${Date.now()}.json`);
  await writeFile(file, JSON.stringify(task));
  try {
    return await new Promise<ChildResult>((done, fail) => {
      const child = spawn(process.execPath, [...flags, CHILD, file], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.once('error', fail);
      child.once('exit', (code, signal) => {
        const line = out.trim().split('\n').at(-1) ?? '';
        if (code === 0 && line.startsWith('{')) {
          done(JSON.parse(line) as ChildResult);
          return;
        }
        fail(
          new Error(
            `Benchmark child ${task.task} failed (${signal ?? `exit ${code}`}):\n${err.trim()}`,
          ),
        );
      });
    });
  } finally {
    await rm(file, { force: true });
  }
}

/** What `thingstape replay <fixture> --db file:… --summary` cost, run as a user runs it. */
export interface CliReplayResult {
  /** Items of the whole fixture (base and incremental pages). */
  readonly items: number;
  /** Wall time from spawn to exit: Node start-up, page reads and checks included. */
  readonly ms: number;
  /** Peak RSS (VmHWM, read every 20 ms until the process exits), MB. */
  readonly maxRssMb: number;
  readonly flags: readonly string[];
}

/**
 * Runs the CLI through its shebang on `fixture` into a fresh `file:` database or a fresh local
 * sqld, and samples its peak RSS from /proc while it runs (the high-water mark is monotonic, so
 * the last sample before the exit holds the peak of all but the last few milliseconds).
 */
async function measureCli(
  target: BenchTarget,
  fixture: BenchFixture,
  workDir: string,
): Promise<CliReplayResult> {
  const path = join(workDir, `cli-${Date.now()}.db`);
  const server = target === 'sqld' ? await startSqld() : undefined;
  const url = server?.url ?? `file:${path}`;
  try {
    return await new Promise<CliReplayResult>((done, fail) => {
      const started = performance.now();
      const child = spawn(CLI_BIN, ['replay', fixture.dir, '--db', url, '--summary'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: cliEnv(),
      });
      let peak = 0;
      const timer = setInterval(() => {
        peak = Math.max(peak, peakRssOf(child.pid) ?? 0);
      }, 20);
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.once('error', (error) => {
        clearInterval(timer);
        fail(error);
      });
      child.once('exit', (code, signal) => {
        clearInterval(timer);
        if (code !== 0 || peak === 0) {
          fail(new Error(`thingstape replay failed (${signal ?? `exit ${code}`}):\n${err.trim()}`));
          return;
        }
        done({
          items: fixture.pages.reduce((sum, page) => sum + page.items, 0),
          ms: performance.now() - started,
          maxRssMb: peak,
          flags: cliNodeFlags(),
        });
      });
    });
  } finally {
    await server?.stop();
    await removeDb(path);
  }
}

/** Runs the benchmark and returns its results (nothing is written; see {@link writeResults}). */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const log = options.log ?? (() => undefined);
  const flags = options.childFlags ?? [];
  const targets = options.targets.filter((t) => t !== 'sqld' || hasSqld());
  if (targets.length < options.targets.length) log('sqld is not installed: skipping sqld figures');
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'thingstape-bench-')));
  await mkdir(workDir, { recursive: true });

  const writes = options.writes !== false;
  const sizes = writes
    ? [...new Set([options.incrementalBase, ...options.sizes])].sort((a, b) => a - b)
    : [];
  const fixtures = new Map<number, BenchFixture>();
  for (const size of sizes) {
    log(`history of ${size} items: generating (or reading the cache)`);
    fixtures.set(
      size,
      await ensureBenchFixture(options.cacheDir, {
        baseItems: size,
        incrementalPages: options.incrementalPages,
        incrementalItems: options.incrementalItems,
        seed: options.seed,
      }),
    );
  }

  const raw: { run: number; what: string; result: unknown }[] = [];
  let plans: readonly QueryPlan[] = [];
  // What-if variants (where the write cost goes) at the smallest throughput size, file: only.
  const variantSize = Math.min(...options.sizes);
  const values = new Map<string, number[]>();
  const loads = new Map<string, number[]>();
  const add = (id: string, value: number): void => {
    const list = values.get(id) ?? [];
    list.push(value);
    values.set(id, list);
    loads.set(id, [...(loads.get(id) ?? []), loadavg()[0] ?? Number.NaN]);
  };
  const readsOptions = options.reads;
  const readsHistories: ReadsHistory[] = [];
  const readsReference = Math.min(...(readsOptions?.sizes ?? []));

  const commit = options.commitItems === undefined ? {} : { commitItems: options.commitItems };
  const machine = machineInfo();
  const assemble = (): BenchResults => {
    const figures = buildFigures(values, loads, options.incrementalBase, readsReference);
    return {
      format: 'thingstape-bench',
      version: BENCH_RESULTS_VERSION,
      startedAt,
      finishedAt: new Date().toISOString(),
      command: options.command,
      machine,
      settings: {
        sizes: options.sizes,
        incrementalBase: options.incrementalBase,
        runs: options.runs,
        targets,
        incrementalPages: options.incrementalPages,
        incrementalItems: options.incrementalItems,
        seed: options.seed,
        commitItems: options.commitItems ?? DEFAULT_COMMIT_ITEMS,
        source:
          'generated fixture read from disk by an in-process HistorySource (Things Cloud HTTP bypassed; page read time subtracted); decode, fold, loadEntities and commitPage are the real sync loop',
      },
      histories: sizes.map((size) => {
        const f = fixtures.get(size);
        return {
          items: f?.baseItems ?? 0,
          pages: f?.basePages ?? 0,
          incrementalPages: f?.incrementalPages ?? 0,
          dir: f?.dir ?? '',
        };
      }),
      ...(readsOptions === undefined
        ? {}
        : {
            reads: {
              ...readsOptions,
              histories: readsHistories.map(({ fixture, ...history }) => ({
                ...history,
                pages: fixture.basePages,
                dir: fixture.dir,
              })),
            },
          }),
      figures,
      targets: judgeTargets(figures, options),
      queryPlans: plans,
      raw,
    };
  };
  const partial = async (): Promise<void> => {
    await options.onPartial?.(assemble());
  };

  for (let run = 1; run <= (writes ? options.runs : 0); run++) {
    for (const size of sizes) {
      const fixture = fixtures.get(size);
      if (fixture === undefined) continue;
      const throughput = options.sizes.includes(size);
      const ceilings: Partial<Record<BenchTarget, CeilingResult>> = {};
      for (const target of targets) {
        const tag = `run ${run}/${options.runs}, ${size} items, ${target}`;
        // Ceiling (only for throughput sizes).
        if (throughput) {
          log(`${tag}: ceiling`);
          ceilings[target] = await measureCeiling(target, fixture, workDir, flags, (r) =>
            raw.push({ run, what: `ceiling.${target}.${size}`, result: r }),
          );
        }
        log(`${tag}: replay`);
        const explain = run === 1 && target === 'file' && size === options.incrementalBase;
        const { result, serverRssMb } = await measureReplay(target, fixture, workDir, flags, {
          explain,
          ...commit,
        });
        if (result.plans !== null) plans = result.plans;
        raw.push({ run, what: `replay.${target}.${size}`, result: { ...result, serverRssMb } });
        await partial();
        log(
          `${tag}: ${Math.round(result.itemsPerSecond)} items/s, peak RSS ${result.maxRssMb} MB, ` +
            `incremental ${median(result.incremental.map((p) => p.ms)).toFixed(1)} ms/page`,
        );
        add(`incremental.${target}.${size}`, median(result.incremental.map((p) => p.ms)));
        if (result.requestsPerCommit !== null) {
          add(
            `requests.${target}.${size}`,
            Math.max(...result.requestsPerCommit.map((c) => c.requests / c.pages)),
          );
        }
        if (result.requestsPerBasePage !== null && throughput) {
          add(`requestsMean.${target}.${size}`, result.requestsPerBasePage);
        }
        if (!throughput) continue;
        add(`replay.${target}.${size}`, result.itemsPerSecond);
        if (options.variants !== false && target === 'file' && size === variantSize) {
          for (const variant of ['ledger-tracked', 'no-secondary-indexes'] as const) {
            log(`${tag}: replay, what-if ${variant}`);
            const what = await measureReplay(target, fixture, workDir, flags, {
              variant,
              ...commit,
            });
            raw.push({ run, what: `variant.${variant}.${size}`, result: what.result });
            add(`variant.${variant}.${size}`, what.result.itemsPerSecond);
            add(
              `variantGain.${variant}.${size}`,
              what.result.itemsPerSecond / result.itemsPerSecond,
            );
          }
          log(`${tag}: the replay's own SQL alone (no engine)`);
          const sql = await measureStoreSql(fixture, workDir, flags, commit);
          raw.push({ run, what: `variant.store-sql.${size}`, result: sql.perCommit });
          raw.push({ run, what: `variant.store-sql-one-tx.${size}`, result: sql.oneTransaction });
          add(`variant.store-sql.${size}`, sql.perCommit.itemsPerSecond);
          add(
            `variantGain.store-sql.${size}`,
            sql.perCommit.itemsPerSecond / result.itemsPerSecond,
          );
          const ceiling = ceilings.file;
          if (ceiling !== undefined) {
            add(`sqlRatio.all.${size}`, sql.perCommit.itemsPerSecond / ceiling.rowsPerSecond);
            add(
              `sqlRatio.writes.${size}`,
              (sql.perCommit.writeItemsPerSecond ?? Number.NaN) / ceiling.rowsPerSecond,
            );
            add(
              `sqlRatio.one-tx.${size}`,
              sql.oneTransaction.itemsPerSecond / ceiling.rowsPerSecond,
            );
          }
        }
        if (target === 'file') {
          // The same replay with the CLI's Node flags (young generation capped, a smaller heap
          // growing factor), as a library user can set them through NODE_OPTIONS (decision 0010).
          log(`${tag}: replay with ${CLI_FLAGS()}`);
          const capped = await measureReplay(
            target,
            fixture,
            workDir,
            [...flags, ...cliNodeFlags()],
            commit,
          );
          raw.push({ run, what: `capped.${target}.${size}`, result: capped.result });
          add(`replayCapped.${target}.${size}`, capped.result.itemsPerSecond);
          add(`rssCapped.${target}.${size}`, capped.result.maxRssMb);
          add(`cappedGain.${target}.${size}`, capped.result.itemsPerSecond / result.itemsPerSecond);
        }
        {
          log(`${tag}: thingstape replay (the CLI, as a user runs it)`);
          const cli = await measureCli(target, fixture, workDir);
          raw.push({ run, what: `cli.${target}.${size}`, result: cli });
          add(`cliRss.${target}.${size}`, cli.maxRssMb);
          add(`cliSeconds.${target}.${size}`, cli.ms / 1000);
        }
        add(`rss.${target}.${size}`, result.maxRssMb);
        if (serverRssMb !== null) add(`serverRss.${target}.${size}`, serverRssMb);
        const ceiling = ceilings[target];
        if (ceiling !== undefined) {
          add(`ceiling.${target}.${size}`, ceiling.rowsPerSecond);
          add(`ratio.${target}.${size}`, result.itemsPerSecond / ceiling.rowsPerSecond);
        }
        await partial();
      }
    }
  }
  if (readsOptions !== undefined) {
    const readsSizes = [...new Set(readsOptions.sizes)].sort((a, b) => a - b);
    for (const size of readsSizes) {
      readsHistories.push(
        await ensureReadsHistory(options.cacheDir, size, readsOptions.seed, (line) => log(line)),
      );
      await partial();
    }
    for (let run = 1; run <= options.runs; run++) {
      await runReadsOnce(run, readsHistories, readsOptions, {
        runChild: async (task) => (await runChild(task, workDir, flags)) as ReadsResult,
        add,
        record: (r, what, result) => raw.push({ run: r, what, result }),
        log,
        partial,
        replay: async (fixture, variant) =>
          (await measureReplay('file', fixture, workDir, flags, { variant, ...commit })).result,
      });
    }
  }
  if (options.workDir === undefined) await rm(workDir, { recursive: true, force: true });
  return assemble();
}

async function measureCeiling(
  target: BenchTarget,
  fixture: BenchFixture,
  workDir: string,
  flags: readonly string[],
  record: (result: CeilingResult) => void,
): Promise<CeilingResult> {
  if (target === 'file') {
    const path = join(workDir, `ceiling-${Date.now()}.db`);
    try {
      const result = (await runChild(
        { task: 'native-ceiling', fixture, path },
        workDir,
        flags,
      )) as CeilingResult;
      record(result);
      return result;
    } finally {
      await removeDb(path);
    }
  }
  const server = await startSqld();
  try {
    const result = (await runChild(
      { task: 'http-ceiling', fixture, url: server.url },
      workDir,
      flags,
    )) as CeilingResult;
    record(result);
    return result;
  } finally {
    await server.stop();
  }
}

async function measureReplay(
  target: BenchTarget,
  fixture: BenchFixture,
  workDir: string,
  flags: readonly string[],
  extra: {
    readonly variant?: ReplayVariant;
    readonly explain?: boolean;
    readonly commitItems?: number;
  } = {},
): Promise<{ result: ReplayResult; serverRssMb: number | null }> {
  if (target === 'file') {
    const path = join(workDir, `replay-${Date.now()}.db`);
    try {
      const result = (await runChild(
        { task: 'replay', fixture, url: `file:${path}`, ...extra },
        workDir,
        flags,
      )) as ReplayResult;
      return { result, serverRssMb: null };
    } finally {
      await removeDb(path);
    }
  }
  const server = await startSqld();
  try {
    const result = (await runChild(
      { task: 'replay', fixture, url: server.url, ...extra },
      workDir,
      flags,
    )) as ReplayResult;
    return { result, serverRssMb: peakRssOf(server.pid) };
  } finally {
    await server.stop();
  }
}

/**
 * The replay's own SQL alone (see StoreSqlRecordTask): one child records a replay's requests,
 * then one child each reruns them as the replay ran them and in one transaction, each on a fresh
 * database, all in a directory of its own.
 */
async function measureStoreSql(
  fixture: BenchFixture,
  workDir: string,
  flags: readonly string[],
  extra: { readonly commitItems?: number },
): Promise<{ perCommit: StoreSqlResult; oneTransaction: StoreSqlResult }> {
  const dir = join(workDir, `store-sql-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  try {
    await runChild({ task: 'store-sql-record', fixture, dir, ...extra }, workDir, flags);
    const rerun = async (oneTransaction: boolean): Promise<StoreSqlResult> =>
      (await runChild(
        {
          task: 'store-sql-rerun',
          fixture,
          dir,
          database: oneTransaction ? 'rerun-one-tx.db' : 'rerun.db',
          oneTransaction,
        },
        workDir,
        flags,
      )) as StoreSqlResult;
    return { perCommit: await rerun(false), oneTransaction: await rerun(true) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function removeDb(path: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) await rm(path + suffix, { force: true });
  }
}

const TARGET_NAMES: Record<BenchTarget, string> = { file: 'file:', sqld: 'sqld (HTTP)' };

/** Short names of the what-ifs, for the labels of their ratios. */
const VARIANT_NAMES: Record<string, string> = {
  'ledger-tracked': 'sync ledger tracked',
  'no-secondary-indexes': 'secondary indexes dropped',
  'store-sql': "the replay's own SQL alone",
};

/** The CLI's Node flags as one string, for labels. */
const CLI_FLAGS = (): string => cliNodeFlags().join(' ');

function describe(
  id: string,
  incrementalBase: number,
  readsReference: number,
): { label: string; unit: string } {
  const [kind = '', target = '', size = ''] = id.split('.');
  const read = describeReadFigure(kind, target, Number(size), readsReference);
  if (read !== null) return read;
  const where = TARGET_NAMES[target as BenchTarget] ?? target;
  const n = Number(size).toLocaleString('en-US');
  switch (kind) {
    case 'replay':
      return { label: `replay ${n} items → ${where}`, unit: 'items/s' };
    case 'ceiling':
      return target === 'file'
        ? { label: `ceiling: native libsql, 1 prepared stmt, 1 tx, ${n} rows`, unit: 'rows/s' }
        : {
            label: `baseline: @libsql/client multi-row batch per page → sqld, ${n} rows`,
            unit: 'rows/s',
          };
    case 'ratio':
      return {
        label: `replay ÷ same-run ${target === 'file' ? 'ceiling' : 'batch insert'}, ${n} items, ${where}`,
        unit: '×',
      };
    case 'rss':
      return { label: `peak RSS of the replaying process, ${n} items → ${where}`, unit: 'MB' };
    case 'rssCapped':
      return {
        label: `peak RSS of the replaying process, ${n} items → ${where}, node ${CLI_FLAGS()}`,
        unit: 'MB',
      };
    case 'replayCapped':
      return {
        label: `replay ${n} items → ${where}, node ${CLI_FLAGS()}`,
        unit: 'items/s',
      };
    case 'cappedGain':
      return {
        label: `replay with ${CLI_FLAGS()} ÷ same-run replay, ${n} items → ${where}`,
        unit: '×',
      };
    case 'serverRss':
      return { label: `peak RSS of sqld, ${n} items`, unit: 'MB' };
    case 'incremental':
      return { label: `one ~100-item page onto ${n} items → ${where}`, unit: 'ms' };
    case 'incrementalRatio':
      return {
        label: `incremental page cost at ${n} ÷ at ${incrementalBase.toLocaleString('en-US')} items → ${where}`,
        unit: '×',
      };
    case 'variant':
      return {
        label:
          target === 'store-sql'
            ? `what-if: the replay's own SQL alone (its reads and write batches rerun in order, no engine), ${n} items → file:`
            : `what-if: replay ${n} items → file: ${target === 'ledger-tracked' ? 'tracking the sync ledger (a database pushed from)' : 'with secondary indexes dropped'}`,
        unit: 'items/s',
      };
    case 'variantGain':
      return {
        label: `what-if ÷ same-run replay: ${VARIANT_NAMES[target] ?? target}`,
        unit: '×',
      };
    case 'sqlRatio':
      return {
        label:
          target === 'writes'
            ? `the replay's own write batches alone ÷ same-run ceiling, ${n} items → file:`
            : target === 'one-tx'
              ? `the replay's own SQL alone in one transaction ÷ same-run ceiling, ${n} items → file:`
              : `the replay's own SQL alone ÷ same-run ceiling, ${n} items → file:`,
        unit: '×',
      };
    case 'requests':
      return {
        label: `HTTP requests per page (max over commits of requests ÷ pages), ${n} items`,
        unit: 'requests',
      };
    case 'cliRss':
      return {
        label: `peak RSS of \`thingstape replay\` (the CLI, its own Node flags), ${n} items → ${where}`,
        unit: 'MB',
      };
    case 'cliSeconds':
      return {
        label: `wall time of \`thingstape replay\` (start-up and page reads included), ${n} items → ${where}`,
        unit: 's',
      };
    case 'requestsMean':
      return {
        label: `HTTP requests per page (base replay: requests ÷ pages), ${n} items`,
        unit: 'requests',
      };
    default:
      return { label: id, unit: '' };
  }
}

function buildFigures(
  values: Map<string, number[]>,
  loads: Map<string, number[]>,
  incrementalBase: number,
  readsReference: number,
): Figure[] {
  const figures: Figure[] = [];
  const push = (id: string, runs: number[], load: number[] | undefined): void => {
    const { label, unit } = describe(id, incrementalBase, readsReference);
    figures.push({ id, label, unit, runs, median: median(runs), ...(load ? { load } : {}) });
  };
  for (const [id, runs] of values) push(id, runs, loads.get(id));
  // Incremental ratio per run (same run, same target): cost at each size ÷ cost at the base size.
  for (const [id, runs] of values) {
    const [kind, target, size] = id.split('.');
    if (kind !== 'incremental' || Number(size) === incrementalBase) continue;
    const base = values.get(`incremental.${target}.${incrementalBase}`);
    if (base === undefined) continue;
    push(
      `incrementalRatio.${target}.${size}`,
      runs.map((v, i) => v / (base[i] ?? Number.NaN)),
      loads.get(id),
    );
  }
  return figures;
}

function judgeTargets(figures: readonly Figure[], options: BenchOptions): TargetResult[] {
  const get = (id: string): number | null => {
    const value = figures.find((f) => f.id === id)?.median;
    return value === undefined || Number.isNaN(value) ? null : value;
  };
  const largest = Math.max(...options.sizes);
  const smallest = Math.min(...options.sizes);
  const out: TargetResult[] = [];
  const judge = (
    id: string,
    label: string,
    value: number | null,
    limit: string,
    ok: (v: number) => boolean,
  ): void => {
    out.push({ id, label, value, limit, met: value === null ? null : ok(value) });
  };
  if (options.reads !== undefined) {
    for (const t of readTargets(options.reads)) judge(t.id, t.label, get(t.figure), t.limit, t.ok);
  }
  if (options.writes === false) return out;
  for (const size of options.sizes) {
    judge(
      `file-ratio-${size}`,
      `file: replay ÷ ceiling, ${size} items`,
      get(`ratio.file.${size}`),
      '≥ 0.50',
      (v) => v >= 0.5,
    );
    judge(
      `sqld-ratio-${size}`,
      `sqld replay ÷ batch insert rate, ${size} items`,
      get(`ratio.sqld.${size}`),
      '≥ 0.80',
      (v) => v >= 0.8,
    );
  }
  const rss = get(`rss.file.${largest}`);
  judge(`rss-${largest}`, `peak RSS, ${largest} items (file:)`, rss, '≤ 256 MB', (v) => v <= 256);
  const rssCapped = get(`rssCapped.file.${largest}`);
  judge(
    `rss-capped-${largest}`,
    `peak RSS, ${largest} items (file:), node ${CLI_FLAGS()}`,
    rssCapped,
    '≤ 256 MB',
    (v) => v <= 256,
  );
  judge(
    `rss-cli-${largest}`,
    `peak RSS, ${largest} items, \`thingstape replay\` (node ${CLI_FLAGS()})`,
    get(`cliRss.file.${largest}`),
    '≤ 256 MB',
    (v) => v <= 256,
  );
  judge(
    `rss-cli-sqld-${largest}`,
    `peak RSS, ${largest} items, \`thingstape replay --db <sqld>\` (node ${CLI_FLAGS()})`,
    get(`cliRss.sqld.${largest}`),
    '≤ 256 MB',
    (v) => v <= 256,
  );
  const rssSmall = get(`rss.file.${smallest}`);
  judge(
    'rss-flat',
    `peak RSS at ${largest} ÷ at ${smallest} items (file:)`,
    rss === null || rssSmall === null || largest === smallest ? null : rss / rssSmall,
    '≤ 1.25 (flat)',
    (v) => v <= 1.25,
  );
  for (const target of options.targets) {
    judge(
      `incremental-${target}`,
      `incremental page at ${largest} ÷ at ${options.incrementalBase} items (${target})`,
      get(`incrementalRatio.${target}.${largest}`),
      '≤ 2',
      (v) => v <= 2,
    );
  }
  judge(
    'round-trips',
    'HTTP round trips per page (max over commits and runs of requests ÷ pages)',
    Math.max(
      ...figures.filter((f) => f.id.startsWith('requests.')).flatMap((f) => f.runs),
      -Infinity,
    ) === -Infinity
      ? null
      : Math.max(...figures.filter((f) => f.id.startsWith('requests.')).flatMap((f) => f.runs)),
    '≤ 2',
    (v) => v <= 2,
  );
  return out;
}

/** Writes `results` as JSON to `file` (directories created). */
export async function writeResults(results: BenchResults, file: string): Promise<void> {
  await mkdir(resolve(file, '..'), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}

/**
 * A figure's value as printed: ratios with 2 decimals, MB and times with 1, counts whole (a mean
 * of requests with 2 decimals).
 */
export function formatNumber(value: number, unit: string): string {
  if (Number.isNaN(value)) return '–';
  if (unit === '×') return value.toFixed(2);
  if (unit === 'MB' || unit === 'ms' || unit === 's') return value.toFixed(1);
  if (unit === 'requests' && !Number.isInteger(value)) return value.toFixed(2);
  return Math.round(value).toLocaleString('en-US');
}

/** The 1-minute load averages of a figure's runs, as the tables show them ('' when unknown). */
export function formatLoads(figure: Pick<Figure, 'load'>): string {
  return figure.load === undefined ? '' : figure.load.map((l) => l.toFixed(1)).join(' / ');
}

/** The results as a plain-text table (figures, then targets). */
export function formatTable(results: BenchResults): string {
  const rows = results.figures.map((f) => [
    f.label,
    `${formatNumber(f.median, f.unit)} ${f.unit}`,
    f.runs.map((v) => formatNumber(v, f.unit)).join(' / '),
    formatLoads(f),
  ]);
  const header = ['figure', 'median', 'runs', 'load (1 min)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const m = results.machine;
  const out = [
    `thingstape bench — ${m.cpu}, ${m.cores} cores, ${m.memoryMb} MB, Node ${m.node}, @libsql/client ${m.libsqlClient}, libsql ${m.libsqlNative}, ${m.sqld ?? 'no sqld'}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'targets (medians):',
    ...results.targets.map(
      (t) =>
        `  ${t.met === null ? 'n/a ' : t.met ? 'met ' : 'MISS'}  ${t.label}: ${t.value === null ? '–' : t.value.toFixed(2)} (${t.limit})`,
    ),
  ];
  return `${out.join('\n')}\n`;
}
