/**
 * The library side of the reads benchmark, in a child process of its own (bench/child.ts runs it):
 * every read of {@link READ_QUERIES} on a replayed `file:` database, timed one by one through the
 * library, each first call apart (a fresh process: SQLite's page cache is cold, the OS's is not)
 * and then `repeats` calls of which the median is the figure.
 */
import {
  LIST_VIEWS,
  areaView,
  indexEntities,
  projectView,
  searchView,
  tagView,
  type Entity,
  type EntityIndex,
  type ViewOptions,
} from '../src/engine/index.ts';
import { viewDate } from '../src/cli/context.ts';
import type { CivilDate } from '../src/protocol/types.ts';
import {
  openDb,
  openStore,
  type ListPage,
  type ListQuery,
  type Store,
} from '../src/store/index.ts';
import {
  CHANGES_LAST,
  CHANGES_SINCE_SECONDS,
  READ_QUERY_NAMES,
  READ_PAGE,
  SEARCH_WORDS,
  type ReadQueryName,
} from './read-queries.ts';
import { median } from './stats.ts';

/**
 * How a read is answered. `api`: the store's read API (`store.reads`), a list's first page of
 * {@link READ_PAGE} rows; `count`: the same page with the list's total (`total: true`, as
 * `thingstape list` asks), for the reads that have one; `view`: as `thingstape list` and
 * `changes` answered before the store could: every live entity read (`Store.entities()`),
 * indexed, then the pure view of src/engine; the change log through `Store.changes()`, all of it
 * for `--last N`.
 */
export const READ_METHODS = ['api', 'count', 'view'] as const;

/** A name of {@link READ_METHODS}. */
export type ReadMethod = (typeof READ_METHODS)[number];

/** Time the library's reads on the database at `url` (replayed already; opened read-mostly). */
export interface ReadsTask {
  readonly task: 'reads';
  readonly url: string;
  /** Timed calls of each read after its first call. */
  readonly repeats: number;
  /**
   * A read whose first call took longer than this (ms) is called once more only, so that a slow
   * read (a second or more) keeps a long run bounded; its figure is then that one call.
   */
  readonly slowMs: number;
  readonly methods: readonly ReadMethod[];
}

/** What the reads are asked for, chosen from the database before anything is timed. */
export interface ReadParams {
  readonly today: CivilDate;
  readonly timeZone: string;
  readonly projectId: string | null;
  readonly areaId: string | null;
  readonly tagId: string | null;
  /** The newest change's entity (`changes --entity`). */
  readonly entityId: string | null;
  /** Seconds since the epoch (`changes --since`). */
  readonly sinceAt: number | null;
}

/** One read's timings by one method. */
export interface ReadTiming {
  readonly method: ReadMethod;
  readonly query: ReadQueryName;
  /** Rows the read returned (`view`: the whole list; `api`: the page; `count`: the total). */
  readonly rows: number;
  /** The first call (SQLite's cache cold), ms. */
  readonly firstMs: number;
  /** The later calls, ms. */
  readonly ms: readonly number[];
  readonly medianMs: number;
}

/** What {@link runReads} measured. */
export interface ReadsResult {
  readonly task: 'reads';
  readonly params: ReadParams;
  /** Rows of the database: tasks (live), change log. */
  readonly counts: { readonly tasks: number; readonly liveTasks: number; readonly changes: number };
  readonly timings: readonly ReadTiming[];
  readonly maxRssMb: number;
}

/** A read: answers it and returns how many rows the answer holds. */
type Read = (store: Store, params: ReadParams) => Promise<number>;

/** Every live entity, indexed, as `thingstape list` read them before the store answered lists. */
async function loadIndex(store: Store): Promise<EntityIndex> {
  const entities: Entity[] = [];
  for await (const entity of store.entities({ includeDeleted: false })) entities.push(entity);
  return indexEntities(entities);
}

function viewRead(
  compute: (index: EntityIndex, params: ReadParams, options: ViewOptions) => number,
): Read {
  return async (store, params) => compute(await loadIndex(store), params, { today: params.today });
}

function listRead(name: keyof typeof LIST_VIEWS): Read {
  return viewRead((index, _params, options) => LIST_VIEWS[name](index, options).length);
}

/** The `view` method of every read. */
const VIEW_READS: Record<ReadQueryName, Read> = {
  inbox: listRead('inbox'),
  today: listRead('today'),
  evening: listRead('evening'),
  upcoming: listRead('upcoming'),
  anytime: listRead('anytime'),
  someday: listRead('someday'),
  logbook: listRead('logbook'),
  trash: listRead('trash'),
  project: viewRead((index, params, options) =>
    projectView(index, params.projectId ?? '', options).sections.reduce(
      (sum, section) => sum + section.rows.length,
      0,
    ),
  ),
  area: viewRead((index, params, options) => areaView(index, params.areaId ?? '', options).length),
  tag: viewRead((index, params, options) => tagView(index, params.tagId ?? '', options).length),
  'search-present': viewRead(
    (index, _params, options) => searchView(index, SEARCH_WORDS.present, options).length,
  ),
  'search-absent': viewRead(
    (index, _params, options) => searchView(index, SEARCH_WORDS.absent, options).length,
  ),
  'changes-last': async (store) => (await store.changes()).slice(-CHANGES_LAST).length,
  'changes-since': async (store, params) =>
    (await store.changes(params.sinceAt === null ? {} : { sinceAt: params.sinceAt })).length,
  'changes-entity': async (store, params) =>
    (await store.changes({ entityId: params.entityId ?? '' })).length,
};

/** The `api` method of every read: the first page, as an agent asks for a list. */
const API_READS: Record<ReadQueryName, Read> = {
  inbox: apiList('inbox'),
  today: apiList('today'),
  evening: apiList('evening'),
  upcoming: apiList('upcoming'),
  anytime: apiList('anytime'),
  someday: apiList('someday'),
  logbook: apiList('logbook'),
  trash: apiList('trash'),
  // The first page of its items (to-dos and headings), as of the other lists.
  project: async (store, params) =>
    (
      await store.reads.project(params.projectId ?? '', { today: params.today, limit: READ_PAGE })
    ).sections.reduce((sum, section) => sum + section.rows.length, 0),
  area: async (store, params) =>
    (await store.reads.area(params.areaId ?? '', page(params))).rows.length,
  tag: async (store, params) =>
    (await store.reads.tag(params.tagId ?? '', page(params))).rows.length,
  'search-present': async (store, params) =>
    (await store.reads.search(SEARCH_WORDS.present, page(params))).rows.length,
  'search-absent': async (store, params) =>
    (await store.reads.search(SEARCH_WORDS.absent, page(params))).rows.length,
  'changes-last': async (store) => (await store.reads.changes({ last: CHANGES_LAST })).length,
  'changes-since': async (store, params) =>
    (await store.reads.changes(params.sinceAt === null ? {} : { sinceAt: params.sinceAt })).length,
  'changes-entity': async (store, params) =>
    (await store.reads.changes({ entityId: params.entityId ?? '' })).length,
};

/** The first page of a list, with its total when `total`. */
function page(params: ReadParams, total = false): ListQuery {
  return { today: params.today, limit: READ_PAGE, ...(total ? { total } : {}) };
}

function apiList(name: keyof typeof LIST_VIEWS, total = false): Read {
  return async (store, params) => {
    const result = await store.reads.list(name, page(params, total));
    return total ? (result.total ?? Number.NaN) : result.rows.length;
  };
}

/** A paged read's total, or NaN when the read did not count. */
const totalOf = (result: ListPage): number => result.total ?? Number.NaN;

/** The `count` method: the reads that page, with the list's total (null: no total to ask for). */
const COUNT_READS: Record<ReadQueryName, Read | null> = {
  inbox: apiList('inbox', true),
  today: apiList('today', true),
  evening: apiList('evening', true),
  upcoming: apiList('upcoming', true),
  anytime: apiList('anytime', true),
  someday: apiList('someday', true),
  logbook: apiList('logbook', true),
  trash: apiList('trash', true),
  project: null,
  area: async (store, params) =>
    totalOf(await store.reads.area(params.areaId ?? '', page(params, true))),
  tag: async (store, params) =>
    totalOf(await store.reads.tag(params.tagId ?? '', page(params, true))),
  'search-present': async (store, params) =>
    totalOf(await store.reads.search(SEARCH_WORDS.present, page(params, true))),
  'search-absent': async (store, params) =>
    totalOf(await store.reads.search(SEARCH_WORDS.absent, page(params, true))),
  'changes-last': null,
  'changes-since': null,
  'changes-entity': null,
};

const READS: Record<ReadMethod, Record<ReadQueryName, Read | null>> = {
  api: API_READS,
  count: COUNT_READS,
  view: VIEW_READS,
};

/** Raw SQL of the parameter choice: the read APIs under test are not used to pick their inputs. */
type Sql = (sql: string) => Promise<Record<string, unknown>[]>;

/** A task that is open, live and not in the Trash (the rows lists show; templates included). */
const OPEN = 't.deleted_index IS NULL AND t.trashed = 0 AND t.status = 0';

async function chooseParams(store: Store, sql: Sql): Promise<ReadParams> {
  const state = await store.syncState();
  const date = viewDate({}, state, Date.now() / 1000);
  const first = async (query: string): Promise<Record<string, unknown> | undefined> =>
    (await sql(query))[0];
  const id = (row: Record<string, unknown> | undefined): string | null =>
    typeof row?.['id'] === 'string' ? row['id'] : null;
  const project = await first(
    `SELECT t.project_id AS id, COUNT(*) AS n FROM tasks t JOIN tasks p ON p.id = t.project_id
     WHERE ${OPEN} AND t.type = 0 AND p.deleted_index IS NULL AND p.trashed = 0 AND p.status = 0
     GROUP BY t.project_id ORDER BY n DESC, t.project_id LIMIT 1`,
  );
  const area = await first(
    `SELECT t.area_id AS id, COUNT(*) AS n FROM tasks t JOIN areas a ON a.id = t.area_id
     WHERE ${OPEN} AND a.deleted_index IS NULL GROUP BY t.area_id ORDER BY n DESC, t.area_id LIMIT 1`,
  );
  const tag = await first(
    `SELECT l.tag_id AS id, COUNT(*) AS n FROM tag_links l
     JOIN tasks t ON l.owner_type = 'task' AND t.id = l.owner_id
     JOIN tags g ON g.id = l.tag_id
     WHERE ${OPEN} AND g.deleted_index IS NULL GROUP BY l.tag_id ORDER BY n DESC, l.tag_id LIMIT 1`,
  );
  const newest = await first(
    'SELECT entity_id AS id, at FROM change_log ORDER BY server_index DESC, position DESC, ordinal DESC LIMIT 1',
  );
  const newestAt = await first('SELECT MAX(at) AS at FROM change_log');
  const at = newestAt?.['at'];
  return {
    today: date.today,
    timeZone: date.timeZone,
    projectId: id(project),
    areaId: id(area),
    tagId: id(tag),
    entityId: id(newest),
    sinceAt: typeof at === 'number' ? at - CHANGES_SINCE_SECONDS : null,
  };
}

async function time(read: () => Promise<number>): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  const rows = await read();
  return { ms: performance.now() - started, rows };
}

/** Runs {@link ReadsTask}: parameters first (untimed), then each read by each method. */
export async function runReads(task: ReadsTask): Promise<ReadsResult> {
  if (!task.url.startsWith('file:')) throw new RangeError(`reads run on file: only: ${task.url}`);
  const store = await openStore(task.url);
  // A second connection for the untimed SQL that picks parameters and counts rows.
  const db = await openDb(task.url);
  try {
    const sql: Sql = async (query) =>
      (await db.execute(query)).rows as unknown as Record<string, unknown>[];
    const params = await chooseParams(store, sql);
    const count = async (query: string): Promise<number> =>
      Number((await sql(query))[0]?.['n'] ?? Number.NaN);
    const counts = {
      tasks: await count('SELECT COUNT(*) AS n FROM tasks'),
      liveTasks: await count(`SELECT COUNT(*) AS n FROM tasks t WHERE ${OPEN}`),
      changes: await count('SELECT COUNT(*) AS n FROM change_log'),
    };
    const timings: ReadTiming[] = [];
    for (const method of task.methods) {
      for (const query of READ_QUERY_NAMES) {
        const answer = READS[method][query];
        if (answer === null) continue;
        const read = (): Promise<number> => answer(store, params);
        const first = await time(read);
        const ms: number[] = [];
        const repeats = first.ms > task.slowMs ? Math.min(1, task.repeats) : task.repeats;
        for (let i = 0; i < repeats; i++) {
          const next = await time(read);
          if (next.rows !== first.rows) {
            throw new Error(`${method} ${query}: ${first.rows} rows, then ${next.rows}`);
          }
          ms.push(next.ms);
        }
        timings.push({
          method,
          query,
          rows: first.rows,
          firstMs: first.ms,
          ms,
          medianMs: median(ms),
        });
      }
    }
    return {
      task: 'reads',
      params,
      counts,
      timings,
      maxRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    };
  } finally {
    db.close();
    store.close();
  }
}
