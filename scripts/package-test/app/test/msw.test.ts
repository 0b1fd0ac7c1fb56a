// A user's own msw server with thingstape's handlers added to it: one server for both, the way
// msw users work. Both ways: the handlers in the user's setupServer(...), and the vitest helper
// composing with the user's server.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, useFixtureServer } from 'thingstape/testing/vitest';

const ITEMS = 'https://cloud.culturedcode.com/version/1/history/history-key-redacted/items';
const mine = [http.get('https://api.my-app.test/me', () => HttpResponse.json({ name: 'me' }))];

describe('thingstape handlers in my setupServer(...)', () => {
  const thingsCloud = fixtureServer('fixtures/my-account');
  const server = setupServer(...mine, ...thingsCloud.handlers());
  beforeAll(async () => {
    server.listen({ onUnhandledFrame: thingsCloud.onUnhandledFrame });
    await thingsCloud.assertIntercepting();
  });
  afterEach(() => {
    server.resetHandlers();
    thingsCloud.assertNoMisses();
  });
  afterAll(() => server.close());

  it('answers my API and Things Cloud from one server', async () => {
    expect(await (await fetch('https://api.my-app.test/me')).json()).toEqual({ name: 'me' });
    const page = (await (await fetch(`${ITEMS}?start-index=0`)).json()) as { items: unknown[] };
    expect(page.items.length).toBeGreaterThan(0);
  });
});

describe('useFixtureServer() with my server', () => {
  const server = setupServer(...mine);
  beforeAll(() => server.listen());
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  useFixtureServer('fixtures/my-account', { server });

  it('answers my API and Things Cloud from one server', async () => {
    expect(await (await fetch('https://api.my-app.test/me')).json()).toEqual({ name: 'me' });
    expect((await fetch(`${ITEMS}?start-index=0`)).status).toBe(200);
  });
});
