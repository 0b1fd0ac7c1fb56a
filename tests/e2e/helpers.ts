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

/** Every line of an NDJSON stream (`replay`, `changes`, `sync` with `--json`), parsed. */
export function parseRecords(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The change lines of an NDJSON stream (its anomaly lines and closing summary left out). */
export function parseLines(stdout: string): Record<string, unknown>[] {
  return parseRecords(stdout).filter(
    (record) => record['type'] !== 'summary' && record['type'] !== 'anomaly',
  );
}

/** The summary object that ends an NDJSON stream; throws when the last line is not one. */
export function parseSummary(stdout: string): Record<string, unknown> {
  const last = parseRecords(stdout).at(-1);
  if (last?.['type'] !== 'summary') {
    throw new Error(`the stream does not end with a summary object: ${JSON.stringify(last)}`);
  }
  return last;
}

/** The change lines of a stream as text, without its closing summary line (for golden files). */
export function changeText(stdout: string): string {
  const lines = stdout.split('\n');
  const summaryAt = lines.findLastIndex((line) => line.startsWith('{"type":"summary"'));
  return summaryAt === -1
    ? stdout
    : [...lines.slice(0, summaryAt), ...lines.slice(summaryAt + 1)].join('\n');
}
