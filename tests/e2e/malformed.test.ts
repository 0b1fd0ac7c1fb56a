/**
 * Malformed pages stop the replay with a clear error (exit code 1, naming fixture, page, group,
 * item and JSON path); what is stored stays as it was before that page; a fixed fixture resumes
 * from the stored cursor and ends with the same dump as a clean replay. Each case copies the
 * multi-page fixture into a temp dir and breaks its page 2 (start-index 5).
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StoreError, openStore } from '../../src/store/index.ts';
import type { PageCommit } from '../../src/store/index.ts';
import { replayFixture } from '../../src/replay/index.ts';
import { isThingstapeError } from '../../src/errors.ts';
import { REPO, runCli } from '../support/cli.ts';
import { overriding } from '../../tools/overriding.ts';
import { changeText, copyFixture, parseLines, tempDbs, tempDirForFile } from './helpers.ts';

const ORIGINAL = join(REPO, 'fixtures', 'synthetic', 'multi-page');
const PAGE_2 = 'pages/000000005.json';
const nextDb = tempDbs('thingstape-malformed-');
const work = tempDirForFile('thingstape-malformed-fixtures-');
let copies = 0;

const clean = { changes: '', dump: '' };

beforeAll(async () => {
  const db = await nextDb();
  const run = await runCli(['replay', 'fixtures/synthetic/multi-page', '--db', db, '--json']);
  if (run.code !== 0) throw new Error(run.stderr);
  clean.changes = changeText(run.stdout);
  clean.dump = (await runCli(['dump', '--db', db])).stdout;
});

/** A fresh copy of multi-page named `multi-page` (so messages read as for the original). */
async function copy(): Promise<string> {
  copies += 1;
  return copyFixture(ORIGINAL, join(await work.path(), String(copies), 'multi-page'));
}

/** Rewrites page 2's hash in the manifest by hand (for a page that no longer parses). */
async function rehashByHand(dir: string): Promise<void> {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    pages: { file: string; sha256: string }[];
  };
  const bytes = await readFile(join(dir, PAGE_2));
  for (const page of manifest.pages) {
    if (page.file === PAGE_2) page.sha256 = createHash('sha256').update(bytes).digest('hex');
  }
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Edits one item of page 2 and rehashes through `thingstape fixture rehash`. */
async function editItem(
  dir: string,
  group: number,
  edit: (item: { e: string; p: Record<string, unknown> }) => void,
): Promise<void> {
  const path = join(dir, PAGE_2);
  const page = JSON.parse(await readFile(path, 'utf8')) as {
    items: Record<string, { e: string; p: Record<string, unknown> }>[];
  };
  const item = Object.values(page.items[group] ?? {})[0];
  if (item === undefined) throw new Error(`no item in group ${group}`);
  edit(item);
  await writeFile(path, `${JSON.stringify(page, null, 2)}\n`);
  const rehash = await runCli(['fixture', 'rehash', dir]);
  expect(rehash.code).toBe(0);
}

/** Puts the original page 2 and manifest back. */
async function restore(dir: string): Promise<void> {
  for (const file of [PAGE_2, 'manifest.json']) {
    await writeFile(join(dir, file), await readFile(join(ORIGINAL, file)));
  }
}

async function dump(db: string): Promise<string> {
  const run = await runCli(['dump', '--db', db]);
  expect(run.code).toBe(0);
  return run.stdout;
}

/** What a failed run says about resuming: where the database is, and the command that resumes. */
function resumeNote(dir: string, db: string): string {
  return `The database is at cursor 5 of 15 (0 page(s) committed by this run; a page is stored whole or not at all). Once the cause is fixed, run the same command again to resume from there:\n  thingstape replay ${dir} --db ${db} --json\n`;
}

/**
 * Page 1 applied, then the broken page 2 fails twice, then the fixed fixture resumes. Returns the
 * final dump.
 */
async function failThenResume(dir: string, expectedError: string): Promise<string> {
  const db = await nextDb();
  const first = await runCli(['replay', dir, '--db', db, '--json', '--max-pages', '1']);
  expect(first.code).toBe(0);
  const before = await dump(db);
  expect(JSON.parse(before)).toMatchObject({ syncState: { cursor: 5, head: 15 } });

  for (let attempt = 0; attempt < 2; attempt += 1) {
    const failed = await runCli(['replay', dir, '--db', db, '--json']);
    expect(failed).toEqual({
      code: 1,
      stdout: '',
      stderr: `${expectedError}\n${resumeNote(dir, db)}`,
    });
    expect(await dump(db)).toBe(before);
  }

  await restore(dir);
  const resumed = await runCli(['replay', dir, '--db', db, '--json']);
  expect(resumed.code).toBe(0);
  expect(resumed.stderr).toMatch(
    /^Replayed fixture "multi-page" into .*: 3 page\(s\), 10 item\(s\), 10 change\(s\), 0 anomalies; cursor 15 of 15\./,
  );
  // The resumed run prints exactly the changes of pages 2–4 of a clean replay.
  expect(changeText(first.stdout) + changeText(resumed.stdout)).toBe(clean.changes);
  expect(parseLines(resumed.stdout).every((c) => (c['serverIndex'] as number) >= 5)).toBe(true);
  return dump(db);
}

describe('thingstape replay of a malformed page', () => {
  it('stops at a truncated page with the page and the JSON position, then resumes once fixed', async () => {
    const dir = await copy();
    const bytes = await readFile(join(dir, PAGE_2));
    await writeFile(join(dir, PAGE_2), bytes.subarray(0, 300));
    await rehashByHand(dir);
    const final = await failThenResume(
      dir,
      'thingstape: Cannot decode fixture "multi-page", page 2 (start-index 5): invalid JSON: the text ends early (300 characters, line 17): Unterminated string in JSON at position 300 (line 17 column 14)',
    );
    expect(final).toBe(clean.dump);
  });

  it('stops at an item of the wrong type naming page, group, item and JSON path, then resumes once fixed', async () => {
    const dir = await copy();
    await editItem(dir, 2, (item) => {
      item.p['ss'] = 'done';
    });
    const final = await failThenResume(
      dir,
      'thingstape: Cannot decode fixture "multi-page", page 2 (start-index 5), group 2 (server index 7), item "HFpCEoMVWgzM9BNuRhYg6d", p.ss: expected a non-negative integer, got a string "done"',
    );
    expect(final).toBe(clean.dump);
  });

  it('stops at an unsupported newer kind (Task8) and stores nothing of that page', async () => {
    const dir = await copy();
    await editItem(dir, 1, (item) => {
      item.e = 'Task8';
    });
    const final = await failThenResume(
      dir,
      'thingstape: Cannot apply fixture "multi-page", page 2 (start-index 5), server index 6, item "XetFkdmX7vhRvsQpGgQRQ2": kind "Task8" is newer than this version of thingstape understands; nothing of this page was stored. Upgrade thingstape, then sync again.',
    );
    expect(final).toBe(clean.dump);
  });

  it('stops at invalid UTF-8 naming the byte offset, as fixture verify does, then resumes once fixed', async () => {
    const dir = await copy();
    const bytes = await readFile(join(dir, PAGE_2));
    const at = bytes.indexOf('Box 5') + 3;
    const damaged = Buffer.from(bytes);
    damaged[at] = 0xff;
    await writeFile(join(dir, PAGE_2), damaged);
    await rehashByHand(dir);
    const reason = `invalid UTF-8 at byte ${at} of ${bytes.length} (bytes FF 35 22 2C)`;
    const verify = await runCli(['fixture', 'verify', dir]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(reason);
    const final = await failThenResume(
      dir,
      `thingstape: Cannot decode fixture "multi-page", page 2 (start-index 5): ${reason}`,
    );
    expect(final).toBe(clean.dump);
  });

  it('stops at a page that starts with a byte order mark, then resumes once fixed', async () => {
    const dir = await copy();
    const bytes = await readFile(join(dir, PAGE_2));
    await writeFile(join(dir, PAGE_2), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]));
    await rehashByHand(dir);
    const final = await failThenResume(
      dir,
      'thingstape: Cannot decode fixture "multi-page", page 2 (start-index 5): the body starts with a byte order mark (EF BB BF) at byte 0; a page is UTF-8 without one',
    );
    expect(final).toBe(clean.dump);
  });

  it.each([
    ['3', (items: unknown[]) => items.slice(0, 3)],
    ['5', (items: unknown[]) => [...items, items[3]]],
  ])(
    'refuses a page of %s groups its manifest records as 4 before storing any of it, then resumes once fixed',
    async (count, edit) => {
      const dir = await copy();
      const path = join(dir, PAGE_2);
      const body = JSON.parse(await readFile(path, 'utf8')) as { items: unknown[] };
      body.items = edit(body.items);
      await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
      await rehashByHand(dir);
      const final = await failThenResume(
        dir,
        `thingstape: Cannot apply fixture "multi-page", page 2 (start-index 5): it holds ${count} groups where 4 were recorded (the page and its manifest disagree); nothing of this page was stored. Fix the page or the manifest (thingstape fixture verify says which), then run again`,
      );
      expect(final).toBe(clean.dump);
    },
  );

  it('stops at JSON nested 100,000 deep in a payload with a located error, not a stack overflow', async () => {
    const dir = await copy();
    const path = join(dir, PAGE_2);
    const text = await readFile(path, 'utf8');
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    await writeFile(path, text.replace('"tt": "Box 5",', `"tt": "Box 5", "zz": ${deep},`));
    await rehashByHand(dir);
    const final = await failThenResume(
      dir,
      'thingstape: Cannot decode fixture "multi-page", page 2 (start-index 5), group 0 (server index 5), item "6kwuqCd1rm9hpu4VKqegZw", p.zz: the value nests arrays and objects deeper than 64 levels',
    );
    expect(final).toBe(clean.dump);
  });

  it('reports a commit that failed, not a damaged page read ahead while it was in flight', async () => {
    const dir = await copy();
    const bytes = await readFile(join(dir, PAGE_2));
    await writeFile(join(dir, PAGE_2), bytes.subarray(0, 300)); // HASH_MISMATCH when read
    const opened = await openStore(await nextDb());
    const asked: number[] = [];
    const failing = overriding(opened, {
      commitPage: (commit: PageCommit) => {
        asked.push(commit.startIndex);
        return Promise.reject(new StoreError('WRITE_FAILED', 'Cannot commit: disk full'));
      },
    });
    try {
      const error: unknown = await replayFixture({
        fixtureDir: dir,
        store: failing,
        commitItems: 1,
      }).then(
        () => null,
        (e: unknown) => e,
      );
      // Page 2 (damaged) is read while page 1's commit is in flight; the run stopped at the commit.
      expect(asked).toEqual([0]);
      expect(isThingstapeError(error) && error.code).toBe('WRITE_FAILED');
      expect((await opened.syncState()).cursor).toBe(0);
    } finally {
      opened.close();
    }
  });

  it('reports UNSUPPORTED_KIND with the stored cursor to library callers, from a fresh database', async () => {
    const dir = await copy();
    await editItem(dir, 1, (item) => {
      item.e = 'Task8';
    });
    const store = await openStore(await nextDb());
    try {
      const error: unknown = await replayFixture({ fixtureDir: dir, store }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isThingstapeError(error) && error.code).toBe('UNSUPPORTED_KIND');
      expect(error).toMatchObject({ cursor: 5 });
      const state = await store.syncState();
      expect({ cursor: state.cursor, head: state.head }).toEqual({ cursor: 5, head: 15 });
      const ids = [];
      for await (const entity of store.entities({ includeDeleted: true })) ids.push(entity.id);
      // Page 2 creates four more to-dos (XetFkdmX7vhRvsQpGgQRQ2 among them): none is stored.
      expect(ids).not.toContain('XetFkdmX7vhRvsQpGgQRQ2');
      expect(ids).not.toContain('6kwuqCd1rm9hpu4VKqegZw');
      expect(ids.length).toBe(5);
    } finally {
      store.close();
    }
  });
});
