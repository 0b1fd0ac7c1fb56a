/**
 * The store's schema as migrations. Lossless on purpose (spec 11.2 lists what the reference
 * schema dropped): every entity field has a column, instants are REAL (fractions kept), civil dates
 * are TEXT `YYYY-MM-DD`, id lists are JSON arrays (plus their first element for queries), the
 * wire kind and legacy id are kept, and rows are never removed (soft deletes).
 *
 * Never edit a migration once committed: add a new one (the migrator checks checksums).
 */
import type { Migration } from './migrations.ts';
import { LIST_READS, READ_INDEXES, SEARCH_TEXTS } from './schema-reads.ts';
import { fillSearchTexts } from './search-texts.ts';

/** Columns every entity table has, in this order. */
const COMMON_COLUMNS = `
  id TEXT PRIMARY KEY NOT NULL,
  legacy_id TEXT,
  kind TEXT NOT NULL,
  created_index INTEGER NOT NULL,
  updated_index INTEGER NOT NULL,
  deleted_index INTEGER,
  deleted_at REAL,
  deleted_by TEXT CHECK (deleted_by IN ('delete', 'tombstone')),
  deleted_tombstone_id TEXT,
  extra TEXT NOT NULL DEFAULT '{}'`;

const INITIAL_SCHEMA: readonly string[] = [
  `CREATE TABLE tasks (${COMMON_COLUMNS},
  type INTEGER NOT NULL,
  title TEXT NOT NULL,
  note TEXT NOT NULL,
  status INTEGER NOT NULL,
  stop_date REAL,
  start INTEGER NOT NULL,
  start_date TEXT,
  today_index_date TEXT,
  deadline TEXT,
  deadline_suppression_date TEXT,
  due_date_offset INTEGER NOT NULL,
  created_at REAL,
  modified_at REAL,
  sort_index INTEGER NOT NULL,
  today_index INTEGER NOT NULL,
  start_bucket INTEGER NOT NULL,
  trashed INTEGER NOT NULL,
  area_ids TEXT NOT NULL,
  project_ids TEXT NOT NULL,
  heading_ids TEXT NOT NULL,
  tag_ids TEXT NOT NULL,
  delegate_ids TEXT NOT NULL,
  template_ids TEXT NOT NULL,
  area_id TEXT,
  project_id TEXT,
  heading_id TEXT,
  recurrence TEXT,
  instance_creation_start_date TEXT,
  instance_creation_paused INTEGER NOT NULL,
  instance_creation_count INTEGER NOT NULL,
  after_completion_reference_date TEXT,
  alarm_time_offset INTEGER,
  last_alarm_interaction REAL,
  leaves_tombstone INTEGER NOT NULL,
  reminder_date TEXT,
  rp TEXT,
  xx TEXT
)`,
  'CREATE INDEX tasks_status ON tasks (status)',
  'CREATE INDEX tasks_start ON tasks (start)',
  'CREATE INDEX tasks_start_date ON tasks (start_date)',
  'CREATE INDEX tasks_deadline ON tasks (deadline)',
  'CREATE INDEX tasks_deleted ON tasks (deleted_index)',
  'CREATE INDEX tasks_trashed ON tasks (trashed)',
  'CREATE INDEX tasks_type ON tasks (type)',
  'CREATE INDEX tasks_project_id ON tasks (project_id)',
  'CREATE INDEX tasks_area_id ON tasks (area_id)',
  'CREATE INDEX tasks_heading_id ON tasks (heading_id)',
  `CREATE TABLE checklist_items (${COMMON_COLUMNS},
  title TEXT NOT NULL,
  status INTEGER NOT NULL,
  stop_date REAL,
  sort_index INTEGER NOT NULL,
  task_ids TEXT NOT NULL,
  task_id TEXT,
  created_at REAL,
  modified_at REAL,
  leaves_tombstone INTEGER NOT NULL,
  xx TEXT
)`,
  'CREATE INDEX checklist_items_task_id ON checklist_items (task_id)',
  `CREATE TABLE areas (${COMMON_COLUMNS},
  title TEXT NOT NULL,
  sort_index INTEGER NOT NULL,
  tag_ids TEXT NOT NULL,
  xx TEXT
)`,
  `CREATE TABLE tags (${COMMON_COLUMNS},
  title TEXT NOT NULL,
  sort_index INTEGER NOT NULL,
  shortcut TEXT,
  parent_ids TEXT NOT NULL,
  parent_id TEXT,
  xx TEXT
)`,
  'CREATE INDEX tags_parent_id ON tags (parent_id)',
  `CREATE TABLE tombstones (${COMMON_COLUMNS},
  target_id TEXT,
  target_deleted_at REAL
)`,
  'CREATE INDEX tombstones_target_id ON tombstones (target_id)',
  // Mirrors tasks.tag_ids / areas.tag_ids (also of deleted owners); rewritten per touched owner.
  `CREATE TABLE tag_links (
  owner_type TEXT NOT NULL CHECK (owner_type IN ('task', 'area')),
  owner_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  tag_id TEXT NOT NULL,
  PRIMARY KEY (owner_type, owner_id, position)
)`,
  'CREATE INDEX tag_links_tag_id ON tag_links (tag_id)',
  // seq is insertion order only; the identity of a change is (server_index, position, ordinal).
  `CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY,
  server_index INTEGER NOT NULL,
  position INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  type TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  at REAL,
  payload TEXT NOT NULL,
  UNIQUE (server_index, position, ordinal)
)`,
  'CREATE INDEX change_log_server_index ON change_log (server_index)',
  'CREATE INDEX change_log_at ON change_log (at)',
  'CREATE INDEX change_log_entity ON change_log (entity_id, server_index)',
  `CREATE TABLE anomalies (
  seq INTEGER PRIMARY KEY,
  server_index INTEGER NOT NULL,
  position INTEGER NOT NULL,
  code TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL
)`,
  'CREATE INDEX anomalies_order ON anomalies (server_index, position, seq)',
  'CREATE INDEX anomalies_entity ON anomalies (entity_id)',
  `CREATE TABLE raw_items (
  seq INTEGER PRIMARY KEY,
  server_index INTEGER NOT NULL,
  position INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  event TEXT NOT NULL
)`,
  'CREATE INDEX raw_items_order ON raw_items (server_index, position, seq)',
  'CREATE INDEX raw_items_kind ON raw_items (kind)',
  // Singleton. `cursor` is the next start index; `expected_cursor` is scratch space for the guard.
  `CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
  cursor INTEGER NOT NULL DEFAULT 0,
  expected_cursor INTEGER,
  head INTEGER,
  schema INTEGER,
  history_key_hash TEXT,
  time_zone TEXT,
  source TEXT
)`,
  'INSERT INTO sync_state (id, cursor) VALUES (1, 0)',
  // The cursor guard: a page commit first sets expected_cursor to its start index; unless that
  // equals the stored cursor, the whole batch aborts (src/store/db.ts maps the marker to a code).
  `CREATE TRIGGER sync_state_cursor_guard BEFORE UPDATE OF expected_cursor ON sync_state
WHEN NEW.expected_cursor IS NOT OLD.cursor
BEGIN SELECT RAISE(ABORT, 'THINGSTAPE_CURSOR_MISMATCH'); END`,
  // Once a history is recorded, pages of another history cannot be mixed into it.
  `CREATE TRIGGER sync_state_history_guard BEFORE UPDATE OF history_key_hash ON sync_state
WHEN OLD.history_key_hash IS NOT NULL AND NEW.history_key_hash IS NOT OLD.history_key_hash
BEGIN SELECT RAISE(ABORT, 'THINGSTAPE_HISTORY_MISMATCH'); END`,
  `CREATE TRIGGER sync_state_keep BEFORE DELETE ON sync_state
BEGIN SELECT RAISE(ABORT, 'THINGSTAPE_WRITE_FAILED: sync_state cannot be deleted'); END`,
];

/**
 * The entity tables of migration 1, in the order reads and dumps visit them (and the ledger's
 * record types besides `sync_state`).
 */
export const ENTITY_TABLES = ['tasks', 'checklist_items', 'areas', 'tags', 'tombstones'] as const;

/** Every entity record with the server index that last touched it (the backfill's order). */
const EVERY_ENTITY_RECORD = ENTITY_TABLES.map(
  (table) =>
    `SELECT '${table}' AS record_type, id AS record_id, MAX(updated_index, COALESCE(deleted_index, 0)) AS touched FROM ${table}`,
).join(' UNION ALL ');

/** The next ledger version: one more than the highest so far (a local, monotonic counter). */
const NEXT_LEDGER_VERSION = '(SELECT COALESCE(MAX(local_updated_at), 0) + 1 FROM sync_ledger)';

/** Marks one ledger row pending at a new version (statement of a trigger body). */
function markPending(recordType: string, recordId: string): string {
  return `INSERT INTO sync_ledger (record_type, record_id, local_updated_at)
  VALUES ('${recordType}', ${recordId}, ${NEXT_LEDGER_VERSION})
  ON CONFLICT (record_type, record_id) DO UPDATE SET
    local_updated_at = excluded.local_updated_at, sync_status = 'pending',
    attempt_count = 0, last_error = NULL;`;
}

// The sync ledger (docs/decisions/0007-sync-ledger.md): which records a push must send to a remote
// database. `local_updated_at` is a local version counter, not a clock; `cloud_synced_at` and
// `last_attempt_at` are seconds since the epoch passed in by the caller of push.
const SYNC_LEDGER: readonly string[] = [
  `CREATE TABLE sync_ledger (
  record_type TEXT NOT NULL
    CHECK (record_type IN ('tasks', 'checklist_items', 'areas', 'tags', 'tombstones', 'sync_state')),
  record_id TEXT NOT NULL,
  local_updated_at INTEGER NOT NULL,
  cloud_synced_at REAL,
  sync_status TEXT NOT NULL DEFAULT 'pending' CHECK (sync_status IN ('pending', 'synced', 'error')),
  attempt_count INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_attempt_at REAL,
  PRIMARY KEY (record_type, record_id)
)`,
  'CREATE INDEX sync_ledger_status ON sync_ledger (sync_status)',
  'CREATE INDEX sync_ledger_local_updated_at ON sync_ledger (local_updated_at)',
  // Backfill: every existing entity (in history order), then the sync state (cursor and logs).
  `INSERT INTO sync_ledger (record_type, record_id, local_updated_at)
SELECT record_type, record_id, ROW_NUMBER() OVER (ORDER BY touched, record_type, record_id)
FROM (${EVERY_ENTITY_RECORD})`,
  `INSERT INTO sync_ledger (record_type, record_id, local_updated_at)
VALUES ('sync_state', '1', ${NEXT_LEDGER_VERSION})`,
  ...ENTITY_TABLES.flatMap((table) => [
    `CREATE TRIGGER ${table}_ledger_insert AFTER INSERT ON ${table}
BEGIN ${markPending(table, 'NEW.id')} END`,
    `CREATE TRIGGER ${table}_ledger_update AFTER UPDATE ON ${table}
BEGIN ${markPending(table, 'NEW.id')} END`,
    // Rows are never removed by the store; should one be, a push removes it remotely too.
    `CREATE TRIGGER ${table}_ledger_delete AFTER DELETE ON ${table}
BEGIN ${markPending(table, 'OLD.id')} END`,
  ]),
  `CREATE TRIGGER sync_state_ledger AFTER UPDATE OF cursor, head, schema, history_key_hash, time_zone, source ON sync_state
BEGIN ${markPending('sync_state', "'1'")} END`,
];

// History swaps of remote databases (docs/decisions/0005-history-reset.md): after a history reset
// the rebuilt state replaces a remote database's contents in one transaction (src/store/swap.ts);
// the replaced history's change log is kept in change_log_archive, one generation per swap.
const HISTORY_ARCHIVE: readonly string[] = [
  // 1 only inside a swap's transaction: its sync_state update sets it, the next statement clears it.
  `ALTER TABLE sync_state ADD COLUMN replacing_history INTEGER NOT NULL DEFAULT 0
  CHECK (replacing_history IN (0, 1))`,
  'DROP TRIGGER sync_state_history_guard',
  // As before, except for the one update that raises replacing_history from 0 to 1 (the swap).
  `CREATE TRIGGER sync_state_history_guard BEFORE UPDATE OF history_key_hash ON sync_state
WHEN OLD.history_key_hash IS NOT NULL AND NEW.history_key_hash IS NOT OLD.history_key_hash
  AND NOT (OLD.replacing_history = 0 AND NEW.replacing_history = 1)
BEGIN SELECT RAISE(ABORT, 'THINGSTAPE_HISTORY_MISMATCH'); END`,
  // One row per replaced history: its sync state at the swap. `replaced_at`: seconds since the epoch.
  `CREATE TABLE replaced_histories (
  generation INTEGER PRIMARY KEY,
  history_key_hash TEXT,
  cursor INTEGER NOT NULL,
  head INTEGER,
  schema INTEGER,
  time_zone TEXT,
  replaced_at REAL NOT NULL,
  reason TEXT NOT NULL
)`,
  // The replaced history's change_log rows as they were (seq included).
  `CREATE TABLE change_log_archive (
  generation INTEGER NOT NULL REFERENCES replaced_histories (generation),
  seq INTEGER NOT NULL,
  server_index INTEGER NOT NULL,
  position INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  type TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  at REAL,
  payload TEXT NOT NULL,
  PRIMARY KEY (generation, server_index, position, ordinal)
)`,
];

// The write path (docs/decisions/0008-local-write-path.md): every entity upsert sets every column,
// so each secondary index costs a rewrite per touched row. Keep only the indexes a read uses.
const WRITE_PATH_INDEXES: readonly string[] = [
  ...[
    'tasks_status',
    'tasks_start',
    'tasks_start_date',
    'tasks_deadline',
    'tasks_trashed',
    'tasks_type',
    'tasks_project_id',
    'tasks_area_id',
    'tasks_heading_id',
    'tasks_deleted',
    // The prefix of UNIQUE (server_index, position, ordinal) serves the same queries.
    'change_log_server_index',
    'checklist_items_task_id',
    // Tag links are read by owner (the primary key), never by tag.
    'tag_links_tag_id',
  ].map((index) => `DROP INDEX ${index}`),
  // Live tasks in id order (views, entities()): streams instead of sorting every live row.
  'CREATE INDEX tasks_live ON tasks (deleted_index, id)',
];

/** True when the database tracks its ledger (decision 0013): a trigger's `WHEN` condition. */
const TRACKING = '(SELECT ledger_tracking FROM sync_state WHERE id = 1) = 1';

// The ledger is tracked from a database's first push on (docs/decisions/0013-ledger-from-first-push.md):
// until then every record is pending by definition, so the triggers write nothing, and the first
// push fills the ledger in one statement ({@link START_LEDGER_TRACKING}).
const LEDGER_FROM_FIRST_PUSH: readonly string[] = [
  `ALTER TABLE sync_state ADD COLUMN ledger_tracking INTEGER NOT NULL DEFAULT 0
  CHECK (ledger_tracking IN (0, 1))`,
  // A database a push ever attempted to send keeps its ledger (it knows what a remote has).
  `UPDATE sync_state SET ledger_tracking = 1
WHERE id = 1 AND EXISTS (SELECT 1 FROM sync_ledger WHERE last_attempt_at IS NOT NULL)`,
  // Any other ledger only says "everything pending", which the first push restates.
  `DELETE FROM sync_ledger WHERE NOT ${TRACKING}`,
  ...ENTITY_TABLES.flatMap((table) => [
    `DROP TRIGGER ${table}_ledger_insert`,
    `CREATE TRIGGER ${table}_ledger_insert AFTER INSERT ON ${table} WHEN ${TRACKING}
BEGIN ${markPending(table, 'NEW.id')} END`,
    `DROP TRIGGER ${table}_ledger_update`,
    `CREATE TRIGGER ${table}_ledger_update AFTER UPDATE ON ${table} WHEN ${TRACKING}
BEGIN ${markPending(table, 'NEW.id')} END`,
    `DROP TRIGGER ${table}_ledger_delete`,
    `CREATE TRIGGER ${table}_ledger_delete AFTER DELETE ON ${table} WHEN ${TRACKING}
BEGIN ${markPending(table, 'OLD.id')} END`,
  ]),
  'DROP TRIGGER sync_state_ledger',
  `CREATE TRIGGER sync_state_ledger AFTER UPDATE OF cursor, head, schema, history_key_hash, time_zone, source ON sync_state
WHEN NEW.ledger_tracking = 1
BEGIN ${markPending('sync_state', "'1'")} END`,
];

/**
 * Starts tracking the ledger of a database that does not yet (one write batch, a no-op when it
 * does): every entity record, in history order, then the sync state, pending at versions above any
 * the ledger holds. Records already in the ledger are left as they are.
 */
export const START_LEDGER_TRACKING: readonly string[] = [
  `INSERT INTO sync_ledger (record_type, record_id, local_updated_at)
SELECT record_type, record_id,
  (SELECT COALESCE(MAX(local_updated_at), 0) FROM sync_ledger)
    + ROW_NUMBER() OVER (ORDER BY touched, record_type, record_id)
FROM (${EVERY_ENTITY_RECORD})
WHERE NOT ${TRACKING}
ON CONFLICT (record_type, record_id) DO NOTHING`,
  `INSERT INTO sync_ledger (record_type, record_id, local_updated_at)
SELECT 'sync_state', '1', ${NEXT_LEDGER_VERSION}
WHERE NOT ${TRACKING}
ON CONFLICT (record_type, record_id) DO NOTHING`,
  'UPDATE sync_state SET ledger_tracking = 1 WHERE id = 1 AND ledger_tracking = 0',
];

/**
 * Which entity table holds an entity of each change-log `entity_type`, and the table's number in
 * `change_log_entities` (fixed here: the migration's text is pinned by its checksum).
 */
export const CHANGE_ENTITY_TABLES = [
  { family: 1, table: 'tasks', types: ['Task', 'Project', 'Heading'] },
  { family: 2, table: 'checklist_items', types: ['ChecklistItem'] },
  { family: 3, table: 'areas', types: ['Area'] },
  { family: 4, table: 'tags', types: ['Tag'] },
  { family: 5, table: 'tombstones', types: ['Tombstone'] },
] as const;

/** SQL: the entity table number of a change-log row (`type`: its entity_type), or NULL. */
function changeFamily(type: string): string {
  return `CASE ${CHANGE_ENTITY_TABLES.map(
    (t) => `WHEN ${type} IN (${t.types.map((x) => `'${x}'`).join(', ')}) THEN ${t.family}`,
  ).join(' ')} END`;
}

/** SQL: the rowid of a change's entity in its table (`type`, `id`: its columns), or NULL. */
function changeEntityRow(type: string, id: string): string {
  return `CASE ${CHANGE_ENTITY_TABLES.map(
    (t) =>
      `WHEN ${type} IN (${t.types.map((x) => `'${x}'`).join(', ')}) THEN (SELECT rowid FROM ${t.table} WHERE id = ${id})`,
  ).join(' ')} END`;
}

// The change log found by entity through the entity's row (docs/decisions/0015-change-log-by-entity-row.md).
// `change_log_entity (entity_id, server_index)` put each change at a random place in a large
// index (entity ids are random), so every commit rewrote pages all over it. An entity's rowid is
// fixed when it is first stored and rows are never removed except by a history swap, so keys
// of entities created about the same time sit together, and the entities a history is busy with
// (the recent ones) share a few pages at the end of `change_log_entities`. A change whose entity
// has no row when it is logged, or whose row is deleted later (a swap, a push of a swap), is kept
// by entity id in `change_log_orphans`. Both were kept by triggers, so every writer (commit, push,
// swap) kept them; since migration 7 statements that each writer runs in its batch replace the
// insert trigger (decision 0016), and the delete triggers stay. A key left behind by a change-log
// row deleted with other SQL is harmless (a read checks entity_id) and is kept if its seq comes
// back (DO NOTHING, not a failed commit).
const CHANGE_LOG_BY_ENTITY_ROW: readonly string[] = [
  `CREATE TABLE change_log_entities (
  family INTEGER NOT NULL,
  entity_rowid INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (family, entity_rowid, seq)
) WITHOUT ROWID`,
  `CREATE TABLE change_log_orphans (
  entity_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (entity_id, seq)
) WITHOUT ROWID`,
  `INSERT INTO change_log_entities (family, entity_rowid, seq)
SELECT family, entity_rowid, seq FROM (
  SELECT ${changeFamily('entity_type')} AS family, ${changeEntityRow('entity_type', 'entity_id')} AS entity_rowid, seq
  FROM change_log
) WHERE entity_rowid IS NOT NULL`,
  `INSERT INTO change_log_orphans (entity_id, seq)
SELECT entity_id, seq FROM change_log WHERE ${changeEntityRow('entity_type', 'entity_id')} IS NULL`,
  'DROP INDEX change_log_entity',
  `CREATE TRIGGER change_log_by_entity AFTER INSERT ON change_log
BEGIN
  INSERT INTO change_log_entities (family, entity_rowid, seq)
  SELECT family, entity_rowid, NEW.seq FROM (
    SELECT ${changeFamily('NEW.entity_type')} AS family, ${changeEntityRow('NEW.entity_type', 'NEW.entity_id')} AS entity_rowid
  ) WHERE entity_rowid IS NOT NULL
  ON CONFLICT DO NOTHING;
  INSERT INTO change_log_orphans (entity_id, seq)
  SELECT NEW.entity_id, NEW.seq WHERE ${changeEntityRow('NEW.entity_type', 'NEW.entity_id')} IS NULL
  ON CONFLICT DO NOTHING;
END`,
  ...CHANGE_ENTITY_TABLES.map(
    (t) => `CREATE TRIGGER ${t.table}_change_log_orphans AFTER DELETE ON ${t.table}
BEGIN
  INSERT INTO change_log_orphans (entity_id, seq)
  SELECT OLD.id, seq FROM change_log_entities WHERE family = ${t.family} AND entity_rowid = OLD.rowid
  ON CONFLICT (entity_id, seq) DO NOTHING;
  DELETE FROM change_log_entities WHERE family = ${t.family} AND entity_rowid = OLD.rowid;
END`,
  ),
];

/** SQL: the highest `seq` the key tables cover (decision 0016). */
const KEYED_SEQ = '(SELECT change_log_keyed_seq FROM sync_state WHERE id = 1)';

// Keys written by statements, not by a trigger (docs/decisions/0016-change-log-keys-per-batch.md).
// A row trigger on change_log cost about 10 µs per change on a local file (it runs as a
// subprogram once per row); the same keys written by INSERT … SELECT over a batch's new rows cost
// about 3. `sync_state.change_log_keyed_seq` says how far the keys go: every change with a higher
// seq is unkeyed, and reads look at those directly ({@link CHANGE_LOG_SEQS_OF_ENTITY}). The store
// never deletes or rewrites change-log rows but in a swap; when other SQL does, a trigger lowers
// the mark below the row, so its seq, if given out again, is keyed by the next writer, and a
// rewritten row is keyed anew (its old key stays behind, harmless: a read checks entity_id).
const CHANGE_LOG_KEYS_PER_BATCH: readonly string[] = [
  `ALTER TABLE sync_state ADD COLUMN change_log_keyed_seq INTEGER NOT NULL DEFAULT 0`,
  // The trigger has keyed every change so far.
  `UPDATE sync_state SET change_log_keyed_seq = COALESCE((SELECT MAX(seq) FROM change_log), 0) WHERE id = 1`,
  'DROP TRIGGER change_log_by_entity',
  `CREATE TRIGGER change_log_unkey_deleted AFTER DELETE ON change_log
WHEN OLD.seq <= ${KEYED_SEQ}
BEGIN UPDATE sync_state SET change_log_keyed_seq = OLD.seq - 1 WHERE id = 1; END`,
  `CREATE TRIGGER change_log_unkey_updated AFTER UPDATE OF seq, entity_type, entity_id ON change_log
WHEN MIN(OLD.seq, NEW.seq) <= ${KEYED_SEQ}
BEGIN UPDATE sync_state SET change_log_keyed_seq = MIN(OLD.seq, NEW.seq) - 1 WHERE id = 1; END`,
];

/**
 * After a write batch inserted into `change_log` (and stored the entity rows of those changes),
 * in the same transaction: keys every change above `change_log_keyed_seq`, through its entity's
 * row or, without one, as an orphan, then moves `change_log_keyed_seq` to the highest seq.
 */
export const AFTER_CHANGE_LOG_INSERTS: readonly string[] = [
  // One join per family; a key already there (of a change keyed before the mark was lowered, or
  // left by a deleted change-log row whose seq came back) is kept (DO NOTHING): a read checks
  // entity_id. `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint.
  `INSERT INTO change_log_entities (family, entity_rowid, seq)
SELECT * FROM (${CHANGE_ENTITY_TABLES.map(
    (t) =>
      `SELECT ${t.family}, e.rowid, c.seq FROM change_log c JOIN ${t.table} e ON e.id = c.entity_id
  WHERE c.seq > ${KEYED_SEQ} AND c.entity_type IN (${t.types.map((x) => `'${x}'`).join(', ')})`,
  ).join('\nUNION ALL ')}) WHERE true
ON CONFLICT DO NOTHING`,
  `INSERT INTO change_log_orphans (entity_id, seq)
SELECT entity_id, seq FROM change_log
WHERE seq > ${KEYED_SEQ} AND ${changeEntityRow('entity_type', 'entity_id')} IS NULL
ON CONFLICT DO NOTHING`,
  `UPDATE sync_state SET change_log_keyed_seq = COALESCE((SELECT MAX(seq) FROM change_log), 0) WHERE id = 1`,
];

/**
 * SQL: the `seq` of every change of the entity with id `?` (bound once per entity table, once for
 * the orphans and once for the changes not keyed yet: {@link CHANGE_LOG_ENTITY_ARGS} copies). Rows
 * found here may belong to another entity only if other SQL deleted a change and its seq was
 * reused, or rewrote a change's entity, so a reader also checks `entity_id`.
 */
export const CHANGE_LOG_SEQS_OF_ENTITY = [
  ...CHANGE_ENTITY_TABLES.map(
    (t) =>
      `SELECT seq FROM change_log_entities WHERE family = ${t.family} AND entity_rowid = (SELECT rowid FROM ${t.table} WHERE id = ?)`,
  ),
  'SELECT seq FROM change_log_orphans WHERE entity_id = ?',
  // Changes not keyed yet (written or rewritten by another program's SQL since the last writer):
  // a range of the rowid, empty after every commit, push and swap.
  `SELECT seq FROM change_log WHERE seq > ${KEYED_SEQ} AND entity_id = ?`,
].join(' UNION ALL ');

/** How many times {@link CHANGE_LOG_SEQS_OF_ENTITY} binds the entity id. */
export const CHANGE_LOG_ENTITY_ARGS = CHANGE_ENTITY_TABLES.length + 2;

/** Every migration of the store, in order. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial_schema', sql: INITIAL_SCHEMA },
  { version: 2, name: 'sync_ledger', sql: SYNC_LEDGER },
  { version: 3, name: 'history_archive', sql: HISTORY_ARCHIVE },
  { version: 4, name: 'write_path_indexes', sql: WRITE_PATH_INDEXES },
  { version: 5, name: 'ledger_from_first_push', sql: LEDGER_FROM_FIRST_PUSH },
  { version: 6, name: 'change_log_by_entity_row', sql: CHANGE_LOG_BY_ENTITY_ROW },
  { version: 7, name: 'change_log_keys_per_batch', sql: CHANGE_LOG_KEYS_PER_BATCH },
  { version: 8, name: 'read_indexes', sql: READ_INDEXES },
  { version: 9, name: 'list_reads', sql: LIST_READS },
  { version: 10, name: 'search_texts', sql: SEARCH_TEXTS, data: fillSearchTexts },
];

/** The migration from which commits keep `search_texts` (search's lower-cased texts). */
export const SEARCH_TEXTS_MIGRATION_VERSION = 10;

/** The migration that adds the sync ledger. */
export const LEDGER_MIGRATION_VERSION = 2;

/** The migration from which the ledger is tracked only from a database's first push on. */
export const LEDGER_TRACKING_MIGRATION_VERSION = 5;

/** The migration from which writers key the change log by statements, not a trigger (0016). */
export const CHANGE_LOG_KEYS_MIGRATION_VERSION = 7;

/** The migration that adds the change log archive and the swap flag of `sync_state`. */
export const HISTORY_ARCHIVE_MIGRATION_VERSION = 3;

/** Every table the store owns, for status counts. */
export const TABLES = [
  ...ENTITY_TABLES,
  'tag_links',
  'change_log',
  'anomalies',
  'raw_items',
  'sync_state',
  'migrations',
] as const;
