/**
 * `thingstape drift --live` against local Things Cloud services over real HTTP (loopback): the
 * account read now, compared with a reference, each failing endpoint and new schema reported.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeThingsCloud, generatedGroups } from '../../../src/fake/index.ts';
import { mswHandler, startServer, type RunningServer } from '../../../src/serve/index.ts';
import { runCli } from '../../support/cli.ts';

const ACCOUNT = { email: 'drift@example.com', password: 'pw-drift-1', historyKey: 'key-drift-1' };
const ENV = { THINGS_USERNAME: ACCOUNT.email, THINGS_PASSWORD: ACCOUNT.password };
let dir = '';
const servers: RunningServer[] = [];

async function serveFake(schema: number): Promise<string> {
  const fake = new FakeThingsCloud({
    account: ACCOUNT,
    groups: generatedGroups({ items: 300, seed: 4 }),
    schema,
    pageGroups: 100,
  });
  const server = await startServer(mswHandler(fake.handlers(), fake.baseUrl));
  servers.push(server);
  return server.url;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'thingstape-drift-live-'));
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await rm(dir, { recursive: true, force: true });
});

function live(url: string, args: string[], env: Record<string, string> = ENV) {
  return runCli(['drift', '--live', '--base-url', url, '--rate', '0', ...args], { cwd: dir, env });
}

describe('thingstape drift --live', () => {
  it('catalogues the account now; the same service again shows no drift', async () => {
    const url = await serveFake(301);
    const first = await live(url, ['--write-catalogue', 'live.json', '--json']);
    expect(first.code).toBe(0);
    const again = await live(url, ['live.json']);
    expect([again.code, again.stdout]).toEqual([0, '']);
    expect(again.stderr).toContain(
      'Drift of the live account against 1 reference(s): 0 error(s), 0 warning(s)',
    );
  });

  it('reports a new schema number and a failing account endpoint as errors (exit 3)', async () => {
    const newer = await serveFake(302);
    const run = await live(newer, ['live.json', '--json']);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as {
      recording: string;
      findings: { tier: string; code: string }[];
    };
    expect(report.recording).toBe('the live account');
    expect(report.findings.filter((f) => f.tier === 'error').map((f) => f.code)).toEqual([
      'NEW_SCHEMA',
    ]);
    const url = await serveFake(301);
    const refused = await live(url, ['live.json', '--json'], { ...ENV, THINGS_PASSWORD: 'wrong' });
    expect(refused.code).toBe(3);
    const failing = JSON.parse(refused.stdout) as { findings: { tier: string }[] };
    expect(failing.findings.filter((f) => f.tier !== 'info')).toEqual([
      expect.objectContaining({
        tier: 'error',
        code: 'ENDPOINT_FAILING',
        subject: 'GET /version/1/account/{email}',
        message: 'GET /version/1/account/{email} now answers 401 (it answered 200)',
      }),
    ]);
  });

  it('needs the credentials from the environment', async () => {
    const run = await runCli(['drift', '--live'], { cwd: dir, env: {} });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('set THINGS_USERNAME and THINGS_PASSWORD');
  });
});
