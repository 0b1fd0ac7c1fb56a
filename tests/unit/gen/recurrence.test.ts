import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { daysFromCivil } from '../../../src/gen/calendar.ts';
import { Rng } from '../../../src/gen/prng.ts';
import {
  nextOccurrence,
  NEVER_DAY_STAMP,
  randomRule,
  ruleToWire,
  type Rule,
} from '../../../src/gen/recurrence.ts';

const day = (y: number, m: number, d: number): number => daysFromCivil(y, m, d);

function rule(partial: Partial<Rule>): Rule {
  return { tp: 0, fu: 16, fa: 1, of: [{ dy: 0 }], ia: 0, sr: 0, ed: null, rc: 0, ...partial };
}

describe('nextOccurrence()', () => {
  it('steps daily rules by their amount', () => {
    expect(nextOccurrence(rule({ fa: 2, ia: day(2025, 1, 1) }), day(2025, 1, 10))).toBe(
      day(2025, 1, 12),
    );
  });

  it('finds the next listed weekday', () => {
    const mondayThursday = rule({ fu: 256, of: [{ wd: 1 }, { wd: 4 }], ia: day(2025, 1, 6) });
    // Tuesday 7 January → Thursday 9 January.
    expect(nextOccurrence(mondayThursday, day(2025, 1, 7))).toBe(day(2025, 1, 9));
  });

  it('finds the last day and the last Monday of a month', () => {
    expect(
      nextOccurrence(rule({ fu: 8, of: [{ dy: -1 }], ia: day(2025, 1, 1) }), day(2025, 2, 3)),
    ).toBe(day(2025, 2, 28));
    expect(
      nextOccurrence(
        rule({ fu: 8, of: [{ wdo: -1, wd: 1 }], ia: day(2025, 1, 1) }),
        day(2025, 3, 1),
      ),
    ).toBe(day(2025, 3, 31));
  });

  it('finds a yearly date in its month', () => {
    expect(
      nextOccurrence(rule({ fu: 4, of: [{ dy: 0, mo: 2 }], ia: day(2025, 1, 1) }), day(2025, 5, 1)),
    ).toBe(day(2026, 3, 1));
  });
});

describe('ruleToWire()', () => {
  const captured: unknown = JSON.parse(
    readFileSync(
      new URL(
        '../../../fixtures/upstream/captures/nicolai86/recurrence-rules-from-tests.json',
        import.meta.url,
      ),
      'utf8',
    ),
  );
  const capturedKeySets = new Set<string>();
  const rules: unknown =
    typeof captured === 'object' && captured !== null && 'rules' in captured ? captured.rules : [];
  const list: unknown[] = Array.isArray(rules) ? rules : [];
  for (const entry of list) {
    if (
      typeof entry === 'object' &&
      entry !== null &&
      'rr' in entry &&
      typeof entry.rr === 'object' &&
      entry.rr !== null
    ) {
      capturedKeySets.add(Object.keys(entry.rr).sort().join(','));
    }
  }

  it('writes the key sets of the captured rules, with day stamps at UTC midnight', () => {
    expect(capturedKeySets.size).toBeGreaterThan(1);
    const rng = new Rng('rules');
    for (let i = 0; i < 200; i++) {
      const wire = ruleToWire(randomRule(rng, day(2025, 1, 6)));
      expect(capturedKeySets.has(Object.keys(wire).sort().join(','))).toBe(true);
      expect(wire['rrv']).toBe(4);
      expect(Number(wire['ia']) % 86400).toBe(0);
      expect(Number(wire['sr']) % 86400).toBe(0);
      expect('ed' in wire).toBe(wire['rc'] === 0);
    }
  });

  it('writes the never sentinel for an open-ended rule', () => {
    expect(ruleToWire(rule({}))).toMatchObject({ ed: NEVER_DAY_STAMP, rc: 0, ts: 0 });
  });
});
