/**
 * The machine-readable surface: `replay --json` change lines and their summary on stderr,
 * `list --json` rows, the `changes` filters, `status --json`, and the exit codes of errors.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { parseLines, tempDbs } from './helpers.ts';

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

async function json(args: string[]): Promise<unknown> {
  const run = await runCli(args);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout);
}

describe('thingstape replay --json', () => {
  it('prints one change object per line with the documented fields, and the summary on stderr', () => {
    const lines = replayed.stdout.split('\n');
    expect(lines.at(-1)).toBe('');
    const changes = parseLines(replayed.stdout);
    expect(changes.length).toBe(lines.length - 1);
    for (const change of changes) {
      expect(Object.keys(change)).toEqual([
        'type',
        'entityType',
        'uuid',
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
        uuid: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{21,22}$/) as unknown,
        serverIndex: expect.any(Number) as unknown,
      });
    }
    // Server indexes never go down.
    const indexes = changes.map((c) => c['serverIndex'] as number);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
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

  it('fails on a directory without a manifest with exit code 1', async () => {
    const run = await runCli(['replay', 'fixtures/synthetic', '--db', await nextDb()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^thingstape: Cannot read fixture "synthetic", manifest\.json: no manifest\.json in fixtures\/synthetic\n/,
    );
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

    const entity = all.find((c) => c['type'] === 'TaskCompleted')?.['uuid'] as string;
    const ofEntity = await lines('--entity', entity);
    expect(ofEntity).toEqual(all.filter((c) => c['uuid'] === entity));
    expect(ofEntity.length).toBeGreaterThanOrEqual(2);
    expect(ofEntity[0]?.['type']).toMatch(/Created$/);

    expect(await lines('--since-index', '3000', '--limit', '5')).toEqual(sinceIndex.slice(0, 5));
    expect(await lines('--entity', entity, '--since-index', '3745')).toEqual([]);
  });

  it('rejects an --since that is not an instant with exit code 2', async () => {
    const run = await runCli(['changes', '--db', realisticDb, '--since', 'yesterday']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'thingstape: --since: expected an ISO instant, got "yesterday"\n',
    });
  });
});

describe('thingstape list --json', () => {
  it('prints an array of rows with uuid, title and type first', async () => {
    const rows = (await json(['list', 'anytime', '--db', realisticDb, '--json'])) as Record<
      string,
      unknown
    >[];
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) {
      expect(Object.keys(row).slice(0, 3)).toEqual(['uuid', 'title', 'type']);
      expect(row).toMatchObject({
        uuid: expect.any(String) as unknown,
        title: expect.any(String) as unknown,
        type: expect.stringMatching(/^(to-do|project)$/) as unknown,
        status: 'open',
        trashed: false,
      });
    }
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
      project: { uuid: string; title: string; type: string; areaId: string };
      sections: {
        heading: { uuid: string; title: string } | null;
        rows: { uuid: string; title: string }[];
      }[];
    };
    expect(project.project).toMatchObject({
      uuid: '683fafEFHE4GXGuEkc4zpG',
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

    const areaRows = (await json([
      'list',
      '--area',
      '2WHaWojZkNMZo2Sk2RZvvi',
      '--db',
      projects,
      '--json',
    ])) as { uuid: string }[];
    expect(areaRows.map((r) => r.uuid)).toContain('683fafEFHE4GXGuEkc4zpG');

    const tags = await replayed2('fixtures/synthetic/tags-hierarchy');
    // "Ring the bank" carries "Low", a sub-tag of "Priority"; its "High" tag was replaced.
    const byParent = (await json([
      'list',
      '--tag',
      '69xytYBKxRXX6SDbTc1rc9',
      '--db',
      tags,
      '--json',
    ])) as { title: string }[];
    expect(byParent.map((r) => r.title)).toEqual(['Ring the bank']);
    expect(await json(['list', '--tag', '6hB4pKeF21jMoaB15hiRzr', '--db', tags, '--json'])).toEqual(
      [],
    );

    const found = (await json(['list', '--search', 'HOTEL', '--db', realisticDb, '--json'])) as {
      uuid: string;
    }[];
    const anytime = (await json(['list', 'anytime', '--db', realisticDb, '--json'])) as {
      uuid: string;
      title: string;
    }[];
    const expected = anytime.filter((r) => r.title.toLowerCase().includes('hotel'));
    expect(expected.length).toBeGreaterThan(0);
    expect(found.map((r) => r.uuid)).toEqual(expect.arrayContaining(expected.map((r) => r.uuid)));
  });

  it('needs exactly one list (exit code 2)', async () => {
    const run = await runCli(['list', 'today', '--search', 'x', '--db', realisticDb]);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'thingstape: Name exactly one list: a view name, --project, --area, --tag or --search\n',
    });
  });
});

describe('usage errors of the read commands and replay', () => {
  it('refuses a file: database that does not exist instead of creating an empty one', async () => {
    const missing = (await nextDb()).replace(/\.sqlite$/, '-missing.sqlite');
    const path = fileURLToPath(missing);
    for (const command of [['list', 'today'], ['changes'], ['dump'], ['status']]) {
      const run = await runCli([...command, '--db', missing]);
      expect(run).toEqual({
        code: 2,
        stdout: '',
        stderr: `thingstape: --db: no database at ${missing} (${path}); run "thingstape replay <fixture> --db ${missing}" or "thingstape sync" first\n`,
      });
    }
    expect(existsSync(path)).toBe(false);
    // :memory: is always there (and empty).
    expect((await runCli(['status', '--db', ':memory:'])).code).toBe(0);
  });

  it.each([
    [
      ['changes', '--since-index', 'abc'],
      '--since-index: expected a whole number of at least 0, got NaN',
    ],
    [['changes', '--limit', '-3'], '--limit: expected a whole number of at least 0, got -3'],
    [['changes', '--limit', '1.5'], '--limit: expected a whole number of at least 0, got 1.5'],
  ])('rejects %j with exit code 2', async (args, message) => {
    const run = await runCli([...args, '--db', realisticDb]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `thingstape: ${message}\n` });
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
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'thingstape: --max-pages: expected a whole number of at least 1, got 0\n',
    });
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
