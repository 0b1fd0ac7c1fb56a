import { describe, expect, it } from 'vitest';
import { isValidTimeZone, localDate, requireCivilDate } from '../../../src/engine/index.ts';

/** Seconds since the epoch of UTC midnight on year-month-day (years 0–99 included). */
function utcMidnight(year: number, month: number, day: number): number {
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getTime() / 1000;
}

describe('isValidTimeZone()', () => {
  it('accepts IANA zones the runtime knows and rejects others', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('names the unknown zone in the INVALID_TIME_ZONE error', () => {
    expect(() => localDate(0, 'Mars/Olympus')).toThrow(
      expect.objectContaining({
        code: 'INVALID_TIME_ZONE',
        message: 'Cannot use time zone "Mars/Olympus": not an IANA zone this runtime knows',
      }),
    );
  });
});

describe('localDate() at the edges of the calendar', () => {
  it('pads years below 1000 to four digits', () => {
    expect(localDate(utcMidnight(5, 1, 1), 'UTC')).toBe('0005-01-01');
    expect(localDate(utcMidnight(999, 12, 31), 'UTC')).toBe('0999-12-31');
    expect(localDate(utcMidnight(1, 1, 1), 'UTC')).toBe('0001-01-01');
  });

  it('rejects instants before year 1 (BC) and after year 9999', () => {
    const bc = utcMidnight(0, 6, 1);
    expect(() => localDate(bc, 'UTC')).toThrow(
      new RangeError(`instant ${bc} has no civil date in the years 1–9999`),
    );
    const late = utcMidnight(10000, 1, 1);
    expect(() => localDate(late, 'UTC')).toThrow(
      new RangeError(`instant ${late} has no civil date in the years 1–9999`),
    );
    expect(localDate(utcMidnight(9999, 12, 31), 'UTC')).toBe('9999-12-31');
  });

  it('rejects an instant outside the range of Date', () => {
    expect(() => localDate(1e20, 'UTC')).toThrow(
      new RangeError('instant out of range: 100000000000000000000'),
    );
    expect(() => localDate(Number.NaN, 'UTC')).toThrow(new RangeError('instant out of range: NaN'));
  });
});

describe('requireCivilDate()', () => {
  it('names what was given and the expected form', () => {
    expect(() => requireCivilDate('2025-02-30', 'today')).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATE',
        message: 'Cannot use today "2025-02-30": expected a calendar date YYYY-MM-DD',
      }),
    );
    expect(requireCivilDate('2024-02-29', 'today')).toBe('2024-02-29');
  });
});
