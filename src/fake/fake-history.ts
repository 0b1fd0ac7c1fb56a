/**
 * The in-memory history behind the fake Things Cloud: groups kept as their verbatim JSON text,
 * served in pages of the fake's own size with the real envelope (spec 2.4).
 */
import { pageBodyText, utf8ByteLength } from '../protocol/index.ts';
import { skipJsonSpace, skipJsonValue } from '../protocol/json-scan.ts';

/** How the fake cuts pages: at most `pageGroups` groups and, optionally, about `pageBytes` bytes. */
export interface PageLimits {
  /** Groups per page (≥ 1). */
  readonly pageGroups: number;
  /** Stop adding groups once the page's groups hold this many bytes (at least one group per page). */
  readonly pageBytes?: number;
}

/** Where a {@link FakeHistory} starts: an incremental fixture starts past index 0. */
export interface HistoryOrigin {
  /** Server index of the first group (default 0). */
  readonly first?: number;
  /** `start-total-content-size` before the first group (default 0). */
  readonly startSize?: number;
  /**
   * Total content size after each of the groups given, instead of their UTF-8 sizes (recorded
   * counters, see {@link anchoredContentSizes}); groups appended later add their UTF-8 sizes.
   */
  readonly ends?: readonly number[];
}

/**
 * A history of groups (each the JSON text of one group object), with cumulative content sizes:
 * the one model of a served history, behind the fake Things Cloud and `thingstape serve`.
 */
export class FakeHistory {
  readonly #groups: string[] = [];
  /** `#ends[i]`: total content size after the group at server index `first + i`. */
  readonly #ends: number[] = [];
  readonly #startSize: number;
  /** The `schema` number of every page. */
  readonly schema: number;
  /** Server index of the first group held. */
  readonly first: number;

  constructor(groups: Iterable<string> = [], schema = 301, origin: HistoryOrigin = {}) {
    this.schema = schema;
    this.first = origin.first ?? 0;
    this.#startSize = origin.startSize ?? 0;
    if (origin.ends === undefined) {
      this.append(groups);
      return;
    }
    this.#groups.push(...groups);
    if (origin.ends.length !== this.#groups.length) {
      throw new RangeError(
        `ends must give one size per group: ${origin.ends.length} for ${this.#groups.length} groups`,
      );
    }
    this.#ends.push(...origin.ends);
  }

  /** The head: server index after the last group. */
  get head(): number {
    return this.first + this.#groups.length;
  }

  /** Total content size after the last group (`latest-total-content-size`). */
  get totalContentSize(): number {
    return this.#ends.at(-1) ?? this.#startSize;
  }

  /** The JSON texts of every group, in order (the first is at server index {@link first}). */
  get groups(): readonly string[] {
    return this.#groups;
  }

  /** The JSON text of the group at server index `index`. */
  group(index: number): string | undefined {
    return this.#groups[index - this.first];
  }

  /** Appends groups (each the JSON text of one object); returns the new head. */
  append(groups: Iterable<string>): number {
    let size = this.totalContentSize;
    for (const group of groups) {
      this.#groups.push(group);
      size += utf8ByteLength(group);
      this.#ends.push(size);
    }
    return this.head;
  }

  /**
   * The `/items` body at `startIndex` (in [first, head]): `{"items":[…],"current-item-index":…,
   * "schema":…,"start-total-content-size":…,"end-total-content-size":…,
   * "latest-total-content-size":…}`, the same envelope the generator writes. Returns the text and
   * the number of groups in it.
   */
  page(startIndex: number, limits: PageLimits): { readonly text: string; readonly groups: number } {
    if (!Number.isSafeInteger(startIndex) || startIndex < this.first || startIndex > this.head) {
      throw new RangeError(
        `startIndex must be in [${this.first}, ${this.head}], got ${startIndex}`,
      );
    }
    const from = startIndex - this.first;
    const startSize = this.#sizeBefore(from);
    const parts: string[] = [];
    let end = from;
    while (end < this.#groups.length && parts.length < limits.pageGroups) {
      const bytes = (this.#ends[end] ?? 0) - startSize;
      if (parts.length > 0 && limits.pageBytes !== undefined && bytes > limits.pageBytes) break;
      parts.push(this.#groups[end] ?? '{}');
      end++;
    }
    const text = pageBodyText(parts, {
      head: this.head,
      schema: this.schema,
      startSize,
      endSize: this.#sizeBefore(end),
      latestSize: this.totalContentSize,
    });
    return { text, groups: parts.length };
  }

  /** The `/history` body: head, schema, total content size. */
  meta(): Record<string, unknown> {
    return {
      'latest-server-index': this.head,
      'latest-schema-version': this.schema,
      'latest-total-content-size': this.totalContentSize,
      'is-empty': this.head === 0,
    };
  }

  /** Total content size before the group at position `i` of {@link groups}. */
  #sizeBefore(i: number): number {
    return i === 0 ? this.#startSize : (this.#ends[i - 1] ?? this.#startSize);
  }
}

/** One recorded page for {@link anchoredContentSizes}: its groups and its envelope's counters. */
export interface RecordedSizes {
  readonly groups: readonly string[];
  /** `start-total-content-size`, when the page has a number there. */
  readonly start?: number;
  /** `end-total-content-size`, when the page has a number there. */
  readonly end?: number;
}

/**
 * Cumulative content sizes after each group of recorded pages, anchored at the pages' own
 * counters so that pages cut anywhere chain with the recorded ones: inside a page the recorded
 * `start…end` span is shared out in proportion to the groups' UTF-8 sizes (the real counter's
 * unit is not known, spec 2.4 [I]), so every recorded boundary keeps its recorded value. A page
 * without counters, or whose counters would run backwards, continues from the previous end by the
 * groups' UTF-8 sizes. The result never decreases.
 */
export function anchoredContentSizes(pages: readonly RecordedSizes[]): {
  readonly start: number;
  readonly ends: number[];
} {
  const first = pages[0]?.start;
  const start = first !== undefined && first >= 0 ? first : 0;
  const ends: number[] = [];
  let size = start;
  for (const page of pages) {
    const base = page.start !== undefined && page.start > size ? page.start : size;
    const bytes = page.groups.map((group) => utf8ByteLength(group));
    const total = bytes.reduce((a, b) => a + b, 0);
    const span = page.end !== undefined && page.end >= base ? page.end - base : null;
    let cumulative = 0;
    for (const length of bytes) {
      cumulative += length;
      ends.push(span === null ? base + cumulative : base + Math.round((span * cumulative) / total));
    }
    size = page.groups.length === 0 ? base : (ends.at(-1) ?? base);
  }
  return { start, ends };
}

/**
 * The verbatim JSON text of each element of a page's top-level `items` array (no re-printing, so
 * number text and key order survive). Throws a `SyntaxError` when `text` is not a JSON object or
 * has no `items` array.
 */
export function splitPageGroups(text: string): string[] {
  JSON.parse(text); // validates; the scan below may then assume well-formed JSON
  let i = skipJsonSpace(text, 0);
  if (text[i] !== '{') throw new SyntaxError('a page must be a JSON object');
  i = skipJsonSpace(text, i + 1);
  while (i < text.length && text[i] !== '}') {
    const keyEnd = skipJsonValue(text, i);
    const key: unknown = JSON.parse(text.slice(i, keyEnd));
    i = skipJsonSpace(text, keyEnd);
    i = skipJsonSpace(text, i + 1); // ':'
    if (key === 'items' && text[i] === '[') {
      const groups: string[] = [];
      i = skipJsonSpace(text, i + 1);
      while (text[i] !== ']') {
        const end = skipJsonValue(text, i);
        groups.push(text.slice(i, end));
        i = skipJsonSpace(text, end);
        if (text[i] === ',') i = skipJsonSpace(text, i + 1);
      }
      return groups;
    }
    i = skipJsonSpace(text, skipJsonValue(text, i));
    if (text[i] === ',') i = skipJsonSpace(text, i + 1);
  }
  throw new SyntaxError('the page has no "items" array');
}
