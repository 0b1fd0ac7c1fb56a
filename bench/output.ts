/** What a run leaves: the results JSON file, and its figures and targets as a plain-text table. */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BenchResults, Figure } from './types.ts';

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
