/**
 * The page walker of spec 2.5, written once for the recorder (`cloud/paging.ts`) and the sync loop
 * (`sync/loop.ts`): advance by the number of groups (never by entities, never to the head), ask for
 * the head again on reaching it, and check every page defensively. The walker only orders calls and
 * checks numbers; reading the head and a page, and the error class thrown, are its caller's.
 */

/** Codes a walk can fail with; each caller's error class carries them (`CloudError`, `SyncError`). */
export const PAGING_ERROR_CODES = [
  /** The history's head is behind the cursor, or a page says so: the history was replaced. */
  'HISTORY_RESET',
  /** A page came back with no groups although the head says more exist. */
  'NO_PROGRESS',
  /** A page whose envelope contradicts itself (`start + groups > current-item-index`). */
  'MALFORMED_PAGE',
  /** A page of a schema newer than thingstape understands. */
  'UNSUPPORTED_SCHEMA',
] as const;
export type PagingErrorCode = (typeof PAGING_ERROR_CODES)[number];

/** What the walker reads of a page: its envelope's numbers. */
export interface WalkedPage {
  readonly currentItemIndex: number;
  /** How many groups the page holds. */
  readonly groups: number;
  readonly schema: number | null;
}

/** The facts of one failed check, for the caller's message. */
export type PagingProblem =
  /** The head read at the start is behind the start cursor. */
  | { readonly kind: 'HEAD_BEHIND_START'; readonly cursor: number; readonly head: number }
  /** The head read again at the cursor went below it. */
  | { readonly kind: 'HEAD_WENT_DOWN'; readonly cursor: number; readonly head: number }
  /** The page's current-item-index is behind its start, or behind the head seen at the start. */
  | {
      readonly kind: 'PAGE_BEHIND';
      readonly cursor: number;
      readonly current: number;
      /** Set when the page is behind the head seen at the start (not its start index). */
      readonly headAtStart?: number;
    }
  | { readonly kind: 'EMPTY_PAGE'; readonly cursor: number; readonly head: number }
  | {
      readonly kind: 'OVERFULL_PAGE';
      readonly cursor: number;
      readonly groups: number;
      readonly current: number;
    }
  | {
      readonly kind: 'NEWER_SCHEMA';
      readonly cursor: number;
      readonly schema: number;
      readonly maxSchema: number;
    };

/** The code each problem is reported with: the one place a check gets its code. */
export const PAGING_PROBLEM_CODES = {
  HEAD_BEHIND_START: 'HISTORY_RESET',
  HEAD_WENT_DOWN: 'HISTORY_RESET',
  PAGE_BEHIND: 'HISTORY_RESET',
  EMPTY_PAGE: 'NO_PROGRESS',
  OVERFULL_PAGE: 'MALFORMED_PAGE',
  NEWER_SCHEMA: 'UNSUPPORTED_SCHEMA',
} as const satisfies Record<PagingProblem['kind'], PagingErrorCode>;

/** What a {@link PageWalker} reads from and how it reports a failed check. */
export interface PageWalkerOptions<P extends WalkedPage> {
  /** The cursor to start at. */
  readonly start: number;
  /** Reads the history's head (the number of groups it holds now). */
  readonly head: () => Promise<number>;
  /** Reads the page at `start`; `head` is the head known when it is asked for. */
  readonly page: (start: number, head: number) => Promise<P>;
  /**
   * The error to throw for a failed check (the caller's error class, with `code`); `page` is the
   * page checked (none for a check of the head).
   */
  readonly fail: (code: PagingErrorCode, problem: PagingProblem, page: P | undefined) => Error;
  /** Highest `schema` accepted (default: any). */
  readonly maxSchema?: number;
  /**
   * Trust a page's `current-item-index` as a head (the recorder, reading Things Cloud directly):
   * a page behind the head seen at the start is a reset, the walk reads on to the highest
   * current-item-index seen before asking the head again, an empty page at its own
   * current-item-index ends the walk and a page beyond its current-item-index is `MALFORMED_PAGE`.
   * Without it (the sync loop) only `head()` says where the history ends, every empty page is
   * `NO_PROGRESS`, and a page beyond its current-item-index is the decoder's warning.
   */
  readonly pageHeads?: boolean;
}

/** One page of a walk, with where it starts and where the next one starts. */
export interface WalkStep<P> {
  readonly page: P;
  readonly startIndex: number;
  /** `startIndex + groups`. */
  readonly endIndex: number;
}

/**
 * Walks a history's pages from a start cursor to its head, one page per {@link next} call. The
 * first call reads the head (`HISTORY_RESET` when it is behind the start); on reaching the known
 * head it reads it again and goes on if the history grew, or ends (`HISTORY_RESET` when it went
 * down). Each page is checked before it is returned; a failed check throws the caller's error and
 * leaves the cursor where it was.
 */
export class PageWalker<P extends WalkedPage> {
  readonly #options: PageWalkerOptions<P>;
  #cursor: number;
  #head = 0;
  #headAtStart = 0;
  #started = false;

  constructor(options: PageWalkerOptions<P>) {
    this.#options = options;
    this.#cursor = options.start;
  }

  /** Where the next page starts. */
  get cursor(): number {
    return this.#cursor;
  }

  /** The head as last known (0 before the first call). */
  get head(): number {
    return this.#head;
  }

  /** True when the cursor is at the known head: the next call asks for the head again. */
  get atHead(): boolean {
    return this.#started && this.#cursor >= this.#head;
  }

  /**
   * Reads the head the walk starts from, once (the first {@link next} does it otherwise); throws
   * `HISTORY_RESET` when it is behind the start.
   */
  async begin(): Promise<number> {
    if (!this.#started) {
      const start = this.#cursor;
      const head = await this.#options.head();
      if (head < start) this.#fail({ kind: 'HEAD_BEHIND_START', cursor: start, head });
      this.#started = true;
      this.#head = head;
      this.#headAtStart = head;
    }
    return this.#head;
  }

  /** The next page, or `undefined` at the end of the history. */
  async next(): Promise<WalkStep<P> | undefined> {
    const options = this.#options;
    const start = this.#cursor;
    await this.begin();
    if (start >= this.#head) {
      // The history may have grown while we read it (spec 14.1 step 4).
      const latest = await options.head();
      if (latest < start) this.#fail({ kind: 'HEAD_WENT_DOWN', cursor: start, head: latest });
      if (latest <= start) return undefined;
      this.#head = latest;
    }
    const page = await options.page(start, this.#head);
    const current = page.currentItemIndex;
    const pageHeads = options.pageHeads === true;
    if (current < start) this.#fail({ kind: 'PAGE_BEHIND', cursor: start, current }, page);
    if (pageHeads && current < this.#headAtStart) {
      const headAtStart = this.#headAtStart;
      this.#fail({ kind: 'PAGE_BEHIND', cursor: start, current, headAtStart }, page);
    }
    if (page.groups === 0) {
      if (pageHeads && start >= current) return undefined;
      const head = pageHeads ? current : this.#head;
      this.#fail({ kind: 'EMPTY_PAGE', cursor: start, head }, page);
    }
    if (pageHeads && start + page.groups > current) {
      this.#fail({ kind: 'OVERFULL_PAGE', cursor: start, groups: page.groups, current }, page);
    }
    const maxSchema = options.maxSchema;
    if (maxSchema !== undefined && page.schema !== null && page.schema > maxSchema) {
      this.#fail({ kind: 'NEWER_SCHEMA', cursor: start, schema: page.schema, maxSchema }, page);
    }
    const endIndex = start + page.groups;
    this.#cursor = endIndex;
    if (pageHeads) this.#head = Math.max(this.#head, current);
    return { page, startIndex: start, endIndex };
  }

  #fail(problem: PagingProblem, page?: P): never {
    throw this.#options.fail(PAGING_PROBLEM_CODES[problem.kind], problem, page);
  }
}
