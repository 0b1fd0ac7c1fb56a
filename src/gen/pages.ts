/**
 * Paging a generated history into fixture pages: the envelope of every page (`items`,
 * `current-item-index` = the head, `schema: 301`, cumulative content sizes) and the manifest
 * metadata. The generator runs twice — once to count groups and bytes, once to emit pages —
 * because the envelope of the first page already names the head and the total size.
 */
import { groupText, pageBodyText, utf8ByteLength } from '../protocol/index.ts';
import { formatIsoInstant, isKnownTimeZone, parseCivilDate } from './calendar.ts';
import { GenError } from './errors.ts';
import { HistoryGenerator, type HistorySettings } from './history-generator.ts';

/** The history schema number the generator writes (the value served in 2026). */
export const GENERATED_SCHEMA = 301;

/** Defaults of the optional options. */
export const GEN_DEFAULTS = {
  pageGroups: 500,
  timeZone: 'Europe/Berlin',
  start: '2025-01-06',
} as const;

/** Options of one generated fixture, as a caller gives them. */
export interface GenOptions {
  /** Exact number of items (entity events); a positive integer. */
  readonly items: number;
  /** Any string or number; the same seed gives the same history. */
  readonly seed: string | number;
  /** Groups per page; default 500. */
  readonly pageGroups?: number;
  /** IANA zone of the simulated user; default `Europe/Berlin`. */
  readonly timeZone?: string;
  /** First local day `YYYY-MM-DD`; default `2025-01-06`. */
  readonly start?: string;
}

/** Validated options with defaults filled in. */
export interface ResolvedGenOptions {
  readonly items: number;
  readonly seed: string | number;
  readonly pageGroups: number;
  readonly timeZone: string;
  readonly start: string;
  /** The history settings the generator runs on. */
  readonly history: HistorySettings;
}

/** Validates options; throws GenError INVALID_OPTION naming the option and the problem. */
export function resolveGenOptions(options: GenOptions): ResolvedGenOptions {
  const { items, seed } = options;
  const pageGroups = options.pageGroups ?? GEN_DEFAULTS.pageGroups;
  const timeZone = options.timeZone ?? GEN_DEFAULTS.timeZone;
  const start = options.start ?? GEN_DEFAULTS.start;
  if (!Number.isSafeInteger(items) || items < 1) {
    throw new GenError(
      'INVALID_OPTION',
      `Cannot generate a history: --items must be a positive integer, got ${items}`,
    );
  }
  if (typeof seed === 'number' ? !Number.isFinite(seed) : seed === '') {
    throw new GenError(
      'INVALID_OPTION',
      `Cannot generate a history: --seed must be a non-empty string or a finite number, got ${JSON.stringify(seed)}`,
    );
  }
  if (!Number.isSafeInteger(pageGroups) || pageGroups < 1) {
    throw new GenError(
      'INVALID_OPTION',
      `Cannot generate a history: --page-groups must be a positive integer, got ${pageGroups}`,
    );
  }
  const startDay = parseCivilDate(start);
  if (startDay === null || start < '1971-01-01' || start > '2199-12-31') {
    throw new GenError(
      'INVALID_OPTION',
      `Cannot generate a history: --start must be a date YYYY-MM-DD between 1971 and 2199, got ${JSON.stringify(start)}`,
    );
  }
  if (!isKnownTimeZone(timeZone)) {
    throw new GenError(
      'INVALID_OPTION',
      `Cannot generate a history: --time-zone ${JSON.stringify(timeZone)} is not an IANA time zone`,
    );
  }
  return { items, seed, pageGroups, timeZone, start, history: { items, seed, timeZone, startDay } };
}

/** What the counting pass learns about a history. */
export interface HistorySummary {
  /** Number of groups: the head (`current-item-index`) of the generated history. */
  readonly groups: number;
  readonly items: number;
  /** Sum of the UTF-8 byte sizes of all groups' JSON: `latest-total-content-size`. */
  readonly totalContentSize: number;
  /** Simulated time of the last group, ISO 8601 (the manifest's `recordedAt`). */
  readonly recordedAt: string;
}

/** Runs the generator once without keeping anything, to learn the head and the total size. */
export function summarizeHistory(options: ResolvedGenOptions): HistorySummary {
  const generator = new HistoryGenerator(options.history);
  let groups = 0;
  let items = 0;
  let size = 0;
  for (const group of generator.groups()) {
    groups++;
    items += group.length;
    size += utf8ByteLength(groupText(group));
  }
  return { groups, items, totalContentSize: size, recordedAt: formatIsoInstant(generator.clock) };
}

/** One page of a generated fixture. */
export interface GeneratedPage {
  readonly startIndex: number;
  /** Number of groups in `items`. */
  readonly groups: number;
  /** The page body: compact JSON, UTF-8 when encoded. */
  readonly text: string;
}

/**
 * Yields the pages of the history, each holding up to `pageGroups` groups, with the envelope
 * computed from `summary` (which must come from {@link summarizeHistory} on the same options).
 * Only one page is held in memory at a time.
 */
export function* generatePages(
  options: ResolvedGenOptions,
  summary: HistorySummary,
): Generator<GeneratedPage, void, undefined> {
  const generator = new HistoryGenerator(options.history);
  let startIndex = 0;
  let startSize = 0;
  let size = 0;
  let buffer: string[] = [];
  const page = (): GeneratedPage => {
    const text = pageBodyText(buffer, {
      head: summary.groups,
      schema: GENERATED_SCHEMA,
      startSize,
      endSize: size,
      latestSize: summary.totalContentSize,
    });
    return { startIndex, groups: buffer.length, text };
  };
  for (const group of generator.groups()) {
    const json = groupText(group);
    buffer.push(json);
    size += utf8ByteLength(json);
    if (buffer.length === options.pageGroups) {
      yield page();
      startIndex += buffer.length;
      startSize = size;
      buffer = [];
    }
  }
  if (buffer.length > 0) yield page();
  if (startIndex + buffer.length !== summary.groups || size !== summary.totalContentSize) {
    throw new Error('generator bug: the writing pass differs from the counting pass');
  }
}

/** The `source` of a generated fixture's manifest. */
export function generatedSource(options: ResolvedGenOptions): {
  readonly kind: 'generated';
  readonly description: string;
  readonly generator: 'thingstape gen';
  readonly items: number;
  readonly seed: string | number;
  readonly pageGroups: number;
  readonly start: string;
} {
  return {
    kind: 'generated',
    description: `Synthetic Things Cloud history of ${options.items} items (seed ${JSON.stringify(options.seed)}) from a simulated user in ${options.timeZone} starting ${options.start}.`,
    generator: 'thingstape gen',
    items: options.items,
    seed: options.seed,
    pageGroups: options.pageGroups,
    start: options.start,
  };
}
