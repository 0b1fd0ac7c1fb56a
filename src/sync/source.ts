import type { CloudClient } from '../cloud/client.ts';
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

/** A history read over HTTP with the Things Cloud client (live, or a fixture served by msw). */
export class CloudHistorySource implements HistorySource {
  readonly description: string;
  readonly #client: CloudClient;
  readonly #historyKey: string;
  readonly #locate: (startIndex: number) => DecodeLocation;
  readonly #expectedGroups: ((startIndex: number) => number | undefined) | undefined;

  constructor(
    client: CloudClient,
    historyKey: string,
    options: {
      description?: string;
      locate?: (startIndex: number) => DecodeLocation;
      /** The group count recorded for the page at a start index (a fixture's manifest). */
      expectedGroups?: (startIndex: number) => number | undefined;
    } = {},
  ) {
    this.#client = client;
    this.#historyKey = historyKey;
    this.description = options.description ?? 'Things Cloud';
    this.#locate = options.locate ?? ((startIndex) => ({ page: `at start-index ${startIndex}` }));
    this.#expectedGroups = options.expectedGroups;
  }

  async head(): Promise<{ head: number; schema: number | null }> {
    const meta = await this.#client.historyMeta(this.#historyKey);
    return { head: meta.latestServerIndex, schema: meta.latestSchemaVersion };
  }

  async page(startIndex: number): Promise<SourcePage> {
    const raw = await this.#client.itemsPage(this.#historyKey, startIndex);
    const expected = this.#expectedGroups?.(startIndex);
    return {
      body: raw.body,
      location: this.#locate(startIndex),
      ...(expected === undefined ? {} : { expectedGroups: expected }),
    };
  }
}
