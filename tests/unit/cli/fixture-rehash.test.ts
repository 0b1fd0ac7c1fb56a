import { cp, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { sha256Hex } from '../../../src/fixture/sha256.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTty: false,
    env: {},
    cwd: REPO,
  };
  return { code: await main(argv, io), stdout, stderr };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function copyOf(fixture: string): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'thingstape-rehash-')), 'fx');
  dirs.push(dirname(dir));
  await cp(join(REPO, 'fixtures', fixture), dir, { recursive: true });
  return dir;
}

describe('thingstape fixture rehash', () => {
  it('makes a hand-edited page verify again, with the new hash and group count', async () => {
    const dir = await copyOf('synthetic/multi-page');
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      pages: { file: string; groups: number; sha256: string }[];
    };
    const last = manifest.pages.at(-1);
    if (last === undefined) throw new Error('fixture has no pages');
    const path = join(dir, last.file);
    const body = JSON.parse(await readFile(path, 'utf8')) as { items: unknown[] };
    body.items.push({}); // one more (empty) group at the end
    const edited = `${JSON.stringify(body, null, 2)}\n`;
    await writeFile(path, edited);

    const before = await run('fixture', 'verify', dir);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('HASH_MISMATCH');

    const rehash = await run('fixture', 'rehash', dir, '--json');
    expect(rehash.code).toBe(0);
    const result = JSON.parse(rehash.stdout) as {
      pages: { file: string; sha256: string; groups: number; changed: boolean }[];
    };
    expect(result.pages.filter((p) => p.changed).map((p) => p.file)).toEqual([last.file]);
    expect(result.pages.at(-1)).toMatchObject({
      sha256: sha256Hex(new TextEncoder().encode(edited)),
      groups: last.groups + 1,
    });

    const after = await run('fixture', 'verify', dir);
    expect(after.code).toBe(0);
  });

  it('rejects an edit that breaks contiguity, naming the pages, and leaves the manifest unchanged', async () => {
    const dir = await copyOf('synthetic/multi-page');
    const manifestText = await readFile(join(dir, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(manifestText) as { pages: { file: string }[] };
    const first = manifest.pages[0];
    if (first === undefined) throw new Error('fixture has no pages');
    const path = join(dir, first.file);
    const body = JSON.parse(await readFile(path, 'utf8')) as { items: unknown[] };
    body.items.push({}); // page 1 grows: it now overlaps page 2
    await writeFile(path, JSON.stringify(body));

    const rehash = await run('fixture', 'rehash', dir);
    expect(rehash.code).toBe(1);
    expect(rehash.stderr).toMatch(
      /page 2 starts at index 5, but page 1 \(pages\/000000000\.json\) covers/,
    );
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(manifestText);
  });

  it('refuses a page name that leaves the fixture before reading any file', async () => {
    const dir = await copyOf('synthetic/multi-page');
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      pages: { file: string }[];
    };
    const secret = join(dirname(dir), 'outside.json');
    await writeFile(secret, 'root:x:0:0:not-a-page');
    manifest.pages[1]!.file = '../outside.json';
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    await writeFile(join(dir, 'manifest.json'), manifestText);

    const rehash = await run('fixture', 'rehash', dir);
    expect(rehash.code).toBe(1);
    expect(rehash.stderr).toBe(
      'thingstape: Cannot read fixture "fx", manifest.json: pages[1].file must be "pages/000000005.json" for start index 5, got "../outside.json"; nothing was read\n',
    );
    expect(rehash.stderr).not.toContain('root:');
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(manifestText);
  });

  it('refuses a page file that is a symbolic link, in rehash, verify and replay alike', async () => {
    const dir = await copyOf('synthetic/multi-page');
    const page = join(dir, 'pages', '000000005.json');
    const elsewhere = join(dirname(dir), 'elsewhere.json');
    await rename(page, elsewhere);
    await symlink(elsewhere, page);
    const message =
      'Cannot read fixture "fx", pages/000000005.json: the page file is a symbolic link; a fixture\'s pages must be regular files inside it (copy the file instead)';

    const rehash = await run('fixture', 'rehash', dir);
    expect(rehash).toMatchObject({ code: 1, stderr: `thingstape: ${message}\n` });
    const verify = await run('fixture', 'verify', dir);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('LINKED_PAGE');
    const db = join(dirname(dir), 'replay.db');
    const replay = await run('replay', dir, '--db', `file:${db}`);
    expect(replay.code).toBe(1);
    expect(replay.stderr.split('\n')[0]).toBe(`thingstape: ${message}`);
  });
});
