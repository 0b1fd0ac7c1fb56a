/**
 * Day stamps (spec 5.2): seconds at 00:00 UTC of a calendar date, read as the UTC calendar date
 * (fractional values accepted: the date is the one the instant falls on). Pure arithmetic, no
 * `Date`, so any year 0000–9999 works the same everywhere.
 */

import type { CivilDate } from './types.ts';

const SECONDS_PER_DAY = 86_400;

/** The "never" sentinel day stamp `64092211200` (spec 5.2, `rr.ed`). */
export const NEVER_DAY_STAMP = 64_092_211_200;

/** Smallest accepted day stamp: 0000-01-01T00:00Z. */
export const MIN_DAY_STAMP = -62_167_219_200;

/** Day stamps must be below this: 10000-01-01T00:00Z (a civil date has four year digits). */
export const DAY_STAMP_LIMIT = 253_402_300_800;

/** True when `seconds` is a finite day stamp whose date lies in the years 0000–9999. */
export function isDayStampInRange(seconds: number): boolean {
  return Number.isFinite(seconds) && seconds >= MIN_DAY_STAMP && seconds < DAY_STAMP_LIMIT;
}

/** The UTC calendar date of a day stamp; throws RangeError outside the years 0000–9999. */
export function dayStampToCivilDate(seconds: number): CivilDate {
  if (!isDayStampInRange(seconds)) {
    throw new RangeError(`day stamp out of range (years 0000–9999): ${seconds}`);
  }
  const [year, month, day] = civilFromDays(Math.floor(seconds / SECONDS_PER_DAY));
  const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (!isCivilDate(date)) throw new RangeError(`internal error: computed ${date} for ${seconds}`);
  return date;
}

/** The civil date of {@link NEVER_DAY_STAMP}: `4001-01-01`. */
export const NEVER_DATE: CivilDate = dayStampToCivilDate(NEVER_DAY_STAMP);

/** The day stamp (00:00 UTC) of a civil date; throws RangeError for a string that is not one. */
export function civilDateToDayStamp(date: string): number {
  if (!isCivilDate(date)) throw new RangeError(`not a civil date YYYY-MM-DD: ${date}`);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return daysFromCivil(year, month, day) * SECONDS_PER_DAY;
}

/** True when `s` is a real calendar date written `YYYY-MM-DD` (years 0000–9999). */
export function isCivilDate(s: string): s is CivilDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, day 0 = 1970-01-01).
/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** `[year, month 1–12, day]` of a day count since 1970-01-01 (Hinnant's `civil_from_days`). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}
