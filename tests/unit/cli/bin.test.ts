/**
 * The CLI as a user runs it (`npx thingstape`, npm scripts): `bin/thingstape.js` through its
 * shebang, on Node 24 with V8's young generation capped and old-generation growth kept small
 * (docs/decisions/0010-cli-node-flags.md). A Node that no longer knows a flag would refuse to
 * start, which the second test would show.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliNodeFlags } from '../../../bench/cli.ts';
import { CLI_BIN, NODE_BIN, spawnCli } from '../../support/cli.ts';

describe('bin/thingstape.js', () => {
  it('runs Node with a capped young generation and a smaller heap growing factor', async () => {
    const first = (await readFile(CLI_BIN, 'utf8')).split('\n', 1)[0];
    expect(first).toBe('#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=50');
    // The benchmark measures the CLI with the flags it reads from the same line.
    expect(cliNodeFlags()).toEqual(['--max-semi-space-size=8', '--heap-growing-percent=50']);
  });

  it('gives Node the flags: the shebang line, run with -p, prints them in process.execArgv', async () => {
    const first = (await readFile(CLI_BIN, 'utf8')).split('\n', 1)[0] ?? '';
    const command = first.replace(/^#!\/usr\/bin\/env -S /, '');
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        '/usr/bin/env',
        ['-S', `${command} -p process.execArgv`],
        { env: { ...process.env, PATH: `${dirname(NODE_BIN)}:${process.env['PATH'] ?? ''}` } },
        (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(stderr))),
      );
    });
    expect(out).toContain("'--max-semi-space-size=8'");
    expect(out).toContain("'--heap-growing-percent=50'");
  });

  it('starts through its shebang and answers --help', async () => {
    const run = await spawnCli(['--help']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('thingstape replay');
  });
});
