/** What `thingstape bench` runs (src/cli/commands/bench.ts loads it from a source checkout). */
export { READS_DEFAULTS } from './reads.ts';
export { formatTable, writeResults } from './output.ts';
export { BENCH_PRESETS, runBench } from './run.ts';
