/**
 * The CLI as a user runs it (`npx thingstape`, npm scripts): `bin/thingstape.ts` through its
 * shebang, on Node 24 with V8's young generation capped and old-generation growth kept small
 * (docs/decisions/0010-cli-node-flags.md). A Node that no longer knows a flag would refuse to
 * start, which the second test would show.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cliNodeFlags } from '../../../bench/run.ts';
import { CLI_BIN, spawnCli } from '../../support/cli.ts';

describe('bin/thingstape.ts', () => {
  it('runs Node with a capped young generation and a smaller heap growing factor', async () => {
    const first = (await readFile(CLI_BIN, 'utf8')).split('\n', 1)[0];
    expect(first).toBe('#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=50');
    // The benchmark measures the CLI with the flags it reads from the same line.
    expect(cliNodeFlags()).toEqual(['--max-semi-space-size=8', '--heap-growing-percent=50']);
  });

  it('starts through its shebang and answers --help', async () => {
    const run = await spawnCli(['--help']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('thingstape replay');
  });
});
