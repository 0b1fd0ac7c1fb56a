/**
 * Acceptance: after a history reset, `thingstape sync` rebuilds a remote libSQL database (a real
 * local sqld) in place: the new history is built locally, staged on the server and swapped in by
 * one write batch; the remote then dumps like a fresh sync of the new history and keeps the old
 * change log in change_log_archive. A failure before the swap leaves the remote as it was.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generatedGroups, type FakeThingsCloud } from '../../src/fake/index.ts';
import type { CivilDate } from '../../src/protocol/types.ts';
import { openDb, openStore, type Store } from '../../src/store/index.ts';
import { SyncError } from '../../src/sync/errors.ts';
import { liveSync, type LiveSyncResult } from '../../src/sync/index.ts';
import { hasSqld, startSqld, type SqldServer } from '../../tools/sqld.ts';
import { FAKE_BASE, SECRETS, testClient, testFake } from '../unit/recorder/support.ts';
import { runCli, type CliRun } from '../support/cli.ts';

const OLD = [...generatedGroups({ items: 1000, seed: 'remote-old' })];
const NEW = [...generatedGroups({ items: 700, seed: 'remote-new' })];
const CONTEXT = { timeZone: 'Europe/Berlin', referenceDate: '2026-03-01' as CivilDate };

const server = setupServer();
// One sqld per test, stopped after it: each test starts from an empty server.
const servers: SqldServer[] = [];
const sqld = {
  async url(): Promise<string> {
    const started = await startSqld();
    servers.push(started);
    return started.url;
  },
};
beforeAll(() => {
  // sqld answers on loopback through the same (intercepted) fetch: let it through.
  server.listen({
    onUnhandledFrame: ({ frame, defaults }) => {
      const { request } = frame.data as { request?: Request };
      if (request !== undefined && new URL(request.url).hostname === '127.0.0.1') return;
      defaults.error();
      throw new Error('Unhandled request in a test: only the fake and loopback sqld are expected');
    },
  });
});
afterEach(async (context) => {
  server.resetHandlers();
  const keepLogs = context.task.result?.state === 'fail';
  for (const running of servers.splice(0)) await running.stop({ keepLogs });
});
afterAll(() => {
  server.close();
});

function serve(fake: FakeThingsCloud): FakeThingsCloud {
  server.resetHandlers(...fake.handlers());
  return fake;
}

async function sync(
  store: Store,
  url: string,
  extra: { dbFetch?: typeof fetch } = {},
): Promise<LiveSyncResult> {
  return liveSync({
    client: testClient(),
    email: SECRETS.email,
    password: SECRETS.password,
    store,
    url,
    context: CONTEXT,
    clock: () => Date.parse('2026-03-01T12:00:00Z'),
    ...extra,
  });
}

/** The dump of a fresh sync of whatever the fake serves now. */
async function freshDump(): Promise<string> {
  const store = await openStore(':memory:');
  const result = await sync(store, ':memory:');
  try {
    return await result.store.dump();
  } finally {
    result.store.close();
  }
}

/** Names of the staging tables left in the database at `url`. */
async function stagingTables(url: string): Promise<string[]> {
  const db = await openDb(url);
  try {
    const result = await db.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stage_%' ORDER BY name",
    );
    return result.rows.map((row) => (typeof row['name'] === 'string' ? row['name'] : ''));
  } finally {
    db.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, got success');
    },
    (error: unknown) => error,
  );
}

/** A fetch that fails (a network error) before or after sending a request `fail` picks by body. */
function faultyFetch(fail: (body: string) => 'before' | 'after' | null): typeof fetch {
  return async (input, init) => {
    const body =
      input instanceof Request
        ? await input.clone().text()
        : typeof init?.body === 'string'
          ? init.body
          : '';
    const when = fail(body);
    if (when === 'before') throw new TypeError('fetch failed (injected before sending)');
    const response = await fetch(input, init);
    if (when === 'after') {
      await response.arrayBuffer();
      throw new TypeError('fetch failed (injected: the answer was lost)');
    }
    return response;
  };
}

describe.skipIf(!hasSqld())('sync after a history reset into a remote database', () => {
  it('rebuilds in place, keeps the old change log, then continues incrementally', async () => {
    const fake = serve(testFake({ groups: OLD, pageGroups: 250 }));
    const url = await sqld.url();
    const store = await openStore(url);
    try {
      expect((await sync(store, url)).reset).toBeNull();
      const oldChanges = await store.changes();
      const oldState = await store.syncState();
      expect(oldChanges.length).toBeGreaterThan(100);

      fake.resetHistory(NEW.slice(0, 300), { historyKey: 'key-after-reset' });
      const resets: string[] = [];
      const rebuilt = await liveSync({
        client: testClient(),
        email: SECRETS.email,
        password: SECRETS.password,
        store,
        url,
        context: CONTEXT,
        clock: () => Date.parse('2026-03-01T12:00:00Z'),
        onReset: (reason) => resets.push(reason),
      });
      expect(resets).toEqual([
        'the account now names a different history key than the one the stored state comes from',
      ]);
      expect(rebuilt.store).toBe(store);
      expect(rebuilt.reset?.archive).toEqual({ generation: 1, changes: oldChanges.length });
      expect(rebuilt.summary).toMatchObject({ startCursor: 0, cursor: 300, complete: true });
      expect(await store.dump()).toBe(await freshDump());
      expect(await store.archivedChanges(1)).toEqual(oldChanges);
      expect(await store.replacedHistories()).toEqual([
        {
          generation: 1,
          historyKeyHash: oldState.historyKeyHash,
          cursor: oldState.cursor,
          head: oldState.head,
          schema: oldState.schema,
          timeZone: 'Europe/Berlin',
          replacedAt: Date.parse('2026-03-01T12:00:00Z') / 1000,
          reason: resets[0],
          changes: oldChanges.length,
        },
      ]);
      expect(await stagingTables(url)).toEqual([]);

      // The third run applies only the new pages.
      fake.append(NEW.slice(300));
      const before = fake.requests.length;
      const third = await sync(store, url);
      expect(third.reset).toBeNull();
      const items = fake.requests.slice(before).filter((r) => r.endpoint === 'items');
      expect(items.map((r) => r.index)).toEqual([300]);
      expect(third.summary).toMatchObject({ startCursor: 300, cursor: NEW.length });
      expect(await store.dump()).toBe(await freshDump());
      expect(await store.archivedChanges(1)).toEqual(oldChanges);
    } finally {
      store.close();
    }
  });

  it('leaves the remote as it was when the rebuild fails, and swaps on the next run', async () => {
    const fake = serve(testFake({ groups: OLD.slice(0, 600), pageGroups: 100 }));
    const url = await sqld.url();
    const store = await openStore(url);
    try {
      await sync(store, url);
      const before = await store.dump();
      fake.resetHistory(NEW.slice(0, 400), { historyKey: 'k2' });
      // Requests of the run: account, meta, meta (loop), items 0, items 100 ← stop there.
      fake.setFaults({ script: { [fake.requests.length + 5]: 'abuse-prevention' } });
      const error = await rejection(sync(store, url));
      expect((error as { code?: string }).code).toBe('ABUSE_PREVENTION');
      expect(await store.dump()).toBe(before);
      expect(await store.replacedHistories()).toEqual([]);

      fake.setFaults({});
      const again = await sync(store, url);
      expect(again.reset?.archive?.generation).toBe(1);
      expect(await store.dump()).toBe(await freshDump());
    } finally {
      store.close();
    }
  });

  it('leaves the remote as it was when the upload or the swap fails, and swaps on the next run', async () => {
    const fake = serve(testFake({ groups: OLD.slice(0, 600), pageGroups: 300 }));
    const url = await sqld.url();
    const store = await openStore(url);
    try {
      await sync(store, url);
      const before = await store.dump();
      const oldChanges = await store.changes();
      fake.resetHistory(NEW.slice(0, 400), { historyKey: 'k2' });

      // The connection drops in the middle of the staging upload.
      const upload = faultyFetch((body) =>
        body.includes('INSERT INTO stage_change_log') ? 'before' : null,
      );
      const stopped = await rejection(sync(store, url, { dbFetch: upload }));
      expect(stopped).toBeInstanceOf(SyncError);
      expect((stopped as SyncError).code).toBe('HISTORY_RESET');
      expect((stopped as SyncError).message).toContain(
        'upload the rebuilt history into staging tables',
      );
      expect((stopped as SyncError).message).toContain('The database was left as it was');
      expect(await store.dump()).toBe(before);
      expect((await stagingTables(url)).length).toBeGreaterThan(0);

      // The swap request itself never arrives.
      const swap = faultyFetch((body) =>
        body.includes('INSERT INTO replaced_histories') ? 'before' : null,
      );
      const notSwapped = await rejection(sync(store, url, { dbFetch: swap }));
      expect((notSwapped as SyncError).code).toBe('HISTORY_RESET');
      expect((notSwapped as SyncError).message).toContain('the swap did not commit');
      expect(await store.dump()).toBe(before);
      expect(await store.replacedHistories()).toEqual([]);

      // The swap commits but its answer is lost: the outcome is read back.
      const lost = faultyFetch((body) =>
        body.includes('INSERT INTO replaced_histories') ? 'after' : null,
      );
      const swapped = await sync(store, url, { dbFetch: lost });
      expect(swapped.reset?.archive).toEqual({ generation: 1, changes: oldChanges.length });
      expect(await store.dump()).toBe(await freshDump());
      expect(await store.archivedChanges(1)).toEqual(oldChanges);
      expect(await stagingTables(url)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('thingstape sync --db http://… prints the reset, the rebuilt changes and where the old log is', async () => {
    const fake = serve(testFake({ groups: OLD.slice(0, 500), pageGroups: 250 }));
    const url = await sqld.url();
    const first = await cli(['sync', '--db', url]);
    expect(first.code).toBe(0);
    // Same key, shorter history: the history guard is not involved.
    fake.resetHistory(NEW.slice(0, 300));
    const run = await cli(['sync', '--db', url, '--json']);
    expect(run.stderr).toContain(
      "History reset: the history's head (300) is behind the stored cursor (500).",
    );
    expect(run.code).toBe(0);
    const records = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; serverIndex: number });
    const changes = records.slice(0, -1);
    expect(records.at(-1)).toMatchObject({ type: 'summary', changes: changes.length });
    expect(changes.length).toBeGreaterThan(0);
    expect(Math.min(...changes.map((c) => c.serverIndex))).toBe(0);
    expect(run.stderr).toMatch(
      /Synced Things Cloud into .*: 2 page\(s\), .* cursor 300 of 300\. Rebuilt after a history reset; the previous change log \(\d+ change\(s\)\) is kept in the same database as archive generation 1 \(table change_log_archive\)\./,
    );
    const store = await openStore(url);
    try {
      expect(await store.dump()).toBe(await freshDump());
    } finally {
      store.close();
    }
  });
});

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
