/**
 * Acceptance: `thingstape sync` against the fake service applies only new pages on a second run,
 * and after a history reset (new key, head behind the cursor, AccountIssue at the cursor) rebuilds
 * into a state equal to a fresh sync of the new history, keeping the old database and change log.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generatedGroups, type FakeThingsCloud } from '../../src/fake/index.ts';
import type { CivilDate } from '../../src/protocol/types.ts';
import { openStore } from '../../src/store/index.ts';
import { SyncError } from '../../src/sync/errors.ts';
import { liveSync } from '../../src/sync/index.ts';
import { FAKE_BASE, SECRETS, tempDir, testClient, testFake } from '../unit/recorder/support.ts';
import { runCli, type CliRun } from '../support/cli.ts';

const OLD = [...generatedGroups({ items: 3000, seed: 'sync-old' })];
const NEW = [...generatedGroups({ items: 1500, seed: 'sync-new' })];
const CONTEXT = { timeZone: 'Europe/Berlin', referenceDate: '2026-03-01' as CivilDate };

const server = setupServer();
let root: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'error' });
  root = await tempDir('thingstape-sync-');
});
afterEach(() => server.resetHandlers());
afterAll(async () => {
  server.close();
  await root.remove();
});

function serve(fake: FakeThingsCloud): FakeThingsCloud {
  server.resetHandlers(...fake.handlers());
  return fake;
}

function cli(args: string[]): Promise<CliRun> {
  return runCli(
    [
      ...args,
      '--base-url',
      FAKE_BASE,
      '--rate',
      '0',
      '--tz',
      'Europe/Berlin',
      '--today',
      '2026-03-01',
    ],
    {
      env: { THINGS_USERNAME: SECRETS.email, THINGS_PASSWORD: SECRETS.password },
      cwd: process.cwd(),
    },
  );
}

/** The dump of a fresh sync of whatever the fake serves now. */
async function freshDump(): Promise<string> {
  const store = await openStore(':memory:');
  const result = await liveSync({
    client: testClient(),
    email: SECRETS.email,
    password: SECRETS.password,
    store,
    url: ':memory:',
    context: CONTEXT,
  });
  try {
    return await result.store.dump();
  } finally {
    result.store.close();
  }
}

async function dumpOf(url: string): Promise<string> {
  const store = await openStore(url);
  try {
    return await store.dump();
  } finally {
    store.close();
  }
}

describe('thingstape sync', () => {
  it('applies only the new pages on the second run', async () => {
    const fake = serve(testFake({ groups: OLD.slice(0, 1000), pageGroups: 150 }));
    const db = `file:${join(root.path, 'incremental.db')}`;
    const first = await cli(['sync', '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Synced Things Cloud into .*: 7 page\(s\)/);
    const head = fake.head;
    fake.append(OLD.slice(1000, 1400));
    const before = fake.requests.length;
    const second = await cli(['sync', '--db', db, '--json']);
    expect(second.code).toBe(0);
    const items = fake.requests.slice(before).filter((r) => r.endpoint === 'items');
    expect(items.map((r) => r.index)).toEqual([1000, 1150, 1300]);
    const records = second.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; serverIndex: number });
    const changes = records.slice(0, -1);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.serverIndex >= head)).toBe(true);
    // NDJSON ends with the summary object.
    expect(records.at(-1)).toMatchObject({
      type: 'summary',
      pages: 3,
      changes: changes.length,
      cursor: fake.head,
      head: fake.head,
      complete: true,
      reset: null,
    });
    const third = await cli(['sync', '--db', db]);
    expect(third.stdout).toContain('Nothing new from Things Cloud');

    // Incremental equals a fresh sync of the same history.
    expect(await dumpOf(db)).toBe(await freshDump());
  });

  it.each([
    [
      'the key changed',
      (fake: FakeThingsCloud) => fake.resetHistory(NEW, { historyKey: 'key-after-reset' }),
    ],
    ['the head fell behind the cursor', (fake: FakeThingsCloud) => fake.resetHistory(NEW)],
  ])('rebuilds a file: database when %s, keeping the old one', async (_, reset) => {
    const fake = serve(testFake({ groups: OLD, pageGroups: 200 }));
    const dir = await tempDir('thingstape-sync-reset-');
    try {
      const db = `file:${join(dir.path, 'live.db')}`;
      expect((await cli(['sync', '--db', db])).code).toBe(0);
      const oldDump = await dumpOf(db);
      reset(fake);
      const run = await cli(['sync', '--db', db]);
      expect(run.stderr).toContain('History reset:');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Rebuilt after a history reset; the previous database');
      expect(await dumpOf(db)).toBe(await freshDump());
      const kept = (await readdir(dir.path)).filter((f) =>
        /^live\.db\.replaced-\d{8}T\d{6}Z$/.test(f),
      );
      expect(kept).toHaveLength(1);
      expect(await dumpOf(`file:${join(dir.path, kept[0]!)}`)).toBe(oldDump);
      expect((await readdir(dir.path)).some((f) => f.includes('.rebuild-'))).toBe(false);
    } finally {
      await dir.remove();
    }
  });

  it('rebuilds when the history is replaced between the check and the first page (AccountIssue)', async () => {
    const fake = serve(testFake({ groups: OLD.slice(0, 800), pageGroups: 200 }));
    const store = await openStore(':memory:');
    const first = await liveSync({
      client: testClient(),
      email: SECRETS.email,
      password: SECRETS.password,
      store,
      url: ':memory:',
      context: CONTEXT,
    });
    fake.append(OLD.slice(800, 900));
    // Requests of the next run: account, meta, meta (loop), then items — reset just before it.
    fake.setFaults({
      script: {
        [fake.requests.length + 4]: { kind: 'history-reset', groups: NEW, historyKey: 'k3' },
      },
    });
    const second = await liveSync({
      client: testClient(),
      email: SECRETS.email,
      password: SECRETS.password,
      store: first.store,
      url: ':memory:',
      context: CONTEXT,
    });
    expect(second.reset?.reason).toContain('different history key');
    expect(fake.requests.filter((r) => r.endpoint === 'items' && r.status === 404)).toHaveLength(1);
    expect(second.store).not.toBe(first.store);
    // The old store (and its change log) is handed back.
    expect((await second.reset?.previous?.changes())?.length).toBeGreaterThan(100);
    second.reset?.previous?.close();
    const dump = await second.store.dump();
    second.store.close();
    expect(dump).toBe(await freshDump());
  });

  it('leaves a remote database unchanged when its rebuild cannot reach the server, and says what to do', async () => {
    const fake = serve(testFake({ groups: OLD.slice(0, 300), pageGroups: 200 }));
    const store = await openStore(':memory:');
    await liveSync({
      client: testClient(),
      email: SECRETS.email,
      password: SECRETS.password,
      store,
      url: ':memory:',
      context: CONTEXT,
    });
    fake.resetHistory(NEW.slice(0, 10), { historyKey: 'k4' });
    const before = await store.dump();
    const error = await liveSync({
      client: testClient(),
      email: SECRETS.email,
      password: SECRETS.password,
      store,
      url: 'http://127.0.0.1:1/',
      context: CONTEXT,
    }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('HISTORY_RESET');
    expect((error as SyncError).message).toContain('thingstape sync --db <new database URL>');
    expect(await store.dump()).toBe(before);
    store.close();
  });
});
