/**
 * `store.reads` (src/store/reads): the requests each read costs, what it refuses, and a few
 * cases named by the view rules. That every answer equals the pure view is the property of
 * tests/property/reads.test.ts; tests/integration/sqld-store.test.ts runs this file on sqld too.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Entity, TaskEntity } from '../../../src/engine/types.ts';
import {
  LIST_VIEWS,
  areaView,
  indexEntities,
  projectView,
  searchView,
  tagView,
  type ListViewName,
} from '../../../src/engine/index.ts';
import { EngineError } from '../../../src/engine/errors.ts';
import { createReads } from '../../../src/store/reads/index.ts';
import { tagSql } from '../../../src/store/reads/containers.ts';
import { searchSql } from '../../../src/store/reads/search.ts';
import { openDb } from '../../../src/store/db.ts';
import type { Db } from '../../../src/store/db.ts';
import { MIGRATIONS, SEARCH_TEXTS_MIGRATION_VERSION } from '../../../src/store/schema.ts';
import { createStore } from '../../../src/store/store.ts';
import type { Store } from '../../../src/store/types.ts';
import { localBackends } from '../../support/db.ts';
import {
  area,
  byId,
  checklistItem,
  d,
  fold,
  page,
  plainTask,
  sampleChanges,
  tag,
} from './samples.ts';

const today = d('2025-03-10');

/** A small account: one project with a heading, to-dos in Inbox, Today, This Evening, Logbook. */
function account(): Entity[] {
  return [
    area('area-1', { tagIds: [] }),
    plainTask('proj-1', { type: 1, start: 1, index: 1, areaIds: ['area-1'], title: 'Project' }),
    plainTask('head-1', { type: 2, start: 1, index: 2, projectIds: ['proj-1'], title: 'Heading' }),
    plainTask('inbox-1', { title: 'Buy MILK', index: 3 }),
    plainTask('inbox-2', { title: 'Call Ada', note: 'about milk', index: 4 }),
    plainTask('today-1', { start: 1, startDate: d('2025-03-01'), todayIndex: 2, title: 'Day' }),
    plainTask('evening-1', {
      start: 1,
      startDate: d('2025-03-10'),
      startBucket: 1,
      todayIndex: 1,
      title: 'Évening',
    }),
    plainTask('under-1', { start: 1, headingIds: ['head-1'], index: 5, title: 'Under heading' }),
    plainTask('done-1', { status: 3, stopDate: 1_741_000_000, title: 'Done', start: 1 }),
    checklistItem('item-1', { title: 'oat Milk', taskIds: ['inbox-1'], deleted: null }),
  ];
}

/** Every entity of `store`, deleted ones too (what the views index). */
async function all(store: Store): Promise<Entity[]> {
  const out: Entity[] = [];
  for await (const entity of store.entities({ includeDeleted: true })) out.push(entity);
  return out;
}

/** A Db that counts the requests (`execute` and `batch` calls) made through it. */
function counting(db: Db): Db & { requests: number } {
  const counted = {
    url: db.url,
    requests: 0,
    execute: (stmt: Parameters<Db['execute']>[0]) => {
      counted.requests += 1;
      return db.execute(stmt);
    },
    batch: (stmts: Parameters<Db['batch']>[0], mode: Parameters<Db['batch']>[1]) => {
      counted.requests += 1;
      return db.batch(stmts, mode);
    },
    close: () => db.close(),
  };
  return counted;
}

describe.each(localBackends())('store.reads on $name', (backend) => {
  const open: Store[] = [];
  afterEach(() => {
    for (const store of open.splice(0)) store.close();
  });
  afterAll(() => backend.cleanup());

  async function filled(): Promise<{ store: Store; db: Db }> {
    const db = await openDb(await backend.url());
    const store = await createStore(db);
    open.push(store);
    await store.commitPage(
      page(0, 3, fold({ entities: byId(account()), changes: sampleChanges(1, 'inbox-1') })),
    );
    return { store, db };
  }

  it('answers a list, a page with its count, a project, a search and the change log in one request each', async () => {
    const { db } = await filled();
    const db2 = counting(db);
    const counted = createReads(db2);
    const cases: [string, () => Promise<unknown>, number][] = [
      ['today', () => counted.list('today', { today }), 1],
      ['inbox page + total', () => counted.list('inbox', { today, limit: 1, total: true }), 1],
      ['project', () => counted.project('proj-1', { today }), 1],
      ['area', () => counted.area('area-1', { today, total: true }), 1],
      ['tag', () => counted.tag('tag-1', { today }), 1],
      ['changes --last', () => counted.changes({ last: 2 }), 1],
      ['search with hits', () => counted.search('milk', { today, total: true }), 1],
      ['search without hits', () => counted.search('zzz', { today }), 1],
      ['search under three characters', () => counted.search('mi', { today, total: true }), 1],
      ['changes --since', () => counted.changes({ sinceAt: 0 }), 1],
    ];
    for (const [name, read, expected] of cases) {
      const before = db2.requests;
      await read();
      expect({ name, requests: db2.requests - before }).toEqual({ name, requests: expected });
    }
  });

  it('orders Today by ti with This Evening last, and marks the evening rows', async () => {
    const { store } = await filled();
    const list = await store.reads.list('today', { today, total: true });
    expect(list.rows.map((row) => [row.id, row.evening])).toEqual([
      ['today-1', false],
      ['evening-1', true],
    ]);
    expect(list.total).toBe(2);
  });

  it('pushes limit and offset down and counts the whole list only when asked', async () => {
    const { store } = await filled();
    const first = await store.reads.list('inbox', { today, limit: 1 });
    const second = await store.reads.list('inbox', { today, limit: 1, offset: 1, total: true });
    expect(first).toEqual({ rows: [expect.objectContaining({ id: 'inbox-1' })], total: null });
    expect(second).toEqual({ rows: [expect.objectContaining({ id: 'inbox-2' })], total: 2 });
  });

  it('finds text in titles, notes and checklist items, ignoring case beyond ASCII', async () => {
    const { store } = await filled();
    const ids = async (text: string): Promise<string[]> =>
      (await store.reads.search(text, { today })).rows.map((row) => row.id);
    expect(await ids('MILK')).toEqual(['inbox-1', 'inbox-2']);
    expect(await ids('évening')).toEqual(['evening-1']);
    expect(await ids('%')).toEqual([]);
    expect(await ids('')).toEqual([]);
  });

  it('finds what the view finds in texts that folding, joining or cutting would get wrong', async () => {
    const { store } = await filled();
    const entities = [
      plainTask('nul-1', { title: 'a\0bcd', index: 10 }),
      plainTask('sigma-1', { title: 'ΌΣΟΣ ΚΑΙ', index: 11 }),
      plainTask('dot-1', { title: 'İstanbul', index: 12 }),
      plainTask('quote-1', { title: 'say "hi" now', note: 'A\u212Aelvin', index: 13 }),
      plainTask('split-1', { title: 'end', note: 'start', index: 14 }),
      plainTask('closed-1', { status: 3, stopDate: 1_741_000_000, title: 'zebra', start: 1 }),
      checklistItem('item-2', { title: 'Zebra crossing', taskIds: ['closed-1'], deleted: null }),
      checklistItem('item-3', { title: 'ZEBRA too', taskIds: ['split-1'], deleted: null }),
    ];
    await store.commitPage(page(3, 4, fold({ entities: byId(entities) })));
    const needles = [
      '\0',
      'a\0b',
      '\0bc',
      'bcd',
      'bc',
      'A',
      'a',
      'ab',
      'όσος',
      'ΣΟΣ',
      'σος',
      'ς',
      'ΣΟ',
      'i̇s',
      'İST',
      'istanbul',
      'ist',
      '"hi"',
      '"',
      'hi" n',
      'k',
      'K',
      'kel',
      'aK',
      'endstart',
      'end\ns',
      'zebra',
      'ZEBRA C',
      'milk',
    ];
    const check = async (): Promise<void> => {
      const index = indexEntities(await all(store));
      for (const needle of needles) {
        const view = searchView(index, needle, { today }).map((row) => row.id);
        const found = await store.reads.search(needle, { today, total: true });
        expect({ needle, ids: found.rows.map((row) => row.id), total: found.total }).toEqual({
          needle,
          ids: view,
          total: view.length,
        });
      }
    };
    await check();
    // Closed, reopened, edited, deleted: the texts follow every commit.
    await store.commitPage(
      page(
        4,
        5,
        fold({
          entities: byId([
            plainTask('nul-1', { status: 3, stopDate: 1_741_000_000, title: 'a\0bcd', index: 10 }),
            plainTask('closed-1', { title: 'zebra', start: 1 }),
            plainTask('sigma-1', { title: 'ΣΟΦΊΑ', index: 11 }),
            checklistItem('item-3', {
              title: 'ZEBRA too',
              taskIds: ['split-1'],
              deleted: { serverIndex: 4, at: 1_741_000_000, by: 'delete', tombstoneId: null },
            }),
          ]),
        }),
      ),
    );
    await check();
  });

  it('pages a dense tag and search as the views order them, walked or gathered', async () => {
    const { store } = await filled();
    // Most rows hold the tag and the text, so a short page is walked in `ix` order
    // (src/store/reads/walk.ts) and a long one gathered: `ix` against id order, ties on `ix`,
    // every `start` (5 is none of the lists'), closed rows, a tagged project's and area's rows, a
    // sub-tag, a hit only in a checklist item.
    const entities: Entity[] = [
      tag('tag-9', { parentIds: [] }),
      tag('tag-9a', { parentIds: ['tag-9'] }),
      area('area-9', { tagIds: ['tag-9a'] }),
      plainTask('proj-9', { type: 1, start: 1, index: 7, tagIds: ['tag-9'], title: 'Milk run' }),
    ];
    for (let i = 0; i < 60; i++) {
      const id = `dense-${String(i).padStart(2, '0')}`;
      entities.push(
        plainTask(id, {
          index: ((i * 7) % 23) - 11,
          start: i % 10 === 9 ? 5 : i % 3,
          status: i % 11 === 4 ? 3 : 0,
          stopDate: i % 11 === 4 ? 1_741_000_000 : null,
          title: i % 6 === 5 ? `Bread ${i}` : `Milk ${i}`,
          note: i % 6 === 5 && i % 4 === 1 ? 'then MILK' : '',
          tagIds: i % 5 === 0 ? [] : i % 5 === 1 ? ['tag-9a'] : ['tag-9'],
          projectIds: i % 8 === 3 ? ['proj-9'] : [],
          areaIds: i % 9 === 2 ? ['area-9'] : [],
        }),
      );
      if (i % 6 === 5) {
        entities.push(checklistItem(`check-${i}`, { title: 'oat milk', taskIds: [id] }));
      }
    }
    await store.commitPage(page(3, 4, fold({ entities: byId(entities) })));
    const index = indexEntities(await all(store));
    const pages = [
      [0, 1],
      [0, 5],
      [3, 7],
      [20, 30],
      [0, 500],
    ] as const;
    for (const [offset, limit] of pages) {
      const query = { today, offset, limit, total: true };
      for (const [what, read, view] of [
        ['tag', () => store.reads.tag('tag-9', query), tagView(index, 'tag-9', { today })],
        ['search', () => store.reads.search('milk', query), searchView(index, 'milk', { today })],
        [
          'sparse',
          () => store.reads.search('bread 1', query),
          searchView(index, 'bread 1', { today }),
        ],
      ] as const) {
        expect({ what, offset, limit, page: await read() }).toEqual({
          what,
          offset,
          limit,
          page: { rows: view.slice(offset, offset + limit), total: view.length },
        });
      }
    }
  });

  it('gives up a walk that does not fill the page early and gathers, when most hits are closed', async () => {
    const { store, db } = await filled();
    // 200 active rows first in `ix` order, none a hit; then a tag and a word on 150 closed rows
    // (a checklist item each, which search counts) and on 3 active rows last in `ix` order. The
    // hits, counted closed ones too, look dense: the walk is taken, and would read all 200
    // active rows to find the 3. It reads its cap instead, finds none, and the page is gathered.
    const entities: Entity[] = [tag('tag-l', { parentIds: [] })];
    for (let i = 0; i < 200; i++) {
      entities.push(plainTask(`early-${i}`, { index: i, start: i % 3, title: `Other ${i}` }));
    }
    for (let i = 0; i < 150; i++) {
      const id = `closed-${i}`;
      entities.push(
        plainTask(id, {
          index: i,
          start: 1,
          status: 3,
          stopDate: 1_741_000_000,
          title: `Closed ${i}`,
          tagIds: ['tag-l'],
        }),
        checklistItem(`closed-item-${i}`, { title: 'zzqq step', taskIds: [id] }),
      );
    }
    for (let i = 0; i < 3; i++) {
      entities.push(
        plainTask(`late-${i}`, {
          index: 1000 + i,
          start: 1,
          title: 'zzqq late',
          tagIds: ['tag-l'],
        }),
      );
    }
    await store.commitPage(page(3, 4, fold({ entities: byId(entities) })));
    const index = indexEntities(await all(store));
    const query = { today, offset: 0, limit: 5 };
    for (const [what, list, read, view] of [
      [
        'tag',
        tagSql('tag-l'),
        () => store.reads.tag('tag-l', query),
        tagView(index, 'tag-l', { today }),
      ],
      [
        'search',
        searchSql('zzqq'),
        () => store.reads.search('zzqq', query),
        searchView(index, 'zzqq', { today }),
      ],
    ] as const) {
      expect({ what, page: await read() }).toEqual({
        what,
        page: { rows: view.slice(0, 5), total: null },
      });
      expect(view).toHaveLength(3);
      // The walk's terms, as the page's statement has them: taken, capped below the 200 active
      // rows before the hits, and stopped there with none walked (without the cap: all 3).
      const first = list.firstRows?.(5);
      const probe = await db.execute({
        sql: `${first?.with ?? ''} SELECT (SELECT yes FROM walk) AS walking,
          (SELECT cap FROM walk) AS cap, (SELECT COUNT(*) FROM walked) AS walked,
          (SELECT yes FROM full) AS full`,
        args: [...(first?.args ?? [])],
      });
      const row = probe.rows[0];
      expect({
        what,
        walking: row?.['walking'],
        walked: row?.['walked'],
        full: row?.['full'],
      }).toEqual({ what, walking: 1, walked: 0, full: 0 });
      expect(Number(row?.['cap'])).toBeLessThan(200);
    }
  });

  it('fills the search texts of a database written before they were kept', async () => {
    const db = await openDb(await backend.url());
    const before = MIGRATIONS.filter((m) => m.version < SEARCH_TEXTS_MIGRATION_VERSION);
    const old = await createStore(db, before);
    await old.commitPage(
      page(0, 3, fold({ entities: byId(account()), changes: sampleChanges(1, 'inbox-1') })),
    );
    const store = await createStore(db);
    open.push(store);
    const ids = async (text: string): Promise<string[]> =>
      (await store.reads.search(text, { today })).rows.map((row) => row.id);
    expect(await ids('MILK')).toEqual(['inbox-1', 'inbox-2']);
    expect(await ids('évening')).toEqual(['evening-1']);
    expect(await ids('done')).toEqual([]);
  });

  it('shows a project by heading, with its to-dos resolved through the heading', async () => {
    const { store } = await filled();
    const view = await store.reads.project('proj-1', { today });
    expect(view.project?.areaId).toBe('area-1');
    expect(view.sections.map((s) => [s.heading?.id ?? null, s.rows.map((r) => r.id)])).toEqual([
      [null, []],
      ['head-1', ['under-1']],
    ]);
    expect(view.sections[1]?.rows[0]).toMatchObject({ projectId: 'proj-1', areaId: 'area-1' });
    expect(await store.reads.project('no-such-project', { today })).toEqual({
      project: null,
      sections: [],
    });
  });

  it('hides the open rows of a container closed, trashed or deleted after them, and shows them again', async () => {
    const { store } = await filled();
    const known = new Map(account().map((e) => [e.id, e]));
    const tasks = (id: string): TaskEntity => known.get(id) as TaskEntity;
    let index = 3;
    const commit = async (...changed: TaskEntity[]): Promise<void> => {
      for (const entity of changed) known.set(entity.id, entity);
      await store.commitPage(page(index, index + 1, fold({ entities: byId(changed) })));
      index += 1;
    };
    const gone = { serverIndex: 1, at: null, by: 'delete', tombstoneId: null } as const;
    // Each step against the pure views of the same entities.
    const same = async (step: string): Promise<void> => {
      const views = indexEntities(known.values());
      for (const name of Object.keys(LIST_VIEWS) as ListViewName[]) {
        const listed = await store.reads.list(name, { today, total: true });
        expect(listed.rows, `${step}: ${name}`).toEqual(LIST_VIEWS[name](views, { today }));
        expect(listed.total, `${step}: ${name} total`).toBe(listed.rows.length);
      }
      expect(await store.reads.project('proj-1', { today }), `${step}: project`).toEqual(
        projectView(views, 'proj-1', { today }),
      );
      expect((await store.reads.area('area-1', { today })).rows, `${step}: area`).toEqual(
        areaView(views, 'area-1', { today }),
      );
    };
    await commit(
      plainTask('loose-1', { start: 1, projectIds: ['proj-1'], index: 6, title: 'Loose' }),
      plainTask('due-1', { headingIds: ['head-1'], deadline: d('2025-03-09'), title: 'Due' }),
      // In the Logbook unless their project or heading is trashed.
      plainTask('done-2', { headingIds: ['head-1'], status: 3, stopDate: 1_741_000_100 }),
      plainTask('done-3', { projectIds: ['proj-1'], status: 2, stopDate: 1_741_000_200 }),
    );
    await same('open');
    await commit({ ...tasks('proj-1'), status: 3, stopDate: 1_741_100_000 });
    await same('project completed');
    await commit({ ...tasks('proj-1'), status: 0, stopDate: null });
    await same('project reopened');
    await commit({ ...tasks('head-1'), trashed: true });
    await same('heading trashed');
    await commit({ ...tasks('head-1'), trashed: false }, { ...tasks('proj-1'), trashed: true });
    await same('heading restored, project trashed');
    await commit({ ...tasks('proj-1'), deleted: gone });
    await same('project deleted');
    await commit({ ...tasks('proj-1'), deleted: null, status: 2 });
    await same('project back, canceled');
    await commit({ ...tasks('head-1'), projectIds: [] }, { ...tasks('proj-1'), trashed: false });
    await same('heading out of the project');
    await commit({ ...tasks('head-1'), projectIds: ['proj-1'], status: 3 });
    await same('heading back, completed');
    await commit(
      { ...tasks('under-1'), headingIds: [] },
      { ...tasks('loose-1'), type: 2 },
      { ...tasks('proj-1'), status: 0 },
    );
    await same('to-do out of the heading, a to-do become a heading');
    await commit({ ...tasks('head-1'), type: 0, status: 0 }, { ...tasks('due-1'), status: 3 });
    await same('heading become a to-do, a to-do of it closed');
    await commit({ ...tasks('due-1'), status: 0, projectIds: ['proj-1'] });
    await same('to-do reopened in the project');
  });

  it('pages a project: its loose to-dos, then each heading with its to-dos', async () => {
    const { store } = await filled();
    await store.commitPage(
      page(
        3,
        4,
        fold({
          entities: byId([
            plainTask('loose-1', { projectIds: ['proj-1'], index: 1, title: 'Loose' }),
            plainTask('head-2', { type: 2, index: 9, projectIds: ['proj-1'], title: 'Second' }),
            plainTask('under-2', { headingIds: ['head-2'], index: 1, title: 'Under second' }),
          ]),
        }),
      ),
    );
    const sections = async (offset: number, limit?: number): Promise<unknown> =>
      (
        await store.reads.project('proj-1', {
          today,
          offset,
          ...(limit === undefined ? {} : { limit }),
        })
      ).sections.map((s) => [s.heading?.id ?? null, s.rows.map((r) => r.id)]);
    expect(await sections(0)).toEqual([
      [null, ['loose-1']],
      ['head-1', ['under-1']],
      ['head-2', ['under-2']],
    ]);
    expect(await sections(0, 2)).toEqual([
      [null, ['loose-1']],
      ['head-1', []],
    ]);
    // A page that starts inside a section names its heading (from an earlier page).
    expect(await sections(2, 2)).toEqual([
      [null, []],
      ['head-1', ['under-1']],
      ['head-2', []],
    ]);
    expect(await sections(4, 2)).toEqual([
      [null, []],
      ['head-2', ['under-2']],
    ]);
    expect(await sections(5)).toEqual([[null, []]]);
  });

  it('rejects a bad limit, offset or date before reading', async () => {
    const { store } = await filled();
    await expect(store.reads.list('inbox', { today, limit: -1 })).rejects.toThrow(RangeError);
    await expect(store.reads.search('x', { today, offset: 1.5 })).rejects.toThrow(RangeError);
    await expect(store.reads.changes({ last: -2 })).rejects.toThrow(RangeError);
    await expect(store.reads.changes({ last: 1, limit: 1 })).rejects.toThrow(RangeError);
    await expect(store.reads.list('inbox', { today: '2025-3-1' as typeof today })).rejects.toThrow(
      EngineError,
    );
    await expect(store.reads.list('nope' as 'inbox', { today })).rejects.toThrow(
      /the lists are inbox, today/,
    );
  });
});
