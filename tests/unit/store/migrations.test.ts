import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.ts';
import type { Db } from '../../../src/store/db.ts';
import { isStoreError } from '../../../src/store/errors.ts';
import type { StoreError } from '../../../src/store/errors.ts';
import { appliedMigrations, migrate, migrationChecksum } from '../../../src/store/migrations.ts';
import type { Migration } from '../../../src/store/migrations.ts';
import { MIGRATIONS } from '../../../src/store/schema.ts';
import { openStore } from '../../../src/store/store.ts';
import { localBackends } from '../../support/db.ts';

const ONE: Migration = { version: 1, name: 'one', sql: ['CREATE TABLE a (x INTEGER)'] };
const TWO: Migration = {
  version: 2,
  name: 'two',
  sql: ['CREATE TABLE b (y TEXT)', "INSERT INTO b VALUES ('hello')"],
};

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (isStoreError(error)) return error;
    throw error;
  }
  throw new Error('expected a StoreError, got success');
}

async function indexes(db: Db): Promise<string[]> {
  const result = await db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
  );
  return result.rows.map((r) => (typeof r['name'] === 'string' ? r['name'] : '?'));
}

async function tables(db: Db): Promise<string[]> {
  const result = await db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
  );
  return result.rows.map((r) => (typeof r['name'] === 'string' ? r['name'] : '?'));
}

describe.each(localBackends())('migrate() on $name', (backend) => {
  const open: Db[] = [];
  async function fresh(): Promise<Db> {
    const db = await openDb(await backend.url());
    open.push(db);
    return db;
  }
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });
  afterAll(() => backend.cleanup());

  it('applies every migration to a fresh database and records version, name and checksum', async () => {
    const db = await fresh();
    const result = await migrate(db, [ONE, TWO]);
    expect(result).toEqual({
      applied: [
        { version: 1, name: 'one', checksum: migrationChecksum(ONE) },
        { version: 2, name: 'two', checksum: migrationChecksum(TWO) },
      ],
      version: 2,
    });
    expect(await tables(db)).toEqual(['a', 'b', 'migrations']);
    expect(await appliedMigrations(db)).toEqual(result.applied);
    const columns = await db.execute('PRAGMA table_info(migrations)');
    expect(columns.rows.map((r) => r['name'])).toEqual(['version', 'name', 'checksum']);
  });

  it('is a no-op when run again', async () => {
    const db = await fresh();
    await migrate(db, [ONE, TWO]);
    expect(await migrate(db, [ONE, TWO])).toEqual({ applied: [], version: 2 });
    expect((await db.execute('SELECT COUNT(*) AS n FROM b')).rows[0]).toEqual({ n: 1 });
  });

  it('applies only the migrations that are new', async () => {
    const db = await fresh();
    await migrate(db, [ONE]);
    const result = await migrate(db, [ONE, TWO]);
    expect(result.applied.map((m) => m.version)).toEqual([2]);
  });

  it('rejects a changed applied migration with MIGRATION_CHECKSUM_MISMATCH and applies nothing', async () => {
    const db = await fresh();
    await migrate(db, [ONE]);
    const changed: Migration = { ...ONE, sql: ['CREATE TABLE a (x INTEGER, z TEXT)'] };
    const error = await rejection(migrate(db, [changed, TWO]));
    expect(error.code).toBe('MIGRATION_CHECKSUM_MISMATCH');
    expect(error.message).toContain('migration 1 (one)');
    expect(await tables(db)).toEqual(['a', 'migrations']);
  });

  it('counts how the SQL is split into statements in the checksum', () => {
    const joined: Migration = { ...TWO, sql: [TWO.sql.join('; ')] };
    expect(migrationChecksum(joined)).not.toBe(migrationChecksum(TWO));
    expect(migrationChecksum({ ...TWO, name: 'renamed' })).toBe(migrationChecksum(TWO));
  });

  it('rejects a database with a migration it does not know with SCHEMA_TOO_NEW', async () => {
    const db = await fresh();
    await migrate(db, [ONE, TWO]);
    expect((await rejection(migrate(db, [ONE]))).code).toBe('SCHEMA_TOO_NEW');
  });

  it('rolls a failing migration back whole, keeps the earlier ones and says which failed', async () => {
    const db = await fresh();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      sql: ['CREATE TABLE c (x)', 'INSERT INTO nowhere VALUES (1)'],
    };
    const error = await rejection(migrate(db, [ONE, broken]));
    expect(error.code).toBe('MIGRATION_FAILED');
    expect(error.message).toContain('migration 2 (broken)');
    expect(await tables(db)).toEqual(['a', 'migrations']);
    expect((await appliedMigrations(db)).map((m) => m.version)).toEqual([1]);
  });

  it('throws RangeError for versions out of order', async () => {
    const db = await fresh();
    await expect(migrate(db, [TWO, ONE])).rejects.toThrow(RangeError);
  });

  it('opens the store twice on one database without applying anything twice', async () => {
    const url = await backend.url();
    if (url === ':memory:') return; // each :memory: open is a new database
    const first = await openStore(url);
    first.close();
    const again = await openStore(url);
    expect((await again.status()).schemaVersion).toBe(MIGRATIONS.at(-1)?.version);
    again.close();
    const db = await openDb(url);
    open.push(db);
    expect(await migrate(db, MIGRATIONS)).toEqual({
      applied: [],
      version: MIGRATIONS.at(-1)?.version,
    });
    expect((await appliedMigrations(db)).map((m) => m.version)).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
  });

  it('upgrades a version 3 database to keep only the indexes reads use (migration 4)', async () => {
    const db = await fresh();
    await migrate(db, MIGRATIONS.slice(0, 3));
    const indexesBefore = await indexes(db);
    expect(indexesBefore).toContain('tasks_status');
    const result = await migrate(db, MIGRATIONS.slice(0, 4));
    expect(result.applied.map((m) => m.name)).toEqual(['write_path_indexes']);
    const after = await indexes(db);
    expect(
      [
        'tasks_status',
        'tasks_start',
        'tasks_start_date',
        'tasks_deadline',
        'tasks_deleted',
        'tasks_trashed',
        'tasks_type',
        'tasks_project_id',
        'tasks_area_id',
        'tasks_heading_id',
        'change_log_server_index',
        'checklist_items_task_id',
        'tag_links_tag_id',
      ].filter((name) => after.includes(name)),
    ).toEqual([]);
    expect(
      [
        'tasks_live',
        'change_log_at',
        'change_log_entity',
        'sync_ledger_status',
        'sync_ledger_local_updated_at',
      ].filter((name) => !after.includes(name)),
    ).toEqual([]);
    // The store's live-task read (entities(), views) streams from the index: no sort.
    const plan = await db.execute(
      'EXPLAIN QUERY PLAN SELECT id FROM tasks WHERE deleted_index IS NULL AND (id) > (?) ORDER BY id LIMIT ?',
    );
    const details = plan.rows.map((r) => (typeof r['detail'] === 'string' ? r['detail'] : '?'));
    expect(details.join('; ')).toContain('USING COVERING INDEX tasks_live');
    expect(details.join('; ')).not.toContain('TEMP B-TREE');
  });
});

describe('MIGRATIONS', () => {
  it('never changes a committed migration (the migrator refuses a database whose checksums differ)', () => {
    // A new schema change is a new migration; these are the checksums databases already carry.
    expect(MIGRATIONS.map((m) => [m.version, m.name, migrationChecksum(m)])).toEqual([
      [1, 'initial_schema', '617818ffcb761f6c55d34e22b38af64c6ef8a3af20ebaf087fee45f65f9e432b'],
      [2, 'sync_ledger', '22fa35079a34aa960a9cf533aada27c57edf825bb29b0e79d0def9cbd5ab59d0'],
      [3, 'history_archive', '5fe2ceaded7f8bbb6b3caaca4cef46af0214d95386c08ec625f9fcf7ecc4e927'],
      [4, 'write_path_indexes', '40c3cfe5fb0a8f655644369d4625e62a7b907cdd41b6bf2a99fe86518b1adc4f'],
      [
        5,
        'ledger_from_first_push',
        'e3d41516ca68dc8fa8c23e87603d2b860353aab7aadc69e6083f23881e7faf9f',
      ],
      [
        6,
        'change_log_by_entity_row',
        '73409ea1022e6caee1f0aa88f7ad0eb4cf6c4eebf2fc6b06d1689a6c45df7c64',
      ],
      [
        7,
        'change_log_keys_per_batch',
        '92580a4b13b21a3adfbaa5d8132b71eff836aaecdd02d45e628a9ef964d3f35e',
      ],
      [8, 'read_indexes', '79d716b4492683273720fc0c08aff8d1356e32f48c8f98e50870d2df52024e6f'],
      [9, 'list_reads', '09aeba7f07603de1469dd03d81508bdb41cfee4867f842a4f6074f0f7b670e69'],
      [10, 'search_texts', '381673a9597b1244fbd58c54433ac8108c450e69a4c7779587ff2caf41f85c1b'],
    ]);
  });
});
