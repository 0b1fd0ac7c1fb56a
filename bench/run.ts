/**
 * The benchmark harness: replay throughput into `file:` and a local sqld, the same-run ceilings,
 * peak RSS, incremental page cost and HTTP round trips per page (bench/writes.ts), then the reads
 * (bench/reads.ts). Every measurement runs in its own child process (bench/child.ts) on a fresh
 * database; the results are medians over `runs`.
 *
 * The HTTP layer of Things Cloud is bypassed: pages are read from a generated fixture on disk by
 * an in-process HistorySource (their read time is measured and subtracted); everything after
 * that (decode, fold, load, commit) is the real sync loop.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_COMMIT_ITEMS } from '../src/sync/index.ts';
import { hasSqld } from '../tools/sqld.ts';
import { buildFigures } from './figures.ts';
import { ensureBenchFixture, type BenchFixture } from './fixture.ts';
import { machineInfo } from './machine.ts';
import { measureReplay } from './measure.ts';
import { ensureReadsHistory, runReadsOnce, type ReadsHistory } from './reads.ts';
import type { ReadsResult } from './reads-child.ts';
import { runChild } from './spawn.ts';
import type { QueryPlan } from './tasks/query-plans.ts';
import { judgeTargets } from './targets.ts';
import { BENCH_RESULTS_VERSION, type BenchOptions, type BenchResults } from './types.ts';
import { runWritesOnce } from './writes.ts';

/** The sizes of `thingstape bench` (full) and `--quick`. */
export const BENCH_PRESETS = {
  full: { sizes: [100_000, 1_000_000], incrementalBase: 10_000 },
  quick: { sizes: [10_000, 50_000], incrementalBase: 10_000 },
} as const;

/** Runs the benchmark and returns its results (nothing is written: see `writeResults`, bench/output.ts). */
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
    await runWritesOnce(run, fixtures, targets, options, {
      workDir,
      flags,
      commit,
      add,
      record: (r, what, result) => raw.push({ run: r, what, result }),
      plans: (explained) => {
        plans = explained;
      },
      log,
      partial,
    });
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
