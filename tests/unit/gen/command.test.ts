import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/io.ts';

interface Captured {
  io: CliIo;
  out: () => string;
  err: () => string;
}

function captureIo(cwd: string): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      isTty: false,
      env: {},
      cwd,
    },
    out: () => out,
    err: () => err,
  };
}

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length), await readFile(path));
  }
  return files;
}

describe('thingstape gen', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'thingstape-gen-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function gen(dir: string, ...extra: string[]): Promise<[number, Captured]> {
    const captured = captureIo(root);
    const code = await main(
      ['gen', dir, '--items', '2000', '--page-groups', '100', ...extra],
      captured.io,
    );
    return [code, captured];
  }

  it('writes byte-identical fixtures for the same arguments', async () => {
    const [codeA, a] = await gen('a', '--seed', '7');
    const [codeB] = await gen('b', '--seed', '7');
    expect(codeA).toBe(0);
    expect(codeB).toBe(0);
    expect(a.out()).toMatch(/^Generated a: 2000 items in \d+ groups, \d+ pages/);
    const filesA = await filesOf(join(root, 'a'));
    const filesB = await filesOf(join(root, 'b'));
    expect([...filesA.keys()].sort()).toEqual([...filesB.keys()].sort());
    expect(filesA.size).toBeGreaterThan(10);
    for (const [name, bytes] of filesA) expect(filesB.get(name)?.equals(bytes)).toBe(true);
  });

  it('writes a different history for a different seed', async () => {
    await gen('c', '--seed', '8');
    const a = await readFile(join(root, 'a', 'pages', '000000000.json'));
    const c = await readFile(join(root, 'c', 'pages', '000000000.json'));
    expect(a.equals(c)).toBe(false);
  });

  it('records the generator settings and the simulated end time in the manifest', async () => {
    const manifest: unknown = JSON.parse(await readFile(join(root, 'a', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      timeZone: 'Europe/Berlin',
      schema: 301,
      recordedAt: expect.stringMatching(/^2025-01-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      source: {
        kind: 'generated',
        generator: 'thingstape gen',
        items: 2000,
        seed: 7,
        pageGroups: 100,
        start: '2025-01-06',
      },
      pages: expect.arrayContaining([expect.objectContaining({ startIndex: 0, groups: 100 })]),
    });
  });

  it('passes fixture verify', async () => {
    const captured = captureIo(root);
    const code = await main(['fixture', 'verify', 'a', '--json'], captured.io);
    const report: unknown = JSON.parse(captured.out());
    expect(report).toMatchObject({ ok: true });
    expect(code).toBe(0);
  });

  it('keeps a text seed as text', async () => {
    await gen(
      'd',
      '--seed',
      'winter-2025',
      '--time-zone',
      'America/New_York',
      '--start',
      '2026-12-30',
    );
    const manifest: unknown = JSON.parse(await readFile(join(root, 'd', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      timeZone: 'America/New_York',
      source: { seed: 'winter-2025', start: '2026-12-30' },
    });
  });

  it('fails with a message for a bad option', async () => {
    const [code, captured] = await gen('e', '--seed', '1', '--start', '2025-13-01');
    expect(code).toBe(2);
    expect(captured.err().split('\n')[0]).toBe(
      'thingstape: --start must be a date YYYY-MM-DD between 1971 and 2199, got "2025-13-01"',
    );
    // A usage error stops before anything is written.
    await expect(readdir(join(root, 'e'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses to overwrite an existing fixture', async () => {
    const [code, captured] = await gen('a', '--seed', '7');
    expect(code).toBe(1);
    expect(captured.err()).toContain('already holds a fixture');
  });
});
