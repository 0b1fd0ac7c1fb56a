/** Where a to-do goes, as the schedule fields of its payload (spec 10.2). */
import { civilDateToDayStamp, isCivilDate } from '../dates.ts';
import type { CivilDate } from '../types.ts';

/** Where a to-do or project goes: a list name, or a date (`YYYY-MM-DD`: Today if ≤ today, else Upcoming). */
// eslint-disable-next-line @typescript-eslint/no-restricted-types -- `string & {}` keeps the list names as completions
export type When = 'inbox' | 'today' | 'evening' | 'anytime' | 'someday' | (string & {});

/** The `st`/`sr`/`tir`/`sb` fields of a schedule. */
export interface ScheduleFields {
  readonly st: number;
  readonly sr: number | null;
  readonly tir: number | null;
  readonly sb: number;
}

/**
 * The schedule fields of `when` on `today` (spec 10.2): Today `st 1` with `sr = tir = today`,
 * Evening the same with `sb 1`, a later date `st 2` with `sr = tir = date`, Someday `st 2`,
 * Anytime `st 1`, Inbox `st 0`. `contained` (in a project, heading or area) turns Inbox into
 * Anytime: `st 0` contradicts a container.
 */
export function scheduleFields(when: When, today: CivilDate, contained: boolean): ScheduleFields {
  const day = (date: string): number => civilDateToDayStamp(date);
  switch (when) {
    case 'inbox':
      return contained
        ? { st: 1, sr: null, tir: null, sb: 0 }
        : { st: 0, sr: null, tir: null, sb: 0 };
    case 'today':
      return { st: 1, sr: day(today), tir: day(today), sb: 0 };
    case 'evening':
      return { st: 1, sr: day(today), tir: day(today), sb: 1 };
    case 'anytime':
      return { st: 1, sr: null, tir: null, sb: 0 };
    case 'someday':
      return { st: 2, sr: null, tir: null, sb: 0 };
    default: {
      if (!isCivilDate(when)) {
        throw new RangeError(
          `when must be inbox, today, evening, anytime, someday or a date YYYY-MM-DD, got ${JSON.stringify(when)}`,
        );
      }
      return when <= today
        ? { st: 1, sr: day(when), tir: day(when), sb: 0 }
        : { st: 2, sr: day(when), tir: day(when), sb: 0 };
    }
  }
}

/** The day stamp of a `YYYY-MM-DD` date; `RangeError` naming `what` for anything else. */
export function dayStampOf(date: string, what: string): number {
  if (!isCivilDate(date))
    throw new RangeError(`${what} must be a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return civilDateToDayStamp(date);
}
