/**
 * Shared helpers of the recorder, fake-service and live-sync tests: known test secrets, temp
 * directories, a fake Things Cloud served by msw, fixture file listings and replay dumps.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { CloudClient, type CloudClientOptions } from '../../../src/cloud/index.ts';
import { FakeClock, FakeThingsCloud, type FakeCloudOptions } from '../../../src/fake/index.ts';
import type { CivilDate } from '../../../src/protocol/types.ts';
import { replayFixture } from '../../../src/replay/index.ts';
import { openStore } from '../../../src/store/index.ts';

/** Invented credentials; the secret-scan tests look for exactly these. */
export const SECRETS = {
  email: 'recorder.test+42@example.com',
  password: "c0rrect h0rse/b@ttery'stäple",
  historyKey: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
} as const;

/** The base URL the fake answers on in tests. */
export const FAKE_BASE = 'http://things.test';

/** A fake service with the test account. */
export function testFake(
  options: Omit<FakeCloudOptions, 'account'> & { historyKey?: string },
): FakeThingsCloud {
  const { historyKey, faults, ...rest } = options;
  return new FakeThingsCloud({
    baseUrl: FAKE_BASE,
    account: {
      email: SECRETS.email,
      password: SECRETS.password,
      historyKey: historyKey ?? SECRETS.historyKey,
    },
    // A `timeout` fault gives up at once, so no outcome depends on a real timer (see testClient).
    ...(faults === undefined ? {} : { faults: { hangMs: 0, ...faults } }),
    ...rest,
  });
}

/** Runs `fn` with `fake` served by msw (closed afterwards, so replays can start their own). */
export async function withFake<T>(fake: FakeThingsCloud, fn: () => Promise<T>): Promise<T> {
  const server = setupServer(...fake.handlers());
  server.listen({ onUnhandledFrame: 'error' });
  try {
    return await fn();
  } finally {
    server.close();
  }
}

/** A client for the fake with an instant clock and deterministic jitter. */
export function testClient(
  clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z')),
  options: Partial<CloudClientOptions> = {},
): CloudClient {
  return new CloudClient({
    baseUrl: FAKE_BASE,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    // A guard, never reached by an answered request however busy the machine is.
    timeoutMs: 60_000,
    ...options,
  });
}

/** A temp directory and its removal. */
export async function tempDir(
  prefix = 'thingstape-rec-',
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Every file under `dir` by relative path (sorted), with its bytes. */
export async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (sub: string): Promise<void> => {
    for (const entry of (await readdir(join(dir, sub), { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const relative = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) await walk(relative);
      else {
        // A database's -shm/-wal file may vanish between listing and reading.
        const bytes = await readFile(join(dir, relative)).catch(() => undefined);
        if (bytes !== undefined) out.set(relative, bytes);
      }
    }
  };
  await walk('');
  return out;
}

/** The fixture's manifest and page files (side files left out: they carry timings). */
export async function fixtureContent(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [file, bytes] of await filesOf(dir)) {
    if (!file.endsWith('.meta.json')) out[file] = bytes.toString('utf8');
  }
  return out;
}

/** Replays a fixture into a fresh in-memory store and returns the dump. */
export async function replayDump(
  dir: string,
  context: { timeZone: string; today: CivilDate } = {
    timeZone: 'Europe/Berlin',
    today: '2026-03-01' as CivilDate,
  },
): Promise<string> {
  const store = await openStore(':memory:');
  try {
    await replayFixture({
      fixtureDir: dir,
      store,
      timeZone: context.timeZone,
      today: context.today,
    });
    return await store.dump();
  } finally {
    store.close();
  }
}
