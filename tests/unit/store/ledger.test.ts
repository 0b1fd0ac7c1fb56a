/**
 * The sync ledger (migration 2) and push between local databases: backfill, triggers, marking
 * with compare-and-set, the summary, and push convergence under injected faults. The same push
 * against a real sqld is in tests/integration/sqld-push.test.ts.
 */
import { changeKeysProblem, changesByEntityMismatch } from '../../support/changes.ts';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.ts';
import type { Db } from '../../../src/store/db.ts';
import { isStoreError } from '../../../src/store/errors.ts';
import type { StoreError } from '../../../src/store/errors.ts';
import {
  ledgerSummary,
  markFailedStatements,
  markSyncedStatements,
  readLedger,
  startLedgerTracking,
} from '../../../src/store/ledger.ts';
import { migrate } from '../../../src/store/migrations.ts';
import { pushLedger } from '../../../src/store/push.ts';
import type { PushBatch, PushOptions } from '../../../src/store/push.ts';
import { MIGRATIONS } from '../../../src/store/schema.ts';
import { createStore } from '../../../src/store/store.ts';
import type { LedgerEntry, Store } from '../../../src/store/types.ts';
import { localBackends, wrapDb } from '../../support/db.ts';
import { byId, fold, page, plainTask, sampleChanges, task, threePages } from './samples.ts';

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (isStoreError(error)) return error;
    throw error;
  }
  throw new Error('expected a StoreError, got success');
}

/** Commits the three sample pages (indexes 0..9). */
async function commitThree(store: Store): Promise<void> {
  const [a, b, c] = threePages();
  await store.commitPage(
    page(0, 4, a!, { meta: { historyKeyHash: 'h1', timeZone: 'Europe/Berlin' } }),
  );
  await store.commitPage(page(4, 8, b!));
  await store.commitPage(page(8, 10, c!));
}

/** `record_type/record_id` → entry. */
function byKey(entries: readonly LedgerEntry[]): Map<string, LedgerEntry> {
  return new Map(entries.map((e) => [`${e.recordType}/${e.recordId}`, e]));
}

const ENTITY_KEYS = [
  'areas/area-1',
  'checklist_items/check-1',
  'tags/tag-1',
  'tasks/task-1',
  'tasks/task-2',
  'tombstones/tomb-1',
];

describe.each(localBackends())('sync ledger on $name', (backend) => {
  const open: { close(): void }[] = [];
  async function freshDb(): Promise<Db> {
    const db = await openDb(await backend.url());
    open.push(db);
    return db;
  }
  async function freshStore(): Promise<{ store: Store; db: Db }> {
    const db = await freshDb();
    const store = await createStore(db);
    return { store, db };
  }
  /** A fresh store whose ledger is tracked, as after a first push (decision 0013). */
  async function trackedStore(): Promise<{ store: Store; db: Db }> {
    const fresh = await freshStore();
    expect(await startLedgerTracking(fresh.db)).toBe(true);
    return fresh;
  }
  afterEach(() => {
    for (const item of open.splice(0)) item.close();
  });
  afterAll(() => backend.cleanup());

  describe('migration 2', () => {
    it('adds the ledger to a database created with migration 1 only, backfilling every entity', async () => {
      const db = await freshDb();
      const old = await createStore(db, MIGRATIONS.slice(0, 1));
      await commitThree(old);
      const before = (await old.dump()).replace('"schemaVersion": 1', '"schemaVersion": 2');

      const result = await migrate(db, MIGRATIONS.slice(0, 2));
      expect(result.applied.map((m) => m.name)).toEqual(['sync_ledger']);
      const entries = await readLedger(db);
      expect([...byKey(entries).keys()].sort()).toEqual([...ENTITY_KEYS, 'sync_state/1'].sort());
      expect(entries.every((e) => e.syncStatus === 'pending' && e.attemptCount === 0)).toBe(true);
      expect(entries.every((e) => e.cloudSyncedAt === null && e.lastError === null)).toBe(true);
      // Versions are 1..n in history order, the sync state last.
      expect(entries.map((e) => e.localUpdatedAt)).toEqual(entries.map((_, i) => i + 1));
      expect(entries.at(-1)?.recordType).toBe('sync_state');
      expect(entries[0]).toMatchObject({ recordType: 'tags', recordId: 'tag-1' });

      const indexes = await db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sync_ledger' AND sql IS NOT NULL ORDER BY name",
      );
      expect(indexes.rows.map((r) => r['name'])).toEqual([
        'sync_ledger_local_updated_at',
        'sync_ledger_status',
      ]);
      // The ledger is bookkeeping: the dump is what it was.
      const reopened = await createStore(db, MIGRATIONS.slice(0, 2));
      expect(await reopened.dump()).toBe(before);
    });

    it('gives a database migrated to version 2 a ledger with only the sync state', async () => {
      const db = await freshDb();
      const store = await createStore(db, MIGRATIONS.slice(0, 2));
      // Before migration 5 every database tracked its ledger: status counts its rows.
      expect((await store.status()).ledger).toMatchObject({
        tracking: true,
        counts: { pending: 1, synced: 0, error: 0 },
      });
      const entries = await readLedger(db);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        recordType: 'sync_state',
        recordId: '1',
        syncStatus: 'pending',
        localUpdatedAt: 1,
      });
    });
  });

  describe('tracking from the first push (migration 5)', () => {
    it('writes no ledger rows before tracking starts, and counts every record as pending', async () => {
      const { store, db } = await freshStore();
      await commitThree(store);
      expect(await readLedger(db)).toEqual([]);
      const summary = await ledgerSummary(db);
      expect(summary).toEqual({
        tracking: false,
        counts: { pending: ENTITY_KEYS.length + 1, synced: 0, error: 0 },
        oldestPending: null,
        lastError: null,
      });
      expect((await store.status()).ledger).toEqual(summary);
    });

    it('starts tracking with every record pending in history order, once', async () => {
      const { store, db } = await freshStore();
      await commitThree(store);
      const before = await store.dump();
      expect(await startLedgerTracking(db)).toBe(true);
      const entries = await readLedger(db);
      expect([...byKey(entries).keys()].sort()).toEqual([...ENTITY_KEYS, 'sync_state/1'].sort());
      expect(entries.every((e) => e.syncStatus === 'pending' && e.attemptCount === 0)).toBe(true);
      expect(entries.map((e) => e.localUpdatedAt)).toEqual(entries.map((_, i) => i + 1));
      expect(entries[0]).toMatchObject({ recordType: 'tags', recordId: 'tag-1' });
      expect(entries.at(-1)?.recordType).toBe('sync_state');
      expect(await ledgerSummary(db)).toMatchObject({
        tracking: true,
        counts: { pending: ENTITY_KEYS.length + 1, synced: 0, error: 0 },
        oldestPending: { recordType: 'tags', recordId: 'tag-1' },
      });
      expect(await store.dump()).toBe(before);

      // Once tracking, a second start changes nothing, and writes are tracked.
      await db.batch(markSyncedStatements(entries, 1), 'write');
      expect(await startLedgerTracking(db)).toBe(false);
      expect(await readLedger(db, { status: ['pending'] })).toEqual([]);
      await store.commitPage(
        page(10, 11, fold({ entities: byId([task('task-1', { updatedIndex: 10 })]) })),
      );
      expect(
        (await readLedger(db, { status: ['pending'] })).map((e) => [e.recordId, e.localUpdatedAt]),
      ).toEqual([
        ['task-1', entries.length + 1],
        ['1', entries.length + 2],
      ]);
    });

    it('stops tracking a version 4 database never pushed from, and keeps tracking one that was', async () => {
      const never = await freshDb();
      await commitThree(await createStore(never, MIGRATIONS.slice(0, 4)));
      expect(await readLedger(never)).toHaveLength(ENTITY_KEYS.length + 1);
      const pushed = await freshDb();
      await commitThree(await createStore(pushed, MIGRATIONS.slice(0, 4)));
      const entries = await readLedger(pushed);
      await pushed.batch(
        markFailedStatements(entries.slice(0, 2), 'CONNECT_FAILED: x', 5),
        'write',
      );

      for (const db of [never, pushed]) {
        const result = await migrate(db, MIGRATIONS.slice(0, 5));
        expect(result.applied.map((m) => m.name)).toEqual(['ledger_from_first_push']);
      }
      expect(await readLedger(never)).toEqual([]);
      expect((await ledgerSummary(never)).tracking).toBe(false);
      expect(await readLedger(pushed)).toEqual(
        entries.map((e, i) =>
          i < 2
            ? {
                ...e,
                syncStatus: 'error',
                attemptCount: 1,
                lastError: 'CONNECT_FAILED: x',
                lastAttemptAt: 5,
              }
            : e,
        ),
      );
      expect((await ledgerSummary(pushed)).tracking).toBe(true);

      // The untracked database's writes leave the ledger empty; the tracked one's are marked.
      for (const db of [never, pushed]) {
        await (
          await createStore(db)
        ).commitPage(
          page(10, 11, fold({ entities: byId([task('task-1', { updatedIndex: 10 })]) })),
        );
      }
      expect(await readLedger(never)).toEqual([]);
      const last = (await readLedger(pushed)).slice(-2);
      expect(last.map((e) => [e.recordId, e.syncStatus])).toEqual([
        ['task-1', 'pending'],
        ['1', 'pending'],
      ]);
    });
  });

  describe('triggers', () => {
    it('mark inserted, updated and soft-deleted entities pending at a new version', async () => {
      const { store, db } = await trackedStore();
      const [a, b, c] = threePages();
      await store.commitPage(page(0, 4, a!, { meta: { historyKeyHash: 'h1' } }));
      const first = byKey(await readLedger(db));
      expect([...first.keys()].sort()).toEqual(
        ['areas/area-1', 'sync_state/1', 'tags/tag-1', 'tasks/task-1', 'tasks/task-2'].sort(),
      );
      await db.batch(
        markSyncedStatements(
          [...first.values()].map((e) => ({ ...e })),
          1_700_000_000,
        ),
        'write',
      );
      expect((await ledgerSummary(db)).counts).toEqual({ pending: 0, synced: 5, error: 0 });

      await store.commitPage(page(4, 8, b!)); // updates task-1 and area-1, inserts check-1
      const second = byKey(await readLedger(db));
      const maxBefore = Math.max(...[...first.values()].map((e) => e.localUpdatedAt));
      for (const key of [
        'tasks/task-1',
        'areas/area-1',
        'checklist_items/check-1',
        'sync_state/1',
      ]) {
        const entry = second.get(key);
        expect({ key, ...entry }).toMatchObject({ key, syncStatus: 'pending', attemptCount: 0 });
        expect(entry?.localUpdatedAt).toBeGreaterThan(maxBefore);
      }
      // Untouched records stay synced, with the time of their push.
      expect(second.get('tasks/task-2')).toMatchObject({
        syncStatus: 'synced',
        cloudSyncedAt: 1_700_000_000,
        attemptCount: 1,
      });

      await db.batch(
        markSyncedStatements(
          [...second.values()].map((e) => ({ ...e })),
          1_700_000_001,
        ),
        'write',
      );
      await store.commitPage(page(8, 10, c!)); // soft-deletes task-2
      const third = byKey(await readLedger(db));
      expect(third.get('tasks/task-2')).toMatchObject({ syncStatus: 'pending', attemptCount: 0 });
      expect(third.get('tasks/task-1')?.syncStatus).toBe('synced');
    });

    it('marks a hard-deleted row pending so a push removes it remotely', async () => {
      const { store, db } = await trackedStore();
      await commitThree(store);
      const entries = await readLedger(db);
      await db.batch(markSyncedStatements(entries, 1), 'write');
      await db.execute("DELETE FROM tags WHERE id = 'tag-1'");
      expect((await readLedger(db, { status: ['pending'] })).map((e) => e.recordId)).toEqual([
        'tag-1',
      ]);
    });
  });

  describe('marking', () => {
    it('leaves a row alone when its version moved on since it was read (compare-and-set)', async () => {
      const { store, db } = await trackedStore();
      await commitThree(store);
      const stale = (await readLedger(db)).find((e) => e.recordId === 'task-1')!;
      await store.commitPage(
        page(10, 11, fold({ entities: byId([task('task-1', { updatedIndex: 10 })]) })),
      );
      await db.batch(markSyncedStatements([stale], 5), 'write');
      await db.batch(markFailedStatements([stale], 'late', 5), 'write');
      const now = (await readLedger(db)).find((e) => e.recordId === 'task-1')!;
      expect(now).toMatchObject({ syncStatus: 'pending', attemptCount: 0, lastError: null });
      expect(now.localUpdatedAt).toBeGreaterThan(stale.localUpdatedAt);
    });

    it('counts attempts, keeps the last error after a success, and summarizes', async () => {
      const { store, db } = await trackedStore();
      await commitThree(store);
      const entries = await readLedger(db);
      const task1 = entries.find((e) => e.recordId === 'task-1')!;
      const tag1 = entries.find((e) => e.recordId === 'tag-1')!;
      await db.batch(markFailedStatements([task1, tag1], 'CONNECT_FAILED: first', 100), 'write');
      await db.batch(markFailedStatements([task1], 'CONNECT_FAILED: second', 200), 'write');
      const summary = await ledgerSummary(db);
      expect(summary.counts).toEqual({ pending: 5, synced: 0, error: 2 });
      expect(summary.oldestPending).toMatchObject({ recordId: 'tag-1', syncStatus: 'error' });
      expect(summary.lastError).toMatchObject({
        recordId: 'task-1',
        attemptCount: 2,
        lastError: 'CONNECT_FAILED: second',
        lastAttemptAt: 200,
      });
      await db.batch(markSyncedStatements([task1], 300), 'write');
      const after = (await readLedger(db)).find((e) => e.recordId === 'task-1');
      expect(after).toMatchObject({
        syncStatus: 'synced',
        attemptCount: 3,
        cloudSyncedAt: 300,
        lastError: 'CONNECT_FAILED: second',
      });
      expect((await store.status()).ledger?.counts).toEqual({ pending: 5, synced: 1, error: 1 });
    });
  });
});

describe('pushLedger() between local databases', () => {
  const backends = localBackends();
  const open: { close(): void }[] = [];
  let clock = 1_700_000_000;
  const now = () => (clock += 1);
  async function freshDb(kind: 0 | 1 = 0): Promise<Db> {
    const db = await openDb(await (backends[kind] ?? backends[0]!).url());
    open.push(db);
    return db;
  }
  async function localStore(): Promise<{ store: Store; db: Db }> {
    const db = await freshDb(0);
    const store = await createStore(db);
    open.push(store);
    return { store, db };
  }
  async function dumpOf(db: Db): Promise<string> {
    return (await createStore(db)).dump();
  }
  async function push(options: Omit<PushOptions, 'now'>): Promise<{
    summary: Awaited<ReturnType<typeof pushLedger>>;
    batches: PushBatch[];
  }> {
    const batches: PushBatch[] = [];
    const summary = await pushLedger({ ...options, now, onBatch: (b) => batches.push(b) });
    return { summary, batches };
  }
  afterEach(() => {
    for (const item of open.splice(0)) item.close();
  });
  afterAll(async () => {
    for (const backend of backends) await backend.cleanup();
  });

  /** Search's texts of `db` (kept by writers, not triggers, and not in `dump`), in key order. */
  async function searchTexts(db: Db): Promise<unknown[][]> {
    const result = await db.execute(
      'SELECT id, kind, task_id, title, note FROM search_texts ORDER BY kind, id',
    );
    return result.rows.map((r) => [r['id'], r['kind'], r['task_id'], r['title'], r['note']]);
  }

  it("keeps search's texts on the remote equal to the local ones, on the first push and later ones", async () => {
    const { store, db } = await localStore();
    const [a, b, c] = threePages();
    await store.commitPage(
      page(0, 4, a!, { meta: { historyKeyHash: 'h1', timeZone: 'Europe/Berlin' } }),
    );
    const remote = await freshDb(1);
    await push({ local: db, remote });
    const first = await searchTexts(db);
    expect(first.length).toBeGreaterThan(0);
    expect(await searchTexts(remote)).toEqual(first);
    await store.commitPage(page(4, 8, b!));
    await store.commitPage(page(8, 10, c!));
    await push({ local: db, remote });
    const later = await searchTexts(db);
    expect(later).not.toEqual(first);
    expect(await searchTexts(remote)).toEqual(later);
  });

  it('makes the remote dump equal the local one and marks everything synced with the time', async () => {
    const { store, db } = await localStore();
    await commitThree(store);
    const remote = await freshDb(1);
    const { summary, batches } = await push({ local: db, remote, recordsPerBatch: 4 });
    expect(summary).toMatchObject({ synced: 7, failed: 0, remoteCursor: 10, complete: true });
    expect(batches.map((b) => [b.kind, b.rows])).toEqual([
      ['records', 4],
      ['records', 2],
      ['logs', 12 + 3 + 2],
    ]);
    expect(await dumpOf(remote)).toBe(await store.dump());
    expect(await changeKeysProblem(remote)).toBeNull();
    const entries = await readLedger(db);
    expect(entries).toHaveLength(7);
    expect(entries.every((e) => e.syncStatus === 'synced' && e.attemptCount === 1)).toBe(true);
    // The push made the local database track its ledger; the remote it wrote into does not.
    expect((await ledgerSummary(db)).tracking).toBe(true);
    expect((await ledgerSummary(remote)).tracking).toBe(false);
    expect(await readLedger(remote)).toEqual([]);
    expect(entries.every((e) => e.cloudSyncedAt !== null && e.cloudSyncedAt > 1_700_000_000)).toBe(
      true,
    );

    const again = await push({ local: db, remote });
    expect(again.summary).toMatchObject({
      synced: 0,
      batches: 0,
      complete: true,
      remoteCursor: 10,
    });
  });

  it('sends only what changed since the last push', async () => {
    const { store, db } = await localStore();
    await commitThree(store);
    const remote = await freshDb(1);
    await push({ local: db, remote });
    await store.commitPage(
      page(
        10,
        12,
        fold({
          entities: byId([plainTask('task-3', { createdIndex: 10, updatedIndex: 10 })]),
          changes: sampleChanges(11, 'task-3'),
        }),
      ),
    );
    const { summary, batches } = await push({ local: db, remote });
    expect(batches.map((b) => [b.kind, b.rows])).toEqual([
      ['records', 1],
      ['logs', sampleChanges(11, 'task-3').length],
    ]);
    expect(summary).toMatchObject({ synced: 2, remoteCursor: 12, complete: true });
    expect(await dumpOf(remote)).toBe(await store.dump());
    // The remote keys the pushed change log by entity as a commit would (decision 0016).
    expect(await changeKeysProblem(remote)).toBeNull();
    expect(await changesByEntityMismatch(await createStore(remote), ['task-3'])).toBeNull();
  });

  it('marks a failed batch errored, moves on, keeps the cursor back, and converges on the next push', async () => {
    const { store, db } = await localStore();
    await commitThree(store);
    const remote = wrapDb(await freshDb(1));
    await migrate(remote, MIGRATIONS);
    remote.failNextWriteAt(0);
    const first = await push({ local: db, remote, recordsPerBatch: 2 });
    expect(first.summary).toMatchObject({ synced: 4, failed: 2, complete: false, remoteCursor: 0 });
    expect(first.summary.errors[0]).toMatch(/^WRITE_FAILED: /);
    const errored = await readLedger(db, { status: ['error'] });
    expect(errored).toHaveLength(2);
    expect(
      errored.every((e) => e.attemptCount === 1 && e.lastError?.startsWith('WRITE_FAILED')),
    ).toBe(true);
    // The sync state (cursor and logs) waits until every record is there.
    expect((await readLedger(db, { status: ['pending'] })).map((e) => e.recordType)).toEqual([
      'sync_state',
    ]);

    const second = await push({ local: db, remote, recordsPerBatch: 2 });
    expect(second.summary).toMatchObject({
      synced: 3,
      failed: 0,
      complete: true,
      remoteCursor: 10,
    });
    const healed = byKey(await readLedger(db));
    for (const e of errored) {
      expect(healed.get(`${e.recordType}/${e.recordId}`)).toMatchObject({
        syncStatus: 'synced',
        attemptCount: 2,
        lastError: e.lastError,
      });
    }
    expect(await dumpOf(remote)).toBe(await store.dump());
  });

  it('converges without duplicates when the remote committed but the answer was lost', async () => {
    const { store, db } = await localStore();
    await commitThree(store);
    const remote = wrapDb(await freshDb(1));
    await migrate(remote, MIGRATIONS);
    remote.dropNextWriteAfterCommit();
    const first = await push({ local: db, remote });
    expect(first.summary).toMatchObject({ failed: 6, complete: false });
    expect(first.summary.errors).toHaveLength(1);
    expect(first.summary.errors[0]).toMatch(/^CONNECT_FAILED: /);

    await push({ local: db, remote }); // records again (idempotent), then logs and cursor
    // Lose the answer of the logs batch too, then push once more.
    await store.commitPage(page(10, 12, fold({ changes: sampleChanges(10, 'task-1') })));
    remote.dropNextWriteAfterCommit();
    const third = await push({ local: db, remote });
    expect(third.summary).toMatchObject({ complete: false, remoteCursor: 10 });
    expect(await readLedger(db, { status: ['error'] })).toMatchObject([
      { recordType: 'sync_state', attemptCount: 1 },
    ]);
    const fourth = await push({ local: db, remote });
    expect(fourth.summary).toMatchObject({ complete: true, remoteCursor: 12 });
    expect(await dumpOf(remote)).toBe(await store.dump());
    const count = await remote.execute('SELECT COUNT(*) AS n FROM change_log');
    expect(count.rows[0]?.['n']).toBe((await store.changes()).length);
  });

  it('refuses a remote with another history or a cursor ahead, before sending anything', async () => {
    const { store, db } = await localStore();
    await commitThree(store);
    const other = await freshDb(1);
    const otherStore = await createStore(other);
    await otherStore.commitPage(page(0, 4, threePages()[0]!, { meta: { historyKeyHash: 'h2' } }));
    expect((await rejection(pushLedger({ local: db, remote: other, now }))).code).toBe(
      'HISTORY_MISMATCH',
    );
    expect((await ledgerSummary(db)).tracking).toBe(false);

    const ahead = await freshDb(1);
    const aheadStore = await createStore(ahead);
    await aheadStore.startAt(50);
    const error = await rejection(pushLedger({ local: db, remote: ahead, now }));
    expect(error.code).toBe('CURSOR_MISMATCH');
    expect(error.message).toContain('(50) is ahead of the local one (10)');
    expect(await ledgerSummary(db)).toMatchObject({ tracking: false, counts: { synced: 0 } });
    expect(await readLedger(db)).toEqual([]);
  });

  it('resends everything to an empty remote even when the ledger says synced', async () => {
    const { store, db } = await localStore();
    await commitThree(store);
    await push({ local: db, remote: await freshDb(1) });
    const second = await freshDb(1);
    const { summary } = await push({ local: db, remote: second });
    expect(summary).toMatchObject({ synced: 7, complete: true });
    expect(await dumpOf(second)).toBe(await store.dump());
  });
});
