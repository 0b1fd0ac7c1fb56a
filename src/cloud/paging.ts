/**
 * The read-side paging loop of spec 2.5: advance by the number of groups (never by entities, never
 * to the head), stop at the head, and check every page defensively.
 */
import { SUPPORTED_SCHEMA } from '../protocol/index.ts';
import type { CloudClient, PageEnvelope, RawPage } from './client.ts';
import { CloudError } from './errors.ts';

/** One page of {@link readHistoryPages}. */
export interface HistoryPage {
  readonly page: RawPage;
  readonly envelope: PageEnvelope;
  /** The `start-index` the page was requested with. */
  readonly startIndex: number;
  /** `startIndex + groups`: where the next page starts. */
  readonly endIndex: number;
  /** Observations to flag (not to fix), e.g. a content-size discontinuity (spec 14.1). */
  readonly warnings: readonly string[];
}

/** Settings of {@link readHistoryPages}. */
export interface ReadPagesOptions {
  /** The cursor to start at (default 0). */
  readonly start?: number;
  /** Highest `schema` accepted (default: the decoder's {@link SUPPORTED_SCHEMA}). */
  readonly maxSchema?: number;
  /** Called with the history metadata each time the loop asks for it (start, and at the head). */
  readonly onHead?: (head: number, schema: number | null) => void;
}

/**
 * Yields the pages of a history from `start` to the head (spec 2.5): `GET …/items` at the
 * cursor, cursor += `items.length`; at the head it asks `GET /history/{key}` again and goes on
 * if the history grew. Throws `HISTORY_RESET` when the head is (or falls) behind the cursor or
 * below the head seen at the start, `NO_PROGRESS` for an empty page below the head,
 * `MALFORMED_PAGE` when `start + groups > current-item-index`, and `UNSUPPORTED_SCHEMA` for a
 * newer schema. Each page is requested only after the previous one was consumed.
 */
export async function* readHistoryPages(
  client: CloudClient,
  historyKey: string,
  options: ReadPagesOptions = {},
): AsyncGenerator<HistoryPage, void, undefined> {
  let start = options.start ?? 0;
  const maxSchema = options.maxSchema ?? SUPPORTED_SCHEMA;
  const first = await client.historyMeta(historyKey);
  options.onHead?.(first.latestServerIndex, first.latestSchemaVersion);
  const headAtStart = first.latestServerIndex;
  let head = headAtStart;
  if (head < start) {
    throw new CloudError(
      'HISTORY_RESET',
      `Cannot read the history from index ${start}: its head is ${head}; the history was replaced`,
    );
  }
  let previousEnd: number | null = null;
  for (;;) {
    if (start >= head) {
      // The history may have grown while we read it (spec 14.1 step 4).
      const latest = await client.historyMeta(historyKey);
      options.onHead?.(latest.latestServerIndex, latest.latestSchemaVersion);
      if (latest.latestServerIndex < start) {
        throw new CloudError(
          'HISTORY_RESET',
          `Cannot read the history past index ${start}: its head went down to ${latest.latestServerIndex}; the history was replaced`,
        );
      }
      if (latest.latestServerIndex <= start) return;
      head = latest.latestServerIndex;
    }
    const page = await client.itemsPage(historyKey, start, { validate: true });
    const envelope = page.envelope;
    if (envelope === null) throw new TypeError('itemsPage({ validate: true }) gave no envelope');
    const where = `page at start-index ${start}`;
    const current = envelope.currentItemIndex;
    if (current < start || current < headAtStart) {
      throw new CloudError(
        'HISTORY_RESET',
        `Cannot read ${where}: its current-item-index (${current}) is behind ${current < start ? `the start index (${start})` : `the head seen at the start (${headAtStart})`}; the history was replaced`,
      );
    }
    if (envelope.groups === 0) {
      if (start < current) {
        throw new CloudError(
          'NO_PROGRESS',
          `Cannot read ${where}: it holds no groups although the head is ${current}`,
        );
      }
      return;
    }
    if (start + envelope.groups > current) {
      throw new CloudError(
        'MALFORMED_PAGE',
        `Cannot read ${where}: it holds ${envelope.groups} groups, beyond its current-item-index ${current}`,
      );
    }
    if (envelope.schema !== null && envelope.schema > maxSchema) {
      throw new CloudError(
        'UNSUPPORTED_SCHEMA',
        `Cannot read ${where}: schema ${envelope.schema} is newer than the highest this thingstape understands (${maxSchema}); upgrade thingstape`,
      );
    }
    const warnings: string[] = [];
    if (
      previousEnd !== null &&
      envelope.startTotalContentSize !== null &&
      envelope.startTotalContentSize !== previousEnd
    ) {
      warnings.push(
        `start-total-content-size ${envelope.startTotalContentSize} differs from the previous page's end-total-content-size ${previousEnd}`,
      );
    }
    previousEnd = envelope.endTotalContentSize;
    const endIndex = start + envelope.groups;
    yield { page, envelope, startIndex: start, endIndex, warnings };
    start = endIndex;
    head = Math.max(head, current);
  }
}
