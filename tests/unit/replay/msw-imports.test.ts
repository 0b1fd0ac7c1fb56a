/**
 * The library loads msw only through its HTTP entry points (`msw/http`, `msw/node`,
 * `msw/utils/…`): msw's root also loads its WebSocket support, whose BroadcastChannel keeps a Deno
 * process alive after its work is done, so `import 'thingstape'` would never let a Deno script or
 * `thingstape` under Deno exit. Type-only imports from the root load nothing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/cli.ts';

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the library’s msw imports', () => {
  it('never load msw’s root module at run time', async () => {
    const offenders: string[] = [];
    for (const file of [
      ...(await sourceFiles(join(REPO, 'src'))),
      ...(await sourceFiles(join(REPO, 'recorder'))),
    ]) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'msw';/gms)) {
        if (match[1] === undefined) offenders.push(`${relative(REPO, file)}: ${match[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
