// A user's vitest suite on a recorded account, with thingstape/testing/vitest and no fast-check.
import { describe, expect, it } from 'vitest';
import { openFixtureReplay, useFixtureReplay } from 'thingstape/testing/vitest';

describe('my app on a recorded account', () => {
  const replay = useFixtureReplay('fixtures/my-account');

  it('shows Today as the app does', async () => {
    const titles = (await replay().list('today')).map((row) => row.title);
    expect(titles).toContain('Pay rent');
  });

  it('has the change log', async () => {
    const changes = await replay().changes();
    expect(changes.map((change) => change.type)).toContain('TaskCreated');
  });

  it('replays the same history to the same dump', async () => {
    const again = await openFixtureReplay('fixtures/my-account');
    try {
      expect(await again.dump()).toBe(await replay().dump());
    } finally {
      await again.close();
    }
  });
});
