/**
 * The change log read by entity through the entity's row (decision 0015, migration 6), keyed by
 * each write batch (decision 0016, migration 7): every change of an entity is found whatever its
 * family, when it has no row, when its row was deleted and stored again, when another program
 * wrote it with SQL, after an upgrade from migration 5 or 6, and without scanning the change log.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Change, Entity } from '../../../src/engine/types.ts';
import { openDb } from '../../../src/store/db.ts';
import type { Db } from '../../../src/store/db.ts';
import { migrate } from '../../../src/store/migrations.ts';
import {
  CHANGE_LOG_ENTITY_ARGS,
  CHANGE_LOG_SEQS_OF_ENTITY,
  MIGRATIONS,
} from '../../../src/store/schema.ts';
import { createStore } from '../../../src/store/store.ts';
import type { Store } from '../../../src/store/types.ts';
import { changeKeysProblem, changesByEntityMismatch } from '../../support/changes.ts';
import { localBackends } from '../../support/db.ts';
import { byId, everyFamily, fold, page } from './samples.ts';

/** One change per entity (with the entity type its family logs) plus two of an unknown entity. */
function changesOf(entities: readonly Entity[], serverIndex: number): Change[] {
  const out: Change[] = entities.map((entity, position) => ({
    type: 'UnknownChange',
    entityType:
      entity.family === 'task'
        ? (['Task', 'Project', 'Heading'] as const)[position % 3]!
        : entity.family === 'checklistItem'
          ? 'ChecklistItem'
          : entity.family === 'area'
            ? 'Area'
            : entity.family === 'tag'
              ? 'Tag'
              : 'Tombstone',
    entityId: entity.id,
    serverIndex,
    position,
    ordinal: 0,
    at: null,
    payload: { kind: 'x', action: 'modify' },
  }));
  for (const ordinal of [0, 1]) {
    out.push({
      type: 'UnknownChange',
      entityType: 'Reminder2',
      entityId: 'ghost-1',
      serverIndex,
      position: entities.length,
      ordinal,
      at: null,
      payload: { kind: 'Reminder2', action: 'modify' },
    });
  }
  return out;
}

async function count(db: Db, table: string): Promise<number> {
  const result = await db.execute(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(result.rows[0]?.['n']);
}

describe.each(localBackends())('changes by entity on $name', (backend) => {
  const open: { close(): void }[] = [];
  afterEach(() => {
    for (const item of open.splice(0)) item.close();
  });
  afterAll(() => backend.cleanup());

  async function fresh(migrations = MIGRATIONS): Promise<{ db: Db; store: Store }> {
    const db = await openDb(await backend.url());
    const store = await createStore(db, migrations);
    open.push(store);
    return { db, store };
  }

  /** Two pages of every family: the entities with a change each, then a change each again. */
  async function commitTwo(store: Store): Promise<Change[]> {
    const entities = everyFamily();
    const first = changesOf(entities, 0);
    const second = changesOf(entities, 1);
    await store.commitPage(page(0, 1, fold({ entities: byId(entities), changes: first })));
    await store.commitPage(page(1, 2, fold({ changes: second })));
    return [...first, ...second];
  }

  it('finds the changes of an entity of every family, and of one without a row', async () => {
    const { db, store } = await fresh();
    const all = await commitTwo(store);
    expect(await changesByEntityMismatch(store, ['nobody'])).toBeNull();
    expect(await store.changes({ entityId: 'ghost-1' })).toHaveLength(4);
    expect(await store.changes({ entityId: 'task-heading', sinceIndex: 1 })).toStrictEqual(
      all.filter((c) => c.entityId === 'task-heading' && c.serverIndex >= 1),
    );
    expect(await store.changes({ entityId: 'nobody' })).toStrictEqual([]);
    // Changes of stored entities are found through their rows, the others by id.
    expect(await count(db, 'change_log_entities')).toBe(all.length - 4);
    expect(await count(db, 'change_log_orphans')).toBe(4);
    expect(await changeKeysProblem(db)).toBeNull();
  });

  it('finds a change another program wrote with SQL at once, and keys it with the next commit', async () => {
    const { db, store } = await fresh();
    await commitTwo(store);
    await db.execute({
      sql: `INSERT INTO change_log (server_index, position, ordinal, type, entity_type, entity_id, at, payload)
        VALUES (1, 99, 0, 'UnknownChange', 'Task', 'task-1', NULL, '{"action":"modify","kind":"x"}')`,
    });
    expect(await changeKeysProblem(db)).toMatch(/1 changes have no key/);
    expect(await store.changes({ entityId: 'task-1' })).toHaveLength(3);
    expect(await changesByEntityMismatch(store)).toBeNull();
    // The next commit keys it (and its own changes).
    await store.commitPage(
      page(
        2,
        3,
        fold({ changes: changesOf(everyFamily(), 2).filter((c) => c.entityId === 'tag-1') }),
      ),
    );
    expect(await changeKeysProblem(db)).toBeNull();
    expect(await store.changes({ entityId: 'task-1' })).toHaveLength(3);
    expect(await changesByEntityMismatch(store)).toBeNull();
  });

  it('keeps finding the changes of an entity whose row was deleted and stored again', async () => {
    const { db, store } = await fresh();
    await commitTwo(store);
    // As a push deletes a record the local database no longer holds.
    await db.execute({ sql: 'DELETE FROM tasks WHERE id = ?', args: ['task-1'] });
    await db.execute({ sql: 'DELETE FROM areas WHERE id = ?', args: ['area-2'] });
    expect(await count(db, 'change_log_orphans')).toBe(4 + 4);
    expect(await changesByEntityMismatch(store)).toBeNull();
    // Stored again under a new rowid, with a new change: old and new changes are found.
    const again = everyFamily().filter((e) => e.id === 'task-1');
    await store.commitPage(
      page(2, 3, fold({ entities: byId(again), changes: changesOf(again, 2).slice(0, 1) })),
    );
    expect(await store.changes({ entityId: 'task-1' })).toHaveLength(3);
    expect(await changesByEntityMismatch(store)).toBeNull();
    expect(await changeKeysProblem(db)).toBeNull();
  });

  it('commits a change whose seq was freed by a change-log row deleted with plain SQL', async () => {
    const { db, store } = await fresh();
    await commitTwo(store);
    const one = (serverIndex: number, entityId: string): Change[] =>
      changesOf(everyFamily(), serverIndex).filter((c) => c.entityId === entityId);
    await store.commitPage(
      page(2, 3, fold({ changes: [...one(2, 'task-1'), ...one(2, 'ghost-1')] })),
    );
    // The last two rows go (their keys stay behind); the next changes get their seqs again.
    await db.execute('DELETE FROM change_log WHERE seq > (SELECT MAX(seq) - 3 FROM change_log)');
    await store.commitPage(
      page(3, 4, fold({ changes: [...one(3, 'task-1'), ...one(3, 'ghost-1')] })),
    );
    expect(await store.changes({ entityId: 'task-1' })).toHaveLength(3);
    expect(await changesByEntityMismatch(store)).toBeNull();
    expect(await changeKeysProblem(db)).toBeNull();
  });

  it('keys the changes of other entities that get the seqs of deleted change-log rows', async () => {
    const { db, store } = await fresh();
    await commitTwo(store);
    // The last rows go with their keys left behind; the next commit's changes, of other entities,
    // get the same seqs.
    await db.execute('DELETE FROM change_log WHERE seq > (SELECT MAX(seq) - 4 FROM change_log)');
    const others = changesOf(everyFamily(), 2).filter((c) =>
      ['tag-1', 'area-1', 'check-1'].includes(c.entityId),
    );
    expect(others).toHaveLength(3);
    await store.commitPage(page(2, 3, fold({ changes: others })));
    expect(await changeKeysProblem(db)).toBeNull();
    expect(await changesByEntityMismatch(store)).toBeNull();
    for (const change of others) {
      expect(await store.changes({ entityId: change.entityId })).toContainEqual(change);
    }
  });

  it("finds another program's change in a seq freed by its own delete, and keys it with the next commit", async () => {
    const { db, store } = await fresh();
    await commitTwo(store);
    const last = await db.execute(
      'SELECT seq, entity_id FROM change_log ORDER BY seq DESC LIMIT 1',
    );
    const freed = Number(last.rows[0]?.['seq']);
    expect(last.rows[0]?.['entity_id']).not.toBe('tag-1');
    await db.execute({ sql: 'DELETE FROM change_log WHERE seq = ?', args: [freed] });
    await db.execute(`INSERT INTO change_log (server_index, position, ordinal, type, entity_type, entity_id, at, payload)
      VALUES (1, 99, 0, 'UnknownChange', 'Tag', 'tag-1', NULL, '{"action":"modify","kind":"x"}')`);
    const seq = await db.execute(
      "SELECT seq FROM change_log WHERE entity_id = 'tag-1' AND position = 99",
    );
    expect(seq.rows[0]?.['seq']).toBe(freed);
    expect(await store.changes({ entityId: 'tag-1' })).toHaveLength(3);
    expect(await changesByEntityMismatch(store)).toBeNull();
    await store.commitPage(page(2, 3, fold({ changes: [] })));
    expect(await changeKeysProblem(db)).toBeNull();
    expect(await store.changes({ entityId: 'tag-1' })).toHaveLength(3);
    expect(await changesByEntityMismatch(store)).toBeNull();
  });

  it('finds a change another program moved to another entity under that entity, and keys it anew', async () => {
    const { db, store } = await fresh();
    await commitTwo(store);
    const moved = await db.execute(
      "UPDATE change_log SET entity_type = 'Area', entity_id = 'area-1' WHERE entity_id = 'task-1' AND server_index = 0",
    );
    expect(moved.rowsAffected).toBe(1);
    expect(await store.changes({ entityId: 'task-1' })).toHaveLength(1);
    expect(await store.changes({ entityId: 'area-1' })).toHaveLength(3);
    expect(await changesByEntityMismatch(store)).toBeNull();
    await store.commitPage(page(2, 3, fold({ changes: [] })));
    expect(await changeKeysProblem(db)).toBeNull();
    expect(await store.changes({ entityId: 'area-1' })).toHaveLength(3);
    expect(await changesByEntityMismatch(store)).toBeNull();
  });

  it('keeps the keys right through VACUUM, which keeps the rowids of tables with an index', async () => {
    // SQLite documents that VACUUM may renumber the rowids of tables without an INTEGER PRIMARY
    // KEY; its implementation keeps them when the table has an index, as every entity table has
    // (its id key). Decision 0015 relies on that; this pins it.
    const { db, store } = await fresh();
    await commitTwo(store);
    // Gaps in the rowids, which a renumbering would close.
    await db.execute("DELETE FROM tasks WHERE id IN ('task-1', 'task-plain')");
    await db.execute("DELETE FROM checklist_items WHERE id = 'check-1'");
    const rowids = async (): Promise<readonly unknown[]> =>
      (
        await db.execute(
          'SELECT id, rowid AS r FROM tasks UNION ALL SELECT id, rowid FROM checklist_items ORDER BY 1',
        )
      ).rows;
    const before = await rowids();
    await db.execute('VACUUM');
    expect(await rowids()).toEqual(before);
    expect(await changesByEntityMismatch(store)).toBeNull();
  });

  it('upgrades a version 5 database: every existing change is found by entity (migration 6)', async () => {
    const { db, store } = await fresh(MIGRATIONS.slice(0, 5));
    const all = await commitTwo(store);
    const result = await migrate(db, MIGRATIONS);
    // Migrations 6 and 7, then any later one.
    expect(result.applied.map((m) => m.name)).toEqual(MIGRATIONS.slice(5).map((m) => m.name));
    expect(result.applied.slice(0, 2).map((m) => m.name)).toEqual([
      'change_log_by_entity_row',
      'change_log_keys_per_batch',
    ]);
    expect(await count(db, 'change_log_entities')).toBe(all.length - 4);
    expect(await count(db, 'change_log_orphans')).toBe(4);
    const index = await db.execute(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'change_log_entity'",
    );
    expect(index.rows).toEqual([]);
    const upgraded = await createStore(db);
    expect(await changesByEntityMismatch(upgraded, ['nobody'])).toBeNull();
    expect(await changeKeysProblem(db)).toBeNull();
    // And the commits key the next changes.
    await upgraded.commitPage(page(2, 3, fold({ changes: changesOf(everyFamily(), 2) })));
    expect(await changesByEntityMismatch(upgraded)).toBeNull();
    expect(await changeKeysProblem(db)).toBeNull();
    expect(await count(db, 'change_log_entities')).toBe(((all.length - 4) / 2) * 3);
  });

  it('upgrades a version 6 database: the keys its trigger wrote stand, commits write the next (migration 7)', async () => {
    const { db, store } = await fresh(MIGRATIONS.slice(0, 6));
    const all = await commitTwo(store);
    const triggers =
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'change_log_by_entity'";
    expect((await db.execute(triggers)).rows).toHaveLength(1);
    const result = await migrate(db, MIGRATIONS);
    expect(result.applied.map((m) => m.name)).toEqual(MIGRATIONS.slice(6).map((m) => m.name));
    expect(result.applied[0]?.name).toBe('change_log_keys_per_batch');
    expect((await db.execute(triggers)).rows).toEqual([]);
    expect(await changeKeysProblem(db)).toBeNull();
    const upgraded = await createStore(db);
    expect(await changesByEntityMismatch(upgraded, ['nobody'])).toBeNull();
    await upgraded.commitPage(page(2, 3, fold({ changes: changesOf(everyFamily(), 2) })));
    expect(await changeKeysProblem(db)).toBeNull();
    expect(await changesByEntityMismatch(upgraded)).toBeNull();
    expect(await count(db, 'change_log_entities')).toBe(((all.length - 4) / 2) * 3);
    expect(await count(db, 'change_log_orphans')).toBe(6);
  });

  it('reads one entity through its keys and rowids, never scanning the change log', async () => {
    const { db } = await fresh();
    const plan = await db.execute({
      sql: `EXPLAIN QUERY PLAN SELECT * FROM change_log WHERE seq IN (${CHANGE_LOG_SEQS_OF_ENTITY}) AND entity_id = ? ORDER BY server_index, position, ordinal LIMIT ?`,
      args: [...Array<string>(CHANGE_LOG_ENTITY_ARGS + 1).fill('task-1'), 10],
    });
    const details = plan.rows.map((r) => (typeof r['detail'] === 'string' ? r['detail'] : '?'));
    const text = details.join('; ');
    expect(text).toContain('SEARCH change_log USING INTEGER PRIMARY KEY (rowid=?)');
    expect(text).toContain(
      'SEARCH change_log_entities USING PRIMARY KEY (family=? AND entity_rowid=?)',
    );
    expect(text).toContain('SEARCH change_log_orphans USING PRIMARY KEY (entity_id=?)');
    // The changes not keyed yet: a range of the rowid above change_log_keyed_seq.
    expect(text).toContain('SEARCH change_log USING INTEGER PRIMARY KEY (rowid>?)');
    expect(details.filter((d) => d.startsWith('SCAN'))).toEqual([]);
  });
});
