/**
 * Ctrl-C during `sync` and `record` (against the fake Things Cloud): each stops at a page
 * boundary, says what is stored and the command that resumes, exits 130; that command finishes
 * the work. And `record` into a directory that holds a fixture says to use --resume.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLine } from '../../../src/cli/interrupt.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { generatedGroups } from '../../../src/fake/index.ts';
import { runCli } from '../../support/cli.ts';
import { FAKE_BASE, SECRETS, testFake } from '../recorder/support.ts';

const CREDENTIALS = { THINGS_USERNAME: SECRETS.email, THINGS_PASSWORD: SECRETS.password };
const LIVE = ['--base-url', FAKE_BASE, '--rate', '0'];
const server = setupServer();
let dir = '';

beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'bypass' });
  dir = await mkdtemp(join(tmpdir(), 'thingstape-live-interrupt-'));
  const groups = [...generatedGroups({ items: 12_000, seed: 'interrupt' })];
  server.resetHandlers(...testFake({ groups, pageGroups: 400 }).handlers());
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

/** An io on which Ctrl-C was pressed as the command started. */
function interruptedIo(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: (text) => void (out += text),
      stderr: (text) => void (err += text),
      isTty: false,
      env: CREDENTIALS,
      cwd: dir,
      onInterrupt: (handler) => {
        handler();
        return () => undefined;
      },
    },
    out: () => out,
    err: () => err,
  };
}

describe('Ctrl-C', () => {
  it('stops sync after a stored page; the printed command finishes it', async () => {
    const db = pathToFileURL(join(dir, 'sync.db')).href;
    const argv = ['sync', '--db', db, '--json', ...LIVE];
    const cli = interruptedIo();
    expect(await main(argv, cli.io)).toBe(130);
    const lines = cli.err().split('\n');
    expect(lines[0]).toBe('Stopping after the page being stored (Ctrl-C again stops at once)…');
    expect(lines[1]).toMatch(
      /^Interrupted\. The database is at cursor \d+ of \d+ \(a page is stored whole or not at all\)\. Resume with:$/,
    );
    expect(lines[2]).toBe(`  ${commandLine(argv)}`);
    const summary = JSON.parse(cli.out().trim().split('\n').at(-1) ?? '') as Record<
      string,
      unknown
    >;
    expect(summary).toMatchObject({ type: 'summary', complete: false, interrupted: true });
    expect(summary['cursor']).toBeLessThan(summary['head'] as number);

    const resumed = await runCli(argv, { env: CREDENTIALS, cwd: dir });
    expect(resumed.code).toBe(0);
    const end = JSON.parse(resumed.stdout.trim().split('\n').at(-1) ?? '') as Record<
      string,
      unknown
    >;
    expect(end).toMatchObject({ complete: true, interrupted: false, cursor: summary['head'] });
  });

  it('stops record after a written page; the printed command (with --resume) finishes it', async () => {
    const fixture = join(dir, 'recorded');
    const argv = ['record', fixture, ...LIVE, '--from', '0'];
    const cli = interruptedIo();
    expect(await main(argv, cli.io)).toBe(130);
    const lines = cli.err().split('\n');
    expect(lines[0]).toBe('Stopping after the page being written (Ctrl-C again stops at once)…');
    expect(lines[1]).toMatch(
      new RegExp(
        `^Interrupted\\. ${fixture} holds complete pages up to index 400 of \\d+\\. Resume with:$`,
      ),
    );
    // --from gives way to --resume.
    const resume = ['record', fixture, ...LIVE, '--resume'];
    expect(lines[2]).toBe(`  ${commandLine(resume)}`);

    const resumed = await runCli(resume, { env: CREDENTIALS, cwd: dir });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/; complete at head \d+\./);
    const verify = await runCli(['fixture', 'verify', fixture]);
    expect(verify.code).toBe(0);
  });
});

describe('record into a directory that holds a fixture', () => {
  it('says to continue it with --resume (not "pass { resume: true }")', async () => {
    const fixture = join(dir, 'twice');
    expect(
      (
        await runCli(['record', fixture, ...LIVE, '--max-pages', '1'], {
          env: CREDENTIALS,
          cwd: dir,
        })
      ).code,
    ).toBe(0);
    const again = await runCli(['record', fixture, ...LIVE], { env: CREDENTIALS, cwd: dir });
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: `thingstape: Cannot record into ${fixture}: it already holds a fixture; continue it with --resume, or record into a new directory\n`,
    });
  });
});
