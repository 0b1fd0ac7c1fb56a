/**
 * Where a to-do or project sits by its schedule (spec 9.4, things.py), judged against a `today`
 * that is always a parameter. Views add the other filters (open, not trashed, …) on top.
 */

import type { CivilDate } from '../protocol/index.ts';
import type { ListName, Schedule, TaskEntity } from './types.ts';

/** The schedule fields {@link listOf} reads. */
export type ScheduleFields = Pick<TaskEntity, 'start' | 'startDate' | 'startBucket'>;

/**
 * The list of a task by `st`/`sr`/`sb` on the local date `today`:
 * `st 0` → inbox; `st 1`/`st 2` with `sr ≤ today` → today (evening when `sb = 1`);
 * `st 2` with `sr > today` → upcoming; `st 1` without `sr` → anytime, and so is the unusual
 * `st 1` with a future `sr` (the app's Anytime is every `st 1`, and Upcoming only `st 2`: the
 * views read it the same way, so changes and views agree); `st 2` without `sr` → someday;
 * any other `st` → `null`. `tir` is never consulted (pitfall 19).
 */
export function listOf(task: ScheduleFields, today: CivilDate): ListName | null {
  const { start, startDate } = task;
  if (start === 0) return 'inbox';
  if (start !== 1 && start !== 2) return null;
  if (startDate === null) return start === 1 ? 'anytime' : 'someday';
  if (startDate > today) return start === 2 ? 'upcoming' : 'anytime';
  return task.startBucket === 1 ? 'evening' : 'today';
}

/** The schedule part of a task as change payloads carry it. */
export function scheduleOf(task: ScheduleFields, today: CivilDate): Schedule {
  return {
    list: listOf(task, today),
    start: task.start,
    startDate: task.startDate,
    startBucket: task.startBucket,
  };
}
