// Must fail: code under test calls a URL that no handler answers and swallows the error, as real
// code often does. thingstape fails the test anyway, and the request never reaches the network.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, useFixtureServer } from 'thingstape/testing/vitest';

/** The status code, or 0 for a network error: the code under test swallows the error. */
async function statusOf(url: string): Promise<number> {
  try {
    return (await fetch(url)).status;
  } catch {
    return 0;
  }
}

describe('thingstape handlers in my setupServer(...)', () => {
  const thingsCloud = fixtureServer('fixtures/my-account');
  const server = setupServer(
    http.get('https://api.my-app.test/me', () => HttpResponse.json({ name: 'me' })),
    ...thingsCloud.handlers(),
  );
  beforeAll(() => server.listen({ onUnhandledFrame: thingsCloud.onUnhandledFrame }));
  afterEach(() => {
    server.resetHandlers();
    thingsCloud.assertNoMisses();
  });
  afterAll(() => server.close());

  it('calls an API nobody mocked', async () => {
    expect(await statusOf('https://unmocked-api.invalid/users')).not.toBe(200);
  });
});

describe('useFixtureServer() with my server', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'bypass' }));
  afterAll(() => server.close());
  useFixtureServer('fixtures/my-account', { server });

  it('calls an API nobody mocked', async () => {
    expect(await statusOf('https://unmocked-api.invalid/orders')).not.toBe(200);
  });
});
