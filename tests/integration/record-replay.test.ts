/**
 * Acceptance: recording a generated history from the fake service and replaying the fixture gives
 * the same dump as replaying the generated history directly. The 100k-item case runs only with
 * THINGSTAPE_LONG_TESTS=1 (it takes about a minute).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordHistory } from '../../recorder/index.ts';
import { main } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { FakeClock, fixtureGroups, generatedGroups } from '../../src/fake/index.ts';
import { verifyPath } from '../../src/fixture/verify-node.ts';
import {
  SECRETS,
  replayDump,
  tempDir,
  testClient,
  testFake,
  withFake,
} from '../unit/recorder/support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function silentIo(): CliIo {
  return {
    stdout: () => undefined,
    stderr: () => undefined,
    isTty: false,
    env: {},
    cwd: process.cwd(),
  };
}

async function roundTrip(items: number, pageGroups: number): Promise<boolean> {
  const temp = await tempDir();
  cleanups.push(() => temp.remove());
  const seed = `record-replay-${items}`;
  const generated = join(temp.path, 'generated');
  expect(
    await main(
      ['gen', generated, '--items', String(items), '--seed', seed, '--time-zone', 'Europe/Berlin'],
      silentIo(),
    ),
  ).toBe(0);
  const groups = [...generatedGroups({ items, seed, timeZone: 'Europe/Berlin' })];
  // The fake holds exactly the generated groups, verbatim.
  expect(await fixtureGroups(generated)).toEqual(groups);

  // The fake pages differently from the generator (its own page size).
  const fake = testFake({ groups, pageGroups });
  const recorded = join(temp.path, 'recorded');
  const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z'));
  const summary = await withFake(fake, () =>
    recordHistory({
      dir: recorded,
      client: testClient(clock),
      email: SECRETS.email,
      password: SECRETS.password,
      timeZone: 'Europe/Berlin',
      clock: clock.now,
    }),
  );
  expect(summary.complete).toBe(true);
  expect(summary.head).toBe(groups.length);
  expect((await verifyPath(recorded)).ok).toBe(true);

  const direct = await replayDump(generated);
  const viaRecording = await replayDump(recorded);
  expect(viaRecording.length).toBeGreaterThan(items * 50);
  return viaRecording === direct;
}

describe('record → replay', () => {
  it('gives the dump of the source history for 10k generated items', async () => {
    expect(await roundTrip(10_000, 333)).toBe(true);
  });

  it.runIf(process.env['THINGSTAPE_LONG_TESTS'] === '1')(
    'gives the dump of the source history for 100k generated items',
    async () => {
      expect(await roundTrip(100_000, 1200)).toBe(true);
    },
    600_000,
  );
});
