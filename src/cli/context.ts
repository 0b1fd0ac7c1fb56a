import { isValidTimeZone, localDate, todayIn } from '../engine/index.ts';
import type { CivilDate } from '../protocol/types.ts';
import type { SyncState } from '../store/index.ts';
import { UsageError } from './usage-error.ts';

/** The zone and date a view is judged at, and where they came from (for people). */
export interface ViewDate {
  readonly timeZone: string;
  readonly today: CivilDate;
  readonly why: string;
}

/**
 * Picks the date views are judged at: `--today` if given; for a database replayed from a fixture,
 * the fixture's recorded date (so its views look as they did when it was recorded); else the
 * current date. The zone is `--tz`, else the stored zone, else the system zone.
 */
export function viewDate(
  args: { readonly today?: CivilDate | undefined; readonly tz?: string | undefined },
  state: SyncState,
  nowSeconds: number,
): ViewDate {
  const timeZone = args.tz ?? state.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isValidTimeZone(timeZone)) throw new UsageError(`--tz: unknown time zone "${timeZone}"`);
  if (args.today !== undefined) {
    return { timeZone, today: args.today, why: 'from --today' };
  }
  const recordedAt = recordedAtOf(state.source);
  if (recordedAt !== null) {
    return {
      timeZone,
      today: localDate(Date.parse(recordedAt) / 1000, timeZone),
      why: `the fixture's recorded date (${recordedAt}); pass --today to choose another`,
    };
  }
  return { timeZone, today: todayIn(timeZone, nowSeconds), why: 'today' };
}

function recordedAtOf(source: unknown): string | null {
  if (typeof source !== 'object' || source === null) return null;
  const value = (source as Record<string, unknown>)['recordedAt'];
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : null;
}
