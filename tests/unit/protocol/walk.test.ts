import { describe, expect, it } from 'vitest';

import { CLOUD_ERROR_CODES } from '../../../src/cloud/index.ts';
import {
  PAGING_ERROR_CODES,
  PageWalker,
  type PagingErrorCode,
  type PagingProblem,
  type WalkedPage,
} from '../../../src/protocol/index.ts';
import { SYNC_ERROR_CODES } from '../../../src/sync/index.ts';

/** A failed check as the walker reports it. */
class Failed extends Error {
  readonly code: PagingErrorCode;
  readonly problem: PagingProblem;
  constructor(code: PagingErrorCode, problem: PagingProblem) {
    super(code);
    this.code = code;
    this.problem = problem;
  }
}

/** A walker whose head answers are `heads` in order (the last one repeats); every call is logged. */
function walker(
  heads: number[],
  page: (start: number) => WalkedPage,
  options: { start?: number; pageHeads?: boolean; maxSchema?: number } = {},
) {
  const calls: string[] = [];
  let asked = 0;
  const walk = new PageWalker({
    start: options.start ?? 0,
    ...(options.pageHeads === undefined ? {} : { pageHeads: options.pageHeads }),
    ...(options.maxSchema === undefined ? {} : { maxSchema: options.maxSchema }),
    head: () => {
      const head = heads[Math.min(asked++, heads.length - 1)] as number;
      calls.push(`head ${head}`);
      return Promise.resolve(head);
    },
    page: (start) => {
      calls.push(`page ${start}`);
      return Promise.resolve(page(start));
    },
    fail: (code, problem) => new Failed(code, problem),
  });
  return { walk, calls };
}

/** Pages of `size` groups up to `head`, claiming `head` as their current-item-index. */
const even =
  (size: number, head: number) =>
  (start: number): WalkedPage => ({
    currentItemIndex: head,
    groups: Math.min(size, head - start),
    schema: 301,
  });

async function all(walk: PageWalker<WalkedPage>): Promise<[number, number][]> {
  const out: [number, number][] = [];
  for (let step = await walk.next(); step !== undefined; step = await walk.next()) {
    out.push([step.startIndex, step.endIndex]);
  }
  return out;
}

async function failure(walk: PageWalker<WalkedPage>): Promise<Failed> {
  try {
    await all(walk);
  } catch (error) {
    if (error instanceof Failed) return error;
    throw error;
  }
  throw new Error('the walk did not fail');
}

describe('PageWalker', () => {
  it('advances by groups to the head and asks for the head again there', async () => {
    const { walk, calls } = walker([5, 5], even(2, 5));
    expect(await all(walk)).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
    expect(calls).toEqual(['head 5', 'page 0', 'page 2', 'page 4', 'head 5']);
  });

  it('goes on when the history grew while it was read', async () => {
    const { walk } = walker([3, 6, 6], even(3, 6));
    expect(await all(walk)).toEqual([
      [0, 3],
      [3, 6],
    ]);
  });

  it('fails HISTORY_RESET when the head is behind the start, or went down', async () => {
    expect((await failure(walker([2], even(1, 2), { start: 4 }).walk)).problem).toEqual({
      kind: 'HEAD_BEHIND_START',
      cursor: 4,
      head: 2,
    });
    const down = await failure(walker([2, 1], even(2, 2)).walk);
    expect(down.code).toBe('HISTORY_RESET');
    expect(down.problem).toEqual({ kind: 'HEAD_WENT_DOWN', cursor: 2, head: 1 });
  });

  it('fails HISTORY_RESET for a page behind its start, and NO_PROGRESS for an empty page', async () => {
    const behind = await failure(
      walker([4], () => ({ currentItemIndex: 1, groups: 1, schema: null }), { start: 2 }).walk,
    );
    expect([behind.code, behind.problem.kind]).toEqual(['HISTORY_RESET', 'PAGE_BEHIND']);
    const empty = await failure(
      walker([4], () => ({ currentItemIndex: 4, groups: 0, schema: null })).walk,
    );
    expect(empty.code).toBe('NO_PROGRESS');
    expect(empty.problem).toEqual({ kind: 'EMPTY_PAGE', cursor: 0, head: 4 });
  });

  it('trusts pages as heads only with pageHeads', async () => {
    // A page claiming more groups than head() said: read on without asking again.
    const { walk, calls } = walker([2, 4], even(2, 4), { pageHeads: true });
    expect(await all(walk)).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(calls).toEqual(['head 2', 'page 0', 'page 2', 'head 4']);
    // An empty page at its own index ends the walk; without pageHeads it is NO_PROGRESS.
    const ended = (start: number) => ({ currentItemIndex: 2, groups: 2 - start, schema: null });
    expect(await all(walker([2, 4], ended, { pageHeads: true }).walk)).toEqual([[0, 2]]);
    const stuck = await failure(walker([2, 4], ended).walk);
    expect([stuck.code, stuck.problem]).toEqual([
      'NO_PROGRESS',
      { kind: 'EMPTY_PAGE', cursor: 2, head: 4 },
    ]);
    // A page beyond its own index is malformed only with pageHeads (the decoder warns otherwise).
    const beyond = () => ({ currentItemIndex: 1, groups: 2, schema: null });
    expect((await failure(walker([1], beyond, { pageHeads: true }).walk)).code).toBe(
      'MALFORMED_PAGE',
    );
    const below = await failure(
      walker([5, 5], (start) => ({ currentItemIndex: 4, groups: start === 0 ? 5 : 0, schema: 1 }), {
        pageHeads: true,
      }).walk,
    );
    expect(below.problem).toEqual({ kind: 'PAGE_BEHIND', cursor: 0, current: 4, headAtStart: 5 });
  });

  it('fails UNSUPPORTED_SCHEMA for a schema above maxSchema', async () => {
    const newer = await failure(walker([2], even(2, 2), { maxSchema: 300 }).walk);
    expect(newer.problem).toEqual({ kind: 'NEWER_SCHEMA', cursor: 0, schema: 301, maxSchema: 300 });
  });

  it('tells its cursor, the head it knows and whether it stands at that head', async () => {
    const { walk } = walker([4, 4], even(2, 4));
    expect([walk.cursor, walk.head, walk.atHead]).toEqual([0, 0, false]);
    await walk.next();
    expect([walk.cursor, walk.head, walk.atHead]).toEqual([2, 4, false]);
    await walk.next();
    expect([walk.cursor, walk.head, walk.atHead]).toEqual([4, 4, true]);
    expect(await walk.next()).toBeUndefined();
  });

  it('does not take a page for a head without pageHeads', async () => {
    // The page claims 5 groups; only head() says where the history ends (2).
    const { walk, calls } = walker([2, 2], (start) => ({
      currentItemIndex: 5,
      groups: start === 0 ? 2 : 0,
      schema: null,
    }));
    expect(await all(walk)).toEqual([[0, 2]]);
    expect(calls).toEqual(['head 2', 'page 0', 'head 2']);
    expect(walk.head).toBe(2);
  });

  it('with pageHeads, fails NO_PROGRESS for an empty page before its own index', async () => {
    const empty = () => ({ currentItemIndex: 4, groups: 0, schema: null });
    const stuck = await failure(walker([4], empty, { pageHeads: true }).walk);
    expect([stuck.code, stuck.problem]).toEqual([
      'NO_PROGRESS',
      { kind: 'EMPTY_PAGE', cursor: 0, head: 4 },
    ]);
  });

  it('accepts a schema up to maxSchema, and pages that give none', async () => {
    expect(await all(walker([2], even(2, 2), { maxSchema: 301 }).walk)).toEqual([[0, 2]]);
    expect(await all(walker([2], even(2, 2), { maxSchema: 302 }).walk)).toEqual([[0, 2]]);
    const none = () => ({ currentItemIndex: 2, groups: 2, schema: null });
    expect(await all(walker([2], none, { maxSchema: 300 }).walk)).toEqual([[0, 2]]);
  });

  it('gives its codes to CloudError and SyncError', () => {
    for (const code of PAGING_ERROR_CODES) {
      expect(CLOUD_ERROR_CODES).toContain(code);
      expect(SYNC_ERROR_CODES).toContain(code);
    }
  });
});
