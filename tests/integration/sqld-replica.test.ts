/**
 * Embedded replica mode (`--db file:local.db --sync-url http://…`): writes go to the primary in
 * one request per batch, the replica syncs after each write, reads stay local; an unreachable
 * primary fails the open with CONNECT_FAILED.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayFixture } from '../../src/replay/index.ts';
import { isStoreError, openDb, openStore } from '../../src/store/index.ts';
import { REPO, runCli } from '../support/cli.ts';
import { tempDir } from '../support/db.ts';
import { freePort, hasSqld, startSqld } from '../../tools/sqld.ts';
import type { SqldServer } from '../../tools/sqld.ts';
import { byId, fold, page, plainTask } from '../unit/store/samples.ts';

const MULTI_PAGE = join(REPO, 'fixtures', 'synthetic', 'multi-page');

describe.skipIf(!hasSqld())('embedded replica of a local sqld', () => {
  let server: SqldServer;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let n = 0;
  const replicaUrl = () => {
    n += 1;
    return pathToFileURL(join(dir.path, `replica-${n}.db`)).href;
  };
  beforeAll(async () => {
    server = await startSqld();
    dir = await tempDir('thingstape-replica-');
  });
  afterAll(async () => {
    await server.stop();
    await dir.remove();
  });

  it('replays into the primary with one HTTP request per commit and reads the same state locally', async () => {
    let requests = 0;
    const fetch: typeof globalThis.fetch = (input, init) => {
      requests += 1;
      return globalThis.fetch(input, init);
    };
    const url = replicaUrl();
    const replica = await openStore(url, { syncUrl: server.url, fetch });
    const local = await openStore(':memory:');
    try {
      const perPage: number[] = [];
      let before = requests;
      // Two pages per commit (5 + 4 items, then 4 + 2): reads (sync state, entities) are local;
      // each commit is one write
      // request to the primary (the replica's own sync runs inside libSQL, outside this fetch).
      await replayFixture({
        fixtureDir: MULTI_PAGE,
        store: replica,
        commitItems: 6,
        onProgress: () => {
          perPage.push(requests - before);
          before = requests;
        },
      });
      expect(perPage).toEqual([1, 0, 1, 0]);
      await replayFixture({ fixtureDir: MULTI_PAGE, store: local });
      const expected = await local.dump();
      expect(await replica.dump()).toBe(expected);
      const primary = await openStore(server.url);
      expect(await primary.dump()).toBe(expected);

      // A write by someone else reaches the replica with its next sync (here: its next write).
      const state = await primary.syncState();
      await primary.commitPage(
        page(
          state.cursor,
          state.cursor + 1,
          fold({
            entities: byId([
              plainTask('from-elsewhere', {
                createdIndex: state.cursor,
                updatedIndex: state.cursor,
              }),
            ]),
          }),
        ),
      );
      primary.close();
      expect((await replica.loadEntities(['from-elsewhere'])).size).toBe(0);
      await replica.startAt(state.cursor + 1); // a write that changes nothing, then a sync
      expect((await replica.loadEntities(['from-elsewhere'])).size).toBe(1);
    } finally {
      replica.close();
      local.close();
    }
  });

  it('catches up on open, and works through the CLI with --sync-url', async () => {
    const url = replicaUrl();
    const status = await runCli(['status', '--db', url, '--sync-url', server.url]);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^cursor {4}\d+ of head 100$/m);
    const fromReplica = await runCli(['dump', '--db', url, '--sync-url', server.url]);
    const fromPrimary = await runCli(['dump', '--db', server.url]);
    expect(fromReplica.stdout).toBe(fromPrimary.stdout);
    expect(fromReplica.stdout).toContain('"from-elsewhere"');
  });

  it('fails to open with CONNECT_FAILED when the primary is unreachable, even for a synced file', async () => {
    const url = replicaUrl();
    const first = await openDb(url, { syncUrl: server.url });
    first.close();
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const error = await openDb(url, { syncUrl: nowhere }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isStoreError(error, 'CONNECT_FAILED')) throw new Error('expected CONNECT_FAILED');
    expect(error.message).toContain(`embedded replica of ${nowhere}/`);
  });

  it('rejects a replica that is not a file: URL', async () => {
    const error = await openDb(':memory:', { syncUrl: server.url }).catch((e: unknown) => e);
    expect(isStoreError(error, 'INVALID_URL')).toBe(true);
  });
});
