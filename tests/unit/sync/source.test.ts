/**
 * The history sources: a fixture read straight from its pages, and the Things Cloud client's
 * pages with and without validation (what a live sync and a replay each use).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CloudClient } from '../../../src/cloud/index.ts';
import { readFixtureManifest } from '../../../src/fixture/node.ts';
import type { FixturePage } from '../../../src/fixture/types.ts';
import { CloudHistorySource, FixtureHistorySource } from '../../../src/sync/index.ts';
import { REPO } from '../../support/cli.ts';

const MULTI_PAGE = join(REPO, 'fixtures', 'synthetic', 'multi-page');

async function multiPage(
  readPage: (page: FixturePage) => Uint8Array = (page) =>
    new Uint8Array(readFileSync(join(MULTI_PAGE, page.file))),
): Promise<FixtureHistorySource> {
  const { manifest } = await readFixtureManifest(MULTI_PAGE);
  return new FixtureHistorySource(manifest, { name: 'multi-page', readPage });
}

describe('FixtureHistorySource', () => {
  it('serves each page verbatim with its recorded group count and names its file', async () => {
    const source = await multiPage();
    expect(source.description).toBe('fixture "multi-page"');
    expect(await source.head()).toEqual({ head: 15, schema: 301 });
    const page = await source.page(5);
    expect(page.body).toEqual(
      new Uint8Array(readFileSync(join(MULTI_PAGE, 'pages/000000005.json'))),
    );
    expect(page.expectedGroups).toBe(4);
    expect(page.location).toEqual({
      fixture: 'multi-page',
      page: 'pages/000000005.json (start-index 5)',
    });
  });

  it('reads the page inside the call, before the promise settles', async () => {
    const reads: string[] = [];
    const source = await multiPage((page) => {
      reads.push(page.file);
      return new Uint8Array(readFileSync(join(MULTI_PAGE, page.file)));
    });
    const pending = source.page(9);
    expect(reads).toEqual(['pages/000000009.json']);
    await pending;
  });

  it('refuses a start index where no page starts, and bytes the manifest does not hash to', async () => {
    const source = await multiPage();
    expect(() => source.page(4)).toThrow(RangeError);
    const damaged = await multiPage((page) =>
      new Uint8Array(readFileSync(join(MULTI_PAGE, page.file))).subarray(1),
    );
    expect(() => damaged.page(0)).toThrow(expect.objectContaining({ code: 'HASH_MISMATCH' }));
  });
});

describe('CloudHistorySource', () => {
  const PAGE = '{"items":[],"current-item-index":0}';
  /** A client whose first `/items` answer is cut short. */
  function client(): { client: CloudClient; requests: () => number } {
    let requests = 0;
    return {
      requests: () => requests,
      client: new CloudClient({
        baseUrl: 'http://cloud.test',
        sleep: () => Promise.resolve(),
        random: () => 0.5,
        fetch: () => {
          requests += 1;
          const body = requests === 1 ? PAGE.slice(0, 10) : PAGE;
          return Promise.resolve(new Response(body, { status: 200 }));
        },
      }),
    };
  }

  it('retries a page that is not JSON when asked to validate (a live sync)', async () => {
    const live = client();
    const page = await new CloudHistorySource(live.client, 'key', { validate: true }).page(0);
    expect(new TextDecoder().decode(page.body)).toBe(PAGE);
    expect(live.requests()).toBe(2);
    expect(page.location).toEqual({ page: 'at start-index 0' });
  });

  it('returns the body as received by default (a replay lets the decoder report it)', async () => {
    const replay = client();
    const page = await new CloudHistorySource(replay.client, 'key').page(0);
    expect(new TextDecoder().decode(page.body)).toBe(PAGE.slice(0, 10));
    expect(replay.requests()).toBe(1);
  });
});
