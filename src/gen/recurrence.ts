/**
 * Recurrence rules (`rr`, spec 9.6) shaped like the 29 rules of nicolai86's tests, and a simple
 * next-occurrence calculation so templates spawn instances on plausible days.
 */
import { civilFromDays, daysFromCivil, daysInMonth, weekday } from './calendar.ts';
import type { WireValue } from '../protocol/index.ts';
import type { Rng } from './prng.ts';

/** `rr.ed` "never" sentinel (4001-01-01 at UTC midnight). */
export const NEVER_DAY_STAMP = 64_092_211_200;

/** NSCalendarUnit values used in `fu`. */
export const FREQUENCY_UNITS = { day: 16, week: 256, month: 8, year: 4 } as const;

/** One selector of `rr.of`. */
export interface Selector {
  readonly dy?: number;
  readonly wd?: number;
  readonly wdo?: number;
  readonly mo?: number;
}

/** The generator's view of a rule. Day fields are days since 1970-01-01. */
export interface Rule {
  /** 0 fixed schedule, 1 after completion. */
  readonly tp: 0 | 1;
  readonly fu: 16 | 256 | 8 | 4;
  readonly fa: number;
  readonly of: readonly Selector[];
  readonly ia: number;
  readonly sr: number;
  /** End day, or `null` for never (written as the sentinel) — absent when `rc > 0`. */
  readonly ed: number | null;
  readonly rc: number;
}

/** A random rule whose first occurrence is on or after `today`. */
export function randomRule(rng: Rng, today: number): Rule {
  const shape = rng.int(0, 9);
  let fu: Rule['fu'];
  let fa = 1;
  let of: Selector[];
  if (shape < 3) {
    fu = 16;
    fa = rng.pick([1, 1, 1, 2, 3]);
    of = [{ dy: 0 }];
  } else if (shape < 6) {
    fu = 256;
    fa = rng.pick([1, 1, 2]);
    const first = rng.int(0, 6);
    of = rng.chance(0.3) ? [{ wd: first }, { wd: (first + rng.int(1, 3)) % 7 }] : [{ wd: first }];
  } else if (shape < 9) {
    fu = 8;
    fa = rng.pick([1, 1, 2, 3]);
    const r = rng.int(0, 3);
    if (r === 0) of = [{ dy: rng.int(0, 27) }];
    else if (r === 1) of = [{ dy: 0 }, { dy: -1 }];
    else if (r === 2) of = [{ wdo: rng.pick([1, 2, -1]), wd: rng.int(0, 6) }];
    else of = [{ dy: -1 }];
  } else {
    fu = 4;
    of = [{ dy: rng.pick([0, 14, -1]), mo: rng.int(0, 11) }];
  }
  const tp: 0 | 1 = rng.chance(0.15) ? 1 : 0;
  const partial: Rule = { tp, fu, fa, of, ia: today, sr: today, ed: null, rc: 0 };
  const first = nextOccurrence(partial, today - 1);
  const end = rng.float();
  return {
    ...partial,
    ia: first,
    ed: end < 0.1 ? first + rng.int(30, 400) : null,
    rc: end >= 0.1 && end < 0.2 ? rng.int(2, 5) : 0,
  };
}

/** The `rr` wire object, keys in the order of the captured rules. */
export function ruleToWire(rule: Rule): Readonly<Record<string, WireValue>> {
  const of = rule.of.map((s) => {
    const o: Record<string, number> = {};
    if (s.wdo !== undefined) o['wdo'] = s.wdo;
    if (s.wd !== undefined) o['wd'] = s.wd;
    if (s.dy !== undefined) o['dy'] = s.dy;
    if (s.mo !== undefined) o['mo'] = s.mo;
    return o;
  });
  const wire: Record<string, WireValue> = {
    ia: rule.ia * 86400,
    rrv: 4,
    tp: rule.tp,
    of,
    fu: rule.fu,
    sr: rule.sr * 86400,
    fa: rule.fa,
    rc: rule.rc,
    ts: 0,
  };
  if (rule.rc === 0) wire['ed'] = rule.ed === null ? NEVER_DAY_STAMP : rule.ed * 86400;
  return wire;
}

function dayOfMonth(year: number, month: number, s: Selector): number | null {
  const length = daysInMonth(year, month);
  if (s.wd !== undefined) {
    const k = s.wdo ?? 1;
    if (k > 0) {
      const first = daysFromCivil(year, month, 1);
      const delta = (s.wd - weekday(first) + 7) % 7;
      const day = 1 + delta + (k - 1) * 7;
      return day <= length ? day : null;
    }
    const last = daysFromCivil(year, month, length);
    return length - ((weekday(last) - s.wd + 7) % 7);
  }
  const dy = s.dy ?? 0;
  if (dy < 0) return length;
  return Math.min(dy + 1, length);
}

/** The first occurrence strictly after day `after` (days since 1970-01-01). */
export function nextOccurrence(rule: Rule, after: number): number {
  const base = Math.max(after, rule.ia - 1);
  if (rule.fu === 16) return base < rule.ia ? rule.ia : base + rule.fa;
  if (rule.fu === 256) {
    const days = new Set(rule.of.map((s) => s.wd ?? 1));
    for (let d = base + 1; d <= base + 7; d++) {
      if (days.has(weekday(d))) {
        const crossedWeek = weekday(d) <= weekday(base) || d - base >= 7;
        return crossedWeek && rule.fa > 1 ? d + (rule.fa - 1) * 7 : d;
      }
    }
    return base + 7 * rule.fa;
  }
  const start = civilFromDays(base);
  const startIndex = start.year * 12 + (start.month - 1);
  const limit = 24 * rule.fa + 24;
  for (let i = 0; i < limit; i++) {
    const period = rule.fu === 8 ? i : Math.floor(i / 12);
    if (period % rule.fa !== 0) continue;
    const monthIndex = startIndex + i;
    const year = Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    let best: number | null = null;
    for (const s of rule.of) {
      if (s.mo !== undefined && s.mo !== month - 1) continue;
      const dom = dayOfMonth(year, month, s);
      if (dom === null) continue;
      const d = daysFromCivil(year, month, dom);
      if (d > base && (best === null || d < best)) best = d;
    }
    if (best !== null) return best;
  }
  return base + 30 * rule.fa;
}
