import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFixtureReplay, useFixtureServer } from '../../../src/testing/vitest.ts';
import { REPO } from '../../support/cli.ts';

const FIXTURE = join(REPO, 'fixtures', 'synthetic', 'multi-page');

describe('openFixtureReplay()', () => {
  it('replays a fixture into a temp database and answers views and changes', async () => {
    const replay = await openFixtureReplay(FIXTURE);
    try {
      expect(replay.summary).toMatchObject({ cursor: 15, head: 15, complete: true });
      const changes = await replay.changes();
      expect(changes.length).toBe(replay.summary.changes);
      expect((await replay.entities()).length).toBeGreaterThan(0);
      expect(Array.isArray(await replay.list('inbox'))).toBe(true);
    } finally {
      await replay.close();
    }
  });
});

describe('useFixtureServer()', () => {
  const server = useFixtureServer(FIXTURE);

  it('serves the recorded pages to plain fetch', async () => {
    const response = await fetch(
      'https://cloud.culturedcode.com/version/1/history/history-key-redacted/items?start-index=5',
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { items: unknown[] }).items).toHaveLength(4);
    expect(server.misses).toEqual([]);
  });
});
