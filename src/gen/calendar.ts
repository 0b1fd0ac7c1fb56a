/**
 * Civil-date arithmetic without `Date` (days since 1970-01-01, proleptic Gregorian), and the
 * user's local date in an IANA zone via `Intl.DateTimeFormat` (zone math, no I/O).
 */

import {
  civilFromDays as protocolCivilFromDays,
  daysFromCivil as protocolDaysFromCivil,
} from '../protocol/dates.ts';

/** A civil date as year, month (1–12) and day (1–31). */
export interface CivilParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Days since 1970-01-01 of a civil date: the protocol's day-stamp arithmetic. */
export const daysFromCivil: (year: number, month: number, day: number) => number =
  protocolDaysFromCivil;

/** The civil date of a day count since 1970-01-01. */
export function civilFromDays(days: number): CivilParts {
  const [year, month, day] = protocolCivilFromDays(days);
  return { year, month, day };
}

/** Days in a month of a year. */
export function daysInMonth(year: number, month: number): number {
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  return daysFromCivil(nextYear, nextMonth, 1) - daysFromCivil(year, month, 1);
}

/** Weekday of a day count: 0 = Sunday … 6 = Saturday. */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** Parses `YYYY-MM-DD` into a day count, or returns `null` when it is not a real date. */
export function parseCivilDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

/** `YYYY-MM-DD` of a day count. */
export function formatCivilDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** ISO 8601 UTC text (`2025-01-06T07:30:00.123Z`) of seconds since the epoch. */
export function formatIsoInstant(seconds: number): string {
  const millis = Math.floor(seconds * 1000);
  const days = Math.floor(millis / 86_400_000);
  const rest = millis - days * 86_400_000;
  const hh = Math.floor(rest / 3_600_000);
  const mm = Math.floor((rest % 3_600_000) / 60_000);
  const ss = Math.floor((rest % 60_000) / 1000);
  const ms = rest % 1000;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${formatCivilDate(days)}T${pad(hh)}:${pad(mm)}:${pad(ss)}.${pad(ms, 3)}Z`;
}

/** Local calendar facts of an instant in one zone. */
export interface LocalTime {
  /** Local civil date as days since 1970-01-01. */
  readonly days: number;
  /** Seconds after local midnight. */
  readonly secondOfDay: number;
  /** Offset of local time from UTC, in seconds (Berlin in winter: 3600). */
  readonly offset: number;
}

const BUCKET = 900;

/**
 * Local dates and offsets of one IANA zone. Caches per 15-minute UTC bucket: every zone offset
 * and every transition since 1970 is a multiple of 15 minutes, so a bucket has one offset.
 */
export class ZoneCalendar {
  readonly timeZone: string;
  readonly #format: Intl.DateTimeFormat;
  #bucket = Number.NaN;
  #offset = 0;

  /** Throws RangeError when `timeZone` is not a zone `Intl` knows. */
  constructor(timeZone: string) {
    this.timeZone = timeZone;
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Offset from UTC (seconds) at an instant. */
  offsetAt(seconds: number): number {
    const bucket = Math.floor(seconds / BUCKET);
    if (bucket !== this.#bucket) {
      const start = bucket * BUCKET;
      const parts: Record<string, number> = {};
      for (const part of this.#format.formatToParts(start * 1000)) {
        if (part.type !== 'literal') parts[part.type] = Number(part.value);
      }
      const local =
        daysFromCivil(parts['year'] ?? 1970, parts['month'] ?? 1, parts['day'] ?? 1) * 86400 +
        (parts['hour'] ?? 0) * 3600 +
        (parts['minute'] ?? 0) * 60 +
        (parts['second'] ?? 0);
      this.#offset = local - start;
      this.#bucket = bucket;
    }
    return this.#offset;
  }

  /** The local date, time of day and offset of an instant. */
  localTime(seconds: number): LocalTime {
    const offset = this.offsetAt(seconds);
    const local = Math.floor(seconds) + offset;
    const days = Math.floor(local / 86400);
    return { days, secondOfDay: local - days * 86400, offset };
  }

  /** The UTC instant of a local wall-clock time (`secondOfDay` after local midnight of `days`). */
  instantOf(days: number, secondOfDay: number): number {
    const guess = days * 86400 + secondOfDay;
    const first = guess - this.offsetAt(guess);
    return guess - this.offsetAt(first);
  }
}

/** True when `Intl` knows `timeZone` (an IANA zone or `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone === '') return false;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone !== '';
  } catch {
    return false;
  }
}
