/**
 * The recorder's read of a history over the Things Cloud client: the page walker of
 * `protocol/walk.ts` with the client's pages, `CloudError`s and the content-size check.
 */
import { SUPPORTED_SCHEMA } from '../protocol/index.ts';
import { assertNever } from '../protocol/assert.ts';
import { PageWalker, type PagingProblem } from '../protocol/walk.ts';
import type { CloudClient } from './client.ts';
import type { PageEnvelope, RawPage } from './types.ts';
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
 * Yields the pages of a history from `start` to the head (spec 2.5, {@link PageWalker} with page
 * heads): `GET …/items` at the cursor, cursor += `items.length`; at the head it asks
 * `GET /history/{key}` again and goes on if the history grew. Throws `HISTORY_RESET` when the head
 * is (or falls) behind the cursor or below the head seen at the start, `NO_PROGRESS` for an empty
 * page below the head, `MALFORMED_PAGE` when `start + groups > current-item-index`, and
 * `UNSUPPORTED_SCHEMA` for a newer schema. Each page is requested only after the previous one was
 * consumed.
 */
export async function* readHistoryPages(
  client: CloudClient,
  historyKey: string,
  options: ReadPagesOptions = {},
): AsyncGenerator<HistoryPage, void, undefined> {
  const walker = new PageWalker({
    start: options.start ?? 0,
    maxSchema: options.maxSchema ?? SUPPORTED_SCHEMA,
    pageHeads: true,
    head: async () => {
      const meta = await client.historyMeta(historyKey);
      options.onHead?.(meta.latestServerIndex, meta.latestSchemaVersion);
      return meta.latestServerIndex;
    },
    page: async (start) => {
      const page = await client.itemsPage(historyKey, start, { validate: true });
      const envelope = page.envelope;
      if (envelope === null) throw new TypeError('itemsPage({ validate: true }) gave no envelope');
      const { currentItemIndex, groups, schema } = envelope;
      return { page, envelope, currentItemIndex, groups, schema };
    },
    fail: (code, problem) => new CloudError(code, readFailure(problem)),
  });
  let previousEnd: number | null = null;
  for (;;) {
    const step = await walker.next();
    if (step === undefined) return;
    const { page, envelope } = step.page;
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
    yield { page, envelope, startIndex: step.startIndex, endIndex: step.endIndex, warnings };
  }
}

/** The recorder's message for a failed check of the walk. */
function readFailure(problem: PagingProblem): string {
  const where = `page at start-index ${problem.cursor}`;
  switch (problem.kind) {
    case 'HEAD_BEHIND_START':
      return `Cannot read the history from index ${problem.cursor}: its head is ${problem.head}; the history was replaced`;
    case 'HEAD_WENT_DOWN':
      return `Cannot read the history past index ${problem.cursor}: its head went down to ${problem.head}; the history was replaced`;
    case 'PAGE_BEHIND':
      return `Cannot read ${where}: its current-item-index (${problem.current}) is behind ${problem.headAtStart === undefined ? `the start index (${problem.cursor})` : `the head seen at the start (${problem.headAtStart})`}; the history was replaced`;
    case 'EMPTY_PAGE':
      return `Cannot read ${where}: it holds no groups although the head is ${problem.head}`;
    case 'OVERFULL_PAGE':
      return `Cannot read ${where}: it holds ${problem.groups} groups, beyond its current-item-index ${problem.current}`;
    case 'NEWER_SCHEMA':
      return `Cannot read ${where}: schema ${problem.schema} is newer than the highest this thingstape understands (${problem.maxSchema}); upgrade thingstape`;
  }
  return assertNever(problem, 'paging problem');
}
