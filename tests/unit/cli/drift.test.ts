/**
 * `thingstape drift` on recordings written to disk as the recorder writes them (pages, side files):
 * each change lands in its tier with its exit code; two recordings of one account do not drift.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../../support/cli.ts';
import { SchemaSet } from '../../support/json-schema.ts';
import { recording, todo } from '../drift/recordings.ts';

const schemas = new SchemaSet(join(REPO, 'docs', 'json'));
const base = Array.from({ length: 30 }, (_, n) => todo(n));
const OWN_KEYS =
  'https://cloud.culturedcode.com/version/1/account/someone%40example.com/own-history-keys';
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'thingstape-drift-'));
  const items = {
    file: 'pages/000000000.meta.json',
    method: 'GET',
    url: 'https://cloud.culturedcode.com/version/1/history/history-key-redacted/items?start-index=0',
    status: 200,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
  };
  const keys = (status: number) => ({
    file: 'own-history-keys.meta.json',
    method: 'GET',
    url: OWN_KEYS,
    status,
    headers: status === 404 ? { 'things-response': 'GenericClientError' } : {},
  });
  await recording(join(dir, 'reference'), base, { sides: [items, keys(200)] });
  await recording(
    join(dir, 'same'),
    [...base, ...Array.from({ length: 9 }, (_, n) => todo(30 + n))],
    {
      sides: [items, keys(200)],
    },
  );
  await recording(join(dir, 'new-kind'), [...base, { A: { t: 0, e: 'Task8', p: {} } }]);
  await recording(
    join(dir, 'new-field'),
    base.map((_, n) => todo(n, { zz: true })),
  );
  await recording(join(dir, 'changed-type'), [...base.slice(1), todo(0, { ix: '1' })]);
  await recording(
    join(dir, 'vanished-field'),
    base.map((_, n) => {
      const group = todo(n) as Record<string, { p: Record<string, unknown> }>;
      for (const event of Object.values(group)) delete event.p['xx'];
      return group;
    }),
  );
  await recording(join(dir, 'new-schema'), base, { schema: 302 });
  await recording(join(dir, 'endpoint-404'), base, { sides: [items, keys(404)] });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function drift(args: string[]) {
  return runCli(['drift', ...args], { cwd: dir });
}

describe('thingstape drift', () => {
  it.each([
    ['new-kind', 3, 'error', 'NEW_UNKNOWN_KIND', 'kind Task8'],
    ['changed-type', 3, 'error', 'CHANGED_TYPE', 'Task6 p.ix'],
    ['new-schema', 3, 'error', 'NEW_SCHEMA', 'schema'],
    [
      'endpoint-404',
      3,
      'error',
      'ENDPOINT_FAILING',
      'GET /version/1/account/{email}/own-history-keys',
    ],
    ['new-field', 1, 'warning', 'NEW_FIELD', 'Task6 p.zz'],
    ['vanished-field', 1, 'warning', 'VANISHED_FIELD', 'Task6 p.xx'],
  ])('%s: exit %i, %s %s', async (name, code, tier, finding, subject) => {
    const run = await drift([name, 'reference', '--json']);
    expect(run.code).toBe(code);
    const report = JSON.parse(run.stdout) as {
      exitCode: number;
      findings: { tier: string; code: string; subject: string }[];
    };
    expect(schemas.validate('drift.schema.json', report)).toEqual([]);
    expect(report.exitCode).toBe(code);
    expect(report.findings.filter((f) => f.tier !== 'info')).toContainEqual(
      expect.objectContaining({ tier, code: finding, subject }),
    );
    expect(report.findings.filter((f) => f.tier === 'error').length > 0).toBe(code === 3);
  });

  it('reports no drift between two recordings of the same account (exit 0, counts as info)', async () => {
    const run = await drift(['same', 'reference']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'Drift of same against 1 reference(s): 0 error(s), 0 warning(s), 3 info (--info prints them); exit 0.\n',
    );
    const info = await drift(['same', 'reference', '--info']);
    expect(info.stdout).toContain('info    COUNT              items: 30 → 39\n');
  });

  it('prints errors and warnings as lines, and lets warnings pass with --fail-on error', async () => {
    const run = await drift(['new-field', 'reference']);
    expect(run.stdout).toMatch(
      /^warning NEW_FIELD +Task6 p\.zz: new field \(boolean, in 30 create\); thingstape does not know it\n$/,
    );
    expect((await drift(['new-field', 'reference', '--fail-on', 'error'])).code).toBe(0);
    expect((await drift(['new-kind', 'reference', '--fail-on', 'never'])).code).toBe(0);
  });

  it('writes a catalogue that serves as the reference, byte-identical every time', async () => {
    expect((await drift(['reference', '--write-catalogue', 'ref.json'])).code).toBe(0);
    const first = await readFile(join(dir, 'ref.json'), 'utf8');
    await drift(['reference', '--write-catalogue', 'ref.json']);
    expect(await readFile(join(dir, 'ref.json'), 'utf8')).toBe(first);
    expect(JSON.parse(first)).toMatchObject({ format: 'thingstape-shape-catalogue', version: 1 });
    expect((await drift(['reference', 'ref.json'])).stderr).toContain(
      '0 error(s), 0 warning(s), 0 info',
    );
    expect((await drift(['new-schema', 'ref.json'])).code).toBe(3);
  });

  it('finds the 2017 upstream capture drifted from today’s synthetic fixtures: schema 300', async () => {
    const fixtures = join(REPO, 'fixtures');
    const run = await runCli([
      'drift',
      join(fixtures, 'upstream', 'nicolai86-items'),
      join(fixtures, 'synthetic', 'legacy-ids'),
      join(fixtures, 'synthetic', 'notes'),
      '--json',
    ]);
    const report = JSON.parse(run.stdout) as {
      findings: { tier: string; code: string; message: string }[];
    };
    expect(run.code).toBe(3);
    expect(report.findings.filter((f) => f.tier === 'error').map((f) => f.message)).toEqual([
      'schema 300 on 1 page(s): not in the reference (301)',
    ]);
  });

  it('says what is wrong with a path that is no recording', async () => {
    const run = await drift(['nowhere', 'reference']);
    expect([run.code, run.stderr]).toEqual([
      1,
      'thingstape: Cannot read nowhere: no such file or directory; name a fixture directory or a shape catalogue (.json)\n',
    ]);
  });
});
