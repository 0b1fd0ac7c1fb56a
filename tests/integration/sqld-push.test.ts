/**
 * `push` from a local database to a real sqld: the remote dump equals the local one; with sqld
 * killed and restarted between batches, or with network errors from an injected fetch, repeated
 * pushes converge with nothing lost or duplicated, and the ledger tells the story. Also the CLI
 * (`push`, `status`) end to end against a JWT-protected server.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { replayFixture } from '../../src/replay/index.ts';
import {
  isStoreError,
  openDb,
  openStore,
  pushLedger,
  readLedger,
  StoreError,
  type Db,
  type PushBatch,
  type PushSummary,
} from '../../src/store/index.ts';
import { REPO, runCli } from '../support/cli.ts';
import { tempDir } from '../support/db.ts';
import { hasSqld, jwtKeys, startSqld } from '../../tools/sqld.ts';
import { wipeSqld } from '../support/sqld.ts';
import type { SqldServer } from '../../tools/sqld.ts';

const FIXTURES = join(REPO, 'fixtures', 'synthetic');
const HISTORY = ['tasks-projects-headings', 'multi-page'].map((name) => join(FIXTURES, name));

let clock = 1_700_000_000;
const now = () => (clock += 1);

describe.skipIf(!hasSqld())('push to sqld', () => {
  let server: SqldServer;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let n = 0;
  let failed = false;
  const open: { close(): void }[] = [];
  beforeAll(async () => {
    server = await startSqld();
    dir = await tempDir('thingstape-push-');
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') failed = true;
    for (const item of open.splice(0)) item.close();
    if (server.pid === undefined) await server.restart();
    await wipeSqld(server.url);
  });
  afterAll(async () => {
    await server.stop({ keepLogs: failed });
    await dir.remove();
  });

  /** A local file: database holding a replayed fixture; returns its URL and dump. */
  async function localHistory(fixture = HISTORY[0]!): Promise<{ url: string; dump: string }> {
    n += 1;
    const url = pathToFileURL(join(dir.path, `local-${n}.db`)).href;
    const store = await openStore(url);
    try {
      await replayFixture({ fixtureDir: fixture, store });
      return { url, dump: await store.dump() };
    } finally {
      store.close();
    }
  }

  async function remoteDump(): Promise<string> {
    const store = await openStore(server.url);
    try {
      return await store.dump();
    } finally {
      store.close();
    }
  }

  async function opened(url: string, fetch?: typeof globalThis.fetch): Promise<Db> {
    const db = await openDb(url, fetch === undefined ? {} : { fetch });
    open.push(db);
    return db;
  }

  /** Pushes until complete (at most `limit` runs); returns every run's summary. */
  async function pushUntilComplete(
    run: () => Promise<PushSummary>,
    limit = 30,
  ): Promise<PushSummary[]> {
    const runs: PushSummary[] = [];
    while (runs.length < limit) {
      const summary = await run().catch((error: unknown) => {
        // A push that cannot even open or migrate the remote marks nothing (and says why).
        if (
          isStoreError(error) &&
          /CONNECT_FAILED|injected/.test(`${error.code} ${error.message}`)
        ) {
          return undefined;
        }
        throw error;
      });
      if (summary !== undefined) {
        runs.push(summary);
        if (summary.complete) return runs;
      } else runs.push({ complete: false } as PushSummary);
    }
    throw new Error(`push did not converge in ${limit} runs`);
  }

  async function changeLogCount(url: string): Promise<number> {
    const db = await openDb(url);
    try {
      const result = await db.execute('SELECT COUNT(*) AS n FROM change_log');
      return Number(result.rows[0]?.['n']);
    } finally {
      db.close();
    }
  }

  it('makes the remote dump equal the local one, then sends only what a later replay changed', async () => {
    const local = await localHistory();
    const db = await opened(local.url);
    const first = await pushLedger({ local: db, remote: await opened(server.url), now });
    expect(first).toMatchObject({ failed: 0, complete: true });
    expect(await remoteDump()).toBe(local.dump);

    // Same history, continued: replay a second fixture? Different histories cannot mix, so
    // touch the local database the way a later page would.
    await db.execute("UPDATE tasks SET title = title || ' (edited)' WHERE rowid = 1");
    const batches: PushBatch[] = [];
    const second = await pushLedger({
      local: db,
      remote: await opened(server.url),
      now,
      onBatch: (b) => batches.push(b),
    });
    expect(batches).toEqual([{ kind: 'records', rows: 1 }]);
    expect(second).toMatchObject({ synced: 1, complete: true });
    const edited = await openStore(local.url);
    open.push(edited);
    expect(await remoteDump()).toBe(await edited.dump());
  });

  async function refusal(run: Promise<unknown>): Promise<{ code: string; message: string }> {
    const error: unknown = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isStoreError(error)) throw new Error(`expected a StoreError, got ${String(error)}`);
    return { code: error.code, message: error.message };
  }

  it('refuses to push another history into a remote that holds a replayed fixture', async () => {
    // Fixture A replayed straight into the server, then another account's history pushed to it.
    const served = await openStore(server.url);
    open.push(served);
    await replayFixture({ fixtureDir: HISTORY[0]!, store: served });
    const before = await remoteDump();
    const other = await localHistory(HISTORY[1]);
    const refused = await refusal(
      pushLedger({ local: await opened(other.url), remote: await opened(server.url), now }),
    );
    expect(refused.code).toBe('HISTORY_MISMATCH');
    expect(refused.message).toMatch(
      /^Cannot push file:.*: the remote holds another history \(sha256:[0-9a-f]{12}… fixture "tasks-projects-headings"\) than the local database \(sha256:[0-9a-f]{12}… fixture "multi-page"\); push each history to its own database/,
    );
    expect(await remoteDump()).toBe(before);
    // The same fixture from a local database is the same history: that push goes through.
    const same = await localHistory(HISTORY[0]);
    const pushed = await pushLedger({
      local: await opened(same.url),
      remote: await opened(server.url),
      now,
    });
    expect(pushed.complete).toBe(true);
    expect(await remoteDump()).toBe(before);
  });

  it('claims the remote before the first record, so an interrupted push still refuses another history', async () => {
    const first = await localHistory(HISTORY[0]);
    const interrupted = await refusal(
      pushLedger({
        local: await opened(first.url),
        remote: await opened(server.url),
        now,
        recordsPerBatch: 2,
        onBatch: () => {
          throw new StoreError('WRITE_FAILED', 'injected: the pusher was stopped');
        },
      }),
    );
    expect(interrupted.message).toContain('injected');
    const other = await localHistory(HISTORY[1]);
    const refused = await refusal(
      pushLedger({ local: await opened(other.url), remote: await opened(server.url), now }),
    );
    expect(refused.code).toBe('HISTORY_MISMATCH');
    // The first history resumes and completes.
    const resumed = await pushLedger({
      local: await opened(first.url),
      remote: await opened(server.url),
      now,
    });
    expect(resumed.complete).toBe(true);
    expect(await remoteDump()).toBe(first.dump);
  });

  it('pushes with --fresh only into a database that holds nothing', async () => {
    const local = await localHistory();
    const into = await pushLedger({
      local: await opened(local.url),
      remote: await opened(server.url),
      now,
      fresh: true,
    });
    expect(into.complete).toBe(true);
    const before = await remoteDump();
    const again = await refusal(
      pushLedger({
        local: await opened(local.url),
        remote: await opened(server.url),
        now,
        fresh: true,
      }),
    );
    expect(again.code).toBe('REMOTE_NOT_FRESH');
    expect(again.message).toMatch(
      /: the remote is not a fresh database \(it holds a history: sha256:/,
    );
    expect(await remoteDump()).toBe(before);
  });

  it('refuses at once to push a database onto itself', async () => {
    const local = await localHistory();
    const spelled = `file:${fileURLToPath(local.url)}`;
    const refused = await refusal(
      pushLedger({ local: await opened(local.url), remote: await opened(spelled), now }),
    );
    expect(refused.code).toBe('SAME_DATABASE');
    const cli = await runCli(['push', '--db', local.url, '--to', spelled]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(
      /^thingstape: Cannot push file:.*: it is the same database; name a remote database with --to\n$/,
    );
  });

  it('converges when sqld is killed (SIGKILL) and restarted between batches', async () => {
    const local = await localHistory(HISTORY[1]);
    const db = await opened(local.url);
    let kills = 0;
    let killing: Promise<void> | undefined;
    const runs = await pushUntilComplete(async () => {
      if (killing !== undefined) {
        await killing;
        killing = undefined;
        await server.restart(); // same port, same data directory
      }
      return pushLedger({
        local: db,
        remote: await opened(server.url),
        now,
        recordsPerBatch: 3,
        logRowsPerBatch: 5,
        onBatch: (batch) => {
          // Kill after the first successful batch of the first two runs.
          if (kills < 2 && killing === undefined && batch.error === undefined) {
            kills += 1;
            killing = server.kill('SIGKILL');
          }
        },
      });
    });
    expect(kills).toBe(2);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs[0]).toMatchObject({ complete: false });
    expect(runs[0]?.errors[0]).toMatch(/^CONNECT_FAILED: /);
    expect(await remoteDump()).toBe(local.dump);
    expect(await changeLogCount(server.url)).toBe(await changeLogCount(local.url));

    // The story: what failed was retried and is synced, with its attempts and its last error.
    const ledger = await readLedger(db);
    expect(ledger.every((e) => e.syncStatus === 'synced')).toBe(true);
    const retried = ledger.filter((e) => e.attemptCount > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const entry of retried) expect(entry.lastError).toMatch(/^CONNECT_FAILED: /);
    expect(ledger.filter((e) => e.attemptCount === 1).every((e) => e.lastError === null)).toBe(
      true,
    );
  });

  it('converges under network errors from the fetch, before and after the server answered', async () => {
    const local = await localHistory(HISTORY[1]);
    const db = await opened(local.url);
    let writes = 0;
    let injected = 0;
    // Every 3rd write batch fails: odd ones before reaching the server, even ones after the
    // server committed and answered (the push cannot know which).
    const flaky: typeof globalThis.fetch = async (input, init) => {
      // The HTTP client passes a Request whose JSON body holds the batch steps.
      const body = input instanceof Request ? await input.clone().text() : '';
      if (!body.includes('"BEGIN IMMEDIATE"')) return globalThis.fetch(input, init);
      writes += 1;
      if (writes % 3 !== 0) return globalThis.fetch(input, init);
      injected += 1;
      if (injected % 2 === 1) throw new TypeError('fetch failed (injected before sending)');
      await globalThis.fetch(input, init);
      throw new TypeError('fetch failed (injected after the server answered)');
    };
    const runs = await pushUntilComplete(async () =>
      pushLedger({
        local: db,
        remote: await opened(server.url, flaky),
        now,
        recordsPerBatch: 2,
        logRowsPerBatch: 4,
      }),
    );
    expect(injected).toBeGreaterThan(2);
    expect(runs.length).toBeGreaterThan(1);
    expect(await remoteDump()).toBe(local.dump);
    expect(await changeLogCount(server.url)).toBe(await changeLogCount(local.url));
    const ledger = await readLedger(db);
    expect(ledger.every((e) => e.syncStatus === 'synced')).toBe(true);
    const errors = ledger.flatMap((e) => (e.lastError === null ? [] : [e.lastError]));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((text) => text.includes('injected'))).toBe(true);
  });
});

describe.skipIf(!hasSqld())('thingstape push and status', () => {
  const keys = jwtKeys();
  let server: SqldServer;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    server = await startSqld({ jwtPublicKey: keys.publicKey });
    dir = await tempDir('thingstape-push-cli-');
  });
  afterAll(async () => {
    await server.stop();
    await dir.remove();
  });

  it('pushes a replayed database to a JWT-protected server and shows the ledger', async () => {
    const db = pathToFileURL(join(dir.path, 'local.db')).href;
    const fixture = join(FIXTURES, 'multi-page');
    expect((await runCli(['replay', fixture, '--db', db])).code).toBe(0);

    const before = await runCli(['status', '--db', db]);
    expect(before.stdout).toMatch(/^ledger {4}pending \d+ {2}synced 0 {2}error 0$/m);
    // Never pushed: the ledger is not tracked yet, and every record counts as pending.
    expect(before.stdout).toContain('not tracked yet');

    const denied = await runCli(['push', '--db', db, '--to', server.url]);
    expect(denied.code).toBe(1);
    // A push refused before it sent anything does not start tracking either.
    expect((await runCli(['status', '--db', db])).stdout).toBe(before.stdout);

    const token = keys.token();
    const pushed = await runCli(
      ['push', '--db', db, '--to', `libsql://127.0.0.1:${server.port}?tls=0`],
      {
        env: { THINGSTAPE_TO_AUTH_TOKEN: token },
      },
    );
    expect(pushed.stderr).toBe('');
    expect(pushed.stdout).toMatch(
      /^Pushed \d+ record\(s\) and \d+ log row\(s\) in \d+ batch\(es\) from file:.*local\.db to libsql:\/\/127\.0\.0\.1:\d+\/?\?tls=0; remote cursor \d+\.\n$/,
    );
    expect(pushed.code).toBe(0);

    const again = await runCli([
      'push',
      '--db',
      db,
      '--to',
      server.url,
      '--auth-token',
      'unused',
      '--to-auth-token',
      token,
      '--json',
    ]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ synced: 0, batches: 0, complete: true });

    const status = await runCli(['status', '--db', db, '--json']);
    const parsed = JSON.parse(status.stdout) as {
      ledger: { tracking: boolean; counts: Record<string, number> };
    };
    expect(parsed.ledger.tracking).toBe(true);
    expect(parsed.ledger.counts.pending).toBe(0);
    expect(parsed.ledger.counts.error).toBe(0);
    expect(parsed.ledger.counts.synced).toBeGreaterThan(1);

    const remote = await runCli(['dump', '--db', server.url, '--auth-token', token]);
    expect(remote.stdout).toBe((await runCli(['dump', '--db', db])).stdout);
  });
});
