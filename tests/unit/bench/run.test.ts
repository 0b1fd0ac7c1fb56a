import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNumber, formatTable, writeResults } from '../../../bench/output.ts';
import { runBench } from '../../../bench/run.ts';
import { median } from '../../../bench/stats.ts';
import type { ReplayResult } from '../../../bench/tasks/replay.ts';
import type { StoreSqlResult } from '../../../bench/tasks/store-sql.ts';
import type { BenchResults } from '../../../bench/types.ts';
import { DEFAULT_COMMIT_ITEMS } from '../../../src/sync/index.ts';
import { hasSqld } from '../../../tools/sqld.ts';

describe('median()', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('formatNumber()', () => {
  it('prints ratios, sizes, times and counts as the tables show them', () => {
    expect(formatNumber(0.1234, '×')).toBe('0.12');
    expect(formatNumber(193.44, 'MB')).toBe('193.4');
    expect(formatNumber(11.66, 's')).toBe('11.7');
    expect(formatNumber(11951.4, 'items/s')).toBe('11,951');
    expect(formatNumber(2, 'requests')).toBe('2');
    expect(formatNumber(1.1611, 'requests')).toBe('1.16');
    expect(formatNumber(Number.NaN, 'ms')).toBe('–');
  });
});

describe.skipIf(!hasSqld())('runBench() on sqld', () => {
  let dir: string;
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("counts each commit's HTTP requests: its pages' entity reads and its one write", async () => {
    dir = await mkdtemp(join(tmpdir(), 'thingstape-bench-test-'));
    // Pages of ~670 items in commits of up to 1,000: commits of two pages are counted too.
    const results = await runBench({
      sizes: [4000],
      incrementalBase: 4000,
      runs: 1,
      targets: ['sqld'],
      incrementalPages: 2,
      incrementalItems: 20,
      seed: 'bench-test',
      cacheDir: join(dir, 'cache'),
      command: 'vitest',
      commitItems: 1000,
    });
    const replays = results.raw.filter((r) => r.what === 'replay.sqld.4000');
    expect(replays).toHaveLength(1);
    const replay = replays[0]?.result as ReplayResult;
    expect(replay.task).toBe('replay');
    const commits = replay.requestsPerCommit ?? [];
    // The base pages in commits of several pages, then one commit per incremental sync.
    expect(commits.slice(-2).map((c) => c.pages)).toEqual([1, 1]);
    expect(commits.some((c) => c.pages > 1)).toBe(true);
    expect(commits.reduce((a, c) => a + c.pages, 0)).toBe(replay.pages + 2);
    for (const c of commits) {
      expect(c.writes).toBe(1);
      expect(c.reads).toBeGreaterThanOrEqual(0);
      expect(c.reads).toBeLessThanOrEqual(c.pages);
      expect(c.requests).toBe(c.reads + c.writes);
    }
    // One setup request (the sync state) per sync: the base one and each incremental page's.
    expect(replay.setupRequests).toBe(3);
    const max = results.figures.find((f) => f.id === 'requests.sqld.4000');
    expect(max?.median).toBe(Math.max(...commits.map((c) => c.requests / c.pages)));
    expect(max?.median).toBeLessThanOrEqual(2);
    // The CLI replays into a sqld of its own too; its peak RSS is a figure and a target.
    const cli = results.raw.find((r) => r.what === 'cli.sqld.4000')?.result as
      { items: number; maxRssMb: number } | undefined;
    expect(cli?.items).toBe(replay.items + replay.incremental.reduce((a, p) => a + p.items, 0));
    expect(cli?.maxRssMb).toBeGreaterThan(0);
    expect(results.figures.find((f) => f.id === 'cliRss.sqld.4000')?.median).toBe(cli?.maxRssMb);
    expect(results.targets.find((t) => t.id === 'rss-cli-sqld-4000')?.value).toBe(cli?.maxRssMb);
  });
});

describe('runBench()', () => {
  let dir: string;
  let results: BenchResults;
  // file: only, to keep the suite fast; sqld figures take the same code path.
  const targets = ['file'] as const;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'thingstape-bench-test-'));
    results = await runBench({
      sizes: [400],
      incrementalBase: 200,
      runs: 1,
      targets,
      incrementalPages: 2,
      incrementalItems: 20,
      seed: 'bench-test',
      cacheDir: join(dir, 'cache'),
      workDir: join(dir, 'work'),
      command: 'vitest',
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the machine and the settings', () => {
    expect(results.format).toBe('thingstape-bench');
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.node).toBe(process.version);
    expect(results.machine.libsqlClient).toMatch(/^\d+\.\d+\.\d+/);
    expect(results.machine.libsqlNative).toMatch(/^\d+\.\d+\.\d+/);
    expect(results.settings).toMatchObject({
      sizes: [400],
      runs: 1,
      incrementalBase: 200,
      commitItems: DEFAULT_COMMIT_ITEMS,
    });
    expect(results.histories.map((h) => h.items >= 200 && h.incrementalPages === 2)).toEqual([
      true,
      true,
    ]);
  });

  it('gives every figure its runs and their median', () => {
    const ids = results.figures.map((f) => f.id);
    for (const target of targets) {
      expect(ids).toContain(`replay.${target}.400`);
      expect(ids).toContain(`ceiling.${target}.400`);
      expect(ids).toContain(`ratio.${target}.400`);
      expect(ids).toContain(`rss.${target}.400`);
      expect(ids).toContain(`incremental.${target}.200`);
      expect(ids).toContain(`incrementalRatio.${target}.400`);
    }
    expect(ids).toContain('rssCapped.file.400');
    expect(ids).toContain('cliRss.file.400');
    expect(ids).toContain('cliSeconds.file.400');
    expect(ids).toContain('replayCapped.file.400');
    expect(ids).toContain('cappedGain.file.400');
    expect(ids).toContain('variant.ledger-tracked.400');
    expect(ids).toContain('variant.no-secondary-indexes.400');
    expect(ids).toContain('variant.store-sql.400');
    expect(ids).toContain('variantGain.store-sql.400');
    expect(ids).toContain('sqlRatio.all.400');
    expect(ids).toContain('sqlRatio.writes.400');
    expect(ids).toContain('sqlRatio.one-tx.400');
    for (const figure of results.figures) {
      expect(figure.runs).toHaveLength(1);
      expect(figure.median).toBe(figure.runs[0]);
      expect(figure.median).toBeGreaterThan(0);
    }
  });

  it("reruns the replay's own SQL, per commit and in one transaction, and cleans up", async () => {
    const raw = (what: string): unknown => results.raw.find((r) => r.what === what)?.result;
    const sql = raw('variant.store-sql.400') as StoreSqlResult | undefined;
    const whole = raw('variant.store-sql-one-tx.400') as StoreSqlResult | undefined;
    const replay = raw('replay.file.400') as ReplayResult | undefined;
    expect(sql?.task).toBe('store-sql-rerun');
    expect(sql?.oneTransaction).toBe(false);
    expect(whole?.oneTransaction).toBe(true);
    expect(sql?.items).toBe(replay?.items);
    expect(whole?.statements).toBe(sql?.statements);
    const figure = (id: string): number | undefined =>
      results.figures.find((f) => f.id === id)?.median;
    const ceiling = figure('ceiling.file.400') ?? Number.NaN;
    expect(figure('variant.store-sql.400')).toBe(sql?.itemsPerSecond);
    expect(figure('variantGain.store-sql.400')).toBeCloseTo(
      (sql?.itemsPerSecond ?? 0) / (replay?.itemsPerSecond ?? 0),
      9,
    );
    expect(figure('sqlRatio.all.400')).toBeCloseTo((sql?.itemsPerSecond ?? 0) / ceiling, 9);
    expect(figure('sqlRatio.writes.400')).toBeCloseTo((sql?.writeItemsPerSecond ?? 0) / ceiling, 9);
    expect(figure('sqlRatio.one-tx.400')).toBeCloseTo((whole?.itemsPerSecond ?? 0) / ceiling, 9);
    // Every measurement's databases and recorded requests are gone.
    expect(await readdir(join(dir, 'work'))).toEqual([]);
  });

  it('judges every target and explains the store reads', () => {
    expect(results.targets.map((t) => t.id)).toEqual(
      expect.arrayContaining([
        'file-ratio-400',
        'rss-400',
        'rss-capped-400',
        'rss-flat',
        'incremental-file',
      ]),
    );
    expect(results.queryPlans.map((p) => p.query)).toEqual([
      'changes --since-index',
      'changes --entity',
      'loadEntities',
      'list (view read: live entities)',
    ]);
    for (const plan of results.queryPlans) expect(plan.plan.length).toBeGreaterThan(0);
  });

  it('writes the results as JSON and prints a table', async () => {
    const file = join(dir, 'out', 'results.json');
    await writeResults(results, file);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(results)));
    const table = formatTable(results);
    expect(table).toContain('replay 400 items → file:');
    expect(table).toContain('targets (medians):');
  });
});
