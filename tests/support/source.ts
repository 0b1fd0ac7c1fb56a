/**
 * A {@link HistorySource} over a fixture's pages on disk (no HTTP, no msw), for tests that drive
 * the sync loop directly. It records the start indexes it was asked for, and can damage pages.
 */
import { basename } from 'node:path';
import { readFixtureManifest, readPage } from '../../src/fixture/node.ts';
import type { HistorySource } from '../../src/sync/index.ts';

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
  const last = manifest.pages.at(-1);
  const head = last === undefined ? 0 : last.startIndex + last.groups;
  const name = basename(dir);
  const asked: number[] = [];
  const preloaded = new Map<number, Uint8Array>();
  if (options.preload === true) {
    for (const page of manifest.pages) {
      preloaded.set(page.startIndex, await readPage(dir, manifest, page));
    }
  }
  return {
    description: `fixture "${name}"`,
    asked,
    head: () => Promise.resolve({ head, schema: manifest.schema ?? null }),
    async page(startIndex) {
      asked.push(startIndex);
      const found = manifest.pages.find((p) => p.startIndex === startIndex);
      if (found === undefined) throw new Error(`no page at ${startIndex}`);
      const body = preloaded.get(startIndex) ?? (await readPage(dir, manifest, found));
      return {
        body: options.broken?.includes(startIndex) === true ? body.subarray(0, 40) : body,
        location: { fixture: name, page: found.file },
      };
    },
  };
}
