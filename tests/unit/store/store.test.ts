import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Change, Entity } from '../../../src/engine/types.ts';
import { commitStatements } from '../../../src/store/commit.ts';
import { openDb } from '../../../src/store/db.ts';
import { isStoreError } from '../../../src/store/errors.ts';
import type { StoreError } from '../../../src/store/errors.ts';
import { MIGRATIONS } from '../../../src/store/schema.ts';
import { createStore, openStore } from '../../../src/store/store.ts';
import type { Store } from '../../../src/store/types.ts';
import { localBackends, wrapDb } from '../../support/db.ts';
import type { FaultyDb } from '../../support/db.ts';
import {
  byId,
  checklistItem,
  everyFamily,
  fold,
  merge,
  page,
  plainTask,
  sampleAnomaly,
  sampleChanges,
  sampleRaw,
  task,
  threePages,
} from './samples.ts';

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (isStoreError(error)) return error;
    throw error;
  }
  throw new Error('expected a StoreError, got success');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The dump as an object (fails the test when it is not one). */
function parseDump(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (!isRecord(value)) throw new Error('dump is not a JSON object');
  return value;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

/** Commits the three sample pages one after the other. */
async function commitThree(store: Store): Promise<void> {
  const [a, b, c] = threePages();
  await store.commitPage(
    page(0, 4, a!, { meta: { historyKeyHash: 'h1', timeZone: 'Europe/Berlin' } }),
  );
  await store.commitPage(page(4, 8, b!));
  await store.commitPage(page(8, 10, c!, { meta: { source: { fixture: 'three', run: 2 } } }));
}

describe.each(localBackends())('Store on $name', (backend) => {
  const open: Store[] = [];
  async function fresh(): Promise<Store> {
    const store = await openStore(await backend.url());
    open.push(store);
    return store;
  }
  async function faulty(): Promise<{ store: Store; db: FaultyDb }> {
    const db = wrapDb(await openDb(await backend.url()));
    const store = await createStore(db);
    open.push(store);
    return { store, db };
  }
  afterEach(() => {
    for (const store of open.splice(0)) store.close();
  });
  afterAll(() => backend.cleanup());

  describe('syncState()', () => {
    it('starts at cursor 0 with nothing known', async () => {
      const store = await fresh();
      expect(await store.syncState()).toEqual({
        cursor: 0,
        head: null,
        schema: null,
        historyKeyHash: null,
        timeZone: null,
        source: null,
      });
    });

    it('moves the cursor and keeps meta that later pages do not name', async () => {
      const store = await fresh();
      await commitThree(store);
      expect(await store.syncState()).toEqual({
        cursor: 10,
        head: 100,
        schema: 301,
        historyKeyHash: 'h1',
        timeZone: 'Europe/Berlin',
        source: { fixture: 'three', run: 2 },
      });
    });
  });

  describe('loadEntities()', () => {
    it('reads back every family with every field deep-equal to what was committed', async () => {
      const store = await fresh();
      const entities = everyFamily();
      await store.commitPage(page(0, 10, fold({ entities: byId(entities) })));
      const loaded = await store.loadEntities([...entities.map((e) => e.id), 'unknown-id']);
      expect(loaded.size).toBe(entities.length);
      for (const entity of entities) expect(loaded.get(entity.id)).toStrictEqual(entity);
    });

    it('returns an empty map for no ids', async () => {
      const store = await fresh();
      expect((await store.loadEntities([])).size).toBe(0);
    });

    it('reads more than 500 ids of several families in one read batch', async () => {
      const { store, db } = await faulty();
      const entities: Entity[] = [];
      for (let i = 0; i < 700; i++) entities.push(plainTask(`t-${String(i).padStart(4, '0')}`));
      for (let i = 0; i < 300; i++) entities.push(checklistItem(`c-${i}`));
      await store.commitPage(page(0, 1, fold({ entities: byId(entities) })));
      db.batches.length = 0;
      const ids = [...entities.map((e) => e.id), 'missing-1', 'missing-2'];
      const loaded = await store.loadEntities(ids);
      expect(db.batches).toEqual([{ mode: 'read', statements: 15 }]); // 3 chunks × 5 tables
      expect(loaded.size).toBe(1000);
      expect(loaded.get('c-299')).toStrictEqual(entities[999]);
      expect(loaded.get('t-0699')).toStrictEqual(entities[699]);
    });
  });

  describe('commitPage()', () => {
    it('runs as exactly one write batch', async () => {
      const { store, db } = await faulty();
      db.batches.length = 0;
      const [a] = threePages();
      await store.commitPage(page(0, 4, a!));
      expect(db.batches.map((b) => b.mode)).toEqual(['write']);
      expect(db.batches[0]!.statements).toBe(commitStatements(page(0, 4, a!)).length);
    });

    it('leaves state, change log and cursor unchanged when any statement of the batch fails, and a retry succeeds', async () => {
      const reference = await fresh();
      await commitThree(reference);
      const expected = await reference.dump();

      const [a, b, c] = threePages();
      const second = page(4, 8, b!);
      const count = commitStatements(second).length;
      expect(count).toBeGreaterThan(5);
      const { store, db } = await faulty();
      await store.commitPage(
        page(0, 4, a!, { meta: { historyKeyHash: 'h1', timeZone: 'Europe/Berlin' } }),
      );
      const before = await store.dump();
      for (const k of [0, 1, Math.floor(count / 2), count - 2, count - 1]) {
        db.failNextWriteAt(k);
        const error = await rejection(store.commitPage(second));
        expect(error.code).toBe('WRITE_FAILED');
        expect(error.statementIndex).toBe(k);
        expect(await store.dump()).toBe(before);
        expect((await store.syncState()).cursor).toBe(4);
      }
      await store.commitPage(second);
      await store.commitPage(page(8, 10, c!, { meta: { source: { fixture: 'three', run: 2 } } }));
      expect(await store.dump()).toBe(expected);
    });

    it('rejects a retry after a lost acknowledgement with CURSOR_MISMATCH and writes nothing twice', async () => {
      const { store, db } = await faulty();
      const [a] = threePages();
      db.dropNextWriteAfterCommit();
      const lost = await rejection(store.commitPage(page(0, 4, a!)));
      expect(lost.code).toBe('CONNECT_FAILED');
      // It was stored; the message says the outcome is unknown, not that the commit failed.
      expect(lost.message).toMatch(
        /^Cannot tell whether server indexes \[0, 4\) were committed to .*: the connection was lost before the answer \(outcome unknown: .*\)\. Run again: the stored cursor says which, and a commit that was stored is never applied twice$/,
      );
      const afterFirst = await store.dump();
      const retry = await rejection(store.commitPage(page(0, 4, a!)));
      expect(retry.code).toBe('CURSOR_MISMATCH');
      expect(retry.message).toContain('the stored cursor is 4, not 0');
      expect(await store.dump()).toBe(afterFirst);
      expect(await store.changes()).toHaveLength(sampleChanges(0).length);
    });

    it('writes nothing when the connection drops before the batch is sent', async () => {
      const { store, db } = await faulty();
      const before = await store.dump();
      db.dropNextWriteBeforeSend();
      const [a] = threePages();
      expect((await rejection(store.commitPage(page(0, 4, a!)))).code).toBe('CONNECT_FAILED');
      expect(await store.dump()).toBe(before);
      await store.commitPage(page(0, 4, a!));
      expect((await store.syncState()).cursor).toBe(4);
    });

    it('rejects the same page committed twice with CURSOR_MISMATCH', async () => {
      const store = await fresh();
      const [a] = threePages();
      await store.commitPage(page(0, 4, a!));
      const before = await store.dump();
      const error = await rejection(store.commitPage(page(0, 4, a!)));
      expect(error.code).toBe('CURSOR_MISMATCH');
      expect(await store.dump()).toBe(before);
      expect(await store.changes()).toEqual(a!.changes);
    });

    it('rejects a page that starts after the cursor (a gap) with CURSOR_MISMATCH', async () => {
      const store = await fresh();
      const [, b] = threePages();
      expect((await rejection(store.commitPage(page(4, 8, b!)))).code).toBe('CURSOR_MISMATCH');
      expect((await store.syncState()).cursor).toBe(0);
      expect(await store.changes()).toEqual([]);
    });

    it('lets only one of two concurrent commits of the same page through', async () => {
      const store = await fresh();
      const [a] = threePages();
      const outcomes = await Promise.allSettled([
        store.commitPage(page(0, 4, a!)),
        store.commitPage(page(0, 4, a!)),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
      const failure = outcomes[1];
      expect(
        failure?.status === 'rejected' && isStoreError(failure.reason, 'CURSOR_MISMATCH'),
      ).toBe(true);
      expect(await store.changes()).toHaveLength(a!.changes.length);
    });

    it('serializes concurrent commits of consecutive pages in call order', async () => {
      const store = await fresh();
      const [a, b, c] = threePages();
      await Promise.all([
        store.commitPage(page(0, 4, a!)),
        store.commitPage(page(4, 8, b!)),
        store.commitPage(page(8, 10, c!)),
      ]);
      expect((await store.syncState()).cursor).toBe(10);
    });

    it('rejects a page of another history with HISTORY_MISMATCH', async () => {
      const store = await fresh();
      const [a, b] = threePages();
      await store.commitPage(page(0, 4, a!, { meta: { historyKeyHash: 'h1' } }));
      const error = await rejection(
        store.commitPage(page(4, 8, b!, { meta: { historyKeyHash: 'h2' } })),
      );
      expect(error.code).toBe('HISTORY_MISMATCH');
      expect((await store.syncState()).cursor).toBe(4);
      await store.commitPage(page(4, 8, b!, { meta: { historyKeyHash: 'h1' } }));
      expect((await store.syncState()).cursor).toBe(8);
    });

    it('throws RangeError for a change outside the page and for endIndex below startIndex', async () => {
      const store = await fresh();
      expect(() => store.commitPage(page(1, 2, fold({ changes: sampleChanges(0) })))).toThrow(
        RangeError,
      );
      expect(() => store.commitPage(page(0, 1, fold({ anomalies: [sampleAnomaly(1)] })))).toThrow(
        RangeError,
      );
      expect(() => store.commitPage(page(3, 2, fold()))).toThrow(RangeError);
      expect((await store.syncState()).cursor).toBe(0);
    });

    it('accepts an empty page and still moves the cursor', async () => {
      const store = await fresh();
      await store.commitPage(page(0, 3, fold(), { head: 3, schema: null }));
      expect(await store.syncState()).toMatchObject({ cursor: 3, head: 3, schema: null });
    });

    it('keeps the rows of soft-deleted entities and hides them from live reads', async () => {
      const store = await fresh();
      const live = task('task-x', { tagIds: ['tag-1'] });
      await store.commitPage(page(0, 1, fold({ entities: byId([live]) })));
      const deleted = {
        ...live,
        deleted: { serverIndex: 1, at: null, by: 'delete', tombstoneId: null },
      } as const;
      await store.commitPage(page(1, 2, fold({ entities: byId([deleted]) })));
      expect((await store.loadEntities(['task-x'])).get('task-x')).toStrictEqual(deleted);
      expect(await collect(store.entities())).toEqual([]);
      expect(await collect(store.entities({ includeDeleted: true }))).toStrictEqual([deleted]);
      const status = await store.status();
      expect(status.tables.find((t) => t.name === 'tasks')).toEqual({
        name: 'tasks',
        rows: 1,
        deleted: 1,
      });
      // a later create resurrects it in place
      const back = { ...live, createdIndex: 2, updatedIndex: 2 };
      await store.commitPage(page(2, 3, fold({ entities: byId([back]) })));
      expect(await collect(store.entities())).toStrictEqual([back]);
    });

    it('rewrites the tag links of every touched owner', async () => {
      const store = await fresh();
      await commitThree(store);
      const dump = parseDump(await store.dump());
      expect(dump['tagLinks']).toEqual([
        { ownerId: 'area-1', ownerType: 'area', position: 0, tagId: 'tag-1' },
        { ownerId: 'area-1', ownerType: 'area', position: 1, tagId: 'tag-3' },
        { ownerId: 'task-1', ownerType: 'task', position: 0, tagId: 'tag-2' },
      ]);
    });
  });

  describe('changes()', () => {
    it('reads back the committed changes deep-equal, in order', async () => {
      const store = await fresh();
      await commitThree(store);
      const all = threePages().flatMap((r) => r.changes);
      expect(await store.changes()).toStrictEqual(all);
    });

    it('filters by server index, time, entity and limit', async () => {
      const store = await fresh();
      await commitThree(store);
      const all = threePages().flatMap((r) => r.changes);
      expect(await store.changes({ sinceIndex: 4 })).toStrictEqual(
        all.filter((c) => c.serverIndex >= 4),
      );
      expect(await store.changes({ sinceAt: 1_700_000_001 })).toStrictEqual(
        all.filter((c) => c.at !== null && c.at >= 1_700_000_001),
      );
      expect(await store.changes({ entityId: 'task-2' })).toStrictEqual(
        all.filter((c) => c.entityId === 'task-2'),
      );
      expect(await store.changes({ limit: 3 })).toStrictEqual(all.slice(0, 3));
      expect(await store.changes({ sinceIndex: 4, entityId: 'weird-1', limit: 1 })).toStrictEqual([
        all.find((c) => c.serverIndex === 4 && c.entityId === 'weird-1'),
      ]);
    });

    it('pages through more than 2,000 changes', async () => {
      const store = await fresh();
      const changes: Change[] = [];
      for (let i = 0; i < 2345; i++) {
        changes.push({
          type: 'TaskTitleChanged',
          entityType: 'Task',
          entityId: `t-${i % 7}`,
          serverIndex: Math.floor(i / 3),
          position: i % 3,
          ordinal: 0,
          at: i,
          payload: { old: `${i}`, new: `${i + 1}` },
        });
      }
      await store.commitPage(page(0, 800, fold({ changes })));
      expect(await store.changes()).toStrictEqual(changes);
      expect(await store.changes({ limit: 2001 })).toStrictEqual(changes.slice(0, 2001));
    });
  });

  describe('entities()', () => {
    it('pages through more than 2,000 rows in id order', async () => {
      const store = await fresh();
      const entities: Entity[] = [];
      for (let i = 2499; i >= 0; i--) entities.push(plainTask(`t-${String(i).padStart(5, '0')}`));
      await store.commitPage(page(0, 1, fold({ entities: byId(entities) })));
      const read = await collect(store.entities({ family: 'task' }));
      expect(read).toHaveLength(2500);
      expect(read.map((e) => e.id)).toEqual(entities.map((e) => e.id).toReversed());
      expect(read[17]).toStrictEqual(entities[2499 - 17]);
      const dump = parseDump(await store.dump());
      expect(dump['tasks']).toHaveLength(2500);
    });

    it('filters by family and returns families in a fixed order', async () => {
      const store = await fresh();
      const all = everyFamily();
      await store.commitPage(page(0, 10, fold({ entities: byId(all) })));
      const tags = await collect(store.entities({ family: 'tag' }));
      expect(tags.map((e) => e.id)).toEqual(['tag-1', 'tag-2']);
      const live = await collect(store.entities());
      expect(live.map((e) => e.family)).toEqual(
        all
          .filter((e) => e.deleted === null)
          .map((e) => e.family)
          .sort((x, y) => FAMILY_ORDER.indexOf(x) - FAMILY_ORDER.indexOf(y)),
      );
    });
  });

  describe('dump()', () => {
    it('gives byte-identical output for the same history committed as one page or three', async () => {
      const one = await fresh();
      await one.commitPage(
        page(0, 10, merge(threePages()), {
          meta: { historyKeyHash: 'h1', timeZone: 'Europe/Berlin', source: { run: 1 } },
        }),
      );
      const three = await fresh();
      await commitThree(three);
      const dump = await one.dump();
      expect(await three.dump()).toBe(dump);
      expect(dump.endsWith('}\n')).toBe(true);
      expect(dump).not.toContain('seq');
      expect(dump).not.toContain('"source"');
      expect(dump).not.toContain('fixture');
    });

    it('holds every table, soft-deleted entities included, with stable key order', async () => {
      const store = await fresh();
      await commitThree(store);
      const text = await store.dump();
      const dump = parseDump(text);
      expect(Object.keys(dump)).toEqual([
        'anomalies',
        'areas',
        'changes',
        'checklistItems',
        'format',
        'rawItems',
        'schemaVersion',
        'syncState',
        'tagLinks',
        'tags',
        'tasks',
        'tombstones',
        'version',
      ]);
      expect(dump['syncState']).toEqual({
        cursor: 10,
        head: 100,
        historyKeyHash: 'h1',
        schema: 301,
        timeZone: 'Europe/Berlin',
      });
      expect(dump['tasks']).toMatchObject([
        { id: 'task-1', deleted: null },
        { id: 'task-2', deleted: { by: 'tombstone', tombstoneId: 'tomb-1' } },
      ]);
      expect(dump['rawItems']).toEqual([sampleRaw(2), sampleRaw(9, 0)]);
      expect(dump['anomalies']).toEqual([
        sampleAnomaly(1),
        sampleAnomaly(5, 0),
        sampleAnomaly(5, 1),
      ]);
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      expect(await store.dump()).toBe(text);
    });
  });

  describe('status()', () => {
    it('reports the schema version, row counts and sync state', async () => {
      const store = await fresh();
      await commitThree(store);
      const status = await store.status();
      expect(status.schemaVersion).toBe(MIGRATIONS.at(-1)?.version);
      expect(status.url).toBe(store.url);
      expect(status.syncState.cursor).toBe(10);
      const counts = Object.fromEntries(status.tables.map((t) => [t.name, t.rows]));
      expect(counts).toEqual({
        tasks: 2,
        checklist_items: 1,
        areas: 1,
        tags: 1,
        tombstones: 1,
        tag_links: 3,
        change_log: 12,
        anomalies: 3,
        raw_items: 2,
        sync_state: 1,
        migrations: MIGRATIONS.length,
      });
    });
  });

  it('reports CORRUPT_ROW for stored rows that cannot be read back', async () => {
    const { store, db } = await faulty();
    await commitThree(store);
    await db.execute("UPDATE tasks SET tag_ids = 'not json' WHERE id = 'task-1'");
    const entityError = await rejection(store.loadEntities(['task-1']));
    expect(entityError.code).toBe('CORRUPT_ROW');
    expect(entityError.message).toContain('"task-1"');
    await db.execute("UPDATE change_log SET type = 'NoSuchChange' WHERE server_index = 8");
    expect((await rejection(store.changes())).code).toBe('CORRUPT_ROW');
    expect(await store.changes({ sinceIndex: 0, limit: 4 })).toHaveLength(4);
  });

  it('fails with CLOSED after close()', async () => {
    const store = await fresh();
    store.close();
    expect((await rejection(store.syncState())).code).toBe('CLOSED');
  });
});

const FAMILY_ORDER = ['task', 'checklistItem', 'area', 'tag', 'tombstone'];
