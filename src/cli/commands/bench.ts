import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ThingstapeError } from '../../errors.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';
import { UsageError } from '../usage-error.ts';

interface BenchArgs {
  readonly quick: boolean;
  readonly runs: number;
  readonly out: string | undefined;
  readonly sizes: string | undefined;
  readonly targets: string;
  readonly cacheDir: string | undefined;
  readonly cpuProf: string | undefined;
  readonly variants: boolean;
  readonly commitItems: number | undefined;
}

/** The benchmark harness lives in the source checkout (bench/), not in the published package. */
const BENCH_MODULE = fileURLToPath(new URL('../../../bench/run.ts', import.meta.url));

/** `thingstape bench`: replay throughput, ceilings, memory, incremental cost, round trips. */
export const benchCommand = defineCommand<BenchArgs>({
  command: 'bench',
  describe:
    'Benchmark replay into file: and a local sqld against same-run ceilings; prints a table and writes JSON results (source checkout only)',
  builder: (yargs) =>
    yargs
      .option('quick', {
        type: 'boolean',
        default: false,
        describe: 'Small histories (10k and 50k items): a smoke test of a few minutes',
      })
      .option('runs', { type: 'number', default: 3, describe: 'Runs per figure (median reported)' })
      .option('out', {
        type: 'string',
        describe: 'Results JSON file (default: bench/results/bench-<time>.json)',
      })
      .option('sizes', {
        type: 'string',
        describe:
          'Comma-separated history sizes in items (default 100000,1000000; quick 10000,50000)',
      })
      .option('targets', {
        type: 'string',
        default: 'file,sqld',
        describe: 'Where to replay: file, sqld or both',
      })
      .option('cache-dir', {
        type: 'string',
        describe: 'Where generated histories are cached (default: bench/results/cache)',
      })
      .option('variants', {
        type: 'boolean',
        default: true,
        describe:
          "Also replay the smallest size into a database tracking its sync ledger (as one pushed from), then with the secondary indexes dropped, then rerun the replay's own SQL with no engine (--no-variants skips)",
      })
      .option('commit-items', {
        type: 'number',
        describe:
          'Commit the library replays in batches of pages holding at least this many items (default: the sync default; 1 = one commit per page); the CLI measurement always runs with the default',
      })
      .option('cpu-prof', {
        type: 'string',
        describe: 'Write a V8 CPU profile of every measurement into this directory',
      }) as never,
  run: async (args, io) => {
    if (!existsSync(BENCH_MODULE)) {
      throw new ThingstapeError(
        'BENCH_UNAVAILABLE',
        `Cannot run the benchmark: ${BENCH_MODULE} is missing; it ships with the source checkout, not the npm package`,
      );
    }
    if (!Number.isSafeInteger(args.runs) || args.runs < 1) {
      throw new UsageError(`--runs must be a positive whole number, got ${args.runs}`);
    }
    if (
      args.commitItems !== undefined &&
      (!Number.isSafeInteger(args.commitItems) || args.commitItems < 1)
    ) {
      throw new UsageError(
        `--commit-items must be a positive whole number, got ${args.commitItems}`,
      );
    }
    const bench = (await import(BENCH_MODULE)) as typeof import('../../../bench/run.ts');
    const preset = args.quick ? bench.BENCH_PRESETS.quick : bench.BENCH_PRESETS.full;
    const sizes =
      args.sizes === undefined
        ? preset.sizes
        : args.sizes.split(',').map((s) => {
            const n = Number(s.trim());
            if (!Number.isSafeInteger(n) || n < 100) {
              throw new UsageError(
                `--sizes must list whole numbers of at least 100, got ${JSON.stringify(s)}`,
              );
            }
            return n;
          });
    const targets = args.targets.split(',').map((t) => t.trim());
    for (const t of targets) {
      if (t !== 'file' && t !== 'sqld') {
        throw new UsageError(`--targets must list file and/or sqld, got ${JSON.stringify(t)}`);
      }
    }
    const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
    const out =
      args.out === undefined
        ? resolve(
            root,
            'bench/results',
            `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
          )
        : resolve(io.cwd, args.out);
    const results = await bench.runBench({
      sizes,
      incrementalBase: Math.min(preset.incrementalBase, ...sizes),
      runs: args.runs,
      variants: args.variants,
      ...(args.commitItems === undefined ? {} : { commitItems: args.commitItems }),
      targets: targets as ('file' | 'sqld')[],
      incrementalPages: 10,
      incrementalItems: 100,
      seed: 'bench',
      cacheDir:
        args.cacheDir === undefined
          ? resolve(root, 'bench/results/cache')
          : resolve(io.cwd, args.cacheDir),
      command: `thingstape bench ${process.argv.slice(3).join(' ')}`.trim(),
      ...(args.cpuProf === undefined
        ? {}
        : { childFlags: ['--cpu-prof', '--cpu-prof-dir', resolve(io.cwd, args.cpuProf)] }),
      log: (line) => io.stderr(`bench: ${line}\n`),
      // A long run keeps a partial results file, so an interrupted run still leaves its figures.
      onPartial: (partial) => bench.writeResults(partial, out),
    });
    await bench.writeResults(results, out);
    if (args.json) io.stdout(`${JSON.stringify(results)}\n`);
    else io.stdout(`${bench.formatTable(results)}\nResults written to ${out}\n`);
    return EXIT.ok;
  },
});
