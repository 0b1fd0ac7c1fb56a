/**
 * The reads part of a results file as compact Markdown tables (for docs/benchmarks.md, "Reads"):
 * one row per read with its median at every size and its ratio, the CLI's reads beside `status`,
 * and the replay with and without the reads' indexes. `node bench/report.ts --reads file.json`.
 */
import { CLI_READ_NAMES, CLI_READS, READ_QUERIES, READ_QUERY_NAMES } from './read-queries.ts';
import type { BenchResults, Figure } from './types.ts';

/** A value as the tables print it: times and sizes with 1 decimal (2 under 10), ratios with 2. */
function format(value: number | undefined, unit: 'ms' | 'MB' | '×' | 'items/s'): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (unit === '×') return value.toFixed(2);
  if (unit === 'items/s') return Math.round(value).toLocaleString('en-US');
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

/** The range of the load averages behind a set of figures, e.g. "1.0–9.8". */
function loadRange(figures: readonly Figure[]): string {
  const loads = figures.flatMap((f) => f.load ?? []).filter((l) => !Number.isNaN(l));
  if (loads.length === 0) return 'unknown';
  const low = Math.min(...loads).toFixed(1);
  const high = Math.max(...loads).toFixed(1);
  return low === high ? low : `${low}–${high}`;
}

/** The reads part of `results` as Markdown, or a line saying it did not run. */
export function readsMarkdown(results: BenchResults): string {
  const reads = results.reads;
  if (reads === undefined) return 'No reads in this results file.\n';
  const sizes = [...reads.sizes].sort((a, b) => a - b);
  const smallest = sizes[0] ?? 0;
  const largest = sizes.at(-1) ?? 0;
  const byId = new Map(results.figures.map((f) => [f.id, f]));
  const used: Figure[] = [];
  const get = (id: string): number | undefined => {
    const figure = byId.get(id);
    if (figure !== undefined) used.push(figure);
    return figure?.median;
  };
  const k = (n: number): string =>
    n >= 1_000_000 && n % 1_000_000 === 0
      ? `${n / 1_000_000}M`
      : n >= 1000 && n % 1000 === 0
        ? `${n / 1000}k`
        : String(n);
  const viewSizes = sizes.filter((s) => s <= reads.viewMaxSize);
  const viewLargest = viewSizes.at(-1) ?? smallest;
  const out: string[] = [];

  const header = [
    'read',
    ...sizes.map((s) => `${k(s)} ms`),
    ...(sizes.length > 1 ? [`${k(largest)} ÷ ${k(smallest)}`] : []),
    `with total, ${k(largest)} ms`,
    ...viewSizes.map((s) => `before, ${k(s)} ms`),
    ...(viewLargest > smallest ? [`before, ${k(viewLargest)} ÷ ${k(smallest)}`] : []),
  ];
  out.push(
    `| ${header.join(' | ')} |`,
    `| --- | ${header
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
  );
  for (const query of READ_QUERY_NAMES) {
    out.push(
      `| \`${READ_QUERIES[query]}\` | ${[
        ...sizes.map((s) => format(get(`read.${query}.${s}`), 'ms')),
        ...(sizes.length > 1 ? [format(get(`readRatio.${query}.${largest}`), '×')] : []),
        format(get(`readCount.${query}.${largest}`), 'ms'),
        ...viewSizes.map((s) => format(get(`readView.${query}.${s}`), 'ms')),
        ...(viewLargest > smallest
          ? [format(get(`readViewRatio.${query}.${viewLargest}`), '×')]
          : []),
      ].join(' | ')} |`,
    );
  }
  const libraryLoad = loadRange(used);
  used.length = 0;

  out.push(
    '',
    `| CLI (wall ms, peak RSS MB) | ${sizes.map(k).join(' | ')} | ${k(largest)}: − status, ÷ status |`,
  );
  out.push(`| --- | ${sizes.map(() => '---:').join(' | ')} | ---: |`);
  for (const name of CLI_READ_NAMES) {
    const cells = sizes.map(
      (s) =>
        `${format(get(`cliReadMs.${name}.${s}`), 'ms')} ms, ${format(get(`cliReadRss.${name}.${s}`), 'MB')} MB`,
    );
    const versus =
      name === 'status'
        ? '—'
        : `${format(get(`cliReadOverStatus.${name}.${largest}`), 'ms')} ms, ${format(get(`cliReadRssRatio.${name}.${largest}`), '×')}×`;
    out.push(`| \`thingstape ${CLI_READS[name].join(' ')}\` | ${cells.join(' | ')} | ${versus} |`);
  }
  const cliLoad = loadRange(used);
  used.length = 0;

  let whatIfLoad: string | null = null;
  // Results files written before the what-if existed have no whatIfSizes.
  const whatIfSizes = (reads as Partial<typeof reads>).whatIfSizes ?? [];
  if (whatIfSizes.length > 0) {
    out.push(
      '',
      "| replay into `file:` (items/s) | with the reads' indexes | without them | with ÷ without |",
      '| --- | ---: | ---: | ---: |',
    );
    for (const size of [...whatIfSizes].sort((a, b) => a - b)) {
      out.push(
        `| ${size.toLocaleString('en-US')} items | ${format(get(`readsReplay.default.${size}`), 'items/s')} | ${format(get(`readsReplay.no-read-indexes.${size}`), 'items/s')} | ${format(get(`readIndexCost.file.${size}`), '×')} |`,
      );
    }
    whatIfLoad = loadRange(used);
  }
  out.push(
    '',
    `Load average (1 min) while the figures were taken: library ${libraryLoad}, CLI ${cliLoad}` +
      `${whatIfLoad === null ? '' : `, replays ${whatIfLoad}`}.`,
    '',
  );
  return out.join('\n');
}
