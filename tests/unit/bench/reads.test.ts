import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/store/index.ts';
import { measureProcess, parseGnuTimeRss } from '../../../bench/process.ts';
import { CLI_READ_NAMES, READ_QUERY_NAMES } from '../../../bench/read-queries.ts';
import type { ReadTiming, ReadsResult } from '../../../bench/reads-child.ts';
import { describeReadFigure, readTargets, type ReadsOptions } from '../../../bench/reads.ts';
import { readsMarkdown } from '../../../bench/reads-report.ts';
import { formatLoads, formatTable } from '../../../bench/output.ts';
import { runBench } from '../../../bench/run.ts';
import { migrationsOf, readSchemaDrops } from '../../../bench/tasks/variants.ts';
import type { BenchResults, Figure } from '../../../bench/types.ts';

describe('readSchemaDrops()', () => {
  it("undoes the store's reads migrations: triggers, then indexes, then columns", () => {
    expect(readSchemaDrops().length).toBeGreaterThan(0);
    expect(
      readSchemaDrops([
        { version: 8, name: 'read_indexes', sql: ['CREATE INDEX a ON t (x)'] },
        {
          version: 9,
          name: 'list_reads',
          sql: [
            'ALTER TABLE t ADD COLUMN c INTEGER NOT NULL DEFAULT 0',
            'UPDATE t SET c = 1',
            'CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; END',
            'DROP INDEX a',
            'CREATE INDEX a ON t (x, c)',
            'CREATE INDEX b ON t (c)',
          ],
        },
      ]),
    ).toEqual([
      'DROP TRIGGER "g"',
      'DROP INDEX "a"',
      'DROP INDEX "b"',
      'ALTER TABLE "t" DROP COLUMN "c"',
    ]);
  });

  it('refuses a migration that does more, or a missing one', () => {
    expect(() =>
      readSchemaDrops([
        { version: 8, name: 'read_indexes', sql: ['CREATE TABLE t (x)'] },
        { version: 9, name: 'list_reads', sql: [] },
      ]),
    ).toThrow(/does more than create indexes, triggers and columns/);
    expect(() => readSchemaDrops([])).toThrow(/no migration "read_indexes"/);
    expect(() =>
      readSchemaDrops([
        { version: 8, name: 'read_indexes', sql: ['CREATE INDEX a ON t (x)'] },
        { version: 9, name: 'list_reads', sql: ['DROP INDEX z'] },
      ]),
    ).toThrow(/drop z without creating it again/);
  });
});

describe('migrationsOf()', () => {
  it('leaves out the tables the reads keep at commit time only without the reads', () => {
    expect(migrationsOf('default')).toBe(MIGRATIONS);
    const without = migrationsOf('no-read-indexes').map((m) => m.name);
    expect(without).not.toContain('search_texts');
    expect(without).toContain('read_indexes');
    expect(without).toHaveLength(MIGRATIONS.length - 1);
    expect(() => migrationsOf('no-read-indexes', [])).toThrow(/lacks a migration/);
  });
});

describe('parseGnuTimeRss()', () => {
  it('reads the peak RSS in KB from the last line, as MB', () => {
    expect(parseGnuTimeRss('131072\n')).toBe(128);
    expect(parseGnuTimeRss('Command exited with non-zero status 1\n2048\n')).toBe(2);
  });

  it('rejects output that holds no number', () => {
    expect(() => parseGnuTimeRss('time: cannot run x\n')).toThrow(/unexpected output/);
  });
});

describe('measureProcess()', () => {
  it('measures the peak RSS of the command itself', async () => {
    // 200 MB touched: far above Node's own footprint, far below the machine's memory.
    const cost = await measureProcess(process.execPath, [
      '-e',
      'const b = Buffer.alloc(200 * 1024 * 1024, 1); process.stdout.write(String(b[0]))',
    ]);
    expect(cost.stdout).toBe('1');
    expect(cost.maxRssMb).toBeGreaterThan(200);
    expect(cost.ms).toBeGreaterThan(0);
  });

  it('fails with the standard error of a command that fails', async () => {
    await expect(
      measureProcess(process.execPath, ['-e', 'console.error("no such list"); process.exit(3)']),
    ).rejects.toThrow(/exit 3\):\nno such list/);
  });
});

describe('readTargets()', () => {
  const options: ReadsOptions = {
    sizes: [10_000, 1_000_000],
    seed: '11',
    repeats: 1,
    slowMs: 1000,
    cliRepeats: 1,
    viewMaxSize: 0,
    whatIfSizes: [],
  };

  it('judges every read through store.reads at the largest size: its ratio and its time', () => {
    const targets = readTargets(options);
    const inbox = targets.filter((t) => t.figure.endsWith('.inbox.1000000'));
    expect(inbox.map((t) => [t.figure, t.limit])).toEqual([
      ['readRatio.inbox.1000000', '≤ 2'],
      ['read.inbox.1000000', '≤ 20 ms'],
    ]);
    const search = targets.find((t) => t.figure === 'read.search-absent.1000000');
    expect([search?.ok(100), search?.ok(101)]).toEqual([true, false]);
    expect(inbox[1]?.ok(20.5)).toBe(false);
  });

  it('judges the what-if at its largest size, when it runs', () => {
    expect(readTargets(options).some((t) => t.figure.startsWith('readIndexCost.'))).toBe(false);
    const target = readTargets({ ...options, whatIfSizes: [10_000, 100_000] }).find((t) =>
      t.figure.startsWith('readIndexCost.'),
    );
    expect(target?.figure).toBe('readIndexCost.file.100000');
    expect([target?.ok(0.9), target?.ok(0.89)]).toEqual([true, false]);
  });

  it("judges the CLI's list today and changes --last at the largest size against status", () => {
    const targets = readTargets(options).filter((t) => t.figure.startsWith('cliRead'));
    expect(targets.map((t) => t.figure)).toEqual([
      'cliReadRssRatio.list-today.1000000',
      'cliReadOverStatus.list-today.1000000',
      'cliReadRssRatio.changes-last.1000000',
      'cliReadOverStatus.changes-last.1000000',
    ]);
    const [rss, wall] = targets;
    expect([rss?.ok(1.1), rss?.ok(1.11), wall?.ok(100), wall?.ok(101)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});

describe('describeReadFigure()', () => {
  it('labels the reads by what the CLI would run, and leaves other figures alone', () => {
    expect(describeReadFigure('readView', 'changes-last', 100_000, 10_000)?.label).toBe(
      "changes --last 20: the whole change log, then its last rows (the CLI before the store's reads), 100,000 items",
    );
    expect(describeReadFigure('readViewRatio', 'inbox', 100_000, 10_000)).toEqual({
      label: 'list inbox: every live entity, then the pure view, at 100,000 ÷ at 10,000 items',
      unit: '×',
    });
    expect(describeReadFigure('cliReadRss', 'list-today', 1000, 1000)?.label).toBe(
      'peak RSS of `thingstape list today --limit 5`, 1,000 items → file:',
    );
    expect(describeReadFigure('replay', 'file', 1000, 1000)).toBeNull();
  });
});

describe('formatLoads()', () => {
  it('prints one load average per run, or nothing for older results', () => {
    expect(formatLoads({ load: [9.87, 1] })).toBe('9.9 / 1.0');
    expect(formatLoads({})).toBe('');
  });
});

describe('runBench() with the reads alone', () => {
  let dir: string;
  let results: BenchResults;
  const sizes = [300, 600];
  const options: ReadsOptions = {
    sizes,
    seed: 'reads-test',
    repeats: 2,
    slowMs: 60_000,
    cliRepeats: 1,
    viewMaxSize: 600,
    whatIfSizes: [600],
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'thingstape-bench-reads-test-'));
    results = await runBench({
      writes: false,
      reads: options,
      sizes,
      incrementalBase: 300,
      runs: 1,
      targets: ['file'],
      incrementalPages: 0,
      incrementalItems: 0,
      seed: 'unused',
      cacheDir: join(dir, 'cache'),
      workDir: join(dir, 'work'),
      command: 'vitest',
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates and replays each history once, and keeps its database', () => {
    expect(results.reads?.histories.map((h) => [h.items, h.schemaVersion > 0])).toEqual([
      [300, true],
      [600, true],
    ]);
    for (const history of results.reads?.histories ?? []) {
      expect(history.db).toMatch(/reads-\d+-sreads-test-schema\d+-[0-9a-f]{8}\.db$/);
      expect(history.replay?.maxRssMb).toBeGreaterThan(0);
    }
    // Nothing of the writes part ran.
    expect(results.histories).toEqual([]);
    expect(results.figures.some((f) => f.id.startsWith('replay.'))).toBe(false);
  });

  it('times every read at every size, and its ratio to the smallest size within the run', () => {
    const figure = (id: string): number | undefined =>
      results.figures.find((f) => f.id === id)?.median;
    for (const kind of ['read', 'readView']) {
      for (const query of READ_QUERY_NAMES) {
        const small = figure(`${kind}.${query}.300`);
        const large = figure(`${kind}.${query}.600`);
        expect(small).toBeGreaterThanOrEqual(0);
        expect(figure(`${kind}Ratio.${query}.600`)).toBeCloseTo((large ?? 0) / (small ?? 0), 9);
      }
    }
    const reads = results.raw.find((r) => r.what === 'reads.600')?.result as ReadsResult;
    const of = (method: string): ReadTiming[] => reads.timings.filter((t) => t.method === method);
    expect(of('api').map((t) => t.query)).toEqual(READ_QUERY_NAMES);
    expect(of('view').map((t) => t.query)).toEqual(READ_QUERY_NAMES);
    for (const timing of reads.timings) expect(timing.ms).toHaveLength(2);
    expect(reads.counts.tasks).toBeGreaterThan(0);
    const rows = (method: string, query: string): number | undefined =>
      of(method).find((t) => t.query === query)?.rows;
    expect(rows('api', 'changes-last')).toBe(20);
    expect(rows('api', 'search-absent')).toBe(0);
    // The store's answer and the pure view agree on how long each list is.
    for (const timing of of('count')) expect(timing.rows).toBe(rows('view', timing.query));
    expect(of('count').map((t) => t.query)).not.toContain('project');
    for (const query of ['project', 'changes-last', 'changes-since', 'changes-entity']) {
      expect(rows('api', query)).toBe(rows('view', query));
    }
  });

  it("replays the history with and without the reads' indexes", () => {
    const figure = (id: string): number | undefined =>
      results.figures.find((f) => f.id === id)?.median;
    const withIndexes = figure('readsReplay.default.600') ?? Number.NaN;
    const without = figure('readsReplay.no-read-indexes.600') ?? Number.NaN;
    expect(figure('readIndexCost.file.600')).toBeCloseTo(withIndexes / without, 9);
    expect(figure('readsReplay.default.300')).toBeUndefined();
  });

  it("runs the CLI's reads beside status and compares them with it", () => {
    const ids = results.figures.map((f) => f.id);
    for (const name of CLI_READ_NAMES) {
      expect(ids).toContain(`cliReadMs.${name}.600`);
      expect(ids).toContain(`cliReadRss.${name}.600`);
    }
    for (const name of CLI_READ_NAMES.filter((n) => n !== 'status')) {
      expect(ids).toContain(`cliReadRssRatio.${name}.600`);
      expect(ids).toContain(`cliReadOverStatus.${name}.600`);
    }
    expect(ids).not.toContain('cliReadRssRatio.status.600');
    for (const figure of results.figures) expect(figure.load).toHaveLength(figure.runs.length);
    expect(results.targets.map((t) => t.id)).toEqual(readTargets(options).map((t) => t.id));
    expect(results.targets.find((t) => t.id === 'read-ms-inbox-600')?.value).toBe(
      results.figures.find((f) => f.id === 'read.inbox.600')?.median,
    );
    expect(formatTable(results)).toContain('wall time of `thingstape status`, 600 items → file:');
  });
});

describe('readsMarkdown()', () => {
  const figure = (id: string, value: number, load = 2): Figure => ({
    id,
    label: id,
    unit: '',
    runs: [value],
    median: value,
    load: [load],
  });
  const results = {
    reads: {
      sizes: [1_000_000, 10_000],
      seed: '11',
      repeats: 5,
      slowMs: 1000,
      cliRepeats: 3,
      viewMaxSize: 10_000,
      whatIfSizes: [10_000],
      histories: [],
    },
    figures: [
      figure('read.inbox.10000', 1.234),
      figure('read.inbox.1000000', 2.5),
      figure('readRatio.inbox.1000000', 2.03),
      figure('readView.inbox.10000', 250.04, 9.5),
      figure('cliReadMs.status.1000000', 700),
      figure('cliReadRss.status.1000000', 120),
      figure('cliReadOverStatus.list-today.1000000', 40),
      figure('cliReadRssRatio.list-today.1000000', 1.04),
      figure('readsReplay.default.10000', 20_000.4),
      figure('readsReplay.no-read-indexes.10000', 21_000),
      figure('readIndexCost.file.10000', 0.952),
    ],
  } as unknown as BenchResults;

  it('prints a row per read with every size, the ratio and the pure-view path', () => {
    const markdown = readsMarkdown(results);
    expect(markdown).toContain(
      '| read | 10k ms | 1M ms | 1M ÷ 10k | with total, 1M ms | before, 10k ms |',
    );
    expect(markdown).toContain('| `list inbox` | 1.23 | 2.50 | 2.03 | – | 250.0 |');
  });

  it('prints the CLI beside status, the what-if, and the load behind each table', () => {
    const markdown = readsMarkdown(results);
    expect(markdown).toContain('| `thingstape status` | – ms, – MB | 700.0 ms, 120.0 MB | — |');
    expect(markdown).toContain(
      '| `thingstape list today --limit 5` | – ms, – MB | – ms, – MB | 40.0 ms, 1.04× |',
    );
    expect(markdown).toContain('| 10,000 items | 20,000 | 21,000 | 0.95 |');
    expect(markdown).toContain('library 2.0–9.5, CLI 2.0, replays 2.0.');
  });

  it('says so when the results hold no reads', () => {
    expect(readsMarkdown({ ...results, reads: undefined } as unknown as BenchResults)).toBe(
      'No reads in this results file.\n',
    );
  });
});
