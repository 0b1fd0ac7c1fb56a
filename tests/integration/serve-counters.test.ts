/**
 * `thingstape serve` over real HTTP, paged by thingstape's own Things Cloud client from many start
 * indexes, for every committed fixture: the content-size counters never run backwards, a counter
 * at a given index is the same whichever page carries it (recorded or cut by serve), each page
 * starts where the previous one ended, and `/history` reports the total the pages report. The
 * same after a commit. Also: the endpoints besides history answer as the spec records them.
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudClient } from '../../src/cloud/index.ts';
import { readFixture } from '../../src/fixture/node.ts';
import { taskCreate } from '../../src/protocol/index.ts';
import {
  fixtureService,
  SERVED_HISTORY_KEY,
  startServer,
  type RunningServer,
} from '../../src/serve/index.ts';
import { REPO } from '../support/cli.ts';

const ROOT = join(REPO, 'fixtures');
const KEY = SERVED_HISTORY_KEY;

async function fixtureDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.some((e) => e.name === 'manifest.json')) return [dir];
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) found.push(...(await fixtureDirs(join(dir, entry.name))));
  }
  return found;
}

interface Counters {
  readonly start: number;
  readonly startSize: number | null;
  readonly endSize: number | null;
  readonly latestSize: number | null;
  readonly groups: number;
}

/** Pages from `start` to the `/history` head, cursor += groups (spec 2.5). */
async function pageFrom(client: CloudClient, start: number, head: number): Promise<Counters[]> {
  const out: Counters[] = [];
  for (let cursor = start; cursor < head;) {
    const page = await client.itemsPage(KEY, cursor, { validate: true });
    const envelope = page.envelope;
    if (envelope === null || envelope.groups === 0) throw new Error(`no progress at ${cursor}`);
    out.push({
      start: cursor,
      startSize: envelope.startTotalContentSize,
      endSize: envelope.endTotalContentSize,
      latestSize: envelope.latestTotalContentSize,
      groups: envelope.groups,
    });
    cursor += envelope.groups;
  }
  return out;
}

/** Checks every read and returns the problems found (empty when all holds). */
async function counterProblems(client: CloudClient, first: number): Promise<string[]> {
  const meta = await client.historyMeta(KEY);
  const head = meta.latestServerIndex;
  const problems: string[] = [];
  const atIndex = new Map<number, number>();
  const starts = [...new Set([first, first + 1, Math.floor((first + head) / 2), head - 1])].filter(
    (s) => s >= first && s < head,
  );
  for (const start of starts) {
    const pages = await pageFrom(client, start, head);
    let previous: number | null = null;
    for (const page of pages) {
      const where = `read from ${start}, page at ${page.start}`;
      const { startSize, endSize, latestSize } = page;
      if (startSize === null || endSize === null || latestSize === null) continue;
      if (!(startSize <= endSize && endSize <= latestSize)) {
        problems.push(`${where}: ${startSize} … ${endSize} of ${latestSize} runs backwards`);
      }
      if (previous !== null && startSize !== previous) {
        problems.push(`${where}: starts at ${startSize}, the previous page ended at ${previous}`);
      }
      if (latestSize !== meta.latestTotalContentSize) {
        problems.push(
          `${where}: latest ${latestSize}, /history says ${meta.latestTotalContentSize}`,
        );
      }
      for (const [index, size] of [
        [page.start, startSize],
        [page.start + page.groups, endSize],
      ] as const) {
        const seen = atIndex.get(index);
        if (seen !== undefined && seen !== size) {
          problems.push(
            `${where}: the counter at index ${index} is ${size} here, ${seen} elsewhere`,
          );
        }
        atIndex.set(index, size);
      }
      previous = endSize;
    }
    const last = pages.at(-1);
    if (last?.endSize != null && last.endSize !== meta.latestTotalContentSize) {
      problems.push(
        `read from ${start}: ends at ${last.endSize}, /history says ${meta.latestTotalContentSize}`,
      );
    }
  }
  return problems;
}

describe('serve: content-size counters over real HTTP', async () => {
  const names = (await fixtureDirs(ROOT)).map((dir) => relative(ROOT, dir).split('\\').join('/'));

  it.each(names)(
    '%s: monotone, chained and equal to /history, before and after a commit',
    async (name) => {
      const fixture = await readFixture(join(ROOT, name));
      const service = fixtureService(fixture);
      const server = await startServer(service.handle);
      try {
        const client = new CloudClient({ baseUrl: server.url, timeoutMs: 30_000 });
        const { first, head } = service.state();
        expect(await counterProblems(client, first)).toEqual([]);
        const before = (await client.historyMeta(KEY)).latestTotalContentSize ?? 0;
        const event = taskCreate({
          type: 0,
          title: 'Counted',
          schedule: { st: 0, sr: null, tir: null, sb: 0 },
          index: 1,
          createdAt: 1_767_268_800.5,
        });
        expect(await client.commit(KEY, head, { Q9sihFX2SsvGaz6vv4J2Hf: event })).toEqual({
          head: head + 1,
        });
        expect((await client.historyMeta(KEY)).latestTotalContentSize).toBeGreaterThan(before);
        expect(await counterProblems(client, first)).toEqual([]);
      } finally {
        await server.close();
      }
    },
  );
});

describe('serve: the other endpoints', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(
      fixtureService(await readFixture(join(ROOT, 'synthetic', 'notes'))).handle,
    );
  });
  afterAll(() => server.close());

  const call = (method: string, path: string, password = true) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: password ? { authorization: 'Password x' } : {},
    });

  it('answers own-history-keys and app-instance as the spec records them', async () => {
    const list = await call('GET', '/version/1/account/a%40example.com/own-history-keys');
    expect([list.status, list.headers.get('things-response')]).toEqual([404, 'GenericClientError']);
    const created = await call('POST', '/version/1/account/a%40example.com/own-history-keys');
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({
      'new-history-key': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const unauthorized = await call(
      'POST',
      '/version/1/account/a%40example.com/own-history-keys',
      false,
    );
    expect(unauthorized.status).toBe(401);
    const deleted = await call(
      'DELETE',
      '/version/1/account/a%40example.com/own-history-keys/no-such-key',
    );
    expect(deleted.status).toBe(202);
    const device = await call(
      'PUT',
      '/version/1/app-instance/0000-com.culturedcode.ThingsMac-0000',
    );
    expect(device.status).toBe(200);
  });
});
