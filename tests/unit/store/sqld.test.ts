/**
 * Smoke test of the store against a real local sqld over HTTP: the same code path as `file:` and
 * `:memory:`, one write batch per page, and the same dump as a local database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertRows } from '../../../src/store/sql.ts';
import { openDb } from '../../../src/store/db.ts';
import { isStoreError } from '../../../src/store/errors.ts';
import { MIGRATIONS } from '../../../src/store/schema.ts';
import { createStore, openStore } from '../../../src/store/store.ts';
import type { Store } from '../../../src/store/types.ts';
import { overriding } from '../../../tools/overriding.ts';
import { wrapDb } from '../../support/db.ts';
import { hasSqld, startSqld } from '../../../tools/sqld.ts';
import type { SqldServer } from '../../../tools/sqld.ts';
import { byId, everyFamily, fold, page, threePages } from './samples.ts';

async function commitThree(store: Store): Promise<void> {
  const [a, b, c] = threePages();
  await store.commitPage(
    page(0, 4, a!, { meta: { historyKeyHash: 'h1', timeZone: 'Europe/Berlin' } }),
  );
  await store.commitPage(page(4, 8, b!));
  await store.commitPage(page(8, 10, c!));
}

describe.skipIf(!hasSqld())('Store on a local sqld over http://', () => {
  // One fresh server (and database) per test; its log is kept when the test failed.
  let server: SqldServer | undefined;
  beforeEach(async () => {
    server = await startSqld();
  });
  afterEach(async (context) => {
    await server?.stop({ keepLogs: context.task.result?.state === 'fail' });
    server = undefined;
  });

  it('reads back every entity family deep-equal and moves the cursor', async () => {
    const store = await openStore(server!.url);
    try {
      const entities = everyFamily();
      const cursor = (await store.syncState()).cursor;
      await store.commitPage(page(cursor, cursor + 10, fold({ entities: byId(entities) })));
      const loaded = await store.loadEntities(entities.map((e) => e.id));
      for (const entity of entities) expect(loaded.get(entity.id)).toStrictEqual(entity);
      expect((await store.syncState()).cursor).toBe(cursor + 10);
    } finally {
      store.close();
    }
  });

  it('opens the same server through a libsql://…?tls=0 URL', async () => {
    const store = await openStore(`libsql://127.0.0.1:${server!.port}?tls=0`);
    try {
      expect(store.url).toBe(`libsql://127.0.0.1:${server!.port}?tls=0`);
      expect((await store.status()).schemaVersion).toBe(MIGRATIONS.at(-1)?.version);
    } finally {
      store.close();
    }
  });

  it('commits a page in one batch, rolls back an injected failure, rejects a repeat, and dumps like :memory:', async () => {
    const db = wrapDb(await openDb(server!.url));
    const store = await createStore(db);
    try {
      const [a, b] = threePages();
      db.batches.length = 0;
      await store.commitPage(
        page(0, 4, a!, { meta: { historyKeyHash: 'h1', timeZone: 'Europe/Berlin' } }),
      );
      expect(db.batches.map((x) => x.mode)).toEqual(['write']);
      const before = await store.dump();

      db.failNextWriteAt(3);
      const failure = await store.commitPage(page(4, 8, b!)).catch((error: unknown) => error);
      expect(isStoreError(failure, 'WRITE_FAILED')).toBe(true);
      expect(await store.dump()).toBe(before);

      const repeat = await store.commitPage(page(0, 4, a!)).catch((error: unknown) => error);
      expect(isStoreError(repeat, 'CURSOR_MISMATCH')).toBe(true);

      await store.commitPage(page(4, 8, b!));
      const [, , c] = threePages();
      await store.commitPage(page(8, 10, c!));
      expect(await store.changes()).toStrictEqual(threePages().flatMap((r) => r.changes));

      const local = await openStore(':memory:');
      await commitThree(local);
      expect(await store.dump()).toBe(await local.dump());
      local.close();
    } finally {
      store.close();
    }
  });

  it('stores a string with an unpaired surrogate as a local database does, not failing the write', async () => {
    const remote = await openDb(server!.url);
    const local = await openDb(':memory:');
    try {
      const stored: unknown[] = [];
      for (const db of [remote, local]) {
        await db.execute('CREATE TABLE t (s TEXT)');
        await db.batch(
          insertRows('t', ['s'], [['lone \ud800 high'], ['lone \udc00 low']], undefined, 'json'),
          'write',
        );
        await db.execute({ sql: 'INSERT INTO t VALUES (?)', args: ['\udfff'] });
        stored.push((await db.execute('SELECT s, hex(s) AS h FROM t ORDER BY rowid')).rows);
      }
      expect(stored[0]).toEqual(stored[1]);
      expect(stored[0]).toEqual([
        { s: 'lone \ufffd high', h: '6C6F6E6520EFBFBD2068696768' },
        { s: 'lone \ufffd low', h: '6C6F6E6520EFBFBD206C6F77' },
        { s: '\ufffd', h: 'EFBFBD' },
      ]);
    } finally {
      remote.close();
      local.close();
    }
  });

  it("sends a commit's rows as JSON texts (decision 0014), local databases as bound values", async () => {
    const remote = await openDb(server!.url);
    const local = await openDb(':memory:');
    expect([remote.rowEncoding, local.rowEncoding]).toEqual(['json', 'values']);
    const inserts = new Map<string, string[]>();
    const watched = (db: typeof remote, name: string) =>
      overriding(db, {
        batch(stmts, mode) {
          if (mode === 'write') {
            // Inserts of rows the commit carries (the change log's keys are written by SQL alone).
            const found = stmts.flatMap((s) =>
              typeof s !== 'string' && s.sql.startsWith('INSERT INTO') && (s.args?.length ?? 0) > 0
                ? [s.sql]
                : [],
            );
            inserts.set(name, [...(inserts.get(name) ?? []), ...found]);
          }
          return db.batch(stmts, mode);
        },
      });
    const stores = [
      await createStore(watched(remote, 'remote')),
      await createStore(watched(local, 'local')),
    ];
    inserts.clear(); // the migrations' own inserts
    try {
      const entities = everyFamily();
      for (const store of stores) {
        await store.commitPage(page(0, 10, fold({ entities: byId(entities) })));
      }
      expect(inserts.get('remote')?.length).toBeGreaterThan(0);
      expect(inserts.get('local')?.length).toBeGreaterThan(0);
      for (const sql of inserts.get('remote') ?? []) expect(sql).toContain('FROM json_each(?)');
      for (const sql of inserts.get('local') ?? []) expect(sql).toContain(' VALUES (');
      const [onRemote, onLocal] = await Promise.all(stores.map((s) => s.dump()));
      expect(onRemote).toBe(onLocal);
    } finally {
      for (const store of stores) store.close();
    }
  });
});
