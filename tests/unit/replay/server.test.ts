/**
 * A fixture served through the user's own msw server: the handlers join the one server the user
 * has, and a request that no handler answers is kept as a miss and never reaches the network
 * (checked against a loopback server that counts the requests it receives).
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer } from '../../../src/replay/index.ts';
import { useFixtureServer } from '../../../src/testing/vitest.ts';
import { REPO } from '../../support/cli.ts';

const FIXTURE = join(REPO, 'fixtures', 'synthetic', 'multi-page');
const ITEMS = 'https://cloud.culturedcode.com/version/1/history/history-key-redacted/items';

/** A loopback HTTP server that counts what reaches it: the stand-in for "the network". */
let network: Server;
let networkUrl = '';
let reached = 0;
beforeAll(async () => {
  network = createServer((_request, response) => {
    reached += 1;
    response.end('reached the network');
  });
  await new Promise<void>((resolve) => network.listen(0, '127.0.0.1', resolve));
  const address = network.address();
  if (address === null || typeof address === 'string') throw new TypeError('no port');
  networkUrl = `http://127.0.0.1:${address.port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => network.close(resolve));
});

describe('fixtureServer() in the user’s own setupServer(...)', () => {
  const thingsCloud = fixtureServer(FIXTURE);
  const server = setupServer(
    http.get('https://api.example.test/me', () => HttpResponse.json({ me: 'mine' })),
    ...thingsCloud.handlers(),
  );
  beforeAll(() => server.listen({ onUnhandledFrame: thingsCloud.onUnhandledFrame }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('answers the user’s handlers and the recorded pages from one server', async () => {
    expect(await (await fetch('https://api.example.test/me')).json()).toEqual({ me: 'mine' });
    const page = await fetch(`${ITEMS}?start-index=5`);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { items: unknown[] }).items).toHaveLength(4);
    expect(() => thingsCloud.assertNoMisses()).not.toThrow();
  });

  it('keeps a request that no handler answers as a miss, and it never reaches the network', async () => {
    const response = await fetch(networkUrl);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('no msw handler answers it');
    expect(reached).toBe(0);
    expect(thingsCloud.misses).toMatchObject([{ method: 'GET', url: networkUrl }]);
    expect(() => thingsCloud.assertNoMisses()).toThrow(
      expect.objectContaining({ code: 'UNRECORDED_REQUEST' }),
    );
    expect(thingsCloud.misses).toEqual([]);
  });

  it('keeps a Things Cloud request without a recording as a miss (HTTP 404)', async () => {
    const response = await fetch(`${ITEMS}?start-index=3`);
    expect(response.status).toBe(404);
    expect(() => thingsCloud.assertNoMisses()).toThrow(/start-index=3/);
  });
});

describe('useFixtureServer() with the suite’s own server', () => {
  const mine = http.get('https://api.example.test/me', () => HttpResponse.json({ me: 'mine' }));
  const server = setupServer(mine);
  beforeAll(() => server.listen({ onUnhandledFrame: 'bypass' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  const thingsCloud = useFixtureServer(FIXTURE, { server });

  it('adds the fixture’s handlers to that server, which keeps its own', async () => {
    expect(await (await fetch('https://api.example.test/me')).json()).toEqual({ me: 'mine' });
    expect((await fetch(`${ITEMS}?start-index=0`)).status).toBe(200);
    expect(server.listHandlers()).toContain(mine);
  });

  it('keeps them across the suite’s resetHandlers()', async () => {
    expect((await fetch(`${ITEMS}?start-index=5`)).status).toBe(200);
  });

  it('stops a request no handler answers before the network, even with "bypass"', async () => {
    await expect(fetch(networkUrl)).rejects.toThrow('fetch failed');
    expect(reached).toBe(0);
    expect(() => thingsCloud.assertNoMisses()).toThrow(networkUrl);
  });
});

describe('fixtureServer().assertIntercepting()', () => {
  it('fails with INTERCEPTION_UNAVAILABLE when no msw server answers this process’s fetch', async () => {
    await expect(fixtureServer(FIXTURE).assertIntercepting()).rejects.toMatchObject({
      code: 'INTERCEPTION_UNAVAILABLE',
    });
  });

  it('resolves once a server with the handlers listens', async () => {
    const thingsCloud = fixtureServer(FIXTURE);
    const server = setupServer(...thingsCloud.handlers());
    server.listen({ onUnhandledFrame: thingsCloud.onUnhandledFrame });
    try {
      await expect(thingsCloud.assertIntercepting()).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });
});
