/**
 * The generator's histories through the write guard, group by group on the state before each
 * group (as the fake service would check them as commits). The generator imitates native
 * histories, so it writes on purpose what the guard tells SDK writers not to; each such finding
 * is attributed to the behaviour that produces it, and every other rule must stay silent.
 */
import { describe, expect, it } from 'vitest';
import { GuardLedger } from '../../../src/engine/index.ts';
import { generatedGroups } from '../../../src/fake/index.ts';
import { checkCommit, type GuardViolation } from '../../../src/protocol/index.ts';

type Body = Record<string, { t: number; e: string; p: Record<string, unknown> }>;

/** Why a generated (native-imitating) group may break a writer rule. */
const NATIVE_BEHAVIOUR: Readonly<Record<string, (v: GuardViolation, body: Body) => boolean>> = {
  // SDK-style creates (fewer keys, md set), kept to imitate histories written by other clients.
  CREATE_KEY_SET: (v, body) => body[v.entityId ?? '']?.p['md'] !== null,
  MD_ON_CREATE: (v, body) => body[v.entityId ?? '']?.p['md'] !== null,
  // Native creates carry ix 0 and native reorders negative ones (spec 6.1, 5.3); the writer
  // advice of 10.2/16.1 (ix ≥ 1) conflicts with native data, as the spec says.
  NON_POSITIVE_IX: (v) => v.found === '0' || Number(v.found) < 0,
  EDIT_OF_NON_POSITIVE_IX: () => true,
  // The native app writes Settings5, delta notes and repeating templates.
  METADATA_WRITE: (v) => v.entityId === 'Settings' && v.found === '"Settings5"',
  NOTE_NOT_FULL_TEXT: (v) => v.path === 'p.nt.t',
  RECURRENCE_WRITE: () => true,
  TEMPLATE_EDIT: () => true,
  // The deliberate `unknownTombstone` anomaly (a tombstone of an id that never existed).
  DANGLING_REFERENCE: (v) => v.path === 'p.dloid' && v.found.endsWith('(never created)'),
};

describe('generated histories through the guard', () => {
  it.each([
    [1, 4000],
    [7, 4000],
    ['guard', 4000],
  ])('seed %s, %i items: only native behaviour is flagged, nothing else', (seed, items) => {
    const ledger = new GuardLedger({ complete: true });
    const seen = new Map<string, number>();
    const unexplained: string[] = [];
    let index = 0;
    for (const text of generatedGroups({ items, seed })) {
      const body = JSON.parse(text) as Body;
      for (const v of checkCommit(body, ledger).violations) {
        seen.set(v.code, (seen.get(v.code) ?? 0) + 1);
        if (NATIVE_BEHAVIOUR[v.code]?.(v, body) !== true)
          unexplained.push(`@${index} ${v.message}`);
      }
      ledger.applyTexts([text], index++);
    }
    expect(unexplained).toEqual([]);
    // The native behaviours are really exercised (the attributions above are not dead code).
    for (const code of ['NON_POSITIVE_IX', 'NOTE_NOT_FULL_TEXT', 'TEMPLATE_EDIT']) {
      expect(seen.get(code) ?? 0).toBeGreaterThan(0);
    }
  });

  it('finds the native creates of the generator clean except for ix', () => {
    const ledger = new GuardLedger({ complete: true });
    let creates = 0;
    let index = 0;
    for (const text of generatedGroups({ items: 3000, seed: 3 })) {
      const body = JSON.parse(text) as Body;
      const report = checkCommit(body, ledger, {
        ignore: ['NON_POSITIVE_IX', 'RECURRENCE_WRITE', 'METADATA_WRITE'],
      });
      for (const [id, event] of Object.entries(body)) {
        if (event.t !== 0 || event.p['md'] !== null) continue;
        creates++;
        expect(report.violations.filter((v) => v.entityId === id)).toEqual([]);
      }
      ledger.applyTexts([text], index++);
    }
    expect(creates).toBeGreaterThan(500);
  });
});
