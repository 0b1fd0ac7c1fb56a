/**
 * Renders results files of `thingstape bench` as Markdown tables (for docs/benchmarks.md):
 * `node bench/report.ts bench/results/a.json [b.json …]`; with `--reads` first, only the reads
 * part, compactly (bench/reads-report.ts).
 */
import { readFile } from 'node:fs/promises';
import { readsMarkdown } from './reads-report.ts';
import { formatLoads, formatNumber as format } from './output.ts';
import type { BenchResults, Figure } from './types.ts';

/** One results file as Markdown: machine, command, figures (median and every run), targets. */
export function toMarkdown(results: BenchResults, file: string): string {
  const m = results.machine;
  const row = (f: Figure): string =>
    `| ${f.label} | **${format(f.median, f.unit)}** ${f.unit} | ${f.runs.map((v) => format(v, f.unit)).join(' / ')} | ${formatLoads(f)} |`;
  const lines = [
    `#### \`${results.command}\` (${file})`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryMb.toLocaleString('en-US')} MB, ${m.os}; Node ${m.node}, @libsql/client ${m.libsqlClient}, libsql ${m.libsqlNative}, ${m.sqld ?? 'no sqld'}. ` +
      `Run ${results.startedAt} – ${results.finishedAt}, ${results.settings.runs} run(s), seed "${results.settings.seed}".`,
    '',
    '| figure | median | runs | load (1 min) |',
    '| --- | ---: | --- | --- |',
    ...results.figures.map(row),
    '',
    '| target | value (median) | limit | met |',
    '| --- | ---: | --- | --- |',
    // A one-size run cannot say whether RSS is flat across sizes (older files judged it anyway).
    ...results.targets
      .filter((t) => t.id !== 'rss-flat' || results.settings.sizes.length > 1)
      .map(
        (t) =>
          `| ${t.label} | ${t.value === null ? '–' : t.value.toFixed(2)} | ${t.limit} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`,
      ),
    '',
  ];
  return lines.join('\n');
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const readsOnly = args[0] === '--reads';
  for (const file of readsOnly ? args.slice(1) : args) {
    const results = JSON.parse(await readFile(file, 'utf8')) as BenchResults;
    process.stdout.write(
      readsOnly
        ? `#### \`${results.command}\` (${file})\n\n${readsMarkdown(results)}\n`
        : `${toMarkdown(results, file)}\n`,
    );
  }
}
