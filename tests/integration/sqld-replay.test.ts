/**
 * Replay and sync against a real local sqld, beside `:memory:` and `file:`: identical dumps, at
 * most two HTTP round trips per history page, reads split when the server refuses a response as
 * too large, JWT auth end to end through the CLI, and a SIGKILL of sqld in the middle of a replay.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { replayFixture } from '../../src/replay/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/index.ts';
import { syncHistory } from '../../src/sync/index.ts';
import { REPO, runCli } from '../support/cli.ts';
import { fixtureSource } from '../support/source.ts';
import { fileBackend, memoryBackend } from '../support/db.ts';
import { hasSqld, jwtKeys, startSqld } from '../../tools/sqld.ts';
import { sqldBackend, wipeSqld } from '../support/sqld.ts';
import type { SqldServer } from '../../tools/sqld.ts';
import { byId, d, fold, page, plainTask } from '../unit/store/samples.ts';

const SYNTHETIC = join(REPO, 'fixtures', 'synthetic');
const FIXTURES = [
  ...(await readdir(SYNTHETIC, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(SYNTHETIC, entry.name))
    .sort(),
  join(REPO, 'fixtures', 'upstream', 'nicolai86-items'),
];
const MULTI_PAGE = join(SYNTHETIC, 'multi-page');

/** A fetch that counts the requests it forwards. */
function countingFetch(): { fetch: typeof globalThis.fetch; readonly count: number } {
  let count = 0;
  return {
    fetch: (input, init) => {
      count += 1;
      return globalThis.fetch(input, init);
    },
    get count() {
      return count;
    },
  };
}

/**
 * A fetch that sorts the Hrana requests it forwards by their transaction: a write batch
 * (`BEGIN IMMEDIATE`), a read batch (`BEGIN TRANSACTION READONLY`), or a single statement.
 */
function sortingFetch(): {
  fetch: typeof globalThis.fetch;
  kinds: () => Promise<Record<'write' | 'read' | 'single', number>>;
} {
  const kinds: Promise<'write' | 'read' | 'single'>[] = [];
  return {
    fetch: (input, init) => {
      // The Hrana client passes a Request; anything else is copied the same way.
      const body = (input instanceof Request ? input : new Request(input, init)).clone().text();
      kinds.push(
        body.then((text) =>
          text.includes('BEGIN IMMEDIATE')
            ? 'write'
            : text.includes('READONLY')
              ? 'read'
              : 'single',
        ),
      );
      return globalThis.fetch(input, init);
    },
    async kinds() {
      const counts = { write: 0, read: 0, single: 0 };
      for (const kind of await Promise.all(kinds)) counts[kind] += 1;
      return counts;
    },
  };
}

async function replayDump(url: string, fixture: string): Promise<string> {
  const store = await openStore(url);
  try {
    await replayFixture({ fixtureDir: fixture, store });
    return await store.dump();
  } finally {
    store.close();
  }
}

describe.skipIf(!hasSqld())('replay and sync on :memory:, file: and sqld', () => {
  const sqld = sqldBackend();
  const backends = [memoryBackend(), fileBackend(), sqld];
  afterEach(() => sqld.recycle());
  afterAll(async () => {
    for (const backend of backends) await backend.cleanup();
  });

  it.each(FIXTURES.map((dir) => [dir.slice(REPO.length + 1), dir] as const))(
    'replays %s into every backend with identical dumps',
    async (_, dir) => {
      const dumps = [];
      for (const backend of backends) dumps.push(await replayDump(await backend.url(), dir));
      expect(dumps[0]).toContain('"format": "thingstape-dump"');
      expect(dumps[1]).toBe(dumps[0]);
      expect(dumps[2]).toBe(dumps[0]);
    },
  );

  it('syncs a history through the sync loop into every backend with identical dumps, and again changes nothing', async () => {
    const dumps = [];
    for (const backend of backends) {
      const store = await openStore(await backend.url());
      try {
        const context = { timeZone: 'Europe/Berlin', referenceDate: d('2024-06-01') };
        const source = await fixtureSource(MULTI_PAGE);
        const summary = await syncHistory({ source, store, context });
        expect(summary).toMatchObject({ pages: 4, complete: true });
        const again = await syncHistory({ source, store, context });
        expect(again.pages).toBe(0);
        dumps.push(await store.dump());
      } finally {
        store.close();
      }
    }
    expect(dumps[1]).toBe(dumps[0]);
    expect(dumps[2]).toBe(dumps[0]);
  });
});

describe.skipIf(!hasSqld())('the engine on one sqld', () => {
  let server: SqldServer;
  let failed = false;
  beforeAll(async () => {
    server = await startSqld();
  });
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true;
  });
  afterAll(() => server.stop({ keepLogs: failed }));

  it('uses at most two HTTP round trips per history page: a read per page, a write per commit', async () => {
    // Pages of 5, 4, 4 and 2 items. The replay reads the sync state twice (replay, then the
    // loop), then each page's entities in one read batch: the ids its own batch has not read or
    // written and the batch before it has not written (pages 3 and 4 only touch what pages 1 and
    // 2 wrote); and it writes one batch per commit. The next batch is read while a commit is in
    // flight, so requests are told apart by their kind, not by when they were made.
    for (const [commitItems, reads, writes] of [
      [1, 4, 4],
      [6, 2, 2],
      [undefined, 2, 1],
    ] as const) {
      await wipeSqld(server.url);
      const sorting = sortingFetch();
      const store = await openStore(server.url, { fetch: sorting.fetch });
      const before = await sorting.kinds();
      try {
        const summary = await replayFixture({
          fixtureDir: MULTI_PAGE,
          store,
          ...(commitItems === undefined ? {} : { commitItems }),
        });
        expect(summary.pages).toBe(4);
        const after = await sorting.kinds();
        const counts = {
          single: after.single - before.single,
          read: after.read - before.read,
          write: after.write - before.write,
        };
        expect({ commitItems, counts }).toEqual({
          commitItems,
          counts: { single: 2, read: reads, write: writes },
        });
        // At most two per page: a read and a share of a write.
        expect((counts.read + counts.write) / summary.pages).toBeLessThanOrEqual(2);
      } finally {
        store.close();
      }
    }
  });
});

describe.skipIf(!hasSqld())('reads over a small response limit', () => {
  let server: SqldServer;
  beforeAll(async () => {
    // 64 KB instead of 10 MB, so that a few dozen tasks with long notes exceed it.
    server = await startSqld({ args: ['--max-response-size', '65536'] });
  });
  afterAll(() => server.stop());

  it('splits entity reads and keyset pages the server refuses as too large, and still dumps like :memory:', async () => {
    const tasks = Array.from({ length: 60 }, (_, i) =>
      plainTask(`big-${String(i).padStart(2, '0')}`, {
        createdIndex: 0,
        updatedIndex: 0,
        note: `${i} `.repeat(2000),
      }),
    );
    const counter = countingFetch();
    const store: Store = await openStore(server.url, { fetch: counter.fetch });
    const local = await openStore(':memory:');
    try {
      for (const s of [store, local]) {
        await s.commitPage(page(0, 1, fold({ entities: byId(tasks) })));
      }
      const before = counter.count;
      const loaded = await store.loadEntities(tasks.map((t) => t.id));
      expect(loaded.size).toBe(60);
      expect(loaded.get('big-07')).toStrictEqual(tasks[7]);
      expect(counter.count - before).toBeGreaterThan(2); // refused, then halves
      expect(await store.dump()).toBe(await local.dump());
    } finally {
      store.close();
      local.close();
    }
  });
});

describe.skipIf(!hasSqld())('a JWT-protected sqld', () => {
  const keys = jwtKeys();
  let server: SqldServer;
  beforeAll(async () => {
    server = await startSqld({ jwtPublicKey: keys.publicKey });
  });
  afterAll(() => server.stop());

  it('replays with --auth-token, dumps with THINGSTAPE_AUTH_TOKEN, and refuses no token or a read-only one', async () => {
    const token = keys.token();
    const denied = await runCli(['status', '--db', server.url]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/Cannot open database http:\/\/127\.0\.0\.1:\d+\/: .*401/);

    const replay = await runCli(['replay', MULTI_PAGE, '--db', server.url, '--auth-token', token]);
    expect(replay.stdout).toContain('Replayed fixture "multi-page"');
    expect(replay.code).toBe(0);

    const dump = await runCli(['dump', '--db', `libsql://127.0.0.1:${server.port}?tls=0`], {
      env: { THINGSTAPE_AUTH_TOKEN: token },
    });
    expect(dump.code).toBe(0);
    expect(dump.stdout).toBe(await replayDump(':memory:', MULTI_PAGE));
    expect(dump.stdout + dump.stderr).not.toContain(token);

    const readOnly = keys.token({ a: 'ro' });
    const write = await runCli(['replay', join(SYNTHETIC, 'areas'), '--db', server.url], {
      env: { THINGSTAPE_AUTH_TOKEN: readOnly },
    });
    expect(write.code).toBe(1);
    const status = await runCli(['status', '--db', server.url, '--auth-token', readOnly]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^cursor {4}\d+ of head \d+$/m);
  });
});

describe.skipIf(!hasSqld())('sqld killed in the middle of a replay', () => {
  it('resumes after a restart on the same data directory to the same dump, wherever the kill lands', async () => {
    const expected = await replayDump(':memory:', MULTI_PAGE);
    const server = await startSqld();
    let ok = false;
    try {
      // Kill sqld at each request of the replay in turn: 1-2 read the sync state, then come the
      // pages' entity reads and the commits, one per page or (by default) one for all four.
      for (const commitItems of [1, undefined]) {
        const options = commitItems === undefined ? {} : { commitItems };
        await wipeSqld(server.url);
        const counter = countingFetch();
        const dry = await openStore(server.url, { fetch: counter.fetch });
        const before = counter.count;
        await replayFixture({ fixtureDir: MULTI_PAGE, store: dry, ...options }).finally(() =>
          dry.close(),
        );
        const requests = counter.count - before;
        expect({ commitItems, requests }).toEqual({
          commitItems,
          requests: commitItems === 1 ? 10 : 5,
        });
        for (let killAt = 1; killAt <= requests; killAt += 1) {
          await wipeSqld(server.url);
          let n = 0;
          let armed = false;
          let killed: Promise<void> | undefined;
          const fetch: typeof globalThis.fetch = (input, init) => {
            if (armed) n += 1;
            const response = globalThis.fetch(input, init);
            if (armed && n === killAt) killed = server.kill('SIGKILL'); // the request is in flight
            return response;
          };
          const store = await openStore(server.url, { fetch });
          armed = true;
          const error = await replayFixture({
            fixtureDir: MULTI_PAGE,
            store,
            ...(commitItems === undefined ? {} : { commitItems }),
          }).then(
            () => undefined,
            (e: unknown) => e,
          );
          store.close();
          expect({ commitItems, killAt, killed: killed !== undefined, error }).toMatchObject({
            commitItems,
            killAt,
            killed: true,
            error: { code: 'CONNECT_FAILED' },
          });
          await killed;
          await server.restart();
          const resumed = await openStore(server.url);
          try {
            await replayFixture({ fixtureDir: MULTI_PAGE, store: resumed });
            expect({ commitItems, killAt, dump: await resumed.dump() }).toEqual({
              commitItems,
              killAt,
              dump: expected,
            });
          } finally {
            resumed.close();
          }
        }
      }
      ok = true;
    } finally {
      await server.stop({ keepLogs: !ok });
    }
  });
});
