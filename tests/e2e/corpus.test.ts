/**
 * The malformed-input corpus end to end: every case of tests/corpus/malformed/cases.json, and the
 * fixture-level cases beside it (a page whose group count disagrees with its manifest, a page file
 * that is a symbolic link, a page name that leaves the fixture), replayed as page 2 of a copy of
 * `multi-page` into a database that holds page 1. Each must stop with a located one-line error
 * ("Cannot …", naming the fixture and page 2) and leave the database exactly as it was.
 */
import { createHash } from 'node:crypto';
import { copyFile, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isThingstapeError } from '../../src/errors.ts';
import { replayFixture } from '../../src/replay/index.ts';
import { openStore } from '../../src/store/index.ts';
import { bodyOf, loadCases } from '../corpus/malformed/load.ts';
import { REPO } from '../support/cli.ts';
import { copyFixture, tempDbs, tempDirForFile } from './helpers.ts';

const ORIGINAL = join(REPO, 'fixtures', 'synthetic', 'multi-page');
const PAGE_2 = 'pages/000000005.json';
const nextDb = tempDbs('thingstape-corpus-');
const work = tempDirForFile('thingstape-corpus-fixtures-');
let copies = 0;

interface Manifest {
  pages: { file: string; sha256: string; groups: number }[];
}

/** A copy of multi-page (named so) whose page 2 and manifest `edit` may change. */
async function brokenFixture(edit: (dir: string, manifest: Manifest) => Promise<void>) {
  copies += 1;
  const dir = await copyFixture(ORIGINAL, join(await work.path(), String(copies), 'multi-page'));
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  await edit(dir, manifest);
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

/** Replaces page 2 by `body` and records its hash, as a careless hand edit would. */
function pageBody(body: Uint8Array) {
  return async (dir: string, manifest: Manifest): Promise<void> => {
    await writeFile(join(dir, PAGE_2), body);
    const entry = manifest.pages[1];
    if (entry === undefined) throw new Error('multi-page has no page 2');
    entry.sha256 = createHash('sha256').update(body).digest('hex');
  };
}

/** A database holding page 1 of multi-page, and its dump; each case starts from a copy. */
const pageOne = { url: '', dump: '' };
beforeAll(async () => {
  pageOne.url = await nextDb();
  const store = await openStore(pageOne.url);
  try {
    await replayFixture({ fixtureDir: ORIGINAL, store, maxPages: 1 });
    pageOne.dump = await store.dump();
  } finally {
    store.close();
  }
});

/**
 * Replays the fixture into a copy of the page-1 database; returns the error and checks that the
 * dump did not change.
 */
async function refusedAfterPageOne(dir: string): Promise<{ code: string; message: string }> {
  const url = await nextDb();
  await copyFile(fileURLToPath(pageOne.url), fileURLToPath(url));
  const store = await openStore(url);
  try {
    const error: unknown = await replayFixture({ fixtureDir: dir, store }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(await store.dump()).toBe(pageOne.dump);
    expect((await store.syncState()).cursor).toBe(5);
    if (!isThingstapeError(error))
      throw new Error(`expected a thingstape error, got ${String(error)}`);
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(/^Cannot /);
    return { code: error.code, message: error.message };
  } finally {
    store.close();
  }
}

const cases = loadCases();

describe('replaying the malformed corpus as page 2', () => {
  it.each(cases.map((entry) => [entry.name, entry] as const))(
    'stops at %s with a located one-line error and the database unchanged',
    async (_name, entry) => {
      const dir = await brokenFixture(pageBody(bodyOf(entry)));
      const refused = await refusedAfterPageOne(dir);
      // Refused for the case's own reason (not, say, because its head is behind page 2's start).
      expect(refused.code).toBe(entry.code);
      expect(refused.message).toContain('fixture "multi-page", page 2 (start-index 5)');
    },
  );
});

describe('replaying a fixture damaged around its pages', () => {
  it.each([
    ['3', (items: unknown[]) => items.slice(0, 3)],
    ['5', (items: unknown[]) => [...items, items[0]]],
  ])('stops at a page of %s groups where the manifest records 4', async (count, edit) => {
    const body = JSON.parse(await readFile(join(ORIGINAL, PAGE_2), 'utf8')) as {
      items: unknown[];
    };
    body.items = edit(body.items);
    const dir = await brokenFixture(pageBody(new TextEncoder().encode(JSON.stringify(body))));
    const refused = await refusedAfterPageOne(dir);
    expect(refused.code).toBe('GROUP_COUNT_MISMATCH');
    expect(refused.message).toContain(
      `page 2 (start-index 5): it holds ${count} groups where 4 were recorded`,
    );
  });

  it('stops at a page file that is a symbolic link, reading nothing through it', async () => {
    const dir = await brokenFixture(async (fixture) => {
      const moved = join(fixture, '..', 'moved.json');
      await rename(join(fixture, PAGE_2), moved);
      await symlink(moved, join(fixture, PAGE_2));
    });
    expect((await refusedAfterPageOne(dir)).message).toBe(
      'Cannot read fixture "multi-page", pages/000000005.json: the page file is a symbolic link; a fixture\'s pages must be regular files inside it (copy the file instead)',
    );
  });

  it('stops at a manifest that names a page outside the fixture', async () => {
    const dir = await brokenFixture(async (_fixture, manifest) => {
      const entry = manifest.pages[1];
      if (entry !== undefined) entry.file = '../../../../../../etc/passwd';
    });
    const { code, message } = await refusedAfterPageOne(dir);
    expect(code).toBe('PAGE_FILE_NAME');
    expect(message).toContain('manifest.json');
    expect(message).toContain('"file" must be "pages/000000005.json"');
    expect(message).not.toContain('root:');
  });
});
