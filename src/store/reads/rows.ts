/**
 * The SQL every list shares: a task row joined with what the pure views derive from other rows
 * (the live heading, the effective project, the effective area), the filter that hides rows of
 * closed or trashed containers, and the decoding of a result row into a {@link ViewRow}.
 *
 * It states in SQL what src/engine/views.ts states in TypeScript; the property test
 * (tests/property/reads.test.ts) checks that both agree.
 */
import { listOf, statusName, type ViewRow } from '../../engine/index.ts';
import type { CivilDate } from '../../protocol/index.ts';
import { RowReader, selectColumns } from '../row-codec.ts';
import type { Row } from '../db.ts';
import { HIDDEN_COLUMN } from '../schema-reads.ts';

/**
 * `FROM tasks t` and its containers, as {@link headingOf}, {@link projectOf} and {@link areaOf}
 * in the engine read them: `h` the live heading of `agr[0]`; `p1` the live project of `pr[0]`
 * (never for a project); `p2` the live project of the heading's `pr[0]` when `p1` is none; `a1`
 * the live area of `ar[0]`; `a2` the live area of the effective project when `a1` is none. Each
 * join is a primary-key lookup. `indexedBy` names the index `t` is read by (a list's own partial
 * index, so the plan does not depend on statistics the database may not have; `null`: none, for
 * rows found by `rowid`); without `containers`, `tasks t` alone.
 */
export function taskFrom(indexedBy?: string | null, containers = true): string {
  const hint =
    indexedBy === undefined ? '' : indexedBy === null ? ' NOT INDEXED' : ` INDEXED BY ${indexedBy}`;
  const t = `tasks t${hint}`;
  if (!containers) return t;
  return `${t}
LEFT JOIN tasks h ON h.id = t.heading_id AND h.deleted_index IS NULL AND h.type = 2
LEFT JOIN tasks p1 ON t.type <> 1 AND p1.id = t.project_id AND p1.deleted_index IS NULL AND p1.type = 1
LEFT JOIN tasks p2 ON t.type <> 1 AND p1.id IS NULL AND p2.id = h.project_id AND p2.deleted_index IS NULL AND p2.type = 1
LEFT JOIN areas a1 ON a1.id = t.area_id AND a1.deleted_index IS NULL
LEFT JOIN areas a2 ON a1.id IS NULL AND a2.id = COALESCE(p1.area_id, p2.area_id) AND a2.deleted_index IS NULL`;
}

/** {@link taskFrom} without an index hint. */
export const TASK_FROM = taskFrom();

/** SQL: the effective project's id (NULL for none). */
export const PROJECT_ID = 'COALESCE(p1.id, p2.id)';

/**
 * SQL: a live, open, untrashed row of `tasks` under `alias`, written exactly as the partial
 * indexes of migration 8 state it, so SQLite can use them.
 */
export function openRow(alias: string): string {
  return `${alias}.deleted_index IS NULL AND ${alias}.status = 0 AND ${alias}.trashed = 0`;
}

/** SQL: a live, open, untrashed task that is not a repeating template. */
export const OPEN_TASK = `${openRow('t')} AND t.recurrence IS NULL`;

/**
 * SQL: neither the effective project nor the heading of an open row is trashed or closed, as the
 * row's {@link HIDDEN_COLUMN} says (kept by the triggers of migration 9 for live, open, untrashed
 * rows only: the rows of {@link openRow}).
 */
export const CONTAINERS_OPEN = `t.${HIDDEN_COLUMN} = 0`;

/** SQL: the engine's "active" task (open, untrashed, no template, not hidden by a container). */
export const ACTIVE_TASK = `${OPEN_TASK} AND ${CONTAINERS_OPEN}`;

/**
 * SQL: the rest of {@link ACTIVE_TASK} for a row found through an open-row index (`rowid IN`):
 * without the terms that would lead the planner to another index.
 */
export const ACTIVE_OPEN_ROW = `t.recurrence IS NULL AND ${CONTAINERS_OPEN}`;

/** SQL: a to-do or a project (what most lists show). */
export const TODO_OR_PROJECT = 't.type IN (0, 1)';

/** The select list of a row: the task's own columns and its containers' ids. */
export const ROW_SELECT = `${selectColumns(
  [
    'id',
    'title',
    'type',
    'start',
    'start_date',
    'start_bucket',
    'deadline',
    'tag_ids',
    'status',
    'stop_date',
    'trashed',
  ],
  't',
)}, ${PROJECT_ID} AS row_project_id, COALESCE(a1.id, a2.id) AS row_area_id, h.id AS row_heading_id`;

/** How a list marks its rows' `evening`: as {@link listOf} says, or every row of Today's evening part. */
export type EveningRule = 'list' | 'bucket';

/** A result row of {@link ROW_SELECT} as the row the pure views return. */
export function decodeViewRow(row: Row, today: CivilDate, evening: EveningRule = 'list'): ViewRow {
  const r = new RowReader(row, 'tasks');
  const type = r.num('type');
  const startBucket = r.num('start_bucket');
  const list = listOf(
    { start: r.num('start'), startDate: r.dateOrNull('start_date'), startBucket },
    today,
  );
  return {
    id: r.str('id'),
    title: r.str('title'),
    type: type === 1 ? 'project' : type === 2 ? 'heading' : 'to-do',
    list,
    startDate: r.dateOrNull('start_date'),
    deadline: r.dateOrNull('deadline'),
    evening: list === 'evening' || (evening === 'bucket' && startBucket === 1),
    projectId: r.strOrNull('row_project_id'),
    areaId: r.strOrNull('row_area_id'),
    headingId: r.strOrNull('row_heading_id'),
    tagIds: r.ids('tag_ids'),
    status: statusName(r.num('status')),
    stopDate: r.numOrNull('stop_date'),
    trashed: r.bool('trashed'),
  };
}
