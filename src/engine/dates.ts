/**
 * Local calendar dates (spec 9.5): "today" is the user's local date in their time zone, computed
 * from an instant that is always a parameter (never a clock). Uses Intl for zone rules.
 */

import { isCivilDate } from '../protocol/index.ts';
import type { CivilDate, Instant } from '../protocol/index.ts';
import { EngineError } from './errors.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      era: 'short',
    });
  } catch (error) {
    throw new EngineError(
      'INVALID_TIME_ZONE',
      `Cannot use time zone ${JSON.stringify(timeZone)}: not an IANA zone this runtime knows`,
      error,
    );
  }
  formatters.set(timeZone, formatter);
  return formatter;
}

/** True when `timeZone` is an IANA zone name the runtime knows (e.g. `Europe/Berlin`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The local calendar date of `instant` (seconds since the epoch) in `timeZone`. Throws EngineError
 * INVALID_TIME_ZONE for an unknown zone and RangeError for an instant outside the years 1–9999.
 */
export function localDate(instant: Instant, timeZone: string): CivilDate {
  const formatter = formatterFor(timeZone);
  const date = new Date(instant * 1000);
  if (Number.isNaN(date.getTime())) throw new RangeError(`instant out of range: ${instant}`);
  let year = '';
  let month = '';
  let day = '';
  let era = '';
  for (const part of formatter.formatToParts(date)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
    else if (part.type === 'era') era = part.value;
  }
  const text = `${year.padStart(4, '0')}-${month}-${day}`;
  if (era !== 'AD' || !isCivilDate(text)) {
    throw new RangeError(`instant ${instant} has no civil date in the years 1–9999`);
  }
  return text;
}

/** The user's "today": the local date of `now` (an instant the caller supplies) in `timeZone`. */
export function todayIn(timeZone: string, now: Instant): CivilDate {
  return localDate(now, timeZone);
}

/** `date` as a CivilDate, or EngineError INVALID_DATE naming `what` (e.g. `reference date`). */
export function requireCivilDate(date: string, what: string): CivilDate {
  if (!isCivilDate(date)) {
    throw new EngineError(
      'INVALID_DATE',
      `Cannot use ${what} ${JSON.stringify(date)}: expected a calendar date YYYY-MM-DD`,
    );
  }
  return date;
}
