/** The CLI as the benchmark runs it: its entry point, its Node flags and its environment. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI entry point; run as a user runs it (through its shebang, so with its Node flags). */
export const CLI_BIN = fileURLToPath(new URL('../bin/thingstape.js', import.meta.url));

let cliFlags: readonly string[] | undefined;

/** The Node flags the CLI's shebang (`#!/usr/bin/env -S node <flags>`) runs it with (read once). */
export function cliNodeFlags(): readonly string[] {
  if (cliFlags !== undefined) return cliFlags;
  const first = readFileSync(CLI_BIN, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\/usr\/bin\/env(?: -S)? node((?: \S+)*)$/.exec(first);
  if (match === null) throw new Error(`${CLI_BIN}: unexpected first line ${JSON.stringify(first)}`);
  cliFlags = (match[1] ?? '').split(' ').filter((flag) => flag !== '');
  return cliFlags;
}

/**
 * The environment the CLI runs in: this one, with the checkout's `node_modules/.bin` first on
 * `PATH`, so that its shebang finds the project's Node as `npx thingstape` does.
 */
export function cliEnv(): NodeJS.ProcessEnv {
  const bin = resolve(dirname(CLI_BIN), '..', 'node_modules', '.bin');
  return { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
}

/** The CLI's Node flags as one string, for labels. */
export function cliFlagsLabel(): string {
  return cliNodeFlags().join(' ');
}
