/**
 * The same fixture replayed with the system clock set to different dates, and under different
 * process time zones, gives identical changes and dumps: nothing in the fold reads the wall clock.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { committedFixtures, runCli, spawnCli } from '../support/cli.ts';
import { changeText, tempDbs } from './helpers.ts';

/** Fixtures whose changes depend on dates (lists judged at each change's time), and the big one. */
const TIME_SENSITIVE = new Set([
  'scheduling',
  'starts-at-cursor',
  'status-changes',
  'repeating',
  'inbox-and-trash',
  'multi-page',
  'legacy-ids',
  'account-5k',
]);
const fixtures = (await committedFixtures()).filter((f) => TIME_SENSITIVE.has(f.name));
const nextDb = tempDbs('thingstape-clock-');
const CLOCKS = ['2001-03-04T05:06:07Z', '2026-12-31T23:59:59Z', '2090-07-01T12:00:00Z'] as const;

interface Outcome {
  readonly changes: string;
  readonly dump: string;
}

async function replay(path: string): Promise<Outcome> {
  const db = await nextDb();
  const run = await runCli(['replay', path, '--db', db, '--json']);
  if (run.code !== 0) throw new Error(`replay ${path} failed: ${run.stderr}`);
  const dump = await runCli(['dump', '--db', db]);
  // The change lines (the closing summary names the database, which differs per run).
  return { changes: changeText(run.stdout), dump: dump.stdout };
}

const baseline = new Map<string, Outcome>();

beforeAll(async () => {
  for (const fixture of fixtures) baseline.set(fixture.path, await replay(fixture.path));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('replay under a different system clock', () => {
  it.each(CLOCKS)('gives the same changes and dump with the clock at %s', async (clock) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(clock));
    // The fake clock is what the code under test sees.
    expect(new Date().toISOString()).toBe(new Date(clock).toISOString());
    expect(Math.abs(Date.now() - Date.parse(clock))).toBeLessThan(60_000);
    // The large realistic fixture runs under one clock only, to keep the suite fast.
    const realistic = clock.startsWith('2090');
    for (const fixture of fixtures) {
      if (fixture.kind === 'generated' && !realistic) continue;
      const outcome = await replay(fixture.path);
      const expected = baseline.get(fixture.path);
      expect({ fixture: fixture.path, ...outcome }).toEqual({ fixture: fixture.path, ...expected });
    }
  });

  it('has a baseline with changes for the time-sensitive fixtures', () => {
    expect(fixtures.length).toBe(TIME_SENSITIVE.size);
    expect(baseline.get('fixtures/synthetic/scheduling')?.changes).toContain('"TaskMovedToToday"');
    expect(
      baseline.get('fixtures/realistic/account-5k')?.changes.split('\n').length,
    ).toBeGreaterThan(1000);
  });
});

describe('replay in a process with another TZ', () => {
  it('gives the same changes and dump under TZ=Pacific/Kiritimati and TZ=Pacific/Pago_Pago', async () => {
    const path = 'fixtures/synthetic/scheduling';
    // Separate processes, side by side (each on its own database); the dump is read in-process.
    const outcomes = await Promise.all(
      ['Pacific/Kiritimati', 'Pacific/Pago_Pago'].map(async (tz) => {
        const db = await nextDb();
        const run = await spawnCli(['replay', path, '--db', db, '--json'], { env: { TZ: tz } });
        const dump = await runCli(['dump', '--db', db]);
        return {
          tz,
          code: run.code,
          stderr: run.stderr,
          changes: changeText(run.stdout),
          dump: dump.stdout,
        };
      }),
    );
    for (const outcome of outcomes) {
      expect(outcome).toEqual({
        tz: outcome.tz,
        code: 0,
        stderr: expect.stringMatching(/^Replayed fixture "scheduling" /) as unknown,
        ...baseline.get(path),
      });
    }
  });
});
