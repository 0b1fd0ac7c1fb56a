/**
 * The fixture in a directory as a {@link FixtureHistorySource} (no HTTP, no msw), for tests that
 * drive the sync loop directly. It records the start indexes it was asked for, and can damage pages.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readFixtureManifest, readPage } from '../../src/fixture/node.ts';
import { FixtureHistorySource, type HistorySource } from '../../src/sync/index.ts';

/** Settings of {@link fixtureSource}. */
export interface FixtureSourceOptions {
  /** Pages (by start index) answered with a truncated body (the first 40 bytes). */
  readonly broken?: readonly number[];
  /**
   * Read every page before returning, and answer from memory: a page then costs no I/O, so
   * everything the sync loop does between two timer turns happens in one go.
   */
  readonly preload?: boolean;
}

/** The fixture in `dir` as a history source; `asked` lists the start indexes asked for, in order. */
export async function fixtureSource(
  dir: string,
  options: FixtureSourceOptions = {},
): Promise<HistorySource & { readonly asked: number[] }> {
  const { manifest } = await readFixtureManifest(dir);
  const preloaded = new Map<string, Uint8Array>();
  if (options.preload === true) {
    for (const page of manifest.pages)
      preloaded.set(page.file, await readPage(dir, manifest, page));
  }
  const inner = new FixtureHistorySource(manifest, {
    name: basename(dir),
    readPage: (page) =>
      preloaded.get(page.file) ?? new Uint8Array(readFileSync(join(dir, page.file))),
  });
  const asked: number[] = [];
  return {
    description: inner.description,
    asked,
    head: () => inner.head(),
    async page(startIndex) {
      asked.push(startIndex);
      const page = await inner.page(startIndex);
      return options.broken?.includes(startIndex) === true
        ? { ...page, body: page.body.subarray(0, 40) }
        : page;
    },
  };
}
