/**
 * The committed example scenarios replay in CI (through `thingstape run`, JUnit report validated)
 * and each file also runs on its own with `node file.scenario.ts`.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_BIN, REPO, runCli, spawnCli } from '../support/cli.ts';
import { junitCases } from '../unit/harness/xml.ts';

function runNode(
  file: string,
  args: readonly string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      NODE_BIN,
      [file, ...args],
      { cwd: REPO, env: { ...process.env, CI: '1' }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

describe('examples/', () => {
  it('holds at least five scenario files, each with a committed cassette', async () => {
    const entries = await readdir(join(REPO, 'examples'));
    const scripts = entries.filter((name) => name.endsWith('.scenario.ts'));
    expect(scripts.length).toBeGreaterThanOrEqual(5);
    for (const script of scripts) expect(entries).toContain(script.replace(/\.ts$/, '.cassette'));
  });

  it('replays every example with CI set and reports them as JUnit', async () => {
    const run = await spawnCli(['run', 'examples', '--reporter', 'junit'], {
      env: { CI: '1', THINGSTAPE_MODE: undefined },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const cases = junitCases(run.stdout);
    const scenarios = cases.filter((c) => !c.name.includes(' › '));
    expect(scenarios.length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => c.failure !== undefined)).toEqual([]);
    expect(scenarios.map((c) => c.name)).toContain('create a to-do in Today, then complete it');
  });

  it('refuses to record in CI', async () => {
    const run = await runCli(['run', 'examples', '--mode', 'record', '--allow-net'], {
      env: { CI: '1' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CI is set');
  });

  it('runs one example directly with node', async () => {
    const run = await runNode('examples/today-complete.scenario.ts');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '✓ examples/today-complete.scenario.ts › create a to-do in Today, then complete it',
    );
    expect(run.stdout).toContain('✓ create it in Today');
    expect(run.stdout).toContain('ok | 1 passed | 0 failed');
  });

  it('passes flags to a directly run example (JSON reporter, filter)', async () => {
    const run = await runNode('examples/trash-restore-delete.scenario.ts', [
      '--reporter',
      'json',
      '--filter',
      '/trash/',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      mode: string;
      scenarios: { name: string; status: string }[];
    };
    expect(report).toMatchObject({ ok: true, mode: 'replay' });
    expect(report.scenarios.map((s) => [s.name, s.status])).toEqual([
      ['trash and put back, then delete permanently', 'passed'],
    ]);
  });
});
