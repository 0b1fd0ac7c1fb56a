/**
 * Acceptance: under seeded random faults (5xx, 429 with Retry-After, timeouts, truncated bodies,
 * connection resets) a recording completes byte-identical to a fault-free one, and a recording
 * interrupted (AbusePrevention, or a crash leaving stray files) and resumed is byte-identical too.
 * A failing trial names its seed; rerun it alone with FAULT_SEED=<seed>.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHistory, type RecordOptions } from '../../recorder/index.ts';
import { CloudError } from '../../src/cloud/index.ts';
import {
  FakeClock,
  TRANSIENT_FAULTS,
  generatedGroups,
  type FaultOptions,
} from '../../src/fake/index.ts';
import { Rng } from '../../src/gen/prng.ts';
import {
  SECRETS,
  fixtureContent,
  tempDir,
  testClient,
  testFake,
} from '../unit/recorder/support.ts';

const GROUPS = [...generatedGroups({ items: 2500, seed: 'faults' })];
const PAGE_GROUPS = 150;
const NOW = Date.parse('2026-03-01T12:00:00Z');
const only = process.env['FAULT_SEED'];
const SEEDS = only === undefined ? Array.from({ length: 50 }, (_, i) => i + 1) : [Number(only)];
const RESUME_SEEDS =
  only === undefined ? Array.from({ length: 20 }, (_, i) => 1000 + i) : [Number(only)];

let root: Awaited<ReturnType<typeof tempDir>>;
let baseline: Record<string, string>;
let n = 0;
// One msw server for every trial; each trial installs its own fake's handlers.
const server = setupServer();

async function record(faults: FaultOptions, options: Partial<RecordOptions> = {}, dir?: string) {
  const target = dir ?? join(root.path, `trial-${++n}`);
  const fake = testFake({ groups: GROUPS, pageGroups: PAGE_GROUPS, faults });
  const clock = new FakeClock(NOW);
  server.resetHandlers(...fake.handlers());
  const run = recordHistory({
    dir: target,
    client: testClient(clock, { retry: { maxAttempts: 4 } }),
    email: SECRETS.email,
    password: SECRETS.password,
    timeZone: 'Europe/Berlin',
    clock: clock.now,
    ...options,
  });
  return { target, fake, run };
}

beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'error' });
  root = await tempDir('thingstape-faults-');
  const { target, run } = await record({});
  await run;
  baseline = await fixtureContent(target);
  if (Object.keys(baseline).length < 10) throw new Error('the baseline recording is too short');
});
afterAll(async () => {
  server.close();
  await root.remove();
});

describe('recording under injected faults', () => {
  it(`completes byte-identical to a fault-free recording (${SEEDS.length} seeded trials)`, async () => {
    let faults = 0;
    let retried = 0;
    const kinds = new Set<string>();
    for (const seed of SEEDS) {
      const { target, fake, run } = await record({
        seed,
        probability: 0.3,
        retryAfterSeconds: [1, 5],
        endpoints: ['account', 'history', 'items'],
      });
      const summary = await run.catch((error: unknown) => {
        throw new Error(`trial FAULT_SEED=${seed} failed: ${String(error)}`, { cause: error });
      });
      expect(summary.complete, `FAULT_SEED=${seed}`).toBe(true);
      expect(await fixtureContent(target), `FAULT_SEED=${seed}`).toEqual(baseline);
      faults += fake.requests.filter((r) => r.fault !== null).length;
      for (const r of fake.requests) if (r.fault !== null) kinds.add(r.fault);
      const side = JSON.parse(await readFile(join(target, 'pages/000000000.meta.json'), 'utf8'));
      if (side.attempts > 1) retried++;
    }
    // Every kind of fault was exercised, and often.
    expect(faults).toBeGreaterThan(SEEDS.length * 3);
    expect(retried).toBeGreaterThan(0);
    expect([...kinds].sort()).toEqual([...TRANSIENT_FAULTS].sort());
  });

  it(`resumes an interrupted recording byte-identically (${RESUME_SEEDS.length} seeded trials)`, async () => {
    for (const seed of RESUME_SEEDS) {
      const rng = new Rng(seed);
      const stopAt = rng.int(3, 20);
      const first = await record({
        seed,
        probability: 0.2,
        script: { [stopAt]: 'abuse-prevention' },
      });
      const error = await first.run.then(
        () => null,
        (caught: unknown) => caught,
      );
      // A late stop may fall after the last request: then the first run simply completed.
      expect(
        error === null || (error instanceof CloudError && error.code === 'ABUSE_PREVENTION'),
        `FAULT_SEED=${seed}: ${String(error)}`,
      ).toBe(true);
      if (rng.chance(0.5)) {
        // A crash mid-page: a temporary file and an unlisted page file for the next index.
        const manifest = JSON.parse(await readFile(join(first.target, 'manifest.json'), 'utf8'));
        const last = manifest.pages.at(-1);
        const next = last === undefined ? 0 : last.startIndex + last.groups;
        const name = `${String(next).padStart(9, '0')}.json`;
        await writeFile(join(first.target, 'pages', name), '{"items":[{"trunc');
        await writeFile(join(first.target, 'pages', `.${name}.tmp-0123456789ab`), 'partial');
      }
      const second = await record(
        { seed: seed + 7, probability: 0.2 },
        { resume: true },
        first.target,
      );
      const summary = await second.run;
      expect(summary.complete, `FAULT_SEED=${seed}`).toBe(true);
      expect(await fixtureContent(first.target), `FAULT_SEED=${seed}`).toEqual(baseline);
    }
  });
});
