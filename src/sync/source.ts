import type { CloudClient } from '../cloud/client.ts';
import { verifyPageBytes } from '../fixture/manifest.ts';
import type { FixtureManifest, FixturePage } from '../fixture/types.ts';
import type { DecodeLocation } from '../protocol/errors.ts';

/** One history page as fetched: the verbatim body and where it came from. */
export interface SourcePage {
  readonly body: Uint8Array;
  /** How to name this page in errors (fixture name, page number/file). */
  readonly location: DecodeLocation;
  /**
   * How many groups the page must hold, when the source knows (a fixture's manifest says so); a
   * page with another count is refused before anything of it is stored.
   */
  readonly expectedGroups?: number;
}

/**
 * Where history pages come from. Contract:
 * - `head()` is the authoritative number of groups the source can serve now; the loop reads up to
 *   it and asks again once it gets there (a live history may have grown meanwhile).
 * - `page(n)` returns the response to `…/items?start-index=n`, byte for byte; asking again for the
 *   same `n` (a retry) returns the same groups (a live history may have grown at its end).
 */
export interface HistorySource {
  /** A line for people: `fixture "inbox-basic"`, `Things Cloud`. */
  readonly description: string;
  head(): Promise<{ readonly head: number; readonly schema: number | null }>;
  page(startIndex: number): Promise<SourcePage>;
}

/**
 * A history read over HTTP with the Things Cloud client (live, or a fixture served by msw). With
 * `validate`, the client parses each page before it is returned, so a truncated body is retried
 * like a failed request (what a live sync wants; a fixture's bytes are checked by hash instead).
 */
export class CloudHistorySource implements HistorySource {
  readonly description: string;
  readonly #client: CloudClient;
  readonly #historyKey: string;
  readonly #locate: (startIndex: number) => DecodeLocation;
  readonly #expectedGroups: ((startIndex: number) => number | undefined) | undefined;
  readonly #validate: boolean;

  constructor(
    client: CloudClient,
    historyKey: string,
    options: {
      description?: string;
      locate?: (startIndex: number) => DecodeLocation;
      /** The group count recorded for the page at a start index (a fixture's manifest). */
      expectedGroups?: (startIndex: number) => number | undefined;
      /** Parse each page in the client, retrying one that is not a page (default false). */
      validate?: boolean;
    } = {},
  ) {
    this.#client = client;
    this.#historyKey = historyKey;
    this.description = options.description ?? 'Things Cloud';
    this.#locate = options.locate ?? ((startIndex) => ({ page: `at start-index ${startIndex}` }));
    this.#expectedGroups = options.expectedGroups;
    this.#validate = options.validate ?? false;
  }

  async head(): Promise<{ head: number; schema: number | null }> {
    const meta = await this.#client.historyMeta(this.#historyKey);
    return { head: meta.latestServerIndex, schema: meta.latestSchemaVersion };
  }

  async page(startIndex: number): Promise<SourcePage> {
    const raw = await this.#client.itemsPage(this.#historyKey, startIndex, {
      validate: this.#validate,
    });
    const expected = this.#expectedGroups?.(startIndex);
    return {
      body: raw.body,
      location: this.#locate(startIndex),
      ...(expected === undefined ? {} : { expectedGroups: expected }),
    };
  }
}

/**
 * A history read straight from a fixture's pages, without HTTP: `page(n)` answers the page that
 * starts at `n`, checked against the manifest's SHA-256, with the manifest's group count as the
 * expected one; `head()` is where the last page ends. It does its work before it returns, in the
 * call itself, when `readPage` does (a wrapper can time a read without timing anything else).
 * A start index where no page starts is a `RangeError`: the loop only asks where a page ended.
 */
export class FixtureHistorySource implements HistorySource {
  readonly description: string;
  readonly #manifest: FixtureManifest;
  readonly #name: string;
  readonly #readPage: (page: FixturePage) => Uint8Array;
  readonly #pages: ReadonlyMap<number, FixturePage>;

  /** `readPage` returns the bytes of one page file (from disk, or a fixture held in memory). */
  constructor(
    manifest: FixtureManifest,
    options: { readonly name: string; readonly readPage: (page: FixturePage) => Uint8Array },
  ) {
    this.#manifest = manifest;
    this.#name = options.name;
    this.#readPage = options.readPage;
    this.#pages = new Map(manifest.pages.map((page) => [page.startIndex, page]));
    this.description = `fixture "${options.name}"`;
  }

  head(): Promise<{ head: number; schema: number | null }> {
    const last = this.#manifest.pages.at(-1);
    return Promise.resolve({
      head: last === undefined ? 0 : last.startIndex + last.groups,
      schema: this.#manifest.schema ?? null,
    });
  }

  page(startIndex: number): Promise<SourcePage> {
    const page = this.#pages.get(startIndex);
    if (page === undefined) {
      throw new RangeError(`fixture "${this.#name}" has no page starting at ${startIndex}`);
    }
    const body = this.#readPage(page);
    verifyPageBytes(this.#manifest, page, body, this.#name);
    return Promise.resolve({
      body,
      location: { fixture: this.#name, page: `${page.file} (start-index ${startIndex})` },
      expectedGroups: page.groups,
    });
  }
}
