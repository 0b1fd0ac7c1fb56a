/**
 * Test helpers for the CLI: {@link runCli} runs `main()` in this process with a fake
 * {@link CliIo}; {@link spawnCli} runs `bin/thingstape.js` as a separate process through its shebang,
 * as `npx thingstape` does (Node 24 from node_modules, with the CLI's Node flags), for the tests
 * where "a separate invocation" is the point.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { CliIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';

/** The repository root. */
export const REPO = join(import.meta.dirname, '..', '..');

/** The Node 24 binary that can run the TypeScript sources. */
export const NODE_BIN = join(REPO, 'node_modules', '.bin', 'node');

/** The CLI entry point. */
export const CLI_BIN = join(REPO, 'bin', 'thingstape.js');

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Settings of {@link runCli}. */
export interface RunCliOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly isTty?: boolean;
}

/** Runs `thingstape <argv>` in-process through `main()` and captures its output. */
export async function runCli(
  argv: readonly string[],
  options: RunCliOptions = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTty: options.isTty ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? REPO,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Settings of {@link spawnCli}. */
export interface SpawnCliOptions {
  /** Added to (or, with `undefined`, removed from) the current environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

/** Runs `bin/thingstape.js <argv>` as a separate process and captures its output. */
export function spawnCli(argv: readonly string[], options: SpawnCliOptions = {}): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, ...options.env })) {
    if (value !== undefined) env[name] = value;
  }
  // The shebang's `env node` finds Node 24 first, as in npm scripts and npx.
  env['PATH'] = `${dirname(NODE_BIN)}:${env['PATH'] ?? ''}`;
  return new Promise((resolve, reject) => {
    execFile(
      CLI_BIN,
      [...argv],
      { cwd: options.cwd ?? REPO, env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

/** A committed fixture: its directory (absolute), path relative to the repo, and name. */
export interface CommittedFixture {
  readonly dir: string;
  /** e.g. `fixtures/synthetic/notes` */
  readonly path: string;
  /** The fixture's name as the CLI reports it (its directory's base name). */
  readonly name: string;
  /** The manifest's `source.kind`. */
  readonly kind: string;
}

/**
 * Every fixture under `fixtures/` (a directory holding a `manifest.json`), sorted by path. A
 * fixture whose manifest says `"source": { "expect": "failure" }` is left out: it exists to make a
 * replay fail.
 */
export async function committedFixtures(
  root = join(REPO, 'fixtures'),
): Promise<CommittedFixture[]> {
  const found: CommittedFixture[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    if (entries.some((entry) => entry.isFile() && entry.name === 'manifest.json')) {
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
        source?: { kind?: string; expect?: string };
      };
      if (manifest.source?.expect === 'failure') return;
      const path = relative(REPO, dir).split('\\').join('/');
      found.push({
        dir,
        path,
        name: path.split('/').at(-1) ?? path,
        kind: manifest.source?.kind ?? '',
      });
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
    }
  };
  await walk(root);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}
