/**
 * The figures of a run: each figure id (`kind.target.size`) labelled with its unit, and the
 * figures built from every run's values (a median each), with the incremental ratios derived per
 * run. The reads' figures are labelled in bench/reads.ts.
 */
import { cliFlagsLabel } from './cli.ts';
import { describeReadFigure } from './reads.ts';
import { median } from './stats.ts';
import type { BenchTarget, Figure } from './types.ts';

const TARGET_NAMES: Record<BenchTarget, string> = { file: 'file:', sqld: 'sqld (HTTP)' };

/** Short names of the what-ifs, for the labels of their ratios. */
const VARIANT_NAMES: Record<string, string> = {
  'ledger-tracked': 'sync ledger tracked',
  'no-secondary-indexes': 'secondary indexes dropped',
  'store-sql': "the replay's own SQL alone",
};

/** The label and unit of figure `id`. */
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
        label: `peak RSS of the replaying process, ${n} items → ${where}, node ${cliFlagsLabel()}`,
        unit: 'MB',
      };
    case 'replayCapped':
      return {
        label: `replay ${n} items → ${where}, node ${cliFlagsLabel()}`,
        unit: 'items/s',
      };
    case 'cappedGain':
      return {
        label: `replay with ${cliFlagsLabel()} ÷ same-run replay, ${n} items → ${where}`,
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

/** Every figure of `values` (id → each run's value), then the incremental ratios. */
export function buildFigures(
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
