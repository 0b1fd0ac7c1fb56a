import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudClient,
  CloudError,
  detectReset,
  historyKeyHash,
  readHistoryPages,
  type HistoryPage,
} from '../../../src/cloud/index.ts';
import { FakeThingsCloud, generatedGroups } from '../../../src/fake/index.ts';

const BASE = 'http://things.test';
const KEY = 'paging-key-0001';
const GROUPS = [...generatedGroups({ items: 400, seed: 'paging' })];

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function fakeWith(groups: readonly string[], pageGroups = 50, schema = 301): FakeThingsCloud {
  const fake = new FakeThingsCloud({
    baseUrl: BASE,
    account: { email: 'a@example.com', password: 'p', historyKey: KEY },
    groups,
    pageGroups,
    schema,
  });
  server.use(...fake.handlers());
  return fake;
}

async function collect(iterable: AsyncIterable<HistoryPage>): Promise<HistoryPage[]> {
  const pages: HistoryPage[] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
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

const client = (): CloudClient => new CloudClient({ baseUrl: BASE, retry: { maxAttempts: 1 } });

describe('readHistoryPages()', () => {
  it('advances by groups from the cursor to the head, never jumping to the head', async () => {
    const fake = fakeWith(GROUPS, 50);
    const pages = await collect(readHistoryPages(client(), KEY, { start: 20 }));
    expect(pages.map((p) => p.startIndex)).toEqual(
      Array.from({ length: Math.ceil((fake.head - 20) / 50) }, (_, i) => 20 + 50 * i),
    );
    expect(pages.at(-1)?.endIndex).toBe(fake.head);
    const items = fake.requests.filter((r) => r.endpoint === 'items').map((r) => r.index);
    expect(items).toEqual(pages.map((p) => p.startIndex));
  });

  it('asks for the head again at the end and reads groups appended meanwhile', async () => {
    const fake = fakeWith(GROUPS.slice(0, 100), 50);
    const extra = GROUPS.slice(100, 130);
    const pages: HistoryPage[] = [];
    for await (const page of readHistoryPages(client(), KEY)) {
      pages.push(page);
      if (pages.length === 2) fake.append(extra);
    }
    expect(pages.map((p) => [p.startIndex, p.envelope.groups])).toEqual([
      [0, 50],
      [50, 50],
      [100, 30],
    ]);
    expect(fake.requests.filter((r) => r.endpoint === 'history')).toHaveLength(3);
  });

  it('yields nothing at the head', async () => {
    const fake = fakeWith(GROUPS.slice(0, 10));
    expect(await collect(readHistoryPages(client(), KEY, { start: fake.head }))).toEqual([]);
  });

  it('throws HISTORY_RESET when the head is behind the cursor', async () => {
    fakeWith(GROUPS.slice(0, 10));
    const error = await failure(collect(readHistoryPages(client(), KEY, { start: 11 })));
    expect(error.code).toBe('HISTORY_RESET');
  });

  it('throws HISTORY_RESET when the history shrinks while being read', async () => {
    const fake = fakeWith(GROUPS.slice(0, 100), 50);
    const error = await failure(
      (async () => {
        for await (const page of readHistoryPages(client(), KEY)) {
          if (page.startIndex === 0) fake.resetHistory(GROUPS.slice(0, 60));
        }
      })(),
    );
    expect(error.code).toBe('HISTORY_RESET');
  });

  it('throws UNSUPPORTED_SCHEMA for a newer schema', async () => {
    fakeWith(GROUPS.slice(0, 10), 50, 302);
    const error = await failure(collect(readHistoryPages(client(), KEY)));
    expect(error.code).toBe('UNSUPPORTED_SCHEMA');
  });

  it('throws NO_PROGRESS for an empty page below the head and MALFORMED_PAGE for an overlong one', async () => {
    const cases = [
      { body: '{"items":[],"current-item-index":5}', code: 'NO_PROGRESS' },
      { body: '{"items":[{},{},{}],"current-item-index":2}', code: 'MALFORMED_PAGE' },
    ];
    for (const { body, code } of cases) {
      server.use(
        http.get(`${BASE}/version/1/history/:key`, () =>
          HttpResponse.json({ 'latest-server-index': 2 }),
        ),
        http.get(`${BASE}/version/1/history/:key/items`, () => new HttpResponse(body)),
      );
      const error = await failure(collect(readHistoryPages(client(), KEY)));
      expect(error.code).toBe(code);
    }
  });

  it('flags a content-size discontinuity without failing', async () => {
    server.use(
      http.get(`${BASE}/version/1/history/:key`, () =>
        HttpResponse.json({ 'latest-server-index': 2 }),
      ),
      http.get(`${BASE}/version/1/history/:key/items`, ({ request }) => {
        const start = new URL(request.url).searchParams.get('start-index');
        return new HttpResponse(
          start === '0'
            ? '{"items":[{}],"current-item-index":2,"start-total-content-size":0,"end-total-content-size":2}'
            : '{"items":[{}],"current-item-index":2,"start-total-content-size":9,"end-total-content-size":11}',
        );
      }),
    );
    const pages = await collect(readHistoryPages(client(), KEY));
    expect(pages.map((p) => p.warnings.length)).toEqual([0, 1]);
  });
});

describe('detectReset()', () => {
  const hash = historyKeyHash(KEY);

  it('detects a changed key and a head behind the cursor, and accepts the rest', () => {
    expect(
      detectReset({ historyKeyHash: hash, cursor: 5 }, { historyKeyHash: hash, head: 5 }),
    ).toBeNull();
    expect(
      detectReset({ historyKeyHash: null, cursor: 0 }, { historyKeyHash: hash, head: 0 }),
    ).toBeNull();
    expect(
      detectReset(
        { historyKeyHash: hash, cursor: 5 },
        { historyKeyHash: historyKeyHash('other'), head: 9 },
      ),
    ).toEqual({ kind: 'keyChanged' });
    expect(
      detectReset({ historyKeyHash: hash, cursor: 847 }, { historyKeyHash: hash, head: 30 }),
    ).toEqual({
      kind: 'headBehindCursor',
      head: 30,
      cursor: 847,
    });
  });

  it('hashes the key as SHA-256 hex', () => {
    expect(historyKeyHash('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
