// useFixtureServer() checks that msw intercepts this runtime's fetch before the first test: it
// passes on Node, and stops with INTERCEPTION_UNAVAILABLE on Deno and Bun (msw 3 does not
// intercept their fetch), before any request could reach the network.
import { describe, expect, it } from 'vitest';
import { useFixtureServer } from 'thingstape/testing/vitest';

const ITEMS = 'https://cloud.culturedcode.com/version/1/history/history-key-redacted/items';

describe('useFixtureServer()', () => {
  useFixtureServer('fixtures/my-account');

  it('serves the recorded page', async () => {
    expect((await fetch(`${ITEMS}?start-index=0`)).status).toBe(200);
  });
});
