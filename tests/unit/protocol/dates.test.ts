import { describe, expect, it } from 'vitest';
import {
  civilDateToDayStamp,
  dayStampToCivilDate,
  isCivilDate,
  NEVER_DATE,
  NEVER_DAY_STAMP,
  isDayStampInRange,
} from '../../../src/protocol/index.ts';

describe('dayStampToCivilDate()', () => {
  it('reads the UTC calendar date of recorded stamps (spec 5.2)', () => {
    expect(dayStampToCivilDate(1377993600)).toBe('2013-09-01');
    expect(dayStampToCivilDate(1770681600)).toBe('2026-02-10');
    expect(dayStampToCivilDate(1762041600)).toBe('2025-11-02');
    expect(dayStampToCivilDate(0)).toBe('1970-01-01');
  });

  it('accepts fractional and non-midnight values', () => {
    expect(dayStampToCivilDate(1700000000.25)).toBe('2023-11-14');
    expect(dayStampToCivilDate(1377993600 + 86399.9)).toBe('2013-09-01');
    expect(dayStampToCivilDate(-0.5)).toBe('1969-12-31');
  });

  it('maps the never sentinel to 4001-01-01', () => {
    expect(NEVER_DAY_STAMP).toBe(64092211200);
    expect(dayStampToCivilDate(64092211200)).toBe('4001-01-01');
    expect(NEVER_DATE).toBe('4001-01-01');
  });

  it('covers leap days and the ends of the year range', () => {
    expect(dayStampToCivilDate(civilDateToDayStamp('2024-02-29'))).toBe('2024-02-29');
    expect(dayStampToCivilDate(-62167219200)).toBe('0000-01-01');
    expect(dayStampToCivilDate(253402214400)).toBe('9999-12-31');
  });

  it('throws RangeError outside the years 0000–9999 and for non-finite values', () => {
    for (const bad of [253402300800, -62167219201, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => dayStampToCivilDate(bad)).toThrow(RangeError);
    }
  });
});

describe('civilDateToDayStamp()', () => {
  it('returns 00:00 UTC of the date', () => {
    expect(civilDateToDayStamp('2013-09-01')).toBe(1377993600);
    expect(civilDateToDayStamp('4001-01-01')).toBe(64092211200);
    expect(civilDateToDayStamp('1969-12-31')).toBe(-86400);
  });

  it('round-trips every day of a leap and a common year', () => {
    for (let day = 0; day < 731; day += 1) {
      const stamp = civilDateToDayStamp('2023-01-01') + day * 86400;
      expect(civilDateToDayStamp(dayStampToCivilDate(stamp))).toBe(stamp);
    }
  });

  it('throws RangeError for strings that are not dates', () => {
    expect(() => civilDateToDayStamp('2023-02-29')).toThrow(RangeError);
    expect(() => civilDateToDayStamp('2023-1-01')).toThrow(RangeError);
  });
});

describe('isCivilDate()', () => {
  it('accepts real dates only', () => {
    expect(isCivilDate('2024-02-29')).toBe(true);
    expect(isCivilDate('2000-02-29')).toBe(true);
    expect(isCivilDate('1900-02-29')).toBe(false);
    expect(isCivilDate('2023-02-29')).toBe(false);
    expect(isCivilDate('2023-04-31')).toBe(false);
    expect(isCivilDate('2023-13-01')).toBe(false);
    expect(isCivilDate('2023-00-10')).toBe(false);
    expect(isCivilDate('2023-01-00')).toBe(false);
    expect(isCivilDate('2023-01-01T00:00')).toBe(false);
    expect(isCivilDate('')).toBe(false);
  });
});

/** 0000-01-01T00:00Z and 10000-01-01T00:00Z. */
const FIRST = -62_167_219_200;
const LIMIT = 253_402_300_800;

describe('isDayStampInRange()', () => {
  it('accepts exactly the instants of the years 0000–9999', () => {
    expect(isDayStampInRange(FIRST)).toBe(true);
    expect(isDayStampInRange(FIRST - 1)).toBe(false);
    expect(isDayStampInRange(LIMIT - 0.5)).toBe(true);
    expect(isDayStampInRange(LIMIT)).toBe(false);
  });

  it('rejects non-finite values', () => {
    expect(isDayStampInRange(Number.NEGATIVE_INFINITY)).toBe(false);
    expect(isDayStampInRange(Number.POSITIVE_INFINITY)).toBe(false);
    expect(isDayStampInRange(Number.NaN)).toBe(false);
  });
});

describe('dayStampToCivilDate() and civilDateToDayStamp()', () => {
  it('agree with Date on Jan 1, Feb 28/29, Mar 1 and Dec 31 of every year 0000–9999', () => {
    const mismatches: string[] = [];
    for (let year = 0; year <= 9999; year += 1) {
      const y = String(year).padStart(4, '0');
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      for (const md of ['01-01', '02-28', ...(leap ? ['02-29'] : []), '03-01', '12-31']) {
        const date = `${y}-${md}`;
        const stamp = Date.parse(`${date}T00:00:00Z`) / 1000;
        const read = dayStampToCivilDate(stamp);
        const written = civilDateToDayStamp(date);
        if (read !== date || written !== stamp) mismatches.push(`${date}: ${read} ${written}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('names the out-of-range stamp in the RangeError', () => {
    expect(() => dayStampToCivilDate(LIMIT)).toThrow(/out of range.*253402300800/);
    expect(() => dayStampToCivilDate(Number.NEGATIVE_INFINITY)).toThrow(/out of range.*-Infinity/);
  });

  it('names the string that is not a civil date in the RangeError', () => {
    expect(() => civilDateToDayStamp('2023-06-31')).toThrow(/not a civil date.*2023-06-31/);
  });
});

describe('isCivilDate()', () => {
  it('rejects day 31 in every 30-day month', () => {
    for (const month of ['04', '06', '09', '11']) {
      expect(isCivilDate(`2023-${month}-30`)).toBe(true);
      expect(isCivilDate(`2023-${month}-31`)).toBe(false);
    }
  });

  it('rejects a date preceded by other text', () => {
    expect(isCivilDate('2023-01-01/2024-02-03')).toBe(false);
    expect(isCivilDate('0000-01-012023-01-01')).toBe(false);
  });
});
