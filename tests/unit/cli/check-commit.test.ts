import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUARD_CODES } from '../../../src/protocol/index.ts';
import { REPO, runCli } from '../../support/cli.ts';
import { SchemaSet } from '../../support/json-schema.ts';

const schemas = new SchemaSet(join(REPO, 'docs', 'json'));

const FIXTURE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'fixtures',
  'synthetic',
  'tasks-projects-headings',
);
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'thingstape-check-commit-'));
  await writeFile(
    join(dir, 'warn.json'),
    JSON.stringify({ Kd5u6PEbkZ7qGDTvY4yYNi: { t: 1, e: 'Task6', p: { tt: 'x' } } }),
  );
  await writeFile(join(dir, 'broken.json'), '{"a": ');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('thingstape check-commit', () => {
  it('judges the commit against the history given with --state, and exits 1 on an error rule', async () => {
    // In that fixture GK2rLfY1… is a to-do in project 683fafEF…: st 0 puts it in two places.
    await writeFile(
      join(dir, 'inbox.json'),
      JSON.stringify({
        GK2rLfY1UXmm4XFQgQhcLq: { t: 1, e: 'Task6', p: { st: 0, md: 1778061900.5 } },
      }),
    );
    const alone = await runCli(['check-commit', 'inbox.json'], { cwd: dir });
    expect([alone.code, alone.stdout]).toEqual([0, '']);
    const run = await runCli(['check-commit', 'inbox.json', '--state', FIXTURE], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^error {3}ST_CONTRADICTS_CONTAINER +"GK2rLfY1UXmm4XFQgQhcLq" p\.st: found 0; .*\(spec 10\.2, 10\.3, 13 #9 \[L A\]\[S\]\)\n$/,
    );
    expect(run.stderr).toBe(
      `Checked inbox.json (1 entity on the history of ${FIXTURE}): 1 error(s), 0 warning(s).\n`,
    );
    const json = await runCli(['check-commit', 'inbox.json', '--state', FIXTURE, '--json'], {
      cwd: dir,
    });
    expect(schemas.validate('check-commit.schema.json', JSON.parse(json.stdout))).toEqual([]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      file: 'inbox.json',
      stateComplete: true,
      entities: 1,
      ok: false,
      violations: [{ code: 'ST_CONTRADICTS_CONTAINER', path: 'p.st', tag: '[L A][S]' }],
    });
  });

  it('exits 0 on warnings, 1 with --strict or --error naming the rule', async () => {
    const plain = await runCli(['check-commit', 'warn.json'], { cwd: dir });
    expect([plain.code, plain.stdout]).toEqual([
      0,
      expect.stringMatching(
        /^warning MODIFY_WITHOUT_MD +"Kd5u6PEbkZ7qGDTvY4yYNi" p\.md: found absent; /,
      ),
    ]);
    expect((await runCli(['check-commit', 'warn.json', '--strict'], { cwd: dir })).code).toBe(1);
    expect(
      (await runCli(['check-commit', 'warn.json', '--error', 'MODIFY_WITHOUT_MD'], { cwd: dir }))
        .code,
    ).toBe(1);
    expect(
      (await runCli(['check-commit', 'warn.json', '--ignore', 'MODIFY_WITHOUT_MD'], { cwd: dir }))
        .stdout,
    ).toBe('');
  });

  it('reports invalid JSON as a violation with its position', async () => {
    const run = await runCli(['check-commit', 'broken.json', '--json'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      violations: [{ code: 'MALFORMED_COMMIT', found: 'invalid JSON at character 6' }],
    });
  });

  it('says what is wrong with the file or the options, with exit 1 or 2', async () => {
    const missing = await runCli(['check-commit', 'nope.json'], { cwd: dir });
    expect([missing.code, missing.stderr]).toEqual([
      1,
      'thingstape: Cannot check commit nope.json: no such file; name a JSON file holding one commit body\n',
    ]);
    const unknown = await runCli(['check-commit', 'warn.json', '--error', 'NOPE'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '--error: unknown rule "NOPE"; "thingstape check-commit --rules" lists the',
    );
  });

  it('lists every rule with --rules', async () => {
    const run = await runCli(['check-commit', '--rules', '--json']);
    expect(schemas.validate('check-commit.schema.json', JSON.parse(run.stdout))).toEqual([]);
    const { rules } = JSON.parse(run.stdout) as { rules: { code: string; tag: string }[] };
    expect(rules.map((r) => r.code)).toEqual([...GUARD_CODES]);
  });
});
