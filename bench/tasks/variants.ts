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
 * (decision 0013); `no-secondary-indexes`: every index but keys dropped (and the reads'
 * triggers, which read through them); `no-read-indexes`: the reads' migrations undone, their
 * indexes, triggers and column (see {@link readSchemaDrops}), and the tables the store keeps at
 * commit time for its reads never made (see {@link migrationsOf}).
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
 * The migrations of the store's reads, in order: the indexes (decision 0026), then the column of
 * open rows hidden by a container, its triggers and the lists' indexes over it (decision 0043).
 */
export const READ_MIGRATIONS = [READ_INDEXES_MIGRATION, 'list_reads'] as const;

/**
 * The statements that undo {@link READ_MIGRATIONS} on a migrated database: what a replay without
 * the reads drops (their triggers, their indexes, then their columns). Fails when one is missing
 * or does more than create indexes, triggers and columns, fill a column or drop an index it then
 * creates again (then undoing it this way would not be the store without it).
 */
export function readSchemaDrops(migrations: readonly Migration[] = MIGRATIONS): string[] {
  const triggers: string[] = [];
  const indexes = new Set<string>();
  const columns: string[] = [];
  const dropped = new Set<string>();
  for (const name of READ_MIGRATIONS) {
    const migration = migrations.find((m) => m.name === name);
    if (migration === undefined) {
      throw new Error(`the store has no migration ${JSON.stringify(name)}`);
    }
    for (const sql of migration.sql) {
      const index = /^CREATE INDEX (\w+) ON /.exec(sql)?.[1];
      const trigger = /^CREATE TRIGGER (\w+) /.exec(sql)?.[1];
      const column = /^ALTER TABLE (\w+) ADD COLUMN (\w+) /.exec(sql);
      if (index !== undefined) indexes.add(index);
      else if (trigger !== undefined) triggers.push(`DROP TRIGGER "${trigger}"`);
      else if (column !== null)
        columns.push(`ALTER TABLE "${column[1]}" DROP COLUMN "${column[2]}"`);
      else if (/^DROP INDEX \w+$/.test(sql)) dropped.add(sql.slice('DROP INDEX '.length));
      else if (!/^UPDATE \w+ SET /.test(sql)) {
        throw new Error(
          `migration ${migration.version} (${migration.name}) does more than create indexes, triggers and columns: ${sql.slice(0, 60)}`,
        );
      }
    }
  }
  const notCreatedAgain = [...dropped].filter((n) => !indexes.has(n));
  if (notCreatedAgain.length > 0) {
    throw new Error(
      `the reads' migrations drop ${notCreatedAgain.join(', ')} without creating it again: undoing them would not restore it`,
    );
  }
  return [...triggers, ...[...indexes].map((n) => `DROP INDEX "${n}"`), ...columns];
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
    // The reads' triggers first: they find rows through indexes dropped here.
    const triggers = readSchemaDrops().filter((sql) => sql.startsWith('DROP TRIGGER '));
    await db.batch([...triggers, ...names.map((n) => `DROP INDEX "${n}"`)], 'write');
  },
  'no-read-indexes': async (db) => {
    await db.batch(readSchemaDrops(), 'write');
  },
};

/** Changes a freshly migrated database into `variant` before the replay. */
export function applyVariant(db: Db, variant: ReplayVariant): Promise<void> {
  return VARIANTS[variant](db);
}
