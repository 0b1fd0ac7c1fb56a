/**
 * The read API of the store: every list of the app, search and the change log, answered by SQL
 * over indexes (docs/decisions/0026-reads-in-sql.md), for the CLI, the harness and MCP servers
 * (docs/reads.md). Rows are the pure views' own rows ({@link ViewRow}), which are also the rows of
 * `thingstape list --json`; changes are the library's {@link Change}, the rows of
 * `thingstape changes --json`.
 */
import type { Change, ListViewName, ProjectView, ViewRow } from '../../engine/index.ts';
import type { CivilDate } from '../../protocol/index.ts';
import type { ChangeFilter } from '../types.ts';

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
  /** A project with its open to-dos, loose ones first, then one section per open heading. */
  project(projectId: string, query: DateQuery): Promise<ProjectView>;
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
