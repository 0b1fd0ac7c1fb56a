/**
 * The writes part of the benchmark, one run at a time: per history size and target, the same-run
 * ceiling, the replay through the real sync loop (throughput, peak RSS, incremental page cost,
 * HTTP requests per page), then at the throughput sizes the what-ifs (file:, smallest size), the
 * replay with the CLI's Node flags (file:) and `thingstape replay` as a user runs it. Each
 * measurement is one child process (bench/measure.ts); the figures' ids are labelled in
 * bench/figures.ts.
 */
import { cliFlagsLabel, cliNodeFlags } from './cli.ts';
import type { BenchFixture } from './fixture.ts';
import { writeFigureId, type WriteFigureKind } from './figures.ts';
import { measureCeiling, measureCli, measureReplay, measureStoreSql } from './measure.ts';
import { median } from './stats.ts';
import type { CeilingResult } from './tasks/ceiling.ts';
import type { QueryPlan } from './tasks/query-plans.ts';
import type { ReplayResult } from './tasks/replay.ts';
import type { BenchOptions, BenchTarget } from './types.ts';

/** What the writes part needs from the harness (bench/run.ts). */
export interface WritesHarness {
  /** Where the child tasks put their databases. */
  readonly workDir: string;
  /** Node flags of every child task. */
  readonly flags: readonly string[];
  /** `commitItems` of the library replays (empty: the sync loop's). */
  readonly commit: { readonly commitItems?: number };
  /** Records one run's value of a figure. */
  readonly add: (id: string, value: number) => void;
  /** Keeps a measurement's full result. */
  readonly record: (run: number, what: string, result: unknown) => void;
  /** Keeps the query plans of the replay that explained them. */
  readonly plans: (plans: readonly QueryPlan[]) => void;
  readonly log: (line: string) => void;
  /** Called after every replay (to keep a partial results file). */
  readonly partial: () => Promise<void>;
}

/** Run `run` of the write figures: every size of `fixtures` (ascending), every target. */
export async function runWritesOnce(
  run: number,
  fixtures: ReadonlyMap<number, BenchFixture>,
  targets: readonly BenchTarget[],
  options: BenchOptions,
  harness: WritesHarness,
): Promise<void> {
  const { workDir, flags, commit, record, log, partial } = harness;
  const figure = figureRecorder(harness);
  // What-if variants (where the write cost goes) at the smallest throughput size, file: only.
  const variantSize = Math.min(...options.sizes);
  for (const [size, fixture] of fixtures) {
    const throughput = options.sizes.includes(size);
    const ceilings: Partial<Record<BenchTarget, CeilingResult>> = {};
    for (const target of targets) {
      const tag = `run ${run}/${options.runs}, ${size} items, ${target}`;
      // Ceiling (only for throughput sizes).
      if (throughput) {
        log(`${tag}: ceiling`);
        ceilings[target] = await measureCeiling(target, fixture, workDir, flags, (r) =>
          record(run, `ceiling.${target}.${size}`, r),
        );
      }
      log(`${tag}: replay`);
      const explain = run === 1 && target === 'file' && size === options.incrementalBase;
      const { result, serverRssMb } = await measureReplay(target, fixture, workDir, flags, {
        explain,
        ...commit,
      });
      if (result.plans !== null) harness.plans(result.plans);
      record(run, `replay.${target}.${size}`, { ...result, serverRssMb });
      await partial();
      log(
        `${tag}: ${Math.round(result.itemsPerSecond)} items/s, peak RSS ${result.maxRssMb} MB, ` +
          `incremental ${median(result.incremental.map((p) => p.ms)).toFixed(1)} ms/page`,
      );
      figure('incremental', target, size, median(result.incremental.map((p) => p.ms)));
      if (result.requestsPerCommit !== null) {
        figure(
          'requests',
          target,
          size,
          Math.max(...result.requestsPerCommit.map((c) => c.requests / c.pages)),
        );
      }
      if (result.requestsPerBasePage !== null && throughput) {
        figure('requestsMean', target, size, result.requestsPerBasePage);
      }
      if (!throughput) continue;
      figure('replay', target, size, result.itemsPerSecond);
      if (options.variants !== false && target === 'file' && size === variantSize) {
        await measureWhatIfs(run, tag, fixture, size, result, ceilings.file, harness);
      }
      if (target === 'file') {
        // The same replay with the CLI's Node flags (young generation capped, a smaller heap
        // growing factor), as a library user can set them through NODE_OPTIONS (decision 0010).
        log(`${tag}: replay with ${cliFlagsLabel()}`);
        const capped = await measureReplay(
          target,
          fixture,
          workDir,
          [...flags, ...cliNodeFlags()],
          commit,
        );
        record(run, `capped.${target}.${size}`, capped.result);
        figure('replayCapped', target, size, capped.result.itemsPerSecond);
        figure('rssCapped', target, size, capped.result.maxRssMb);
        figure('cappedGain', target, size, capped.result.itemsPerSecond / result.itemsPerSecond);
      }
      {
        log(`${tag}: thingstape replay (the CLI, as a user runs it)`);
        const cli = await measureCli(target, fixture, workDir);
        record(run, `cli.${target}.${size}`, cli);
        figure('cliRss', target, size, cli.maxRssMb);
        figure('cliSeconds', target, size, cli.ms / 1000);
      }
      figure('rss', target, size, result.maxRssMb);
      if (serverRssMb !== null) figure('serverRss', target, size, serverRssMb);
      const ceiling = ceilings[target];
      if (ceiling !== undefined) {
        figure('ceiling', target, size, ceiling.rowsPerSecond);
        figure('ratio', target, size, result.itemsPerSecond / ceiling.rowsPerSecond);
      }
      await partial();
    }
  }
}

/**
 * The what-ifs of `fixture` into file:, beside the same run's `replay` and `ceiling`: the replay
 * tracking its sync ledger, with the secondary indexes dropped, and the replay's own SQL alone.
 */
async function measureWhatIfs(
  run: number,
  tag: string,
  fixture: BenchFixture,
  size: number,
  replay: ReplayResult,
  ceiling: CeilingResult | undefined,
  harness: WritesHarness,
): Promise<void> {
  const { workDir, flags, commit, record, log } = harness;
  const figure = figureRecorder(harness);
  for (const variant of ['ledger-tracked', 'no-secondary-indexes'] as const) {
    log(`${tag}: replay, what-if ${variant}`);
    const what = await measureReplay('file', fixture, workDir, flags, { variant, ...commit });
    record(run, `variant.${variant}.${size}`, what.result);
    figure('variant', variant, size, what.result.itemsPerSecond);
    figure('variantGain', variant, size, what.result.itemsPerSecond / replay.itemsPerSecond);
  }
  log(`${tag}: the replay's own SQL alone (no engine)`);
  const sql = await measureStoreSql(fixture, workDir, flags, commit);
  record(run, `variant.store-sql.${size}`, sql.perCommit);
  record(run, `variant.store-sql-one-tx.${size}`, sql.oneTransaction);
  figure('variant', 'store-sql', size, sql.perCommit.itemsPerSecond);
  figure('variantGain', 'store-sql', size, sql.perCommit.itemsPerSecond / replay.itemsPerSecond);
  if (ceiling !== undefined) {
    figure('sqlRatio', 'all', size, sql.perCommit.itemsPerSecond / ceiling.rowsPerSecond);
    figure(
      'sqlRatio',
      'writes',
      size,
      (sql.perCommit.writeItemsPerSecond ?? Number.NaN) / ceiling.rowsPerSecond,
    );
    figure('sqlRatio', 'one-tx', size, sql.oneTransaction.itemsPerSecond / ceiling.rowsPerSecond);
  }
}

/** Records one run's value of the write figure `kind.target.size`. */
function figureRecorder(
  harness: WritesHarness,
): (kind: WriteFigureKind, target: string, size: number, value: number) => void {
  return (kind, target, size, value) => harness.add(writeFigureId(kind, target, size), value);
}
