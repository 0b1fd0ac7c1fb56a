/**
 * The store contract: what the sync loop and the CLI may rely on, independent of the backend
 * (`:memory:`, `file:` or a libSQL server over HTTP — one code path for all).
 */
import type { Anomaly, Change, Entity, EntityFamily, FoldResult } from '../engine/types.ts';
import type { ListViewName, ProjectView, ViewRow } from '../engine/views.ts';
import type { CivilDate } from '../protocol/types.ts';

/** Every `record_type`: the entity tables, and `sync_state` (the cursor with the logs below it). */
export const LEDGER_RECORD_TYPES = [
  'tasks',
  'checklist_items',
  'areas',
  'tags',
  'tombstones',
  'sync_state',
] as const;
/** A ledger record type. */
export type LedgerRecordType = (typeof LEDGER_RECORD_TYPES)[number];

/** Every `sync_status`. */
export const SYNC_STATUSES = ['pending', 'synced', 'error'] as const;
/** A ledger row's status. */
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** One ledger row. */
export interface LedgerEntry {
  readonly recordType: LedgerRecordType;
  readonly recordId: string;
  /** Local version: a counter raised on every local change (not a clock). */
  readonly localUpdatedAt: number;
  /** When a push last stored a version of this record remotely (seconds since the epoch). */
  readonly cloudSyncedAt: number | null;
  readonly syncStatus: SyncStatus;
  /** Push attempts of the current version (reset to 0 by a local change). */
  readonly attemptCount: number;
  /** The last failure's text; kept after a later success, cleared by a local change. */
  readonly lastError: string | null;
  /** When a push last attempted this record (seconds since the epoch). */
  readonly lastAttemptAt: number | null;
}

/** What `thingstape status` shows of the ledger. */
export interface LedgerSummary {
  /**
   * Whether the database tracks its ledger (it has been pushed from, decision 0013). When not, the
   * ledger holds no rows and `counts.pending` is what a first push would send: every entity record
   * and the sync state.
   */
  readonly tracking: boolean;
  /** Records by status (every status present, 0 when none). */
  readonly counts: Readonly<Record<SyncStatus, number>>;
  /** The pending or errored row with the lowest local version, if any. */
  readonly oldestPending: LedgerEntry | null;
  /** The errored row attempted last, if any. */
  readonly lastError: LedgerEntry | null;
}

/** A history a swap replaced, as recorded in `replaced_histories`. */
export interface ReplacedHistory {
  /** 1, 2, … in the order of the swaps; the key of its archived changes. */
  readonly generation: number;
  /** Hash of the replaced history's key (`null` if it never named one). */
  readonly historyKeyHash: string | null;
  /** The replaced state's cursor, head, schema and zone. */
  readonly cursor: number;
  readonly head: number | null;
  readonly schema: number | null;
  readonly timeZone: string | null;
  /** When the swap happened (seconds since the epoch). */
  readonly replacedAt: number;
  /** Why the history was replaced. */
  readonly reason: string;
  /** How many changes of it `change_log_archive` keeps. */
  readonly changes: number;
}

/** The singleton sync state. */
export interface SyncState {
  /** The next start index to fetch: every group below it is applied, none at or above it. */
  readonly cursor: number;
  /** Hash of the history key the stored state comes from; `null` until a commit names one. */
  readonly historyKeyHash: string | null;
  /** The history's schema number as last seen; `null` until known. */
  readonly schema: number | null;
  /** IANA zone the changes were judged in; `null` until a commit names one. */
  readonly timeZone: string | null;
  /** Provenance (fixture name, recordedAt, kind, recorder info) as last committed; `null` if none. */
  readonly source: unknown;
  /** The last `current-item-index` seen; `null` before the first commit. */
  readonly head: number | null;
}

/**
 * The fold results of one page, or of consecutive pages folded together (the sync loop's batches,
 * decision 0009), committed atomically with the cursor move.
 */
export interface PageCommit {
  /** Server index of the first page's first group; must equal the stored cursor. */
  readonly startIndex: number;
  /** Server index after the last page's last group: the new cursor (≥ startIndex). */
  readonly endIndex: number;
  /** `current-item-index` of the page response. */
  readonly head: number;
  /** The page's schema number; `null` keeps the stored one. */
  readonly schema: number | null;
  /** What folding the page produced; every change/anomaly/raw item lies in [startIndex, endIndex). */
  readonly result: FoldResult;
  /** Sync-state fields to set; an absent field keeps the stored value. */
  readonly meta?: {
    readonly historyKeyHash?: string;
    readonly timeZone?: string;
    readonly source?: unknown;
  };
}

/** Filter of {@link Store.changes}; all given conditions must hold. */
export interface ChangeFilter {
  /** Only changes with `serverIndex >= sinceIndex` (pass an old cursor to get what came after). */
  readonly sinceIndex?: number;
  /** Only changes with a time and `at >= sinceAt` (seconds since the epoch). */
  readonly sinceAt?: number;
  /** Only changes of this entity. */
  readonly entityId?: string;
  /** At most this many changes (the first ones in order). */
  readonly limit?: number;
  /**
   * Only the newest this many changes (after the other conditions), still returned oldest first;
   * read from the end of the log, so it costs what it returns. Not together with `limit`.
   */
  readonly last?: number;
}

/** Filter of {@link Store.entities}. */
export interface EntityFilter {
  /** Only this family (default: all, in the order task, checklistItem, area, tag, tombstone). */
  readonly family?: EntityFamily;
  /** Also soft-deleted entities (default `false`). */
  readonly includeDeleted?: boolean;
}

/** What {@link Store.status} reports. */
export interface StoreStatus {
  /** The store URL without credentials. */
  readonly url: string;
  /** Highest applied migration version. */
  readonly schemaVersion: number;
  /** Every table with its row count (and, for entity tables, how many rows are soft-deleted). */
  readonly tables: readonly {
    readonly name: string;
    readonly rows: number;
    readonly deleted?: number;
  }[];
  readonly syncState: SyncState;
  /** The sync ledger: counts by status, oldest pending record, last error (`null` before migration 2). */
  readonly ledger: LedgerSummary | null;
}

/**
 * A libSQL-backed store of engine state.
 *
 * Atomicity: {@link Store.commitPage} writes a whole page and the cursor in one write batch (one
 * transaction, one round trip over the network); a failure at any statement leaves state, change
 * log and cursor as they were. Commits are serialized inside the store (one writer at a time).
 *
 * Soft deletes: rows are never removed. A deleted entity keeps its row with `deleted` set; reads
 * return it unless a filter excludes deleted ones.
 */
export interface Store {
  /** The URL without credentials. */
  readonly url: string;

  /** The sync state (cursor, head, history, zone, provenance). */
  syncState(): Promise<SyncState>;

  /**
   * The stored entities (live and soft-deleted) among `ids`, by id; unknown ids are absent.
   * One read batch (one round trip) whatever the number of ids.
   */
  loadEntities(ids: Iterable<string>): Promise<Map<string, Entity>>;

  /**
   * Commits one page: a guard that aborts unless the stored cursor equals `startIndex`, upserts of
   * every entity in `result.entities`, tag link rewrites for their owners, the changes, anomalies
   * and raw items, and the cursor move to `endIndex` (with head, schema and meta), all in one
   * write batch.
   *
   * Errors: `CURSOR_MISMATCH` when the cursor is not `startIndex` (the page was applied already, or
   * pages are out of order) — nothing is written; `HISTORY_MISMATCH` when `meta.historyKeyHash`
   * differs from a stored one; `WRITE_FAILED`/`BUSY` when the batch failed — nothing is written and
   * a retry is safe; `CONNECT_FAILED` when the connection dropped — the outcome is unknown, and a
   * retry either succeeds or fails with `CURSOR_MISMATCH` (then read {@link Store.syncState}).
   * Throws `RangeError` when a change, anomaly or raw item lies outside [startIndex, endIndex).
   */
  commitPage(commit: PageCommit): Promise<void>;

  /**
   * On a store that has never committed a page (head unknown, cursor 0), moves the cursor to
   * `cursor`, so that a history read from the middle (an incremental fixture or a sync started
   * with a known cursor) can be applied. A no-op when the cursor already is `cursor`.
   * Errors: `CURSOR_MISMATCH` when the store already holds history at another cursor.
   */
  startAt(cursor: number): Promise<void>;

  /**
   * Changes in (serverIndex, position, ordinal) order, read back as the committed objects (the
   * same as `reads.changes`).
   */
  changes(filter?: ChangeFilter): Promise<Change[]>;

  /**
   * Lists, search and the change log answered by SQL, reading only what the answer needs (see
   * {@link Reads}); what `thingstape list` and `thingstape changes` print.
   */
  readonly reads: Reads;

  /** Entities by family then id, read in keyset pages (bounded responses). */
  entities(filter?: EntityFilter): AsyncIterable<Entity>;

  /** Anomalies in (serverIndex, position) order as committed, read in keyset pages. */
  anomalies(): AsyncIterable<Anomaly>;

  /**
   * Canonical JSON of everything stored: entities of every table including soft-deleted ones,
   * tag links, the change log (without its insertion sequence), anomalies, raw items and sync
   * state without provenance. Sorted keys, 2-space indent, trailing newline; two stores holding
   * the same history dump byte-identically however the pages were split.
   */
  dump(): Promise<string>;

  /** Schema version, row counts, sync state. */
  status(): Promise<StoreStatus>;

  /**
   * Histories this database held before a history swap replaced them (remote rebuilds after a
   * reset, decision 0005), oldest first, each with the size of its archived change log.
   */
  replacedHistories(): Promise<ReplacedHistory[]>;

  /** The archived change log of a replaced history (by its generation), in change order. */
  archivedChanges(generation: number): Promise<Change[]>;

  /** Closes the connection; pending commits are not awaited. */
  close(): void;
}

// The read API (src/store/reads; docs/decisions/0026-reads-in-sql.md, docs/reads.md): every list
// of the app, search and the change log, answered by SQL over indexes. Rows are the pure views'
// own rows, which are also the rows of `thingstape list --json`.

/** One row of a list: the same object (and JSON) as a row of `thingstape list --json`. */
export type ListRow = ViewRow;

/** The date a list is judged at (compute it with `todayIn(zone, now)` from the engine). */
export interface DateQuery {
  /** The user's local date, `YYYY-MM-DD`. */
  readonly today: CivilDate;
}

/** A page of a list: the date, then which rows. */
export interface ListQuery extends DateQuery {
  /** At most this many rows (default: all). A non-negative integer. */
  readonly limit?: number;
  /** Skip this many rows first (default 0). A non-negative integer. */
  readonly offset?: number;
  /**
   * Also count every row of the list (default `false`). Counting reads the whole list's index
   * range, so it costs more than a short page of a long list.
   */
  readonly total?: boolean;
}

/**
 * A page of a project's view: the date, then which of its items (its loose to-dos, then each open
 * heading followed by its to-dos, each a row of the sequence).
 */
export type ProjectQuery = Omit<ListQuery, 'total'>;

/** What a list read returns. */
export interface ListPage {
  /** The rows of the page, in the app's order. */
  readonly rows: ListRow[];
  /** How many rows the whole list has, or `null` unless the query asked (`total: true`). */
  readonly total: number | null;
}

/** Filter of {@link Reads.changes}: {@link ChangeFilter}, all conditions together. */
export type ChangeQuery = ChangeFilter;

/**
 * Lists, search and change-log queries answered by the database.
 *
 * Every answer equals what the pure views of the engine return for the same stored entities and
 * date (`inboxView`, `todayView`, … `searchView`; the property test keeps them equal), ordered as
 * the app orders the list, with `limit` and `offset` applied in SQL. Each call is one read batch
 * (one HTTP round trip on a libSQL server), search two; none reads the whole account. Reads see
 * the last committed state and never wait for a writer.
 *
 * Errors: `RangeError` for a negative or fractional `limit`/`offset`; `EngineError
 * INVALID_DATE` for a `today` that is not `YYYY-MM-DD`; `StoreError` `READ_FAILED`,
 * `CONNECT_FAILED` or `CLOSED` from the database.
 */
export interface Reads {
  /** A list by name (`inbox`, `today`, `evening`, `upcoming`, `anytime`, `someday`, `logbook`, `trash`). */
  list(name: ListViewName, query: ListQuery): Promise<ListPage>;
  /**
   * A project with its open to-dos, loose ones first, then one section per open heading; with
   * `offset`/`limit`, the sections of that part of the sequence of its to-dos and headings (the
   * loose section always first, a section whose heading is on an earlier page with its heading).
   */
  project(projectId: string, query: ProjectQuery): Promise<ProjectView>;
  /** An area's open projects and the open to-dos directly in it. */
  area(areaId: string, query: ListQuery): Promise<ListPage>;
  /** Open to-dos and projects with the tag or a sub-tag, own or inherited from project or area. */
  tag(tagId: string, query: ListQuery): Promise<ListPage>;
  /**
   * Open to-dos and projects whose title, note or a live checklist item's title contains `text`,
   * ignoring case as JavaScript's `toLowerCase()` does (an empty text matches nothing).
   */
  search(text: string, query: ListQuery): Promise<ListPage>;
  /**
   * Changes in (serverIndex, position, ordinal) order; with `last`, only the newest that many
   * (still oldest first). Reads only the changes it returns.
   */
  changes(query?: ChangeQuery): Promise<Change[]>;
}
