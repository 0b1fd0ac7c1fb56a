/**
 * The JSON contract (docs/json.md): every command's `--json` output, produced for real, fits its
 * schema in docs/json/. Streams (`replay`, `changes`, `sync`) are NDJSON whose every line fits and
 * whose last line is the summary; everything else is one JSON document on one line. The schemas'
 * lists of change types and anomaly codes are the engine's.
 */
import { spawn } from 'node:child_process';
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANOMALY_MEANINGS } from '../../src/cli/anomalies.ts';
import { ANOMALY_CODES, CHANGE_TYPES } from '../../src/engine/index.ts';
import { SchemaSet } from '../support/json-schema.ts';
import { CLI_BIN, NODE_BIN, REPO, runCli } from '../support/cli.ts';
import { FAKE_BASE, SECRETS, testFake } from '../unit/recorder/support.ts';
import { generatedGroups } from '../../src/fake/index.ts';
import { tempDirForFile } from './helpers.ts';

const SCHEMAS = join(REPO, 'docs', 'json');
const schemas = new SchemaSet(SCHEMAS);
const work = tempDirForFile('thingstape-json-schemas-');
const REALISTIC = join(REPO, 'fixtures', 'realistic', 'account-5k');
const CREDENTIALS = { THINGS_USERNAME: SECRETS.email, THINGS_PASSWORD: SECRETS.password };

const server = setupServer();
let dir = '';
let db = '';
let projects = '';

beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'bypass' });
  dir = await work.path();
  db = pathToFileURL(join(dir, 'realistic.db')).href;
  projects = pathToFileURL(join(dir, 'projects.db')).href;
  for (const [fixture, target] of [
    [REALISTIC, db],
    ['fixtures/synthetic/tasks-projects-headings', projects],
  ] as const) {
    const run = await runCli(['replay', fixture, '--db', target]);
    if (run.code !== 0) throw new Error(run.stderr);
  }
});
afterAll(() => {
  server.close();
});

/** Runs the CLI, expects exit 0 and nothing but JSON on standard output. */
async function json(args: string[], env: Record<string, string> = {}): Promise<string> {
  const run = await runCli(args, { env, cwd: dir });
  expect({ args, code: run.code }).toEqual({ args, code: 0 });
  return run.stdout;
}

/** One document on one line, fitting `file`. */
function expectDocument(file: string, stdout: string): Record<string, unknown> {
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.slice(0, -1)).not.toContain('\n');
  const value = JSON.parse(stdout) as Record<string, unknown>;
  expect(schemas.validate(file, value)).toEqual([]);
  return value;
}

/** NDJSON whose every line fits `file` and whose last line is the summary. */
function expectStream(file: string, stdout: string): Record<string, unknown>[] {
  const lines = stdout.split('\n');
  expect(lines.pop()).toBe('');
  const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const errors = records.flatMap((record, i) =>
    schemas.validate(file, record).map((e) => ({ line: i + 1, ...e })),
  );
  expect(errors.slice(0, 5)).toEqual([]);
  expect(records.at(-1)?.['type']).toBe('summary');
  expect(records.slice(0, -1).every((r) => r['type'] !== 'summary')).toBe(true);
  return records;
}

describe('the schemas', () => {
  it('list the engine’s change types and anomaly codes', () => {
    const common = schemas.schema('common.schema.json') as {
      $defs: Record<string, { enum: string[] }>;
    };
    expect(common.$defs['changeType']?.enum).toEqual([...CHANGE_TYPES]);
    expect(common.$defs['anomalyCode']?.enum).toEqual([...ANOMALY_CODES]);
  });

  it('has one schema per command, and the checker refuses what does not fit', async () => {
    const files = (await readdir(SCHEMAS)).filter((f) => f.endsWith('.schema.json')).sort();
    expect(files).toEqual(
      [
        'bench',
        'changes',
        'check-commit',
        'common',
        'drift',
        'dump',
        'fixture-rehash',
        'fixture-verify',
        'gen',
        'list',
        'push',
        'record',
        'replay',
        'report',
        'run',
        'serve',
        'status',
        'sync',
      ].map((name) => `${name}.schema.json`),
    );
    // A change line that still says `uuid` does not fit.
    const old = {
      type: 'TaskCreated',
      entityType: 'Task',
      uuid: 'x',
      serverIndex: 0,
      position: 0,
      ordinal: 0,
      at: null,
      payload: {},
    };
    expect(schemas.validate('replay.schema.json', old).length).toBeGreaterThan(0);
    expect(schemas.validate('list.schema.json', [])).toEqual([
      { path: '$', message: 'expected object, got an array' },
    ]);
  });
});

describe('docs/json.md', () => {
  it('links every schema and explains every anomaly code as the CLI does', async () => {
    const doc = await readFile(join(REPO, 'docs', 'json.md'), 'utf8');
    for (const file of (await readdir(SCHEMAS)).filter((f) => f.endsWith('.schema.json'))) {
      expect(doc).toContain(`](json/${file})`);
    }
    // The table as prettier pads it, spaces collapsed.
    const table = doc.replace(/ {2,}/g, ' ');
    for (const code of ANOMALY_CODES) {
      expect(table).toContain(`| \`${code}\` | ${ANOMALY_MEANINGS[code]} |`);
    }
  });
});

describe('streams', () => {
  it('replay --json --anomalies', async () => {
    const target = pathToFileURL(join(dir, 'replay.db')).href;
    const records = expectStream(
      'replay.schema.json',
      await json(['replay', REALISTIC, '--db', target, '--json', '--anomalies']),
    );
    expect(records.filter((r) => r['type'] === 'anomaly')).toHaveLength(410);
    expect(records.at(-1)).toMatchObject({ anomalies: 410, interrupted: false });
  });

  it('replay --json --summary (only the summary)', async () => {
    const target = pathToFileURL(join(dir, 'summary.db')).href;
    const records = expectStream(
      'replay.schema.json',
      await json(['replay', REALISTIC, '--db', target, '--json', '--summary']),
    );
    expect(records).toHaveLength(1);
  });

  it('changes --json', async () => {
    const all = expectStream('changes.schema.json', await json(['changes', '--db', db, '--json']));
    expect(all.at(-1)).toMatchObject({ changes: all.length - 1, cursor: 3745 });
    const none = expectStream(
      'changes.schema.json',
      await json(['changes', '--db', db, '--json', '--last', '0']),
    );
    expect(none).toHaveLength(1);
  });

  it('sync --json, and record --json, against a fake Things Cloud', async () => {
    const groups = [...generatedGroups({ items: 600, seed: 'json-schemas' })];
    server.resetHandlers(...testFake({ groups, pageGroups: 100 }).handlers());
    const target = pathToFileURL(join(dir, 'sync.db')).href;
    const base = ['--base-url', FAKE_BASE, '--rate', '0'];
    const records = expectStream(
      'sync.schema.json',
      await json(['sync', '--db', target, '--json', '--anomalies', ...base], CREDENTIALS),
    );
    expect(records.length).toBeGreaterThan(10);
    const recorded = expectDocument(
      'record.schema.json',
      await json(['record', join(dir, 'recorded'), '--json', ...base], CREDENTIALS),
    );
    expect(recorded).toMatchObject({ complete: true });
  });
});

describe('documents', () => {
  it('list --json for a view, a project, an area, a tag and a search', async () => {
    expectDocument('list.schema.json', await json(['list', 'today', '--db', db, '--json']));
    expectDocument(
      'list.schema.json',
      await json(['list', 'logbook', '--db', db, '--json', '--limit', '3', '--offset', '2']),
    );
    const project = expectDocument(
      'list.schema.json',
      await json(['list', '--project', '683fafEFHE4GXGuEkc4zpG', '--db', projects, '--json']),
    );
    expect(project['sections']).toHaveLength(2);
    expectDocument(
      'list.schema.json',
      await json(['list', '--area', '2WHaWojZkNMZo2Sk2RZvvi', '--db', projects, '--json']),
    );
    expectDocument('list.schema.json', await json(['list', '--tag', 'x', '--db', db, '--json']));
    expectDocument(
      'list.schema.json',
      await json(['list', '--search', 'hotel', '--db', db, '--json']),
    );
  });

  it('report --json', async () => {
    const written = expectDocument(
      'report.schema.json',
      await json([
        'report',
        db,
        '--output',
        join(dir, 'report'),
        '--json',
        '--today',
        '2025-02-01',
      ]),
    );
    expect(written).toMatchObject({ changes: 4805, dates: ['2025-02-01'] });
  });

  it('status --json and dump', async () => {
    expectDocument('status.schema.json', await json(['status', '--db', db, '--json']));
    const dump = await json(['dump', '--db', db, '--json']);
    // dump is the canonical, indented document (for diffs): the one exception to one line.
    expect(schemas.validate('dump.schema.json', JSON.parse(dump))).toEqual([]);
    expect(await json(['dump', '--db', db])).toBe(dump);
  });

  it('push --json', async () => {
    const remote = pathToFileURL(join(dir, 'remote.db')).href;
    const pushed = expectDocument(
      'push.schema.json',
      await json(['push', '--db', projects, '--to', remote, '--json']),
    );
    expect(pushed['complete']).toBe(true);
  });

  it('gen --json, fixture verify --json, fixture rehash --json', async () => {
    const generated = join(dir, 'generated');
    expectDocument(
      'gen.schema.json',
      await json(['gen', generated, '--items', '300', '--seed', '9', '--json']),
    );
    expectDocument(
      'fixture-verify.schema.json',
      await json(['fixture', 'verify', generated, '--json']),
    );
    // A directory of captures: other targets, and warnings.
    const upstream = expectDocument(
      'fixture-verify.schema.json',
      await json(['fixture', 'verify', join(REPO, 'fixtures', 'upstream'), '--json']),
    );
    expect(upstream['warnings']).toBeGreaterThan(0);
    const copy = join(dir, 'rehash');
    await cp(join(REPO, 'fixtures', 'synthetic', 'notes'), copy, { recursive: true });
    expectDocument('fixture-rehash.schema.json', await json(['fixture', 'rehash', copy, '--json']));
  });

  it('run --json (the json reporter)', async () => {
    const report = expectDocument(
      'run.schema.json',
      await json(['run', join(REPO, 'examples', 'today-complete.scenario.ts'), '--json']),
    );
    expect(report['ok']).toBe(true);
  });

  it('bench --json (a tiny run, writes and reads)', async () => {
    const results = expectDocument(
      'bench.schema.json',
      await json([
        'bench',
        '--sizes',
        '200',
        '--runs',
        '1',
        '--targets',
        'file',
        '--no-variants',
        '--out',
        join(dir, 'bench.json'),
        '--cache-dir',
        join(dir, 'bench-cache'),
        '--json',
      ]),
    );
    expect(results['format']).toBe('thingstape-bench');
    // The reads part runs by default, on the same size (the smallest is its reference).
    expect((results['reads'] as { sizes: number[] } | undefined)?.sizes).toEqual([200]);
  });

  it('serve --json: one document once it listens', async () => {
    const child = spawn(
      NODE_BIN,
      [CLI_BIN, 'serve', join(REPO, 'fixtures', 'synthetic', 'notes'), '--json'],
      {
        cwd: REPO,
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', () => reject(new Error('serve exited early')));
      });
      const served = expectDocument('serve.schema.json', `${line}\n`);
      expect(served).toMatchObject({ fixture: 'notes', head: 13 });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
