/**
 * The migrations of the store's reads (src/store/reads): the partial indexes of each list
 * (migration 8, decision 0026), the column of open rows a container hides with its triggers and
 * the lists' indexes over it (migration 9, decision 0043), and search's lower-cased texts with
 * their trigram index (migration 10). `schema.ts` lists them in order with the others; like every
 * migration, their SQL is never edited once committed (a checksum test holds it).
 */

/** The condition of the open-row indexes: live, open, untrashed. */
const OPEN_ROWS = 'deleted_index IS NULL AND status = 0 AND trashed = 0';

/** ... and not a repeating template: the rows a list can show. */
const LISTED_ROWS = `${OPEN_ROWS} AND recurrence IS NULL`;

/**
 * The columns a list's filter reads besides its key (the row's type, its containers, and the
 * columns of the index's own condition), so counting a list reads its index, not the rows.
 */
const FILTER_COLUMNS = 'type, project_id, heading_id, deleted_index, status, trashed, recurrence';

// Reads in SQL (docs/decisions/0026-reads-in-sql.md): partial indexes, each keyed for one list's
// order. They hold only the rows a list can show (a long history's rows are mostly closed), and a
// write touches an index only when the row is in it before or after, so a closed row costs the
// write path nothing but in the Logbook's index. The change log needs none: its UNIQUE key serves
// the order and --last, change_log_at --since, the key tables (decision 0015) --entity.
export const READ_INDEXES: readonly string[] = [
  // Inbox, Anytime, Someday (by st, then ix).
  `CREATE INDEX tasks_open_by_start ON tasks (start, sort_index, id, ${FILTER_COLUMNS})
WHERE ${LISTED_ROWS}`,
  // Today (sr ≤ today) and Upcoming (sr > today, by date then ix).
  `CREATE INDEX tasks_open_by_start_date ON tasks
  (start_date, sort_index, id, start, start_bucket, today_index, ${FILTER_COLUMNS})
WHERE ${LISTED_ROWS} AND start_date IS NOT NULL`,
  // Today's to-dos without sr that are due.
  `CREATE INDEX tasks_open_by_deadline ON tasks
  (deadline, deadline_suppression_date, start_date, start, start_bucket, today_index, ${FILTER_COLUMNS})
WHERE ${LISTED_ROWS} AND start_date IS NULL AND deadline IS NOT NULL`,
  // A project's to-dos and headings, a heading's to-dos, an area's rows, by ix (templates
  // included: a repeating project still holds its to-dos).
  `CREATE INDEX tasks_open_by_project ON tasks (project_id, sort_index, id)
WHERE ${OPEN_ROWS} AND project_id IS NOT NULL`,
  `CREATE INDEX tasks_open_by_heading ON tasks (heading_id, sort_index, id)
WHERE ${OPEN_ROWS} AND heading_id IS NOT NULL`,
  `CREATE INDEX tasks_open_by_area ON tasks (area_id, sort_index, id)
WHERE ${OPEN_ROWS} AND area_id IS NOT NULL`,
  // Search: titles and notes of listed rows, scanned without reading the rows (about a tenth of
  // the pages a scan of the table reads); LIKE is checked on the index entry first.
  `CREATE INDEX tasks_open_text ON tasks (title, note) WHERE ${LISTED_ROWS}`,
  // The Logbook: closed rows, newest stop date first.
  `CREATE INDEX tasks_logbook ON tasks (stop_date DESC, id, ${FILTER_COLUMNS})
WHERE deleted_index IS NULL AND status IN (2, 3) AND trashed = 0 AND recurrence IS NULL`,
  // The Trash, by ix.
  `CREATE INDEX tasks_trash ON tasks (sort_index, id, deleted_index, trashed, recurrence)
WHERE deleted_index IS NULL AND trashed = 1 AND recurrence IS NULL`,
  // A tag's owners (tasks, projects, areas); migration 4 dropped the plain tag_id index.
  'CREATE INDEX tag_links_by_tag ON tag_links (tag_id, owner_type, owner_id)',
];

// Search (docs/decisions/0026-reads-in-sql.md, "Search"): the texts search reads, lower-cased by
// `toLowerCase()` when they are committed (src/store/search-texts.ts), one row per listed open
// to-do or project (its title and note) and per live checklist item (its title, `note` empty),
// and an FTS5 trigram index over them kept by triggers. Case-sensitive, because the text is
// lower-cased already: FTS5's own folding is not the view's. A row whose texts a commit leaves
// unchanged is not updated (the upsert's WHERE), so the index is not touched. The index of
// open titles and notes that search scanned before goes.
export const SEARCH_TEXTS: readonly string[] = [
  `CREATE TABLE search_texts (
  id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  task_id TEXT NOT NULL,
  title TEXT NOT NULL,
  note TEXT NOT NULL,
  UNIQUE (id, kind)
)`,
  `CREATE VIRTUAL TABLE search_index USING fts5(title, note, content = 'search_texts', columnsize = 0, tokenize = 'trigram case_sensitive 1')`,
  `CREATE TRIGGER search_texts_insert AFTER INSERT ON search_texts BEGIN
  INSERT INTO search_index (rowid, title, note) VALUES (new.rowid, new.title, new.note);
END`,
  `CREATE TRIGGER search_texts_delete AFTER DELETE ON search_texts BEGIN
  INSERT INTO search_index (search_index, rowid, title, note) VALUES ('delete', old.rowid, old.title, old.note);
END`,
  `CREATE TRIGGER search_texts_update AFTER UPDATE OF title, note ON search_texts
WHEN old.title IS NOT new.title OR old.note IS NOT new.note BEGIN
  INSERT INTO search_index (search_index, rowid, title, note) VALUES ('delete', old.rowid, old.title, old.note);
  INSERT INTO search_index (rowid, title, note) VALUES (new.rowid, new.title, new.note);
END`,
  'DROP INDEX tasks_open_text',
];

/** The column of {@link LIST_READS}: an open row's project or heading hides it (1) or not (0). */
export const HIDDEN_COLUMN = 'hidden_by_container';

/** ... and not hidden by its project or heading: the rows the lists but Trash and Logbook show. */
const ACTIVE_ROWS = `${LISTED_ROWS} AND ${HIDDEN_COLUMN} = 0`;

/** The columns a list's count reads besides its key: the row's type and the index's condition. */
const ACTIVE_COLUMNS = `type, deleted_index, status, trashed, recurrence, ${HIDDEN_COLUMN}`;

/**
 * SQL: whether the effective project (the live project of `pr[0]`, else of its live heading's
 * `pr[0]`; none for a project) or the live heading of the task `x` (a row alias, or `NEW`) is
 * in the state `state` says of a row alias (`hiddenByContainer` of src/engine/views.ts: trashed or
 * closed; `trashedContainer`: trashed).
 */
export function containerIs(x: string, state: (alias: string) => string): string {
  const heading = `FROM tasks h WHERE h.id = ${x}.heading_id AND h.deleted_index IS NULL AND h.type = 2`;
  return `(COALESCE((SELECT ${state('p')} FROM tasks p
    WHERE ${x}.type <> 1 AND p.deleted_index IS NULL AND p.type = 1 AND p.id = COALESCE(
      (SELECT p1.id FROM tasks p1 WHERE p1.id = ${x}.project_id AND p1.deleted_index IS NULL AND p1.type = 1),
      (SELECT h.project_id ${heading}))), 0)
  OR COALESCE((SELECT ${state('h')} ${heading}), 0))`;
}

/** SQL: whether the task `x` is hidden by a container (see {@link containerIs}). */
const hiddenOf = (x: string): string =>
  containerIs(x, (c) => `${c}.trashed <> 0 OR ${c}.status <> 0`);

/** SQL: the row `x` is live, open and untrashed (the rows whose {@link HIDDEN_COLUMN} is kept). */
const isOpen = (x: string): string =>
  `${x}.deleted_index IS NULL AND ${x}.status = 0 AND ${x}.trashed = 0`;

/**
 * Statements of a trigger body: the {@link HIDDEN_COLUMN} of the open rows a project or heading
 * `c` (`NEW` or `OLD`) contains, set anew: its to-dos (and headings) by `project_id`, its to-dos by
 * `heading_id`, and the to-dos of its open headings (their effective project may be `c`). Each is
 * found through an open-row index of migration 8; a closed or trashed heading hides its to-dos
 * whatever its project, and reopening it sets them anew.
 */
function cascade(c: string, when = 'true'): string {
  // By rowid through the pinned index: in a trigger an UPDATE cannot name its index, and the
  // planner would scan tasks_live for an IN over heading_id.
  const set = (rows: string): string =>
    `UPDATE tasks SET ${HIDDEN_COLUMN} = ${hiddenOf('tasks')} WHERE ${when} AND rowid IN (${rows})
    AND ${HIDDEN_COLUMN} IS NOT ${hiddenOf('tasks')};`;
  const openBy = (index: string, condition: string): string =>
    `SELECT rowid FROM tasks INDEXED BY ${index} WHERE ${condition} AND ${isOpen('tasks')}`;
  return `${set(openBy('tasks_open_by_project', `project_id = ${c}.id`))}
  ${set(openBy('tasks_open_by_heading', `heading_id = ${c}.id`))}
  ${set(
    openBy(
      'tasks_open_by_heading',
      `heading_id IN (SELECT d.id FROM tasks d INDEXED BY tasks_open_by_project
      WHERE d.project_id = ${c}.id AND ${isOpen('d')} AND d.type = 2)`,
    ),
  )}`;
}

/** SQL: a column of the row changed (`OLD` against `NEW`). */
const changed = (...columns: string[]): string =>
  columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');

/**
 * SQL (trigger body): the {@link HIDDEN_COLUMN} of the row `NEW` itself, set when it is open and
 * only when it changes (an UPDATE of the column rewrites the row's entries in every list index).
 */
const SET_OWN = `UPDATE tasks SET ${HIDDEN_COLUMN} = ${hiddenOf('NEW')}
  WHERE ${isOpen('NEW')} AND rowid = NEW.rowid AND NEW.${HIDDEN_COLUMN} IS NOT ${hiddenOf('NEW')};`;

// Lists in SQL at scale (docs/decisions/0043-lists-filter-and-count-on-their-index.md): whether a container hides an
// open row is kept in the row itself, by triggers, so every list but the Logbook filters and
// counts on its partial index alone, without reading a row or its containers. A trigger body runs
// only when a project or heading changes what it hides (rare) or an open row is written with
// other containers (an insert, a move, a reopen); other writes skip it at the WHEN clause.
export const LIST_READS: readonly string[] = [
  `ALTER TABLE tasks ADD COLUMN ${HIDDEN_COLUMN} INTEGER NOT NULL DEFAULT 0`,
  // The open rows a container hides (the others keep the default, 0).
  `UPDATE tasks SET ${HIDDEN_COLUMN} = 1 WHERE ${isOpen('tasks')} AND ${hiddenOf('tasks')}`,
  // A row inserted without a container is not hidden: the column's default, unless the writer
  // gave another value.
  `CREATE TRIGGER tasks_hidden_insert AFTER INSERT ON tasks
WHEN (${isOpen('NEW')} AND (NEW.project_id IS NOT NULL OR NEW.heading_id IS NOT NULL OR NEW.${HIDDEN_COLUMN} <> 0))
  OR NEW.type IN (1, 2)
BEGIN
  ${SET_OWN}
  ${cascade('NEW', 'NEW.type IN (1, 2)')}
END`,
  `CREATE TRIGGER tasks_hidden_update AFTER UPDATE OF type, status, trashed, deleted_index, project_id, heading_id ON tasks
WHEN ((${isOpen('NEW')}) AND (NOT (${isOpen('OLD')}) OR ${changed('type', 'project_id', 'heading_id')}))
  OR ((NEW.type IN (1, 2) OR OLD.type IN (1, 2)) AND (${changed('type', 'status', 'trashed', 'deleted_index', 'project_id')}))
BEGIN
  ${SET_OWN}
  ${cascade('NEW', '(NEW.type IN (1, 2) OR OLD.type IN (1, 2))')}
END`,
  `CREATE TRIGGER tasks_hidden_delete AFTER DELETE ON tasks WHEN OLD.type IN (1, 2)
BEGIN
  ${cascade('OLD')}
END`,
  // The lists' indexes of migration 8, now of the active rows only.
  'DROP INDEX tasks_open_by_start',
  'DROP INDEX tasks_open_by_start_date',
  'DROP INDEX tasks_open_by_deadline',
  `CREATE INDEX tasks_open_by_start ON tasks (start, sort_index, id, start_date, ${ACTIVE_COLUMNS})
WHERE ${ACTIVE_ROWS}`,
  `CREATE INDEX tasks_open_by_start_date ON tasks
  (start_date, sort_index, id, start, start_bucket, today_index, ${ACTIVE_COLUMNS})
WHERE ${ACTIVE_ROWS} AND start_date IS NOT NULL`,
  `CREATE INDEX tasks_open_by_deadline ON tasks
  (deadline, deadline_suppression_date, start_date, start, start_bucket, today_index, ${ACTIVE_COLUMNS})
WHERE ${ACTIVE_ROWS} AND start_date IS NULL AND deadline IS NOT NULL`,
  // The live projects and headings in the Trash (few): what may hide a row of the Logbook.
  `CREATE INDEX tasks_trashed_containers ON tasks (id)
WHERE deleted_index IS NULL AND trashed = 1 AND type IN (1, 2)`,
  // Today and This Evening in their order (the day part, then the evening, each by ti): a page
  // walks it and stops; the dates are checked on the entry.
  `CREATE INDEX tasks_today ON tasks
  ((start_bucket = 1), today_index, id, start, start_date, deadline, deadline_suppression_date, ${ACTIVE_COLUMNS})
WHERE ${ACTIVE_ROWS} AND type IN (0, 1) AND (start_date IS NOT NULL OR deadline IS NOT NULL)`,
];
