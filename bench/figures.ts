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

/** A figure's label and unit. */
interface Label {
  readonly label: string;
  readonly unit: string;
}

/** What a write figure's label is made of: its id's target and size, and the run's settings. */
interface LabelParts {
  /** The id's target part (`file`, `sqld`, a what-if's name, …). */
  readonly target: string;
  /** The target as the labels name it (`file:`, `sqld (HTTP)`). */
  readonly where: string;
  /** The size, with thousands separators. */
  readonly n: string;
  readonly incrementalBase: number;
}

/**
 * Every kind of write figure and its label: an id `kind.target.size` is made by
 * {@link writeFigureId}, so a kind without a label does not compile.
 */
const WRITE_FIGURES = {
  replay: ({ n, where }) => ({ label: `replay ${n} items → ${where}`, unit: 'items/s' }),
  ceiling: ({ n, target }) =>
    target === 'file'
      ? { label: `ceiling: native libsql, 1 prepared stmt, 1 tx, ${n} rows`, unit: 'rows/s' }
      : {
          label: `baseline: @libsql/client multi-row batch per page → sqld, ${n} rows`,
          unit: 'rows/s',
        },
  ratio: ({ n, target, where }) => ({
    label: `replay ÷ same-run ${target === 'file' ? 'ceiling' : 'batch insert'}, ${n} items, ${where}`,
    unit: '×',
  }),
  rss: ({ n, where }) => ({
    label: `peak RSS of the replaying process, ${n} items → ${where}`,
    unit: 'MB',
  }),
  rssCapped: ({ n, where }) => ({
    label: `peak RSS of the replaying process, ${n} items → ${where}, node ${cliFlagsLabel()}`,
    unit: 'MB',
  }),
  replayCapped: ({ n, where }) => ({
    label: `replay ${n} items → ${where}, node ${cliFlagsLabel()}`,
    unit: 'items/s',
  }),
  cappedGain: ({ n, where }) => ({
    label: `replay with ${cliFlagsLabel()} ÷ same-run replay, ${n} items → ${where}`,
    unit: '×',
  }),
  serverRss: ({ n }) => ({ label: `peak RSS of sqld, ${n} items`, unit: 'MB' }),
  incremental: ({ n, where }) => ({
    label: `one ~100-item page onto ${n} items → ${where}`,
    unit: 'ms',
  }),
  incrementalRatio: ({ n, where, incrementalBase }) => ({
    label: `incremental page cost at ${n} ÷ at ${incrementalBase.toLocaleString('en-US')} items → ${where}`,
    unit: '×',
  }),
  variant: ({ n, target }) => ({
    label:
      target === 'store-sql'
        ? `what-if: the replay's own SQL alone (its reads and write batches rerun in order, no engine), ${n} items → file:`
        : `what-if: replay ${n} items → file: ${target === 'ledger-tracked' ? 'tracking the sync ledger (a database pushed from)' : 'with secondary indexes dropped'}`,
    unit: 'items/s',
  }),
  variantGain: ({ target }) => ({
    label: `what-if ÷ same-run replay: ${VARIANT_NAMES[target] ?? target}`,
    unit: '×',
  }),
  sqlRatio: ({ n, target }) => ({
    label:
      target === 'writes'
        ? `the replay's own write batches alone ÷ same-run ceiling, ${n} items → file:`
        : target === 'one-tx'
          ? `the replay's own SQL alone in one transaction ÷ same-run ceiling, ${n} items → file:`
          : `the replay's own SQL alone ÷ same-run ceiling, ${n} items → file:`,
    unit: '×',
  }),
  requests: ({ n }) => ({
    label: `HTTP requests per page (max over commits of requests ÷ pages), ${n} items`,
    unit: 'requests',
  }),
  cliRss: ({ n, where }) => ({
    label: `peak RSS of \`thingstape replay\` (the CLI, its own Node flags), ${n} items → ${where}`,
    unit: 'MB',
  }),
  cliSeconds: ({ n, where }) => ({
    label: `wall time of \`thingstape replay\` (start-up and page reads included), ${n} items → ${where}`,
    unit: 's',
  }),
  requestsMean: ({ n }) => ({
    label: `HTTP requests per page (base replay: requests ÷ pages), ${n} items`,
    unit: 'requests',
  }),
} satisfies Record<string, (parts: LabelParts) => Label>;

/** A kind of write figure: the first part of its id. */
export type WriteFigureKind = keyof typeof WRITE_FIGURES;

/** The id of a write figure: `kind.target.size`. */
export function writeFigureId(kind: WriteFigureKind, target: string, size: number): string {
  return `${kind}.${target}.${size}`;
}

/** The label and unit of figure `id` (a kind no table names is labelled with its id). */
function describe(id: string, incrementalBase: number, readsReference: number): Label {
  const [kind = '', target = '', size = ''] = id.split('.');
  const read = describeReadFigure(kind, target, Number(size), readsReference);
  if (read !== null) return read;
  if (!Object.hasOwn(WRITE_FIGURES, kind)) return { label: id, unit: '' };
  return WRITE_FIGURES[kind as WriteFigureKind]({
    target,
    where: TARGET_NAMES[target as BenchTarget] ?? target,
    n: Number(size).toLocaleString('en-US'),
    incrementalBase,
  });
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
      writeFigureId('incrementalRatio', target ?? '', Number(size)),
      runs.map((v, i) => v / (base[i] ?? Number.NaN)),
      loads.get(id),
    );
  }
  return figures;
}
