/**
 * Versioned migrations. The migrator takes its list as a parameter, applies what is missing (each
 * migration in one write batch, together with its `migrations` row) and returns what it applied.
 */
import { createHash } from 'node:crypto';
import { RowReader } from './row-codec.ts';
import type { Db, Statement } from './db.ts';
import { StoreError, isStoreError } from './errors.ts';

/** One migration: its statements run in order in one transaction. */
export interface Migration {
  /** 1, 2, 3, … strictly increasing in a list. */
  readonly version: number;
  /** Short snake_case name, e.g. `initial_schema`. */
  readonly name: string;
  readonly sql: readonly string[];
  /**
   * Statements computed from the database's rows when the migration is applied (what SQL alone
   * cannot compute, such as text lower-cased by `toLowerCase()`), run after `sql` in the same
   * batch. Computed before that batch, so they read the schema as it was before `sql` (a column
   * that `sql` adds is not there yet). Not part of the checksum: they depend on the data, not on
   * the schema.
   */
  readonly data?: (db: Db) => Promise<readonly Statement[]>;
}

/** A migration recorded in the `migrations` table. */
export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

/** What {@link migrate} did. */
export interface MigrationResult {
  /** Migrations applied by this call, in order (empty when the database was up to date). */
  readonly applied: readonly AppliedMigration[];
  /** The schema version afterwards (0 for no migrations). */
  readonly version: number;
}

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL
)`;

/** SHA-256 (hex) of a migration's SQL text (the statements as a JSON array, so splits count). */
export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(JSON.stringify(migration.sql)).digest('hex');
}

/** The migrations recorded in `db`, by version (empty when the table does not exist yet). */
export async function appliedMigrations(db: Db): Promise<AppliedMigration[]> {
  const exists = await db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'migrations'",
  );
  if (exists.rows.length === 0) return [];
  const result = await db.execute(
    'SELECT version, name, checksum FROM migrations ORDER BY version',
  );
  return result.rows.map((row) => {
    const r = new RowReader(row, 'migrations');
    return { version: r.num('version'), name: r.str('name'), checksum: r.str('checksum') };
  });
}

/**
 * Brings `db` up to the last migration of `migrations`.
 *
 * - An applied migration whose checksum differs from the list's → `MIGRATION_CHECKSUM_MISMATCH`
 *   (nothing is applied).
 * - An applied version the list does not have → `SCHEMA_TOO_NEW`.
 * - Each pending migration runs in one write batch (its `sql`, then its `data`) whose first
 *   statement records it, so two processes migrating at once cannot both apply it: the loser's
 *   batch fails on the primary key, and the migrator accepts the winner's row if its checksum
 *   matches.
 * - A failing statement → `MIGRATION_FAILED` naming the migration; earlier migrations stay applied.
 *
 * Running it again is a no-op that returns `applied: []`.
 */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<MigrationResult> {
  checkList(migrations);
  let recorded = await appliedMigrations(db);
  if (recorded.length === 0) {
    // Only then: an up-to-date database is migrated without a write (read-only tokens work).
    await db.execute(CREATE_MIGRATIONS_TABLE);
    recorded = await appliedMigrations(db);
  }
  const known = new Map(migrations.map((m) => [m.version, m]));
  const done = new Map(recorded.map((m) => [m.version, m]));
  for (const applied of done.values()) verify(db, applied, known.get(applied.version));

  const applied: AppliedMigration[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    const record: AppliedMigration = {
      version: migration.version,
      name: migration.name,
      checksum: migrationChecksum(migration),
    };
    try {
      const data = migration.data === undefined ? [] : await migration.data(db);
      await db.batch(
        [
          {
            sql: 'INSERT INTO migrations (version, name, checksum) VALUES (?, ?, ?)',
            args: [record.version, record.name, record.checksum],
          },
          ...migration.sql,
          ...data,
        ],
        'write',
      );
      applied.push(record);
    } catch (error) {
      const now = (await appliedMigrations(db)).find((m) => m.version === migration.version);
      if (now !== undefined && isStoreError(error) && error.statementIndex === 0) {
        verify(db, now, migration); // applied concurrently by another process
        continue;
      }
      throw new StoreError(
        'MIGRATION_FAILED',
        `Cannot apply migration ${migration.version} (${migration.name}) to ${db.url}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  const last = migrations.at(-1);
  return { applied, version: last === undefined ? 0 : last.version };
}

function verify(db: Db, applied: AppliedMigration, migration: Migration | undefined): void {
  if (migration === undefined) {
    throw new StoreError(
      'SCHEMA_TOO_NEW',
      `Cannot use database ${db.url}: it has migration ${applied.version} (${applied.name}), which this version of thingstape does not know; upgrade thingstape or use another database`,
    );
  }
  const checksum = migrationChecksum(migration);
  if (checksum !== applied.checksum) {
    throw new StoreError(
      'MIGRATION_CHECKSUM_MISMATCH',
      `Cannot use database ${db.url}: migration ${applied.version} (${applied.name}) was applied with checksum ${applied.checksum.slice(0, 12)}…, but its SQL now has checksum ${checksum.slice(0, 12)}…; applied migrations must never change`,
    );
  }
}

function checkList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isSafeInteger(migration.version) || migration.version <= previous) {
      throw new RangeError(
        `Migration versions must be positive integers in increasing order; got ${migration.version} after ${previous}`,
      );
    }
    previous = migration.version;
  }
}
