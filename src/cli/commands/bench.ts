import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ThingstapeError } from '../../errors.ts';
import { defineCommand } from '../command.ts';
import { jsonLine } from '../format.ts';
import { EXIT } from '../io.ts';
import { wholeNumberOption } from '../options.ts';
import { UsageError } from '../usage-error.ts';

interface BenchArgs {
  readonly quick: boolean;
  readonly runs: number;
  readonly out: string | undefined;
  readonly sizes: readonly number[] | undefined;
  readonly targets: readonly ('file' | 'sqld')[];
  readonly cacheDir: string | undefined;
  readonly cpuProf: string | undefined;
  readonly variants: boolean;
  readonly commitItems: number | undefined;
  readonly reads: boolean;
  readonly readsOnly: boolean;
  readonly readsWhatIfSizes: readonly number[] | undefined;
}

/** The benchmark harness lives in the source checkout (bench/), not in the published package. */
const BENCH_MODULE = fileURLToPath(new URL('../../../bench/index.ts', import.meta.url));

/** The reads' ratios compare each size with this one (or with the smallest size, if smaller). */
const READS_REFERENCE_SIZE = 10_000;

/** `thingstape bench`: replay throughput, ceilings, memory, incremental cost, round trips. */
export const benchCommand = defineCommand<BenchArgs>({
  command: 'bench',
  describe:
    'Benchmark replay into file: and a local sqld against same-run ceilings, and reads (lists, search, change log) on replayed histories; prints a table and writes JSON results (source checkout only)',
  examples: [
    ['bench --quick', 'a smoke run of a few minutes (10k and 50k items)'],
    ['bench --sizes 100000 --targets file --runs 1 --no-variants', 'one size, one target, one run'],
    [
      'bench --reads-only --sizes 10000,100000,1000000 --runs 3',
      'the reads alone: library and CLI reads on 10k, 100k and 1M items',
    ],
  ],
  builder: (yargs) =>
    yargs
      .option('quick', {
        type: 'boolean',
        default: false,
        describe: 'Small histories (10k and 50k items): a smoke test of a few minutes',
      })
      .option('runs', {
        ...wholeNumberOption('--runs', 'Runs per figure (median reported)', { min: 1 }),
        default: 3,
      })
      .option('out', {
        type: 'string',
        requiresArg: true,
        describe: 'Results JSON file (default: bench/results/bench-<time>.json)',
      })
      .option('sizes', {
        type: 'string',
        requiresArg: true,
        describe:
          'Comma-separated history sizes in items (default 100000,1000000; quick 10000,50000)',
        coerce: (value: unknown) => parseSizes(String(value)),
      })
      .option('targets', {
        type: 'string',
        requiresArg: true,
        default: 'file,sqld',
        describe: 'Where to replay: file, sqld or both',
        coerce: (value: unknown) => parseTargets(String(value)),
      })
      .option('cache-dir', {
        type: 'string',
        requiresArg: true,
        describe: 'Where generated histories are cached (default: bench/results/cache)',
      })
      .option('variants', {
        type: 'boolean',
        default: true,
        describe:
          "Also replay the smallest size into a database tracking its sync ledger (as one pushed from), then with the secondary indexes dropped, then rerun the replay's own SQL with no engine (--no-variants skips)",
      })
      .option(
        'commit-items',
        wholeNumberOption(
          '--commit-items',
          'Commit the library replays in batches of pages holding at least this many items (default: the sync default; 1 = one commit per page); the CLI measurement always runs with the default',
          { min: 1 },
        ),
      )
      .option('reads', {
        type: 'boolean',
        default: true,
        describe:
          'Also time the reads (every list, search, the change log; library and CLI beside status) on histories of `thingstape gen --seed 11` replayed into file:, at 10,000 items and every size (--no-reads skips)',
      })
      .option('reads-only', {
        type: 'boolean',
        default: false,
        describe: 'Time only the reads (no replay throughput, ceilings or what-ifs)',
      })
      .option('reads-what-if-sizes', {
        type: 'string',
        requiresArg: true,
        describe:
          "Sizes at which the reads' history is also replayed with and without the reads' indexes (default: every reads size; --no-variants: none)",
        coerce: (value: unknown) => parseSizes(String(value)),
      })
      .check((args) => {
        if (args.readsOnly && !args.reads) {
          throw new UsageError('--reads-only and --no-reads ask for nothing to measure');
        }
        return true;
      })
      .option('cpu-prof', {
        type: 'string',
        requiresArg: true,
        describe: 'Write a V8 CPU profile of every measurement into this directory',
      }),
  run: async (args, io) => {
    if (!existsSync(BENCH_MODULE)) {
      throw new ThingstapeError(
        'BENCH_UNAVAILABLE',
        `Cannot run the benchmark: ${BENCH_MODULE} is missing; it ships with the source checkout, not the npm package`,
      );
    }
    const bench = (await import(BENCH_MODULE)) as typeof import('../../../bench/index.ts');
    const preset = args.quick ? bench.BENCH_PRESETS.quick : bench.BENCH_PRESETS.full;
    const sizes = args.sizes ?? preset.sizes;
    const { targets } = args;
    const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
    const out =
      args.out === undefined
        ? resolve(
            root,
            'bench/results',
            `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
          )
        : resolve(io.cwd, args.out);
    const readsSizes = [...new Set([Math.min(READS_REFERENCE_SIZE, ...sizes), ...sizes])];
    const results = await bench.runBench({
      writes: !args.readsOnly,
      ...(args.reads || args.readsOnly
        ? {
            reads: {
              ...bench.READS_DEFAULTS,
              sizes: readsSizes,
              whatIfSizes: args.variants ? (args.readsWhatIfSizes ?? readsSizes) : [],
            },
          }
        : {}),
      sizes: [...sizes],
      incrementalBase: Math.min(preset.incrementalBase, ...sizes),
      runs: args.runs,
      variants: args.variants,
      ...(args.commitItems === undefined ? {} : { commitItems: args.commitItems }),
      targets: [...targets],
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
    if (args.json) io.stdout(jsonLine(results));
    else io.stdout(`${bench.formatTable(results)}\nResults written to ${out}\n`);
    return EXIT.ok;
  },
});

function parseSizes(text: string): number[] {
  return text.split(',').map((s) => {
    const n = Number(s.trim());
    if (s.trim() === '' || !Number.isSafeInteger(n) || n < 100) {
      throw new UsageError(
        `--sizes: expected whole numbers of at least 100, separated by commas, got ${JSON.stringify(s)}`,
      );
    }
    return n;
  });
}

function parseTargets(text: string): ('file' | 'sqld')[] {
  return text.split(',').map((t) => {
    const target = t.trim();
    if (target !== 'file' && target !== 'sqld') {
      throw new UsageError(`--targets: expected file and/or sqld, got ${JSON.stringify(t)}`);
    }
    return target;
  });
}
