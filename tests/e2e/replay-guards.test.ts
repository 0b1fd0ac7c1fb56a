import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDbUrl } from '../../src/cli/db-options.ts';
import { CLI_BIN, NODE_BIN, REPO, runCli } from '../support/cli.ts';
import { changeText, copyFixture, tempDbs, tempDirForFile } from './helpers.ts';

const db = tempDbs('thingstape-guards-');
const dir = tempDirForFile('thingstape-guards-fx-');
const fixture = (name: string): string => join(REPO, 'fixtures', 'synthetic', name);

describe('thingstape replay guards', () => {
  it('stops at once with the fixture error when a page changed without a rehash', async () => {
    const copy = await copyFixture(fixture('multi-page'), join(await dir.path(), 'edited'));
    const page = join(copy, 'pages', '000000005.json');
    await writeFile(page, (await readFile(page, 'utf8')).replace('"t": 1', '"t": 1 '));
    const url = await db();
    const run = await runCli(['replay', copy, '--db', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cannot read fixture "edited", pages/000000005.json');
    expect(run.stderr).toContain('(the page was changed or truncated)');
    // The fixture's own error, not a server error the client retried with backoff and gave up on.
    expect(run.stderr).not.toMatch(/HTTP 500|attempts/);
    const status = await runCli(['status', '--db', url, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ syncState: { cursor: 5 } });
  });

  it('refuses to replay a second, different fixture into the same database', async () => {
    const url = await db();
    expect((await runCli(['replay', fixture('scheduling'), '--db', url])).code).toBe(0);
    const before = await runCli(['dump', '--db', url]);
    const other = await runCli(['replay', fixture('areas'), '--db', url]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`Cannot replay fixture "areas" into ${url}`);
    expect(other.stderr).toContain('it holds fixture "scheduling"');
    expect((await runCli(['dump', '--db', url])).stdout).toBe(before.stdout);
  });

  it('prints the same change lines from replay --json and changes --json', async () => {
    const url = await db();
    for (const name of ['repeating', 'legacy-ids']) {
      const target = `${url}-${name}`;
      const replay = await runCli(['replay', fixture(name), '--db', target, '--json']);
      const changes = await runCli(['changes', '--db', target, '--json']);
      expect(replay.code).toBe(0);
      // Byte for byte, up to the closing summaries (replay's names the fixture and the run).
      expect(changeText(changes.stdout)).toBe(changeText(replay.stdout));
    }
  });

  it('exits quietly when its reader closes the pipe early', async () => {
    const url = await db();
    await runCli(['replay', join(REPO, 'fixtures', 'realistic', 'account-5k'), '--db', url]);
    const child = spawn(NODE_BIN, [CLI_BIN, 'changes', '--db', url], { cwd: REPO });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});

describe('resolveDbUrl()', () => {
  it('resolves relative file: URLs against the given directory and leaves others alone', () => {
    expect(resolveDbUrl('file:thingstape.db', '/work/x')).toBe('file:/work/x/thingstape.db');
    expect(resolveDbUrl('file:../a.db?mode=ro', '/work/x')).toBe('file:/work/a.db?mode=ro');
    expect(resolveDbUrl('file:/abs/a.db', '/work/x')).toBe('file:/abs/a.db');
    expect(resolveDbUrl('file:///abs/a.db', '/work/x')).toBe('file:///abs/a.db');
    expect(resolveDbUrl(':memory:', '/work/x')).toBe(':memory:');
    expect(resolveDbUrl('http://127.0.0.1:8080', '/work/x')).toBe('http://127.0.0.1:8080');
  });
});
