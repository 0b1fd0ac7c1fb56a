/**
 * The what-if variants of a replay: the same replay on a database changed first (its sync ledger
 * tracked, or indexes dropped), to measure where the write cost goes. Never the headline figures.
 */
import { startLedgerTracking } from '../../src/store/index.ts';
import type { Db } from '../../src/store/index.ts';
import type { Migration } from '../../src/store/migrations.ts';
import { MIGRATIONS } from '../../src/store/schema.ts';
import { text } from './recording-db.ts';

/**
 * `ledger-tracked`: the database tracks its sync ledger, as one that has been pushed from
 * (decision 0013); `no-secondary-indexes`: every index but keys dropped; `no-read-indexes`: the
 * indexes of the reads' migration dropped (see {@link readIndexNames}), and the tables the store
 * keeps at commit time for its reads never made (see {@link migrationsOf}).
 */
export type ReplayVariant =
  'default' | 'ledger-tracked' | 'no-secondary-indexes' | 'no-read-indexes';

/** The name of the migration that adds the indexes the store's reads use (decision 0026). */
export const READ_INDEXES_MIGRATION = 'read_indexes';

/**
 * The migrations of tables the store keeps at commit time for its reads only (search's lower-cased
 * texts and their index): a replay without the reads is a store without them.
 */
export const READ_TABLE_MIGRATIONS: readonly string[] = ['search_texts'];

/** The store's migrations in `variant`: without {@link READ_TABLE_MIGRATIONS} for `no-read-indexes`. */
export function migrationsOf(
  variant: ReplayVariant,
  migrations: readonly Migration[] = MIGRATIONS,
): readonly Migration[] {
  if (variant !== 'no-read-indexes') return migrations;
  const kept = migrations.filter((m) => !READ_TABLE_MIGRATIONS.includes(m.name));
  if (kept.length !== migrations.length - READ_TABLE_MIGRATIONS.length) {
    throw new Error(`the store lacks a migration of ${READ_TABLE_MIGRATIONS.join(', ')}`);
  }
  return kept;
}

/**
 * The indexes the reads' migration creates: what a replay without them drops. Fails when that
 * migration is missing or does more than create indexes (then dropping its indexes would not be
 * the store without it).
 */
export function readIndexNames(migrations: readonly Migration[] = MIGRATIONS): string[] {
  const migration = migrations.find((m) => m.name === READ_INDEXES_MIGRATION);
  if (migration === undefined) {
    throw new Error(`the store has no migration ${JSON.stringify(READ_INDEXES_MIGRATION)}`);
  }
  return migration.sql.map((sql) => {
    const name = /^CREATE INDEX (\w+) ON /.exec(sql)?.[1];
    if (name === undefined) {
      throw new Error(
        `migration ${migration.version} (${migration.name}) does more than create indexes: ${sql.slice(0, 60)}`,
      );
    }
    return name;
  });
}

/** How each variant changes a freshly migrated database before the replay. */
const VARIANTS: Record<ReplayVariant, (db: Db) => Promise<void>> = {
  default: () => Promise.resolve(),
  'ledger-tracked': async (db) => {
    const started = await startLedgerTracking(db);
    if (!started) throw new Error('variant ledger-tracked: tracked already');
  },
  'no-secondary-indexes': async (db) => {
    const result = await db.execute(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name != 'sync_ledger'",
    );
    const names = result.rows.map((r) => text(r['name']));
    if (names.length === 0) throw new Error('variant no-secondary-indexes: nothing to drop');
    await db.batch(
      names.map((n) => `DROP INDEX "${n}"`),
      'write',
    );
  },
  'no-read-indexes': async (db) => {
    await db.batch(
      readIndexNames().map((n) => `DROP INDEX "${n}"`),
      'write',
    );
  },
};

/** Changes a freshly migrated database into `variant` before the replay. */
export function applyVariant(db: Db, variant: ReplayVariant): Promise<void> {
  return VARIANTS[variant](db);
}
