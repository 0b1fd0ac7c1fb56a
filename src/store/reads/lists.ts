/**
 * The lists of the app as SQL, one entry per pure view of src/engine/views.ts (a view without its
 * SQL does not compile). Each condition restates the view's filter; each order restates its sort.
 */
import type { ListViewName } from '../../engine/index.ts';
import type { CivilDate } from '../../protocol/index.ts';
import type { ListSql } from './page.ts';
import { ACTIVE_TASK, TODO_OR_PROJECT } from './rows.ts';

/** By `ix`, ties by id. */
const BY_INDEX = 't.sort_index, t.id';

/** Today's condition: `st 1|2` with `sr ≤ today`, or a to-do without `sr` due by today. */
const IN_TODAY = `((t.start IN (1, 2) AND t.start_date IS NOT NULL AND t.start_date <= ?)
  OR (t.type = 0 AND t.start_date IS NULL AND t.deadline IS NOT NULL AND t.deadline <= ?
    AND t.deadline_suppression_date IS NULL))`;

/** A list's SQL on a date. */
type ListSqlOf = (today: CivilDate) => ListSql;

/** Every list by name: what `inboxView`, `todayView`, … select, as SQL. */
export const LIST_SQL: Readonly<Record<ListViewName, ListSqlOf>> = {
  inbox: () => ({
    where: `t.type = 0 AND t.start = 0 AND ${ACTIVE_TASK}`,
    args: [],
    order: BY_INDEX,
    evening: 'list',
  }),
  today: (today) => ({
    where: `${TODO_OR_PROJECT} AND ${IN_TODAY} AND ${ACTIVE_TASK}`,
    args: [today, today],
    // The day part, then This Evening, each by `ti`.
    order: '(t.start_bucket = 1), t.today_index, t.id',
    evening: 'bucket',
  }),
  evening: (today) => ({
    where: `${TODO_OR_PROJECT} AND t.start_bucket = 1 AND ${IN_TODAY} AND ${ACTIVE_TASK}`,
    args: [today, today],
    order: 't.today_index, t.id',
    evening: 'bucket',
  }),
  upcoming: (today) => ({
    where: `${TODO_OR_PROJECT} AND t.start = 2 AND t.start_date IS NOT NULL AND t.start_date > ? AND ${ACTIVE_TASK}`,
    args: [today],
    order: `t.start_date, ${BY_INDEX}`,
    evening: 'list',
  }),
  anytime: () => ({
    where: `${TODO_OR_PROJECT} AND t.start = 1 AND ${ACTIVE_TASK}`,
    args: [],
    order: BY_INDEX,
    evening: 'list',
  }),
  someday: () => ({
    where: `${TODO_OR_PROJECT} AND t.start = 2 AND t.start_date IS NULL AND ${ACTIVE_TASK}`,
    args: [],
    order: BY_INDEX,
    evening: 'list',
  }),
  logbook: () => ({
    // Closed rows whose project or heading is not trashed (a closed container does not hide them).
    where: `${TODO_OR_PROJECT} AND t.deleted_index IS NULL AND t.status IN (2, 3) AND t.trashed = 0 AND t.recurrence IS NULL
  AND COALESCE(p1.trashed, p2.trashed, 0) = 0 AND (h.id IS NULL OR h.trashed = 0)`,
    args: [],
    // Newest `sp` first, rows without one last.
    order: 't.stop_date DESC, t.id',
    evening: 'list',
  }),
  trash: () => ({
    where: 't.deleted_index IS NULL AND t.trashed = 1 AND t.recurrence IS NULL',
    args: [],
    order: BY_INDEX,
    evening: 'list',
  }),
};
