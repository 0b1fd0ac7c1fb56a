/**
 * The benchmark's targets, judged on the figures' medians: replay ÷ ceiling, peak RSS (flat
 * across sizes, within 256 MB for the library and the CLI), incremental page cost, HTTP round
 * trips per page, and the reads' targets (bench/reads.ts).
 */
import { cliFlagsLabel } from './cli.ts';
import { writeFigureId } from './figures.ts';
import { readTargets } from './reads.ts';
import type { BenchOptions, Figure, TargetResult } from './types.ts';

/** Every target of a run with `options`; one whose figure was not measured has `met: null`. */
export function judgeTargets(figures: readonly Figure[], options: BenchOptions): TargetResult[] {
  const get = (id: string): number | null => {
    const value = figures.find((f) => f.id === id)?.median;
    return value === undefined || Number.isNaN(value) ? null : value;
  };
  const largest = Math.max(...options.sizes);
  const smallest = Math.min(...options.sizes);
  const out: TargetResult[] = [];
  const judge = (
    id: string,
    label: string,
    value: number | null,
    limit: string,
    ok: (v: number) => boolean,
  ): void => {
    out.push({ id, label, value, limit, met: value === null ? null : ok(value) });
  };
  if (options.reads !== undefined) {
    for (const t of readTargets(options.reads)) judge(t.id, t.label, get(t.figure), t.limit, t.ok);
  }
  if (options.writes === false) return out;
  for (const size of options.sizes) {
    judge(
      `file-ratio-${size}`,
      `file: replay ÷ ceiling, ${size} items`,
      get(writeFigureId('ratio', 'file', size)),
      '≥ 0.50',
      (v) => v >= 0.5,
    );
    judge(
      `sqld-ratio-${size}`,
      `sqld replay ÷ batch insert rate, ${size} items`,
      get(writeFigureId('ratio', 'sqld', size)),
      '≥ 0.80',
      (v) => v >= 0.8,
    );
  }
  const rss = get(writeFigureId('rss', 'file', largest));
  judge(`rss-${largest}`, `peak RSS, ${largest} items (file:)`, rss, '≤ 256 MB', (v) => v <= 256);
  const rssCapped = get(writeFigureId('rssCapped', 'file', largest));
  judge(
    `rss-capped-${largest}`,
    `peak RSS, ${largest} items (file:), node ${cliFlagsLabel()}`,
    rssCapped,
    '≤ 256 MB',
    (v) => v <= 256,
  );
  judge(
    `rss-cli-${largest}`,
    `peak RSS, ${largest} items, \`thingstape replay\` (node ${cliFlagsLabel()})`,
    get(writeFigureId('cliRss', 'file', largest)),
    '≤ 256 MB',
    (v) => v <= 256,
  );
  judge(
    `rss-cli-sqld-${largest}`,
    `peak RSS, ${largest} items, \`thingstape replay --db <sqld>\` (node ${cliFlagsLabel()})`,
    get(writeFigureId('cliRss', 'sqld', largest)),
    '≤ 256 MB',
    (v) => v <= 256,
  );
  const rssSmall = get(writeFigureId('rss', 'file', smallest));
  judge(
    'rss-flat',
    `peak RSS at ${largest} ÷ at ${smallest} items (file:)`,
    rss === null || rssSmall === null || largest === smallest ? null : rss / rssSmall,
    '≤ 1.25 (flat)',
    (v) => v <= 1.25,
  );
  for (const target of options.targets) {
    judge(
      `incremental-${target}`,
      `incremental page at ${largest} ÷ at ${options.incrementalBase} items (${target})`,
      get(writeFigureId('incrementalRatio', target, largest)),
      '≤ 2',
      (v) => v <= 2,
    );
  }
  judge(
    'round-trips',
    'HTTP round trips per page (max over commits and runs of requests ÷ pages)',
    Math.max(
      ...figures.filter((f) => f.id.startsWith('requests.')).flatMap((f) => f.runs),
      -Infinity,
    ) === -Infinity
      ? null
      : Math.max(...figures.filter((f) => f.id.startsWith('requests.')).flatMap((f) => f.runs)),
    '≤ 2',
    (v) => v <= 2,
  );
  return out;
}
