import { describe, expect, it } from 'vitest';
import {
  civilFromDays,
  daysFromCivil,
  formatCivilDate,
  formatIsoInstant,
  isKnownTimeZone,
  parseCivilDate,
  weekday,
  ZoneCalendar,
} from '../../../src/gen/calendar.ts';

describe('daysFromCivil()', () => {
  it('counts days since 1970-01-01', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2026, 2, 10) * 86400).toBe(1770681600);
    expect(daysFromCivil(4001, 1, 1) * 86400).toBe(64092211200);
  });

  it('round-trips through civilFromDays() across leap years', () => {
    for (let d = -800; d < 40000; d += 37) {
      const { year, month, day } = civilFromDays(d);
      expect(daysFromCivil(year, month, day)).toBe(d);
    }
    expect(civilFromDays(daysFromCivil(2024, 2, 29))).toEqual({ year: 2024, month: 2, day: 29 });
  });
});

describe('weekday()', () => {
  it('numbers Sunday 0 to Saturday 6', () => {
    expect(weekday(daysFromCivil(2025, 1, 6))).toBe(1);
    expect(weekday(daysFromCivil(2025, 1, 5))).toBe(0);
  });
});

describe('parseCivilDate()', () => {
  it('parses real dates and rejects impossible ones', () => {
    expect(parseCivilDate('2025-01-06')).toBe(daysFromCivil(2025, 1, 6));
    expect(parseCivilDate('2025-02-29')).toBeNull();
    expect(parseCivilDate('2025-1-6')).toBeNull();
    expect(formatCivilDate(daysFromCivil(2025, 1, 6))).toBe('2025-01-06');
  });
});

describe('formatIsoInstant()', () => {
  it('writes UTC ISO text with milliseconds', () => {
    expect(formatIsoInstant(1770713623.4716659)).toBe('2026-02-10T08:53:43.471Z');
  });
});

describe('ZoneCalendar', () => {
  it('knows the Berlin offset in winter and summer', () => {
    const berlin = new ZoneCalendar('Europe/Berlin');
    expect(berlin.offsetAt(daysFromCivil(2025, 1, 6) * 86400)).toBe(3600);
    expect(berlin.offsetAt(daysFromCivil(2025, 7, 6) * 86400)).toBe(7200);
  });

  it('gives the local date, which differs from the UTC date late in the evening', () => {
    const berlin = new ZoneCalendar('Europe/Berlin');
    // 2025-01-06T23:30Z is 00:30 on 7 January in Berlin.
    const t = daysFromCivil(2025, 1, 6) * 86400 + 23.5 * 3600;
    expect(berlin.localTime(t)).toEqual({
      days: daysFromCivil(2025, 1, 7),
      secondOfDay: 1800,
      offset: 3600,
    });
    const la = new ZoneCalendar('America/Los_Angeles');
    expect(la.localTime(t).days).toBe(daysFromCivil(2025, 1, 6));
  });

  it('turns local wall time into an instant', () => {
    const berlin = new ZoneCalendar('Europe/Berlin');
    expect(berlin.instantOf(daysFromCivil(2014, 11, 23), 0)).toBe(1416697200);
  });

  it('rejects unknown zones', () => {
    expect(() => new ZoneCalendar('Mars/Olympus')).toThrow(RangeError);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
    expect(isKnownTimeZone('Asia/Kathmandu')).toBe(true);
  });
});
