/** Shared pieces of the end-to-end tests: temp databases and fixture copies. */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';

/** A temp directory for the current test file, removed after all its tests. */
export function tempDirForFile(prefix: string): { path(): Promise<string> } {
  let dir: Promise<string> | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(await dir, { recursive: true, force: true });
  });
  return {
    path() {
      dir ??= mkdtemp(join(tmpdir(), prefix));
      return dir;
    },
  };
}

/** Hands out fresh `file:` database URLs inside a temp directory of the current test file. */
export function tempDbs(prefix = 'thingstape-e2e-'): () => Promise<string> {
  const dir = tempDirForFile(prefix);
  let n = 0;
  return async () => {
    n += 1;
    const file = `db-${n}.sqlite`; // taken before the await: concurrent callers get distinct files
    return pathToFileURL(join(await dir.path(), file)).href;
  };
}

/** Copies a fixture directory to `target` (for tests that break it on purpose). */
export async function copyFixture(from: string, target: string): Promise<string> {
  await cp(from, target, { recursive: true });
  return target;
}

/** Parses `--json` change lines (one object per line). */
export function parseLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
