/**
 * `thingstape serve` against hostile and careless clients: commit bodies must be history events,
 * request bodies are capped, and recording a scenario against it works (its history key is not a
 * redaction placeholder; a password too short to scan for is refused up front).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_COMMIT_BYTES } from '../../../src/fake/wire.ts';
import { readFixture } from '../../../src/fixture/node.ts';
import { HISTORY_KEY_PLACEHOLDER } from '../../../src/fixture/types.ts';
import { decodePageText } from '../../../src/protocol/index.ts';
import { SERVED_HISTORY_KEY, fixtureService, startServer } from '../../../src/serve/index.ts';
import { REPO } from '../../support/cli.ts';
import { ACCOUNT, define, record, scratch } from '../harness/support.ts';

const FIXTURE = join(REPO, 'fixtures', 'synthetic', 'multi-page');
const ID = 'Kd5u6PEbkZ7qGDTvY4yYNi';

async function service() {
  return fixtureService(await readFixture(FIXTURE));
}

function commit(body: string, ancestor: number): Request {
  return new Request(
    `http://127.0.0.1/version/1/history/${SERVED_HISTORY_KEY}/commit?ancestor-index=${ancestor}&_cnt=1`,
    { method: 'POST', body },
  );
}

describe('fixtureService() commits', () => {
  it.each([
    ['an object that is no group of events', '{"x": 1}'],
    ['an event of no kind', `{"${ID}": {"t": 1, "p": {}}}`],
    ['a payload of the wrong type', `{"${ID}": {"t": 1, "e": "Task6", "p": {"ss": "done"}}}`],
    [
      'a value nested too deep',
      `{"${ID}": {"t": 1, "e": "Task6", "p": {"xx": ${'['.repeat(100)}${']'.repeat(100)}}}}`,
    ],
    ['an array', '[]'],
    ['text that is not JSON', 'commit'],
  ])('refuses %s with 400 and keeps the head', async (_name, body) => {
    const served = await service();
    const head = served.state().head;
    const response = await served.handle(commit(body, head));
    expect(response.status).toBe(400);
    expect(served.state()).toMatchObject({ head, committed: 0 });
  });

  it('accepts a group of events, and serves a history that decodes', async () => {
    const served = await service();
    const head = served.state().head;
    const body = JSON.stringify({ [ID]: { t: 1, e: 'Task6', p: { tt: 'x', md: 1 } } });
    const response = await served.handle(commit(body, head));
    expect(response.status).toBe(200);
    const page = await served.handle(
      new Request(
        `http://127.0.0.1/version/1/history/${SERVED_HISTORY_KEY}/items?start-index=${head}`,
      ),
    );
    const decoded = decodePageText(await page.text(), { startIndex: head });
    expect(decoded.groups.map((g) => g.items.map((i) => i.ref.id))).toEqual([[ID]]);
  });

  it('hands out a history key that is no redaction placeholder', async () => {
    const served = await service();
    const account = await served.handle(
      new Request('http://127.0.0.1/version/1/account/someone%40example.com', {
        headers: { Authorization: 'Password x' },
      }),
    );
    const key = ((await account.json()) as Record<string, unknown>)['history-key'];
    expect(key).toBe(SERVED_HISTORY_KEY);
    expect(key).not.toBe(HISTORY_KEY_PLACEHOLDER);
  });
});

describe('startServer() request bodies', () => {
  it(`refuses a body over ${MAX_COMMIT_BYTES} bytes with 413 before the handler sees it`, async () => {
    let handled = 0;
    const server = await startServer(async () => {
      handled += 1;
      return new Response('ok');
    });
    try {
      const big = new Uint8Array(MAX_COMMIT_BYTES + 1).fill(0x20);
      const response = await fetch(`${server.url}/version/1/history/k/commit?ancestor-index=0`, {
        method: 'POST',
        body: big,
      });
      expect(response.status).toBe(413);
      expect(handled).toBe(0);
      const small = await fetch(`${server.url}/x`, { method: 'POST', body: '{}' });
      expect(await small.text()).toBe('ok');
      expect(handled).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('recording a scenario against serve', () => {
  let tmp: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => {
    tmp = await scratch();
  });
  afterEach(async () => {
    await tmp.remove();
  });

  const syncAll = define(
    '',
    'reads the served history',
    async (t) => {
      const changes = await t.sync();
      if (changes.length !== 15) throw new Error(`expected 15 changes, got ${changes.length}`);
    },
    { fromStart: true },
  );

  async function recordAgainstServe(password: string) {
    const served = await service();
    return record([{ ...syncAll, file: tmp.file('served.scenario.ts') }], {
      credentials: { email: ACCOUNT.email, password },
      upstream: (input, init) => served.handle(new Request(input, init)),
    });
  }

  it('keeps a cassette, with no secret in it', async () => {
    const report = await recordAgainstServe(ACCOUNT.password);
    expect(report.scenarios[0]).toMatchObject({ status: 'passed', recorded: true, sanitizers: [] });
  });

  it('refuses a one-letter password up front, not with SECRET_WRITTEN at the end', async () => {
    const report = await recordAgainstServe('x');
    const result = report.scenarios[0];
    expect(result?.status).toBe('failed');
    expect(result?.error?.code).toBe('SECRET_TOO_SHORT');
    expect(result?.error?.message).toBe(
      'Cannot record scenario "reads the served history": THINGS_PASSWORD has 1 character(s); a secret shorter than 8 matches ordinary content, so the recording could not be checked for it; use a longer password (thingstape serve accepts any)',
    );
    expect(result?.sanitizers).toEqual([]);
  });
});
