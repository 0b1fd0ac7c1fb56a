/**
 * The lists of the app as SQL, one entry per pure view of src/engine/views.ts (a view without its
 * SQL does not compile). Each condition restates the view's filter; each order restates its sort.
 */
import type { ListViewName } from '../../engine/index.ts';
import type { CivilDate } from '../../protocol/index.ts';
import type { ListSql } from './page.ts';
import { containerIs } from '../schema-reads.ts';
import { ACTIVE_TASK, TODO_OR_PROJECT } from './rows.ts';

/** By `ix`, ties by id. */
const BY_INDEX = 't.sort_index, t.id';

/** SQL: `st 1|2` with `sr ≤ today` (`?1`). */
const IN_TODAY_BY_DATE = `(t.start IN (1, 2) AND t.start_date IS NOT NULL AND t.start_date <= ?1)`;

/** SQL: a to-do without `sr` due by today (`?1`), its deadline not suppressed. */
const DUE_TODAY = `(t.type = 0 AND t.start_date IS NULL AND t.deadline IS NOT NULL AND t.deadline <= ?1
    AND t.deadline_suppression_date IS NULL)`;

/**
 * Today's condition: `st 1|2` with `sr ≤ today`, or a to-do without `sr` due by today (`?1`: the
 * date). A page walks `tasks_today` in Today's order and checks the dates on each entry (the
 * first term names the index's condition); the count reads the two date-ordered indexes, each up
 * to the date ({@link TODAY_COUNTS}).
 */
const IN_TODAY = `(t.start_date IS NOT NULL OR t.deadline IS NOT NULL)
  AND (${IN_TODAY_BY_DATE} OR ${DUE_TODAY})`;

/** Today's count, in two disjoint parts (with and without `sr`), each a range of its index. */
function todayCounts(extra: string): NonNullable<ListSql['counts']> {
  return [
    {
      index: 'tasks_open_by_start_date',
      where: `${TODO_OR_PROJECT} AND ${ACTIVE_TASK} AND ${IN_TODAY_BY_DATE}${extra}`,
    },
    { index: 'tasks_open_by_deadline', where: `${ACTIVE_TASK} AND ${DUE_TODAY}${extra}` },
  ];
}

/** SQL: a row of the Logbook's index (closed, untrashed, no template), a to-do or a project. */
const CLOSED_ROW = `${TODO_OR_PROJECT} AND t.deleted_index IS NULL AND t.status IN (2, 3) AND t.trashed = 0 AND t.recurrence IS NULL`;

/** SQL: the ids of the live projects and headings in the Trash. */
const TRASHED_CONTAINERS = `SELECT id FROM tasks INDEXED BY tasks_trashed_containers
  WHERE deleted_index IS NULL AND trashed = 1 AND type IN (1, 2)`;

/**
 * SQL: the row's project or heading is trashed, checked only when a trashed container may be
 * one of them (its heading or `pr[0]` is one, or it has a heading and there is any: the
 * heading's project may be one), so the Logbook's count reads its index alone while no project
 * or heading is in the Trash.
 */
const IN_TRASHED_CONTAINER = `(t.heading_id IN (${TRASHED_CONTAINERS})
    OR (t.type <> 1 AND (t.project_id IN (${TRASHED_CONTAINERS})
      OR (t.heading_id IS NOT NULL AND EXISTS (${TRASHED_CONTAINERS})))))
  AND ${containerIs('t', (c) => `${c}.trashed <> 0`)}`;

/** A list's SQL on a date. */
type ListSqlOf = (today: CivilDate) => ListSql;

/** Every list by name: what `inboxView`, `todayView`, … select, as SQL. */
export const LIST_SQL: Readonly<Record<ListViewName, ListSqlOf>> = {
  inbox: () => ({
    index: 'tasks_open_by_start',
    where: `t.type = 0 AND t.start = 0 AND ${ACTIVE_TASK}`,
    args: [],
    order: BY_INDEX,
    evening: 'list',
  }),
  today: (today) => ({
    index: 'tasks_today',
    where: `${TODO_OR_PROJECT} AND ${ACTIVE_TASK} AND ${IN_TODAY}`,
    args: [today],
    counts: todayCounts(''),
    // The day part, then This Evening, each by `ti`.
    order: '(t.start_bucket = 1), t.today_index, t.id',
    evening: 'bucket',
  }),
  evening: (today) => ({
    index: 'tasks_today',
    where: `${TODO_OR_PROJECT} AND (t.start_bucket = 1) = 1 AND ${ACTIVE_TASK} AND ${IN_TODAY}`,
    args: [today],
    counts: todayCounts(' AND t.start_bucket = 1'),
    order: 't.today_index, t.id',
    evening: 'bucket',
  }),
  upcoming: (today) => ({
    index: 'tasks_open_by_start_date',
    where: `${TODO_OR_PROJECT} AND t.start = 2 AND t.start_date IS NOT NULL AND t.start_date > ? AND ${ACTIVE_TASK}`,
    args: [today],
    order: `t.start_date, ${BY_INDEX}`,
    evening: 'list',
  }),
  anytime: () => ({
    index: 'tasks_open_by_start',
    where: `${TODO_OR_PROJECT} AND t.start = 1 AND ${ACTIVE_TASK}`,
    args: [],
    order: BY_INDEX,
    evening: 'list',
  }),
  someday: () => ({
    index: 'tasks_open_by_start',
    where: `${TODO_OR_PROJECT} AND t.start = 2 AND t.start_date IS NULL AND ${ACTIVE_TASK}`,
    args: [],
    order: BY_INDEX,
    evening: 'list',
  }),
  logbook: () => ({
    index: 'tasks_logbook',
    // Closed rows whose project or heading is not trashed (a closed container does not hide them).
    where: `${CLOSED_ROW}
  AND COALESCE(p1.trashed, p2.trashed, 0) = 0 AND (h.id IS NULL OR h.trashed = 0)`,
    args: [],
    counts: [{ index: 'tasks_logbook', where: `${CLOSED_ROW} AND NOT (${IN_TRASHED_CONTAINER})` }],
    // Newest `sp` first, rows without one last.
    order: 't.stop_date DESC, t.id',
    evening: 'list',
  }),
  trash: () => ({
    index: 'tasks_trash',
    where: 't.deleted_index IS NULL AND t.trashed = 1 AND t.recurrence IS NULL',
    args: [],
    order: BY_INDEX,
    evening: 'list',
  }),
};
