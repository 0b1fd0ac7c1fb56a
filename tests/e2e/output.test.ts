/**
 * The machine-readable surface: `replay --json` change lines and their summary on stderr,
 * `list --json` rows, the `changes` filters, `status --json`, and the exit codes of errors.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { parseLines, parseSummary, tempDbs } from './helpers.ts';

const nextDb = tempDbs('thingstape-output-');
const REALISTIC = 'fixtures/realistic/account-5k';
let realisticDb = '';
let replayed = { stdout: '', stderr: '' };

beforeAll(async () => {
  realisticDb = await nextDb();
  const run = await runCli(['replay', REALISTIC, '--db', realisticDb, '--json']);
  if (run.code !== 0) throw new Error(run.stderr);
  replayed = run;
});

async function replayed2(path: string): Promise<string> {
  const db = await nextDb();
  const run = await runCli(['replay', path, '--db', db]);
  if (run.code !== 0) throw new Error(run.stderr);
  return db;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function json(args: string[]): Promise<unknown> {
  const run = await runCli(args);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout);
}

describe('thingstape replay --json', () => {
  it('prints one change object per line with the documented fields, then a summary object', () => {
    const lines = replayed.stdout.split('\n');
    expect(lines.at(-1)).toBe('');
    const changes = parseLines(replayed.stdout);
    // Every line but the last is a change; the last is the summary.
    expect(changes.length).toBe(lines.length - 2);
    for (const change of changes) {
      expect(Object.keys(change)).toEqual([
        'type',
        'entityType',
        'entityId',
        'serverIndex',
        'position',
        'ordinal',
        'at',
        'payload',
      ]);
      expect(change).toMatchObject({
        type: expect.stringMatching(/^[A-Z][A-Za-z]+$/) as unknown,
        entityType: expect.stringMatching(
          /^(Task|Project|Heading|Area|Tag|ChecklistItem|Tombstone|Unknown)/,
        ) as unknown,
        entityId: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{21,22}$/) as unknown,
        serverIndex: expect.any(Number) as unknown,
      });
    }
    // Server indexes never go down.
    const indexes = changes.map((c) => c['serverIndex'] as number);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(parseSummary(replayed.stdout)).toEqual({
      type: 'summary',
      fixture: 'account-5k',
      db: realisticDb,
      pages: 10,
      items: 5000,
      cursor: 3745,
      head: 3745,
      complete: true,
      interrupted: false,
      timeZone: 'Europe/Berlin',
      referenceDate: '2025-02-01',
      changes: changes.length,
      changesByType: expect.any(Object) as unknown,
      anomalies: 410,
      anomaliesByCode: { KIND_VERSION_CHANGE: 409, TOMBSTONE_UNKNOWN_TARGET: 1 },
    });
    const byType = parseSummary(replayed.stdout)['changesByType'] as Record<string, number>;
    expect(Object.values(byType).reduce((a, b) => a + b, 0)).toBe(changes.length);
    expect(byType['TaskCreated']).toBe(changes.filter((c) => c['type'] === 'TaskCreated').length);
    // The line for people goes to standard error.
    expect(replayed.stderr).toBe(
      `Replayed fixture "account-5k" into ${realisticDb}: 10 page(s), 5000 item(s), ${changes.length} change(s), 410 anomalies (KIND_VERSION_CHANGE 409, TOMBSTONE_UNKNOWN_TARGET 1); cursor 3745 of 3745. Zone Europe/Berlin, reference date 2025-02-01.\n`,
    );
  });

  it('prints aligned human lines and the summary on stdout without --json', async () => {
    const db = await nextDb();
    const run = await runCli(['replay', 'fixtures/synthetic/tasks-projects-headings', '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        '      0  AreaCreated                Area          2WHaWojZkNMZo2Sk2RZvvi  "Home"',
        '      1  TaskCreated                Task          AHYrkU7Bysi1SMBWKb9eQu  "Call the plumber"',
        '      2  ProjectCreated             Project       683fafEFHE4GXGuEkc4zpG  "Renovate kitchen"',
        '      3  HeadingCreated             Heading       EXm413a1ZYdyZTFjV3HKyS  "Planning"',
        '      3  TaskCreated                Task          GK2rLfY1UXmm4XFQgQhcLq  "Measure the walls"',
        '      4  TaskTitleChanged           Task          AHYrkU7Bysi1SMBWKb9eQu  "Call the plumber" → "Call the plumber about the sink"',
        '      5  TaskMovedToAnytime         Task          AHYrkU7Bysi1SMBWKb9eQu  inbox → anytime',
        '      5  TaskAssignedToProject      Task          AHYrkU7Bysi1SMBWKb9eQu  ∅ → "683fafEFHE4GXGuEkc4zpG"',
        '      6  ProjectNoteChanged         Project       683fafEFHE4GXGuEkc4zpG  "" → "Budget: 4 000 € Start after the holidays."',
        `Replayed fixture "tasks-projects-headings" into ${db}: 1 page(s), 8 item(s), 9 change(s), 0 anomalies; cursor 7 of 7. Zone Europe/Berlin, reference date 2025-11-03.`,
        '',
      ].join('\n'),
    );
  });

  it('refuses another --tz on a database built with a zone, without a resume hint', async () => {
    const db = await replayed2('fixtures/synthetic/areas');
    const run = await runCli([
      'replay',
      'fixtures/synthetic/areas',
      '--db',
      db,
      '--tz',
      'Europe/Berlin',
    ]);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'thingstape: Cannot replay into this database with time zone Europe/Berlin: it was built with Asia/Tokyo; use a fresh database or the same zone\n',
    });
  });

  it('fails on a directory without a manifest with exit code 1, naming a fixture inside it', async () => {
    const db = await nextDb();
    const run = await runCli(['replay', 'fixtures/synthetic', '--db', db]);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'thingstape: Cannot replay fixtures/synthetic: it holds no manifest.json, so it is not a fixture; it holds 19 fixture(s), e.g. fixtures/synthetic/areas\n',
    });
    // Nothing was created.
    expect(existsSync(fileURLToPath(db))).toBe(false);
  });
});

describe('thingstape changes', () => {
  it('reads back the change log as the same objects replay printed', async () => {
    const run = await runCli(['changes', '--db', realisticDb, '--json']);
    expect(run.code).toBe(0);
    // Equal as values; the key order inside `recurrence` differs today (reported to the lead).
    expect(parseLines(run.stdout)).toEqual(parseLines(replayed.stdout));
  });

  it('filters by --since-index, --since, --entity and --limit', async () => {
    const all = parseLines(replayed.stdout);
    const lines = async (...args: string[]): Promise<Record<string, unknown>[]> => {
      const run = await runCli(['changes', '--db', realisticDb, '--json', ...args]);
      expect(run.code).toBe(0);
      return parseLines(run.stdout);
    };

    const sinceIndex = await lines('--since-index', '3000');
    expect(sinceIndex).toEqual(all.filter((c) => (c['serverIndex'] as number) >= 3000));
    expect(sinceIndex.length).toBeGreaterThan(100);

    const instant = '2025-01-25T12:00:00Z';
    const since = await lines('--since', instant);
    expect(since).toEqual(
      all
        .filter((c) => (c['at'] as number) >= Date.parse(instant) / 1000)
        .sort((a, b) => (a['serverIndex'] as number) - (b['serverIndex'] as number)),
    );
    expect(since.length).toBeGreaterThan(100);
    expect(since.length).toBeLessThan(all.length);

    const entity = all.find((c) => c['type'] === 'TaskCompleted')?.['entityId'] as string;
    const ofEntity = await lines('--entity', entity);
    expect(ofEntity).toEqual(all.filter((c) => c['entityId'] === entity));
    expect(ofEntity.length).toBeGreaterThanOrEqual(2);
    expect(ofEntity[0]?.['type']).toMatch(/Created$/);

    expect(await lines('--since-index', '3000', '--limit', '5')).toEqual(sinceIndex.slice(0, 5));
    expect(await lines('--entity', entity, '--since-index', '3745')).toEqual([]);
  });

  it('rejects an --since that is not an instant with exit code 2', async () => {
    const run = await runCli(['changes', '--db', realisticDb, '--since', 'yesterday']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(
      /^thingstape: --since: expected an ISO instant such as 2025-01-25T12:00:00Z, got "yesterday"\n\nthingstape changes\n/,
    );
  });

  it('ends the --json stream with a summary of what it printed and the cursor', async () => {
    const run = await runCli(['changes', '--db', realisticDb, '--json', '--last', '3']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const last3 = parseLines(replayed.stdout).slice(-3);
    expect(parseLines(run.stdout)).toEqual(last3);
    const byType: Record<string, number> = {};
    for (const c of last3) byType[c['type'] as string] = (byType[c['type'] as string] ?? 0) + 1;
    expect(parseSummary(run.stdout)).toEqual({
      type: 'summary',
      cursor: 3745,
      head: 3745,
      changes: 3,
      changesByType: byType,
    });
  });

  it('prints nothing for --last 0 (not every change)', async () => {
    expect(await runCli(['changes', '--db', realisticDb, '--last', '0'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    const stream = await runCli(['changes', '--db', realisticDb, '--last', '0', '--json']);
    expect(parseLines(stream.stdout)).toEqual([]);
    expect(parseSummary(stream.stdout)).toMatchObject({ changes: 0 });
  });
});

describe('thingstape list --json', () => {
  /** The rows of a `list --json` document. */
  async function rowsOf(args: string[]): Promise<Record<string, unknown>[]> {
    const document = (await json(args)) as { rows: Record<string, unknown>[] };
    return document.rows;
  }

  it('prints one document: the list, its date and zone, paging, and rows with id, title and type first', async () => {
    const document = (await json(['list', 'anytime', '--db', realisticDb, '--json'])) as {
      rows: Record<string, unknown>[];
    } & Record<string, unknown>;
    expect(Object.keys(document)).toEqual([
      'list',
      'id',
      'query',
      'today',
      'timeZone',
      'total',
      'offset',
      'limit',
      'rows',
    ]);
    expect(document).toMatchObject({
      list: 'anytime',
      id: null,
      query: null,
      today: '2025-02-01',
      timeZone: 'Europe/Berlin',
      offset: 0,
      limit: null,
    });
    const { rows } = document;
    expect(document['total']).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) {
      expect(Object.keys(row).slice(0, 3)).toEqual(['id', 'title', 'type']);
      expect(row).toMatchObject({
        id: expect.any(String) as unknown,
        title: expect.any(String) as unknown,
        type: expect.stringMatching(/^(to-do|project)$/) as unknown,
        status: 'open',
        trashed: false,
      });
    }
    const page = (await json([
      'list',
      'anytime',
      '--db',
      realisticDb,
      '--json',
      '--offset',
      '5',
      '--limit',
      '3',
    ])) as { rows: unknown[] } & Record<string, unknown>;
    expect(page).toMatchObject({ total: rows.length, offset: 5, limit: 3 });
    expect(page.rows).toEqual(rows.slice(5, 8));
  });

  it('shows a project by heading, a tag with its sub-tags, an area and a search', async () => {
    const projects = await replayed2('fixtures/synthetic/tasks-projects-headings');
    const project = (await json([
      'list',
      '--project',
      '683fafEFHE4GXGuEkc4zpG',
      '--db',
      projects,
      '--json',
    ])) as {
      list: string;
      id: string;
      rows: { id: string; title: string }[];
      project: { id: string; title: string; type: string; areaId: string };
      sections: {
        heading: { id: string; title: string } | null;
        rows: { id: string; title: string }[];
      }[];
    };
    expect(project).toMatchObject({ list: 'project', id: '683fafEFHE4GXGuEkc4zpG' });
    expect(project.project).toMatchObject({
      id: '683fafEFHE4GXGuEkc4zpG',
      title: 'Renovate kitchen',
      type: 'project',
      areaId: '2WHaWojZkNMZo2Sk2RZvvi',
    });
    expect(
      project.sections.map((s) => [s.heading?.title ?? null, s.rows.map((r) => r.title)]),
    ).toEqual([
      [null, ['Call the plumber about the sink']],
      ['Planning', ['Measure the walls']],
    ]);
    expect(project.rows.map((r) => r.title)).toEqual([
      'Call the plumber about the sink',
      'Measure the walls',
    ]);

    const areaRows = await rowsOf([
      'list',
      '--area',
      '2WHaWojZkNMZo2Sk2RZvvi',
      '--db',
      projects,
      '--json',
    ]);
    expect(areaRows.map((r) => r['id'])).toContain('683fafEFHE4GXGuEkc4zpG');

    const tags = await replayed2('fixtures/synthetic/tags-hierarchy');
    // "Ring the bank" carries "Low", a sub-tag of "Priority"; its "High" tag was replaced.
    const byParent = await rowsOf([
      'list',
      '--tag',
      '69xytYBKxRXX6SDbTc1rc9',
      '--db',
      tags,
      '--json',
    ]);
    expect(byParent.map((r) => r['title'])).toEqual(['Ring the bank']);
    expect(
      await rowsOf(['list', '--tag', '6hB4pKeF21jMoaB15hiRzr', '--db', tags, '--json']),
    ).toEqual([]);

    const search = (await json(['list', '--search', 'HOTEL', '--db', realisticDb, '--json'])) as {
      query: string;
      rows: { id: string }[];
    };
    expect(search.query).toBe('HOTEL');
    const anytime = (await rowsOf(['list', 'anytime', '--db', realisticDb, '--json'])) as {
      id: string;
      title: string;
    }[];
    const expected = anytime.filter((r) => r.title.toLowerCase().includes('hotel'));
    expect(expected.length).toBeGreaterThan(0);
    expect(search.rows.map((r) => r.id)).toEqual(expect.arrayContaining(expected.map((r) => r.id)));
  });

  it('needs exactly one list (exit code 2, with the usage)', async () => {
    const run = await runCli(['list', 'today', '--search', 'x', '--db', realisticDb]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(
      /^thingstape: Name exactly one list: a view name, --project, --area, --tag or --search\n\nthingstape list \[view\]\n/,
    );
  });
});

describe('usage errors of the read commands and replay', () => {
  it('refuses a file: database that does not exist instead of creating an empty one', async () => {
    const missing = (await nextDb()).replace(/\.sqlite$/, '-missing.sqlite');
    const path = fileURLToPath(missing);
    for (const command of [['list', 'today'], ['changes'], ['dump'], ['status']]) {
      const run = await runCli([...command, '--db', missing]);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr.split('\n')[0]).toBe(
        `thingstape: Cannot read database ${missing}: no such file (${path}); run "thingstape replay <fixture> --db ${missing}" or "thingstape sync --db ${missing}" first`,
      );
    }
    expect(existsSync(path)).toBe(false);
    // :memory: is always there (and empty).
    expect((await runCli(['status', '--db', ':memory:'])).code).toBe(0);
  });

  it.each([
    [
      ['changes', '--since-index', 'abc'],
      '--since-index: expected a whole number of at least 0, got "abc"',
    ],
    [['changes', '--limit', '-3'], '--limit: expected a whole number of at least 0, got "-3"'],
    [['changes', '--limit', '1.5'], '--limit: expected a whole number of at least 0, got "1.5"'],
  ])('rejects %j with exit code 2 and the usage', async (args, message) => {
    const run = await runCli([...args, '--db', realisticDb]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(
      new RegExp(`^thingstape: ${escape(message)}\n\nthingstape changes\n`),
    );
  });

  it('rejects --max-pages 0 rather than reporting nothing new', async () => {
    const db = await nextDb();
    const run = await runCli([
      'replay',
      'fixtures/synthetic/areas',
      '--db',
      db,
      '--max-pages',
      '0',
    ]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr.split('\n')[0]).toBe(
      'thingstape: --max-pages: expected a whole number of at least 1, got "0"',
    );
    expect(existsSync(fileURLToPath(db))).toBe(false);
  });
});

describe('thingstape status --json', () => {
  it('shows schema version, tables with counts, cursor and provenance', async () => {
    const status = (await json(['status', '--db', realisticDb, '--json'])) as {
      url: string;
      schemaVersion: number;
      tables: { name: string; rows: number; deleted?: number }[];
      syncState: Record<string, unknown>;
    };
    expect(status.url).toBe(realisticDb);
    expect(status.schemaVersion).toBeGreaterThanOrEqual(1);
    const rows = Object.fromEntries(status.tables.map((t) => [t.name, t.rows]));
    expect(rows).toMatchObject({
      change_log: parseLines(replayed.stdout).length,
      sync_state: 1,
    });
    for (const name of [
      'tasks',
      'checklist_items',
      'areas',
      'tags',
      'tombstones',
      'tag_links',
      'anomalies',
      'raw_items',
      'migrations',
    ]) {
      expect(rows[name]).toEqual(expect.any(Number));
    }
    expect(rows['tasks']).toBeGreaterThan(1000);
    expect(status.syncState).toMatchObject({
      cursor: 3745,
      head: 3745,
      schema: 301,
      timeZone: 'Europe/Berlin',
      historyKeyHash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      source: { fixture: 'account-5k', kind: 'generated', recordedAt: '2025-02-01T18:30:56.964Z' },
    });
  });
});
