import { describe, expect, it } from 'vitest';

import {
  civilDateToDayStamp,
  dayStampToCivilDate,
  isCivilDate,
  NEVER_DATE,
  NEVER_DAY_STAMP,
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
