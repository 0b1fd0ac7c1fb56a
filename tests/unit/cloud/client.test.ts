import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudClient,
  CloudError,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  type CloudClientOptions,
} from '../../../src/cloud/index.ts';
import {
  FakeClock,
  FakeThingsCloud,
  generatedGroups,
  type FaultOptions,
} from '../../../src/fake/index.ts';

const BASE = 'http://things.test';
const EMAIL = 'someone+tag@example.com';
const PASSWORD = "pa$s w'ord@1";
const KEY = '5f0c2a9e-1b7d-4e55-9a3c-2d8e6f7a1b40';
const GROUPS = [...generatedGroups({ items: 300, seed: 'client' })];

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function setup(
  options: { faults?: FaultOptions; pageGroups?: number; schema?: number } = {},
  clientOptions: Partial<CloudClientOptions> = {},
): { fake: FakeThingsCloud; client: CloudClient; clock: FakeClock; seen: Request[] } {
  const fake = new FakeThingsCloud({
    baseUrl: BASE,
    account: { email: EMAIL, password: PASSWORD, historyKey: KEY },
    groups: GROUPS,
    pageGroups: options.pageGroups ?? 40,
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    // A `timeout` fault gives up at once: a real timer would make attempt counts depend on how
    // busy the machine is (one test below lets the client's own timer fire on a request that
    // can never be answered).
    ...(options.faults === undefined ? {} : { faults: { hangMs: 0, ...options.faults } }),
  });
  server.use(...fake.handlers());
  const clock = new FakeClock();
  const seen: Request[] = [];
  const client = new CloudClient({
    baseUrl: BASE,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    timeoutMs: 60_000,
    fetch: (input, init) => {
      seen.push(new Request(input, init));
      return fetch(input, init);
    },
    ...clientOptions,
  });
  return { fake, client, clock, seen };
}

async function failure(promise: Promise<unknown>): Promise<CloudError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CloudError) return error;
    throw error;
  }
  throw new Error('expected a CloudError');
}

function expectNoSecret(text: string): void {
  for (const secret of [
    EMAIL,
    PASSWORD,
    KEY,
    encodeURIComponent(EMAIL),
    encodeURIComponent(PASSWORD),
  ]) {
    expect(text).not.toContain(secret);
  }
}

describe('CloudClient.account()', () => {
  it('sends the percent-encoded password and escaped e-mail and returns the history key', async () => {
    const { client, seen } = setup();
    const account = await client.account(EMAIL, PASSWORD);
    expect(account).toEqual({
      historyKey: KEY,
      status: 'SYAccountStatusActive',
      issues: [],
      slaVersionAccepted: 'https://cloud.culturedcode.com/sla/v1.5-rich.html?language=en',
    });
    const request = seen[0]!;
    expect(request.url).toBe(`${BASE}/version/1/account/someone%2Btag%40example.com`);
    expect(request.headers.get('authorization')).toBe("Password pa%24s%20w'ord%401");
  });

  it('fails with AUTH_FAILED on a wrong password, naming neither e-mail nor password', async () => {
    const { client } = setup();
    const error = await failure(client.account(EMAIL, 'wrong password'));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.status).toBe(401);
    expect(error.attempts).toBe(1);
    expectNoSecret(error.message);
  });

  it('refuses an account with issues or an inactive status (ACCOUNT_UNUSABLE)', async () => {
    for (const account of [{ issues: [{ code: 'x' }] }, { status: 'SYAccountStatusSuspended' }]) {
      const fake = new FakeThingsCloud({
        baseUrl: BASE,
        account: { email: EMAIL, password: PASSWORD, historyKey: KEY, ...account },
      });
      server.use(...fake.handlers());
      const error = await failure(new CloudClient({ baseUrl: BASE }).account(EMAIL, PASSWORD));
      expect(error.code).toBe('ACCOUNT_UNUSABLE');
      expectNoSecret(error.message);
    }
  });
});

describe('CloudClient.historyMeta() and itemsPage()', () => {
  it('reads the head and a page with its envelope', async () => {
    const { client, fake } = setup();
    const meta = await client.historyMeta(KEY);
    expect(meta.latestServerIndex).toBe(fake.head);
    expect(meta.latestSchemaVersion).toBe(301);
    const page = await client.itemsPage(KEY, 40, { validate: true });
    expect(page.envelope).toMatchObject({ groups: 40, currentItemIndex: fake.head, schema: 301 });
    expect(new TextDecoder().decode(page.body)).toBe(
      fake.history.page(40, { pageGroups: 40 }).text,
    );
    expect(page.attempts).toBe(1);
  });

  it('returns the body unvalidated without validate (envelope null)', async () => {
    const { client } = setup();
    const page = await client.itemsPage(KEY, 0);
    expect(page.envelope).toBeNull();
    expect(page.body.length).toBeGreaterThan(0);
  });

  it('reports an old key after a reset as ACCOUNT_ISSUE without retrying', async () => {
    const { client, fake } = setup();
    fake.resetHistory(GROUPS.slice(0, 5), { historyKey: 'new-key-0000' });
    const error = await failure(client.itemsPage(KEY, 100));
    expect(error.code).toBe('ACCOUNT_ISSUE');
    expect(error.status).toBe(404);
    expect(error.thingsResponse).toBe('AccountIssue');
    expect(error.attempts).toBe(1);
    expectNoSecret(error.message);
  });
});

describe('CloudClient retries', () => {
  it('retries a 503 with full-jitter backoff and succeeds', async () => {
    const { client, clock } = setup({
      faults: { script: { 1: 'server-error', 2: 'server-error' } },
    });
    const meta = await client.historyMeta(KEY);
    expect(meta.latestServerIndex).toBeGreaterThan(0);
    // random() = 0.5: attempt 1 waits 0.5 × 500 ms, attempt 2 waits 0.5 × 1000 ms.
    expect(clock.sleeps).toEqual([250, 500]);
  });

  it('honours Retry-After on a 429', async () => {
    const { client, clock } = setup({
      faults: { script: { 1: 'rate-limit' }, retryAfterSeconds: [7, 7] },
    });
    await client.historyMeta(KEY);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('fails with RETRY_AFTER_TOO_LONG when Retry-After exceeds the cap', async () => {
    const { client, clock } = setup(
      { faults: { script: { 1: 'rate-limit' }, retryAfterSeconds: [120, 120] } },
      { retry: { maxRetryAfterMs: 60_000 } },
    );
    const error = await failure(client.historyMeta(KEY));
    expect(error.code).toBe('RETRY_AFTER_TOO_LONG');
    expect(error.message).toContain('120 s');
    expect(clock.sleeps).toEqual([]);
  });

  it('stops at once on AbusePrevention', async () => {
    const { client, fake } = setup({ faults: { script: { 1: 'abuse-prevention' } } });
    const error = await failure(client.itemsPage(KEY, 0));
    expect(error.code).toBe('ABUSE_PREVENTION');
    expect(error.attempts).toBe(1);
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up after maxAttempts and says so', async () => {
    const { client, fake } = setup(
      { faults: { probability: 1, kinds: ['server-error'], maxConsecutive: 100 } },
      { retry: { maxAttempts: 3 } },
    );
    const error = await failure(client.historyMeta(KEY));
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.attempts).toBe(3);
    expect(error.message).toContain('gave up after 3 attempts');
    expect(fake.requests).toHaveLength(3);
  });

  it.each(['timeout', 'connection-reset', 'truncated-body'] as const)(
    'retries a %s and returns the complete page',
    async (kind) => {
      const { client, fake } = setup({ faults: { script: { 1: kind } } });
      const page = await client.itemsPage(KEY, 0, { validate: true });
      expect(page.attempts).toBe(2);
      expect(new TextDecoder().decode(page.body)).toBe(
        fake.history.page(0, { pageGroups: 40 }).text,
      );
      expect(fake.requests.map((r) => r.fault)).toEqual([kind, null]);
    },
  );

  it('gives up with TIMEOUT when no attempt is ever answered', async () => {
    const { client, fake } = setup(
      { faults: { script: { 1: 'timeout', 2: 'timeout', 3: 'timeout' }, hangMs: 600_000 } },
      { timeoutMs: 20, retry: { maxAttempts: 3 } },
    );
    const error = await failure(client.historyMeta(KEY));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('no answer within 20 ms');
    expect(fake.requests.map((r) => r.fault)).toEqual(['timeout', 'timeout', 'timeout']);
  });

  it('never prints a password given in the base URL', async () => {
    const { client } = setup(
      {},
      { baseUrl: 'http://user:hunter2@things.test', retry: { maxAttempts: 1 } },
    );
    const error = await failure(client.historyMeta(KEY));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toContain('http://things.test/');
    expect(error.message).not.toContain('hunter2');
  });

  it('paces requests to minIntervalMs', async () => {
    const { client, clock } = setup({}, { minIntervalMs: 1000 });
    await client.historyMeta(KEY);
    clock.advance(300);
    await client.historyMeta(KEY);
    await client.historyMeta(KEY);
    expect(clock.sleeps).toEqual([700, 1000]);
  });
});

describe('CloudClient.commit()', () => {
  const group = {
    M9CrKBjvpDP2D7uEsCtwyg: { t: 1, e: 'Task6', p: { ss: 3, sp: 1762012345.5, md: 1762012345.5 } },
  };

  it('appends a group and returns the new head', async () => {
    const { client, fake } = setup();
    const head = fake.head;
    expect(await client.commit(KEY, head, group)).toEqual({ head: head + 1 });
    expect(fake.history.group(head)).toBe(JSON.stringify(group));
  });

  it('fails with OUTDATED_ANCESTOR on a stale ancestor and appends nothing', async () => {
    const { client, fake } = setup();
    const head = fake.head;
    const error = await failure(client.commit(KEY, head - 1, group));
    expect(error.code).toBe('OUTDATED_ANCESTOR');
    expect(error.status).toBe(409);
    expect(error.thingsResponse).toBe('OutdatedAncestor');
    expect(fake.head).toBe(head);
  });

  it('never retries a commit after a 503 or a lost connection', async () => {
    const { client, fake } = setup({
      faults: { script: { 1: 'server-error', 2: 'connection-reset' }, endpoints: ['commit'] },
    });
    expect((await failure(client.commit(KEY, fake.head, group))).code).toBe('HTTP_STATUS');
    expect((await failure(client.commit(KEY, fake.head, group))).code).toBe('COMMIT_UNCERTAIN');
    expect(fake.requests).toHaveLength(2);
  });
});

describe('backoffDelay()', () => {
  it('grows exponentially up to the cap and uses Retry-After when given', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    const max = (): number => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n, null, max))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(policy, 1, null, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, 5000, max)).toBe(5000);
    expect(backoffDelay(policy, 3, 61_000, max)).toBeNull();
  });
});

describe('error messages', () => {
  it('redact the history key even when a cause echoes the URL', async () => {
    server.use(http.get(`${BASE}/*`, () => HttpResponse.error()));
    const client = new CloudClient({
      baseUrl: BASE,
      retry: { maxAttempts: 1 },
      fetch: (input) => Promise.reject(new TypeError(`fetch failed for ${input}`)),
    });
    const error = await failure(client.itemsPage(KEY, 0));
    expect(error.code).toBe('NETWORK');
    expectNoSecret(error.message);
    expect(error.message).toContain('redacted');
  });
});
