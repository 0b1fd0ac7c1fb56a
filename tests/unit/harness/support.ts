/**
 * Helpers for harness tests: scenarios defined in a temp directory (their cassettes and snapshots
 * land there), recorded against an in-process fake Things Cloud without any socket.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FetchLike } from '../../../src/cloud/index.ts';
import { FakeThingsCloud } from '../../../src/fake/index.ts';
import {
  runScenarios,
  type RunOptions,
  type RunReport,
  type ScenarioDefinition,
  type ScenarioFn,
  type ScenarioOptions,
} from '../../../src/harness/index.ts';
import { mswHandler } from '../../../src/serve/index.ts';

/** Test credentials of the fake account (never real ones). */
export const ACCOUNT = {
  email: 'harness-test@example.com',
  password: 'pw-for-harness-tests-7Q2',
  historyKey: '5f0c2a9e-1b7d-4e55-9a3c-2d8e6f7a1b40',
} as const;

/** A temp directory holding the scenario "script" paths. */
export async function scratch(): Promise<{
  readonly dir: string;
  file(name: string): string;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'thingstape-harness-'));
  return {
    dir,
    file: (name) => join(dir, name),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A scenario definition without the global registry. */
export function define(
  file: string,
  name: string,
  fn: ScenarioFn,
  options: ScenarioOptions = {},
  pinClock = true,
): ScenarioDefinition {
  return {
    file,
    name,
    fn,
    options: {
      ...(pinClock ? { clock: '2026-03-02T08:30:00Z' } : {}),
      timeZone: 'Europe/Berlin',
      ...options,
    },
  };
}

/** A fresh fake and a `fetch` that reaches it in-process (the base URL is ignored). */
export function fakeUpstream(): { readonly fake: FakeThingsCloud; readonly fetch: FetchLike } {
  const fake = new FakeThingsCloud({ account: ACCOUNT });
  const handle = mswHandler(fake.handlers(), fake.baseUrl);
  return { fake, fetch: (input, init) => handle(new Request(input, init)) };
}

const BASE: Omit<RunOptions, 'mode'> = {
  allowNet: false,
  update: false,
  ci: false,
  credentials: null,
  wallClock: () => Date.UTC(2026, 2, 2, 8, 30),
};

/** Records `defs` against a fresh fake. */
export function record(
  defs: readonly ScenarioDefinition[],
  extra: Partial<RunOptions> = {},
): Promise<RunReport> {
  return runScenarios(defs, {
    ...BASE,
    mode: 'record',
    allowNet: true,
    credentials: { email: ACCOUNT.email, password: ACCOUNT.password },
    baseUrl: 'http://127.0.0.1:9',
    upstream: fakeUpstream().fetch,
    ...extra,
  });
}

/** Replays `defs` (as in CI unless told otherwise). */
export function replay(
  defs: readonly ScenarioDefinition[],
  extra: Partial<RunOptions> = {},
): Promise<RunReport> {
  return runScenarios(defs, { ...BASE, mode: 'replay', ci: true, ...extra });
}
