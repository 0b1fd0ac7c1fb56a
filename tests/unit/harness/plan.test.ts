import { describe, expect, it } from 'vitest';
import type { Cassette } from '../../../src/harness/cassette.ts';
import { isHarnessError, type ScenarioDefinition } from '../../../src/harness/index.ts';
import {
  DEFAULT_CLOCK_START,
  planScenario,
  scenarioMode,
  type PlanSettings,
} from '../../../src/harness/plan.ts';

const def = (options: ScenarioDefinition['options'] = {}): ScenarioDefinition => ({
  name: 'plan me',
  file: '/scripts/plan.scenario.ts',
  options,
  fn: () => undefined,
});

const replay: PlanSettings = {
  mode: 'replay',
  allowNet: false,
  credentials: null,
  wallClock: () => Date.UTC(2026, 4, 1, 9, 0, 30),
};

const record: PlanSettings = {
  ...replay,
  mode: 'record',
  allowNet: true,
  credentials: { email: 'plan@example.com', password: 'a long enough password' },
};

/** A cassette recorded in `timeZone` starting at `clockStart` (only what a plan reads). */
const cassette = (timeZone: string, clockStart: number): Cassette =>
  ({
    dir: '/scripts/plan.scenario.cassette/plan-me',
    manifest: { timeZone, recordedAt: new Date(clockStart * 1000).toISOString() },
    requests: [],
    pages: new Map(),
    clockStart,
  }) as unknown as Cassette;

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isHarnessError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('scenarioMode()', () => {
  it('records in record-missing mode only what has no cassette', () => {
    expect(scenarioMode('record-missing', false)).toBe('record');
    expect(scenarioMode('record-missing', true)).toBe('replay');
    expect(scenarioMode('replay', false)).toBe('replay');
    expect(scenarioMode('record', true)).toBe('record');
  });
});

describe('planScenario()', () => {
  it('replays from the cassette clock, in UTC, with every sanitizer on by default', () => {
    expect(planScenario(def(), replay, cassette('UTC', 1_780_000_000))).toEqual({
      mode: 'replay',
      timeZone: 'UTC',
      clockStart: 1_780_000_000,
      sanitize: { requests: true, ops: true, resources: true, secrets: true },
    });
  });

  it('starts a replay without a cassette at the pinned clock, else at the default start', () => {
    expect(planScenario(def({ clock: '2026-03-02T08:30:00Z' }), replay, null).clockStart).toBe(
      Date.UTC(2026, 2, 2, 8, 30) / 1000,
    );
    expect(planScenario(def(), replay, null).clockStart).toBe(DEFAULT_CLOCK_START);
  });

  it('starts a recording at the pinned clock, else at the wall clock in whole seconds', () => {
    expect(planScenario(def(), record, null).clockStart).toBe(
      Date.UTC(2026, 4, 1, 9, 0, 30) / 1000,
    );
    const pinned = planScenario(def({ clock: '2026-03-02T08:30:00Z' }), record, null);
    expect(pinned.clockStart).toBe(Date.UTC(2026, 2, 2, 8, 30) / 1000);
  });

  it('keeps the sanitizers a scenario switches off', () => {
    const plan = planScenario(def({ sanitize: { ops: false, secrets: false } }), replay, null);
    expect(plan.sanitize).toEqual({ requests: true, ops: false, resources: true, secrets: false });
  });

  it('refuses to record without the network, without credentials or with a short password', () => {
    expect(code(() => planScenario(def(), { ...record, allowNet: false }, null))).toBe(
      'NET_NOT_ALLOWED',
    );
    expect(code(() => planScenario(def(), { ...record, credentials: null }, null))).toBe(
      'MISSING_CREDENTIALS',
    );
    const short = { email: 'plan@example.com', password: 'short' };
    expect(code(() => planScenario(def(), { ...record, credentials: short }, null))).toBe(
      'SECRET_TOO_SHORT',
    );
  });

  it('rejects an unknown zone and a clock that is not an instant', () => {
    expect(code(() => planScenario(def({ timeZone: 'Mars/Olympus' }), replay, null))).toBe(
      'INVALID_OPTIONS',
    );
    expect(code(() => planScenario(def({ clock: 'yesterday' }), replay, null))).toBe(
      'INVALID_OPTIONS',
    );
  });

  it('rejects a cassette recorded in another zone or at another pinned start', () => {
    const recorded = cassette('Europe/Berlin', Date.UTC(2026, 2, 2, 8, 30) / 1000);
    expect(code(() => planScenario(def(), replay, recorded))).toBe('INVALID_CASSETTE');
    const berlin = { timeZone: 'Europe/Berlin' };
    expect(
      code(() => planScenario(def({ ...berlin, clock: '2026-03-03T08:30:00Z' }), replay, recorded)),
    ).toBe('INVALID_CASSETTE');
    expect(
      planScenario(def({ ...berlin, clock: '2026-03-02T08:30:00Z' }), replay, recorded).mode,
    ).toBe('replay');
  });
});
