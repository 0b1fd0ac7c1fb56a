/**
 * The store's reads (src/store/reads) against the pure views they restate (src/engine/views.ts):
 * generated histories replayed through the real sync loop, then every list, project, area, tag,
 * search and change-log query compared with the view over the stored entities, for many dates
 * judged in zones east and west of UTC, around midnight and the DST changes of the generated
 * dates, on `:memory:`, `file:` and a real sqld.
 *
 * Replay one failure: `FC_SEED=<seed> FC_PATH=<path> npx vitest run tests/property/reads.test.ts`.
 */
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import {
  LIST_VIEWS,
  areaView,
  canonicalJson,
  indexEntities,
  projectView,
  searchView,
  tagView,
  todayIn,
  type EntityIndex,
  type ListViewName,
  type ProjectView,
  type ViewRow,
} from '../../src/engine/index.ts';
import type { CivilDate } from '../../src/protocol/index.ts';
import type { Store } from '../../src/store/index.ts';
import { GHOST_IDS, poolEntities, splitHistory } from '../arbitraries/index.ts';
import { fileBackend, memoryBackend, type TestBackend } from '../support/db.ts';
import { hasSqld } from '../../tools/sqld.ts';
import { sqldBackend } from '../support/sqld.ts';
import {
  GeneratedSource,
  allEntities,
  assert,
  check,
  generated,
  hangGuard,
  numRuns,
  sync,
  withStores,
} from './support.ts';

/** Histories of the whole campaign; the default suite runs a quarter (decision 0023). */
const RUNS = 120;

/**
 * Zones east and west of UTC: the far east and west ends (+14, −11), DST changes inside the
 * generated dates (Europe/Berlin on 2025-10-26, America/Los_Angeles on 2025-11-02), a half-hour
 * zone and the southern hemisphere (Australia/Adelaide is in summer time then).
 */
const ZONES = [
  'Pacific/Kiritimati',
  'Asia/Tokyo',
  'Australia/Adelaide',
  'Asia/Kolkata',
  'Europe/Berlin',
  'UTC',
  'America/Los_Angeles',
  'Pacific/Pago_Pago',
] as const;

/** 2025-10-14T00:00Z, a day before the first generated date. */
const FIRST_INSTANT = 1_760_400_000;

/**
 * A "now" and a zone: instants over the generated dates (2025-10-15 … 2025-11-24) and a few days
 * around them, biased to within a minute of a midnight somewhere (whole and half hours of UTC).
 */
const judgedAt = fc.record({
  zone: fc.constantFrom(...ZONES),
  now: fc.oneof(
    fc.integer({ min: 0, max: 46 * 86_400 }).map((s) => FIRST_INSTANT + s),
    fc
      .tuple(fc.integer({ min: 0, max: 46 * 48 }), fc.integer({ min: -60, max: 60 }))
      .map(([halfHours, s]) => FIRST_INSTANT + halfHours * 1800 + s),
  ),
});

/** Search texts: the generated titles' and notes' pieces in other cases, LIKE's wildcards, none. */
const NEEDLES = [
  '',
  'a',
  'A',
  'MILK',
  'buy m',
  'ü',
  'Ü',
  'ÜNÏ',
  'é',
  '🐢',
  'LINE 2',
  '\n',
  '%',
  '_',
  '\\',
  'ï',
  '✓',
] as const;

/** Ids to ask for by family: the pool's (tasks also for projects), plus an id nothing has. */
const idsOf = (family: 'task' | 'area' | 'tag'): string[] => [
  ...poolEntities()
    .filter((e) => e.family === family)
    .map((e) => e.id),
  GHOST_IDS[0] ?? '',
];

/**
 * The page of a project's view the store returns for `offset` and `limit` (see `Reads.project`):
 * its items (each heading, then its to-dos) sliced; the loose section always first, then each
 * section of which the heading or a to-do is on the page, with its heading.
 */
function projectPage(view: ProjectView, offset: number, limit: number): ProjectView {
  if (view.project === null) return view;
  const items = view.sections.flatMap((section, i) => [
    ...(section.heading === null ? [] : [{ i, row: section.heading, heading: true }]),
    ...section.rows.map((row) => ({ i, row, heading: false })),
  ]);
  const page = items.slice(offset, offset + limit);
  const rowsOf = (i: number): ViewRow[] =>
    page.filter((item) => item.i === i && !item.heading).map((item) => item.row);
  const touched = [...new Set(page.map((item) => item.i))].filter((i) => i > 0);
  return {
    project: view.project,
    sections: [
      { heading: null, rows: rowsOf(0) },
      ...touched.map((i) => ({ heading: view.sections[i]?.heading ?? null, rows: rowsOf(i) })),
    ],
  };
}

/** Every read of the store equals its pure view on `today`; throws with what differs. */
async function compareReads(
  store: Store,
  index: EntityIndex,
  today: CivilDate,
  needles: readonly string[],
): Promise<void> {
  const same = (what: string, actual: unknown, expected: unknown): void => {
    const a = canonicalJson(actual);
    const e = canonicalJson(expected);
    assert(a === e, `${what} on ${today} differs from the view`, { store: actual, view: expected });
  };
  for (const name of Object.keys(LIST_VIEWS) as ListViewName[]) {
    const view = LIST_VIEWS[name](index, { today });
    const page = await store.reads.list(name, { today, total: true });
    same(`list ${name}`, page, { rows: view, total: view.length });
    // A page in the middle: limit and offset pushed down give the view's slice.
    const offset = Math.floor(view.length / 3);
    const part = await store.reads.list(name, { today, offset, limit: 2 });
    same(`list ${name} offset ${offset} limit 2`, part, {
      rows: view.slice(offset, offset + 2),
      total: null,
    });
  }
  for (const id of idsOf('task')) {
    const view = projectView(index, id, { today });
    same(`project ${id}`, await store.reads.project(id, { today }), view);
    // Pages starting in the loose rows, on a heading or inside a heading's section.
    const items = view.sections.reduce(
      (n, s) => n + (s.heading === null ? 0 : 1) + s.rows.length,
      0,
    );
    for (const offset of new Set([Math.floor(items / 3), Math.floor((2 * items) / 3), items])) {
      same(
        `project ${id} offset ${offset} limit 2`,
        await store.reads.project(id, { today, offset, limit: 2 }),
        projectPage(view, offset, 2),
      );
    }
  }
  for (const id of idsOf('area')) {
    same(
      `area ${id}`,
      (await store.reads.area(id, { today })).rows,
      areaView(index, id, { today }),
    );
  }
  // Pages of a tag and a search: their first rows may come from a walk in `ix` order
  // (src/store/reads/walk.ts), which a dense answer and a short page lead to.
  const pages = [
    [0, 1],
    [1, 3],
  ] as const;
  for (const id of idsOf('tag')) {
    const view = tagView(index, id, { today });
    same(`tag ${id}`, (await store.reads.tag(id, { today })).rows, view);
    for (const [offset, limit] of pages) {
      same(
        `tag ${id} offset ${offset} limit ${limit}`,
        await store.reads.tag(id, { today, total: true, limit, offset }),
        { rows: view.slice(offset, offset + limit), total: view.length },
      );
    }
  }
  for (const needle of needles) {
    const view = searchView(index, needle, { today });
    for (const [offset, limit] of pages) {
      same(
        `search ${JSON.stringify(needle)} offset ${offset} limit ${limit}`,
        await store.reads.search(needle, { today, total: true, limit, offset }),
        { rows: view.slice(offset, offset + limit), total: view.length },
      );
    }
  }
}

/** `changes({ last })`, with and without the other filters, against the whole log filtered. */
async function compareChanges(store: Store, last: number, sinceAt: number): Promise<void> {
  const all = await store.changes();
  const tail = <T>(list: readonly T[]): T[] => (last === 0 ? [] : list.slice(-last));
  const same = (what: string, actual: unknown, expected: unknown): void =>
    assert(canonicalJson(actual) === canonicalJson(expected), `changes ${what} differ`, {
      store: actual,
      log: expected,
    });
  same(`last ${last}`, await store.reads.changes({ last }), tail(all));
  const since = all.filter((c) => c.at !== null && c.at >= sinceAt);
  same(`since ${sinceAt}`, await store.reads.changes({ sinceAt }), since);
  same(`since ${sinceAt} last ${last}`, await store.reads.changes({ sinceAt, last }), tail(since));
  const entityId = all[0]?.entityId ?? GHOST_IDS[0] ?? '';
  const ofEntity = all.filter((c) => c.entityId === entityId);
  same(
    `of ${entityId} last ${last}`,
    await store.reads.changes({ entityId, last }),
    tail(ofEntity),
  );
}

/** The property on one backend (it throws with the seed and the difference when one is found). */
async function readsEqualViews(backend: TestBackend, runs: number): Promise<void> {
  await check(
    `reads = views (${backend.name})`,
    runs,
    [
      splitHistory({ maxCuts: 3, minOps: 15, maxOps: 60 }),
      fc.array(judgedAt, { minLength: 1, maxLength: 4 }),
      fc.subarray([...NEEDLES], { minLength: 1, maxLength: 5 }),
      fc.nat({ max: 12 }),
      fc.integer({ min: 0, max: 46 * 86_400 }).map((s) => FIRST_INSTANT + s),
    ],
    async ({ history, cuts }, dates, needles, last, sinceAt) => {
      await withStores(backend, 1, async ([s]) => {
        if (s === undefined) throw new Error('no store');
        await sync(s.store, new GeneratedSource(history.groups, cuts));
        const index = indexEntities(await allEntities(s.store));
        for (const { zone, now } of dates) {
          await compareReads(s.store, index, todayIn(zone, now), needles);
        }
        await compareChanges(s.store, last, sinceAt);
      });
    },
  );
}

describe('the store reads equal the pure views', () => {
  for (const { backend, share } of [
    { backend: memoryBackend(), share: 1 },
    { backend: fileBackend(), share: 0.2 },
  ]) {
    const runs = Math.round(RUNS * share);
    it(`on ${backend.name}`, { timeout: hangGuard(runs) }, async () => {
      const before = generated.histories;
      try {
        await readsEqualViews(backend, runs);
        expect(generated.histories - before).toBeGreaterThanOrEqual(numRuns(runs));
      } finally {
        await backend.cleanup();
      }
    });
  }
});

describe.skipIf(!hasSqld())('the store reads equal the pure views on sqld', () => {
  const sqld = sqldBackend();
  afterAll(() => sqld.cleanup());
  // Each run a wiped server: the backend hands out one, and the run gives it back.
  const recycling: TestBackend = {
    name: 'sqld',
    url: async () => {
      await sqld.recycle();
      return sqld.url();
    },
    cleanup: () => sqld.recycle(),
  };
  const runs = Math.round(RUNS * 0.1);
  it('on sqld', { timeout: hangGuard(runs) }, async () => {
    const before = generated.histories;
    await readsEqualViews(recycling, runs);
    expect(generated.histories - before).toBeGreaterThanOrEqual(numRuns(runs));
  });
});
