import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CivilDate } from '../../../src/protocol/types.ts';
import { FakeHistory, generatedGroups } from '../../../src/fake/index.ts';
import { openDb } from '../../../src/store/db.ts';
import type { Db } from '../../../src/store/db.ts';
import { isStoreError } from '../../../src/store/errors.ts';
import type { StoreError } from '../../../src/store/errors.ts';
import { readLedger, startLedgerTracking } from '../../../src/store/ledger.ts';
import { pushLedger } from '../../../src/store/push.ts';
import { ENTITY_TABLES } from '../../../src/store/schema.ts';
import { createStore } from '../../../src/store/store.ts';
import {
  SWAPPED_TABLES,
  dropStaging,
  stageHistory,
  stageTableOf,
  swapStagedHistory,
} from '../../../src/store/swap.ts';
import type { Store } from '../../../src/store/types.ts';
import { syncHistory } from '../../../src/sync/loop.ts';
import type { HistorySource } from '../../../src/sync/source.ts';
import { changeKeysProblem, changesByEntityMismatch } from '../../support/changes.ts';
import { localBackends } from '../../support/db.ts';

const OLD = [...generatedGroups({ items: 600, seed: 'swap-old' })];
const NEW = [...generatedGroups({ items: 300, seed: 'swap-new' })];
const CONTEXT = { timeZone: 'Europe/Berlin', referenceDate: '2026-03-01' as CivilDate };

function sourceOf(groups: readonly string[]): HistorySource {
  const history = new FakeHistory(groups);
  return {
    description: 'test history',
    head: () => Promise.resolve({ head: history.head, schema: history.schema }),
    page: (startIndex) =>
      Promise.resolve({
        body: new TextEncoder().encode(history.page(startIndex, { pageGroups: 100 }).text),
        location: { page: `at ${startIndex}` },
      }),
  };
}

/** `table/id` of every entity row. */
async function entityKeys(db: Db): Promise<string[]> {
  const result = await db.execute(
    ENTITY_TABLES.map((table) => `SELECT '${table}/' || id AS key FROM ${table}`).join(
      ' UNION ALL ',
    ),
  );
  return result.rows.map((row) => (typeof row['key'] === 'string' ? row['key'] : ''));
}

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (isStoreError(error)) return error;
    throw error;
  }
  throw new Error('expected a StoreError, got success');
}

describe.each(localBackends())('history swap on $name', (backend) => {
  const open: { close(): void }[] = [];
  afterEach(() => {
    for (const item of open.splice(0)) item.close();
  });
  afterAll(() => backend.cleanup());

  /** A store synced with `groups` under `keyHash`, and its Db. */
  async function synced(
    groups: readonly string[],
    keyHash: string,
  ): Promise<{ store: Store; db: Db }> {
    const db = await openDb(await backend.url());
    const store = await createStore(db);
    open.push(store);
    await syncHistory({
      source: sourceOf(groups),
      store,
      context: CONTEXT,
      meta: { historyKeyHash: keyHash, timeZone: CONTEXT.timeZone },
    });
    return { store, db };
  }

  it('replaces every table and the sync state, archiving the old change log', async () => {
    const target = await synced(OLD, 'old-key');
    const source = await synced(NEW, 'new-key');
    const oldChanges = await target.store.changes();
    const oldState = await target.store.syncState();
    // As after a push: the ledger tracked, nothing pending.
    expect(await startLedgerTracking(target.db)).toBe(true);
    await target.db.execute("UPDATE sync_ledger SET sync_status = 'synced'");
    const oldIds = await entityKeys(target.db);
    const batches: number[] = [];
    const staged = await stageHistory(source.db, target.db, {
      rowsPerBatch: 50,
      onBatch: (p) => batches.push(p.rows),
    });
    expect(staged.rows.change_log).toBe((await source.store.changes()).length);
    // Staging leaves the live tables alone.
    expect(await target.store.changes()).toEqual(oldChanges);
    expect(batches.length).toBeGreaterThan(SWAPPED_TABLES.length);

    const result = await swapStagedHistory(target.db, staged, {
      expected: { cursor: oldState.cursor, historyKeyHash: 'old-key' },
      replacedAt: 1_770_000_000.5,
      reason: 'the key changed',
    });
    expect(result).toEqual({ generation: 1, archivedChanges: oldChanges.length });
    expect(await target.store.dump()).toBe(await source.store.dump());
    // Search reads the new history's texts, copied with the tables, through its own index.
    for (const text of ['a', 'mi', 'milk', 'Ü', 'straße']) {
      const query = { today: CONTEXT.referenceDate, total: true };
      expect(await target.store.reads.search(text, query)).toEqual(
        await source.store.reads.search(text, query),
      );
    }
    // The by-entity keys point at the new rows (decision 0015); none of the old history is left.
    expect(await changesByEntityMismatch(target.store)).toBeNull();
    expect(await changeKeysProblem(target.db)).toBeNull();
    const keys = await target.db.execute(
      'SELECT (SELECT COUNT(*) FROM change_log_entities) + (SELECT COUNT(*) FROM change_log_orphans) AS n',
    );
    expect(keys.rows[0]?.['n']).toBe(staged.rows.change_log);
    expect(await target.store.replacedHistories()).toEqual([
      {
        generation: 1,
        historyKeyHash: 'old-key',
        cursor: oldState.cursor,
        head: oldState.head,
        schema: oldState.schema,
        timeZone: 'Europe/Berlin',
        replacedAt: 1_770_000_000.5,
        reason: 'the key changed',
        changes: oldChanges.length,
      },
    ]);
    expect(await target.store.archivedChanges(1)).toEqual(oldChanges);
    expect(await target.store.archivedChanges(2)).toEqual([]);
    const left = await target.db.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stage_%'",
    );
    expect(left.rows).toEqual([]);
    // Every replaced record (old ones gone, new ones) and the sync state wait for a push.
    const pending = (await readLedger(target.db, { status: ['pending'] })).map(
      (entry) => `${entry.recordType}/${entry.recordId}`,
    );
    const expected = new Set([...oldIds, ...(await entityKeys(target.db)), 'sync_state/1']);
    expect(new Set(pending)).toEqual(expected);
    expect(await readLedger(target.db, { status: ['synced'] })).toEqual([]);
    // The guard is armed again.
    const flag = await target.db.execute('SELECT replacing_history FROM sync_state');
    expect(flag.rows[0]?.['replacing_history']).toBe(0);
  });

  it('writes no ledger rows into a database never pushed from; its first push sends the new history', async () => {
    const target = await synced(OLD, 'old-key');
    const source = await synced(NEW, 'new-key');
    const oldState = await target.store.syncState();
    const staged = await stageHistory(source.db, target.db);
    await swapStagedHistory(target.db, staged, {
      expected: { cursor: oldState.cursor, historyKeyHash: 'old-key' },
      replacedAt: 1_770_000_000,
      reason: 'the key changed',
    });
    expect(await readLedger(target.db)).toEqual([]);
    const remote = await openDb(await backend.url());
    open.push(remote);
    const summary = await pushLedger({ local: target.db, remote, now: () => 1_770_000_001 });
    expect(summary).toMatchObject({ complete: true, failed: 0 });
    const pushed = await createStore(remote);
    expect(await pushed.dump()).toBe(await source.store.dump());
    expect(await changesByEntityMismatch(pushed)).toBeNull();
    expect(await changeKeysProblem(remote)).toBeNull();
  });

  it('keeps one archive generation per swap', async () => {
    const target = await synced(OLD.slice(0, 200), 'k1');
    for (const [i, [groups, key]] of (
      [
        [NEW.slice(0, 100), 'k2'],
        [NEW.slice(0, 50), 'k3'],
      ] as const
    ).entries()) {
      const source = await synced(groups, key);
      const before = await target.store.changes();
      const state = await target.store.syncState();
      const staged = await stageHistory(source.db, target.db);
      const result = await swapStagedHistory(target.db, staged, {
        expected: { cursor: state.cursor, historyKeyHash: state.historyKeyHash },
        replacedAt: 1000 + i,
        reason: `reset ${i + 1}`,
      });
      expect(result.generation).toBe(i + 1);
      expect(await target.store.archivedChanges(i + 1)).toEqual(before);
      expect(await target.store.dump()).toBe(await source.store.dump());
    }
    expect((await target.store.replacedHistories()).map((h) => h.historyKeyHash)).toEqual([
      'k1',
      'k2',
    ]);
  });

  it('refuses the swap when the target moved after staging, changing nothing', async () => {
    const target = await synced(OLD.slice(0, 200), 'k1');
    const source = await synced(NEW.slice(0, 100), 'k2');
    const state = await target.store.syncState();
    const staged = await stageHistory(source.db, target.db);
    const before = await target.store.dump();
    const moved = await rejection(
      swapStagedHistory(target.db, staged, {
        expected: { cursor: state.cursor - 1, historyKeyHash: 'k1' },
        replacedAt: 1,
        reason: 'r',
      }),
    );
    expect(moved.code).toBe('CURSOR_MISMATCH');
    await target.db.execute(
      `DELETE FROM ${stageTableOf('tags')} WHERE rowid IN (SELECT rowid FROM ${stageTableOf('tags')} LIMIT 1)`,
    );
    const incomplete = await rejection(
      swapStagedHistory(target.db, staged, {
        expected: { cursor: state.cursor, historyKeyHash: 'k1' },
        replacedAt: 1,
        reason: 'r',
      }),
    );
    expect(incomplete.code).toBe('CURSOR_MISMATCH');
    expect(incomplete.message).toContain('stage_tags');
    expect(await target.store.dump()).toBe(before);
    expect(await target.store.replacedHistories()).toEqual([]);
    await dropStaging(target.db);
    const left = await target.db.execute(
      "SELECT COUNT(*) AS n FROM sqlite_master WHERE name LIKE 'stage_%'",
    );
    expect(left.rows[0]?.['n']).toBe(0);
  });

  it('starts staging over when an earlier attempt left rows behind', async () => {
    const target = await synced(OLD.slice(0, 100), 'k1');
    const source = await synced(NEW.slice(0, 100), 'k2');
    const first = await stageHistory(source.db, target.db);
    const second = await stageHistory(source.db, target.db, { charsPerBatch: 2000 });
    expect(second.rows).toEqual(first.rows);
    const count = await target.db.execute(
      `SELECT COUNT(*) AS n FROM ${stageTableOf('change_log')}`,
    );
    expect(count.rows[0]?.['n']).toBe(first.rows.change_log);
  });

  it('still refuses a change of history key outside a swap', async () => {
    const { db } = await synced(OLD.slice(0, 50), 'k1');
    const plain = await rejection(
      db.execute("UPDATE sync_state SET history_key_hash = 'other' WHERE id = 1"),
    );
    expect(plain.code).toBe('HISTORY_MISMATCH');
    // The flag must rise from 0 to 1 in the same update; a flag left at 1 does not disarm it.
    await db.execute('UPDATE sync_state SET replacing_history = 1 WHERE id = 1');
    const stale = await rejection(
      db.execute(
        "UPDATE sync_state SET history_key_hash = 'other', replacing_history = 1 WHERE id = 1",
      ),
    );
    expect(stale.code).toBe('HISTORY_MISMATCH');
  });
});
