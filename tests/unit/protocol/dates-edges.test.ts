import { describe, expect, it } from 'vitest';

import {
  civilDateToDayStamp,
  dayStampToCivilDate,
  isCivilDate,
  isDayStampInRange,
} from '../../../src/protocol/index.ts';

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
