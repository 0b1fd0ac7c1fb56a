/**
 * One measurement in its own process, so its peak RSS is its own: `node bench/child.ts <task.json>`.
 * Prints one JSON line (a {@link ChildResult}) on standard output. Every figure times only the
 * database side: page reads from disk (the HistorySource) are timed separately and subtracted
 * (on a remote URL, except reads made while a commit was in flight on the server).
 */
import { closeSync, createReadStream, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'libsql';
import { foldPage } from '../src/engine/index.ts';
import type { EngineContext, Entity } from '../src/engine/types.ts';
import { localDate } from '../src/engine/index.ts';
import { readFixtureManifest, readPage } from '../src/fixture/node.ts';
import type { FixtureManifest } from '../src/fixture/types.ts';
import { decodePageText } from '../src/protocol/index.ts';
import { ENTITY_TABLE_OF } from '../src/store/codec.ts';
import { insertRows } from '../src/store/sql.ts';
import type { BatchMode, QueryResult, SqlArg, Statement } from '../src/store/db.ts';
import { createStore, openDb, startLedgerTracking } from '../src/store/index.ts';
import type { Db, PageCommit } from '../src/store/index.ts';
import type { Migration } from '../src/store/migrations.ts';
import { MIGRATIONS } from '../src/store/schema.ts';
import { DEFAULT_COMMIT_ITEMS, FixtureHistorySource, syncHistory } from '../src/sync/index.ts';
import type { HistorySource, SourcePage } from '../src/sync/index.ts';
import { overriding } from '../tests/support/db.ts';
import type { BenchFixture } from './fixture.ts';
import { runReads, type ReadsResult, type ReadsTask } from './reads-child.ts';

/** A replay of a benchmark fixture through the real sync loop into `url`. */
export interface ReplayTask {
  readonly task: 'replay';
  readonly fixture: BenchFixture;
  readonly url: string;
  /** What-if variants that measure where write cost goes (never used for the headline figures). */
  readonly variant?: ReplayVariant;
  /** After the replay, EXPLAIN QUERY PLAN the store's read queries on the replayed database. */
  readonly explain?: boolean;
  /** `commitItems` of the base replay (default: the sync loop's). Incremental pages commit alone. */
  readonly commitItems?: number;
}

/**
 * `ledger-tracked`: the database tracks its sync ledger, as one that has been pushed from
 * (decision 0013); `no-secondary-indexes`: every index but keys dropped (and the reads'
 * triggers, which read through them); `no-read-indexes`: the reads' migrations undone, their
 * indexes, triggers and column (see {@link readSchemaDrops}).
 */
export type ReplayVariant =
  'default' | 'ledger-tracked' | 'no-secondary-indexes' | 'no-read-indexes';

/** The name of the migration that adds the indexes the store's reads use (decision 0026). */
export const READ_INDEXES_MIGRATION = 'read_indexes';

/**
 * The migrations of the store's reads, in order: the indexes (decision 0026), then the column of
 * open rows hidden by a container, its triggers and the lists' indexes over it (decision 0043).
 */
export const READ_MIGRATIONS = [READ_INDEXES_MIGRATION, 'list_reads'] as const;

/**
 * The statements that undo {@link READ_MIGRATIONS} on a migrated database: what a replay without
 * the reads drops (their triggers, their indexes, then their columns). Fails when one is missing
 * or does more than create indexes, triggers and columns, fill a column or drop an index it then
 * creates again (then undoing it this way would not be the store without it).
 */
export function readSchemaDrops(migrations: readonly Migration[] = MIGRATIONS): string[] {
  const triggers: string[] = [];
  const indexes = new Set<string>();
  const columns: string[] = [];
  for (const name of READ_MIGRATIONS) {
    const migration = migrations.find((m) => m.name === name);
    if (migration === undefined) {
      throw new Error(`the store has no migration ${JSON.stringify(name)}`);
    }
    for (const sql of migration.sql) {
      const index = /^CREATE INDEX (\w+) ON /.exec(sql)?.[1];
      const trigger = /^CREATE TRIGGER (\w+) /.exec(sql)?.[1];
      const column = /^ALTER TABLE (\w+) ADD COLUMN (\w+) /.exec(sql);
      if (index !== undefined) indexes.add(index);
      else if (trigger !== undefined) triggers.push(`DROP TRIGGER "${trigger}"`);
      else if (column !== null)
        columns.push(`ALTER TABLE "${column[1]}" DROP COLUMN "${column[2]}"`);
      else if (!/^(UPDATE \w+ SET |DROP INDEX \w+$)/.test(sql)) {
        throw new Error(
          `migration ${migration.version} (${migration.name}) does more than create indexes, triggers and columns: ${sql.slice(0, 60)}`,
        );
      }
    }
  }
  return [...triggers, ...[...indexes].map((n) => `DROP INDEX "${n}"`), ...columns];
}

/** The plan SQLite chose for one of the store's read queries. */
export interface QueryPlan {
  readonly query: string;
  readonly sql: readonly string[];
  readonly plan: readonly string[];
  /** False when some step scans a table without an index. */
  readonly usesIndexes: boolean;
}

/** The ceiling: `rows` task-shaped rows into a fresh `file:` database, native driver. */
export interface NativeCeilingTask {
  readonly task: 'native-ceiling';
  readonly fixture: BenchFixture;
  /** Path of the database file (created). */
  readonly path: string;
}

/** The HTTP baseline: the same rows as multi-row INSERTs, one write batch per page. */
export interface HttpCeilingTask {
  readonly task: 'http-ceiling';
  readonly fixture: BenchFixture;
  readonly url: string;
}

/**
 * The replay's own SQL alone, step 1: a replay of the base pages into `dir/recorded.db`, untimed,
 * that records every request the store sends (its entity reads, its write batches and single
 * statements, in call order) to `dir/requests.jsonl`, and what each statement returned (rows
 * read, rows changed) to `dir/results.jsonl`. Step 2 is {@link StoreSqlRerunTask}.
 */
export interface StoreSqlRecordTask {
  readonly task: 'store-sql-record';
  readonly fixture: BenchFixture;
  /** A directory for the databases and the recorded requests (created; removed by the caller). */
  readonly dir: string;
  /** `commitItems` of the recorded replay (default: the sync loop's). */
  readonly commitItems?: number;
}

/**
 * The replay's own SQL alone, step 2, in a process of its own: the recorded requests run again in
 * order, through the same driver adapter, on a fresh database `dir/<database>` migrated as the
 * store migrates it, with no engine (no page decoding, folding or statement building). Only the
 * requests are timed. Every statement must return what it returned in the replay (rows read,
 * rows changed) and every table must end up with the same rows as in `recorded.db`, or the task
 * fails. `oneTransaction` runs everything in a single write transaction instead of the replay's
 * one per request (sizing what per-commit durability costs).
 */
export interface StoreSqlRerunTask {
  readonly task: 'store-sql-rerun';
  readonly fixture: BenchFixture;
  readonly dir: string;
  readonly database: string;
  readonly oneTransaction: boolean;
}

/** Any task. */
export type ChildTask =
  | ReplayTask
  | NativeCeilingTask
  | HttpCeilingTask
  | StoreSqlRecordTask
  | StoreSqlRerunTask
  | ReadsTask;

/** What a replay measured. */
export interface ReplayResult {
  readonly task: 'replay';
  readonly items: number;
  readonly pages: number;
  readonly changes: number;
  /** Wall time of the base pages, page reads from disk excluded (see {@link sourceMs}). */
  readonly ms: number;
  /**
   * Time spent reading base pages from disk, excluded from `ms`. On a remote URL, reads made while
   * a commit was in flight on the server are not excluded (the server worked meanwhile): they are
   * {@link sourceOverlappedMs}, part of `ms`.
   */
  readonly sourceMs: number;
  readonly sourceOverlappedMs: number;
  readonly itemsPerSecond: number;
  /**
   * Cost of each incremental page (ms, page read excluded) and its items: each page is one sync
   * of its own (reading the sync state, the page's entities, folding, one commit).
   */
  readonly incremental: readonly { readonly items: number; readonly ms: number }[];
  /**
   * Each commit's database requests (remote URLs only; null for `file:`), base replay then the
   * incremental syncs: the entity reads of its pages and its write, and its pages. Every request
   * of the store is one HTTP request; the child checks that against the `fetch` count.
   */
  readonly requestsPerCommit:
    | readonly {
        readonly pages: number;
        readonly reads: number;
        readonly writes: number;
        readonly requests: number;
      }[]
    | null;
  /** HTTP requests of the syncs before their first page (the sync state); null for `file:`. */
  readonly setupRequests: number | null;
  /** HTTP requests of the base replay's commits ÷ its pages; null for `file:`. */
  readonly requestsPerBasePage: number | null;
  /** `commitItems` of the base replay. */
  readonly commitItems: number;
  /** Peak resident set size of this process, MB. */
  readonly maxRssMb: number;
  /**
   * RSS sampled after about 10 %, 20 %, … 100 % of the base pages, MB: pages are reported after
   * their commit, so the samples fall on commit boundaries.
   */
  readonly rssSamplesMb: readonly number[];
  readonly variant: ReplayVariant;
  readonly plans: readonly QueryPlan[] | null;
}

/** What a ceiling measured. */
export interface CeilingResult {
  readonly task: 'native-ceiling' | 'http-ceiling';
  readonly rows: number;
  readonly columns: number;
  /** Mean bytes of a row's values (strings as UTF-8, numbers as 8). */
  readonly rowBytes: number;
  readonly ms: number;
  readonly rowsPerSecond: number;
  readonly requests: number | null;
  readonly maxRssMb: number;
}

/** What recording the replay's requests saw. */
export interface StoreSqlRecordResult {
  readonly task: 'store-sql-record';
  readonly items: number;
  readonly requests: number;
  readonly statements: number;
}

/** What the replay's own SQL alone measured. */
export interface StoreSqlResult {
  readonly task: 'store-sql-rerun';
  readonly items: number;
  readonly oneTransaction: boolean;
  /** Write batches (one per commit) and read batches the replay sent, and their statements. */
  readonly writeBatches: number;
  readonly readBatches: number;
  readonly statements: number;
  /** Time of all of them, rerun in order on the fresh database. */
  readonly ms: number;
  /** Of {@link ms}: the write batches alone (their BEGIN and COMMIT included; 0 in one transaction). */
  readonly writeMs: number;
  readonly itemsPerSecond: number;
  /** Items ÷ {@link writeMs} (null in one transaction, where writes are not timed apart). */
  readonly writeItemsPerSecond: number | null;
  readonly maxRssMb: number;
}

/** Any result. */
export type ChildResult =
  ReplayResult | CeilingResult | StoreSqlRecordResult | StoreSqlResult | ReadsResult;

/**
 * A HistorySource that times the reads of another. The fixture source reads and checks a page
 * synchronously inside `page()`, so the time to the call's return is the read alone (awaiting the
 * promise would also time whatever ran while it waited, such as a `file:` commit).
 */
class TimedSource implements HistorySource {
  readonly description: string;
  readonly #inner: HistorySource;
  /** Milliseconds spent in {@link page}, per call, in call order. */
  readonly reads: number[] = [];
  /** Per call: whether a commit was in flight meanwhile (see {@link overlapping}). */
  readonly overlapped: boolean[] = [];
  /** Called when a page is asked for (before it is read). */
  onPage: () => void = () => undefined;
  /** Whether work elsewhere (a commit on a server) overlaps a read made now. */
  overlapping: () => boolean = () => false;

  constructor(inner: HistorySource) {
    this.#inner = inner;
    this.description = inner.description;
  }

  head(): Promise<{ head: number; schema: number | null }> {
    return this.#inner.head();
  }

  page(startIndex: number): Promise<SourcePage> {
    this.onPage();
    const overlapped = this.overlapping();
    const started = performance.now();
    const page = this.#inner.page(startIndex);
    this.reads.push(performance.now() - started);
    this.overlapped.push(overlapped);
    return page;
  }
}

/** The benchmark fixture in `dir` as a timed source, its pages read from disk in the call. */
function timedFixtureSource(dir: string, manifest: FixtureManifest): TimedSource {
  return new TimedSource(
    new FixtureHistorySource(manifest, {
      name: dir,
      readPage: (page) => new Uint8Array(readFileSync(join(dir, page.file))),
    }),
  );
}

function mb(kilobytes: number): number {
  return Math.round((kilobytes / 1024) * 10) / 10;
}

function maxRssMb(): number {
  return mb(process.resourceUsage().maxRSS);
}

function contextOf(fixture: BenchFixture): EngineContext {
  return {
    timeZone: fixture.timeZone,
    referenceDate: localDate(Date.parse(fixture.recordedAt) / 1000, fixture.timeZone),
  };
}

/**
 * Replays the base pages in one sync (timed as a whole), then each incremental page in a sync of
 * its own (timed one by one).
 */
async function replay(task: ReplayTask): Promise<ReplayResult> {
  const { fixture } = task;
  const { manifest } = await readFixtureManifest(fixture.dir);
  let fetches = 0;
  const countingFetch: typeof fetch = (input, init) => {
    fetches++;
    return fetch(input, init);
  };
  const remote = !task.url.startsWith('file:');
  const db = recordingDb(await openDb(task.url, remote ? { fetch: countingFetch } : {}));
  const inner = await createStore(db);
  const variant = task.variant ?? 'default';
  await applyVariant(db, variant);
  const source = timedFixtureSource(fixture.dir, manifest);
  // The store's requests by what they are for: a sync's setup (before its first page is asked
  // for), the entity reads of the batch being read, the write of the commit in flight. The loop
  // starts a commit only once the one before it is stored, so at most one is in flight, and the
  // reads made meanwhile are the next batch's.
  let inSetup = true;
  let setupRequests = 0;
  let inFlight: Commit | undefined;
  interface Commit {
    readonly startIndex: number;
    readonly endIndex: number;
    reads: number;
    writes: number;
  }
  const commits: Commit[] = [];
  let reads = 0; // of the batch being read, not yet committed
  let unattributed = 0;
  db.onRequest = (mode) => {
    if (inSetup) setupRequests += 1;
    else if (mode === 'write') {
      if (inFlight === undefined) unattributed += 1;
      else inFlight.writes += 1;
    } else reads += 1;
  };
  source.onPage = () => {
    inSetup = false;
  };
  source.overlapping = () => remote && inFlight !== undefined;
  const commitPage = async (commit: PageCommit): Promise<void> => {
    const entry = { startIndex: commit.startIndex, endIndex: commit.endIndex, reads, writes: 0 };
    reads = 0;
    commits.push(entry);
    inFlight = entry;
    try {
      await inner.commitPage(commit);
    } finally {
      inFlight = undefined;
    }
  };
  const store = overriding(inner, { commitPage });
  const rssSamples: number[] = [];
  const sampleEvery = Math.max(1, Math.round(fixture.basePages / 10));
  let reported = 0;
  let changes = 0;
  const commitItems = task.commitItems ?? DEFAULT_COMMIT_ITEMS;
  const run = (maxPages: number, items: number): Promise<unknown> => {
    inSetup = true;
    return syncHistory({
      source,
      store,
      context: contextOf(fixture),
      meta: { timeZone: fixture.timeZone },
      maxPages,
      commitItems: items,
      onPage: (outcome) => {
        if (reported < fixture.basePages) changes += outcome.changes.length;
      },
      onProgress: () => {
        reported += 1;
        if (reported <= fixture.basePages && reported % sampleEvery === 0) {
          rssSamples.push(mb(process.memoryUsage.rss() / 1024));
        }
      },
    });
  };
  /** Read time of the calls from `from` on that no server work overlapped, and of those it did. */
  const readTime = (
    from: number,
    to = source.reads.length,
  ): { alone: number; overlapped: number } => {
    let alone = 0;
    let overlapped = 0;
    for (let i = from; i < to; i++) {
      if (source.overlapped[i] === true) overlapped += source.reads[i] ?? 0;
      else alone += source.reads[i] ?? 0;
    }
    return { alone, overlapped };
  };
  try {
    fetches = 0; // opening, migrating and the variant's setup are not the replay's
    const started = performance.now();
    await run(fixture.basePages, commitItems);
    const baseEnd = performance.now();
    const baseCommits = commits.length;
    if (reported !== fixture.basePages) {
      throw new Error(`replay stopped after ${reported} of ${fixture.basePages} base pages`);
    }
    const base = readTime(0);
    const ms = baseEnd - started - base.alone;
    // Each incremental page as an agent that syncs often meets it: one sync, one page.
    const incremental: { items: number; ms: number }[] = [];
    for (const page of fixture.pages.slice(fixture.basePages)) {
      const readsBefore = source.reads.length;
      const pageStarted = performance.now();
      await run(1, 1);
      const pageMs = performance.now() - pageStarted;
      incremental.push({ items: page.items, ms: pageMs - readTime(readsBefore).alone });
    }
    if (reported !== fixture.pages.length) {
      throw new Error(`replay stopped after ${reported} of ${fixture.pages.length} pages`);
    }
    const perCommit = commits.map((c) => ({
      pages: fixture.pages.filter((p) => p.startIndex >= c.startIndex && p.startIndex < c.endIndex)
        .length,
      reads: c.reads,
      writes: c.writes,
      requests: c.reads + c.writes,
    }));
    const counted = setupRequests + unattributed + perCommit.reduce((a, c) => a + c.requests, 0);
    if (remote && (counted !== fetches || unattributed !== 0 || reads !== 0)) {
      throw new Error(
        `request count: the store made ${counted} requests (${unattributed} writes outside a commit, ${reads} reads after the last), fetch saw ${fetches}`,
      );
    }
    const baseRequests = perCommit.slice(0, baseCommits).reduce((a, c) => a + c.requests, 0);
    return {
      task: 'replay',
      items: fixture.baseItems,
      pages: fixture.basePages,
      changes,
      ms,
      sourceMs: base.alone,
      sourceOverlappedMs: base.overlapped,
      itemsPerSecond: fixture.baseItems / (ms / 1000),
      incremental,
      setupRequests: remote ? setupRequests : null,
      requestsPerCommit: remote ? perCommit : null,
      requestsPerBasePage: remote ? baseRequests / fixture.basePages : null,
      commitItems,
      maxRssMb: maxRssMb(),
      rssSamplesMb: rssSamples,
      variant,
      plans: task.explain === true ? await explainReads(db, inner, fixture) : null,
    };
  } finally {
    inner.close();
  }
}

/** A Db that can record the SQL the store runs (to EXPLAIN exactly those statements). */
interface RecordingDb extends Db {
  recorded: Statement[] | null;
  /** Called for every request the store makes (one statement or one batch). */
  onRequest: (mode: BatchMode | 'execute') => void;
}

function recordingDb(inner: Db): RecordingDb {
  const db: RecordingDb = {
    url: inner.url,
    ...(inner.rowEncoding === undefined ? {} : { rowEncoding: inner.rowEncoding }),
    recorded: null,
    onRequest: () => undefined,
    execute(stmt) {
      db.onRequest('execute');
      db.recorded?.push(typeof stmt === 'string' ? { sql: stmt } : stmt);
      return inner.execute(stmt);
    },
    batch(stmts, mode) {
      db.onRequest(mode);
      for (const stmt of stmts) db.recorded?.push(typeof stmt === 'string' ? { sql: stmt } : stmt);
      return inner.batch(stmts, mode);
    },
    close() {
      inner.close();
    },
  };
  return db;
}

async function applyVariant(db: Db, variant: ReplayVariant): Promise<void> {
  if (variant === 'default') return;
  if (variant === 'ledger-tracked') {
    if (!(await startLedgerTracking(db))) throw new Error(`variant ${variant}: tracked already`);
    return;
  }
  if (variant === 'no-read-indexes') {
    await db.batch(readSchemaDrops(), 'write');
    return;
  }
  const result = await db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name != 'sync_ledger'",
  );
  const names = result.rows.map((r) => text(r['name']));
  if (names.length === 0) throw new Error(`variant ${variant}: nothing to drop`);
  // The reads' triggers first: they find rows through indexes dropped here.
  const triggers = readSchemaDrops().filter((sql) => sql.startsWith('DROP TRIGGER '));
  await db.batch([...triggers, ...names.map((n) => `DROP INDEX "${n}"`)], 'write');
}

/** EXPLAIN QUERY PLAN of the reads behind `changes --since-index`, `--entity`, loads and views. */
async function explainReads(
  db: RecordingDb,
  store: Awaited<ReturnType<typeof createStore>>,
  fixture: BenchFixture,
): Promise<QueryPlan[]> {
  const sample = await db.execute('SELECT id FROM tasks ORDER BY id LIMIT 3');
  const ids = sample.rows.map((r) => text(r['id']));
  const half = Math.floor((fixture.pages.at(-1)?.startIndex ?? 0) / 2);
  const reads: [string, () => Promise<unknown>][] = [
    ['changes --since-index', () => store.changes({ sinceIndex: half, limit: 100 })],
    ['changes --entity', () => store.changes({ entityId: ids[0] ?? '' })],
    ['loadEntities', () => store.loadEntities(ids)],
    [
      'list (view read: live entities)',
      async () => {
        let n = 0;
        for await (const entity of store.entities({ includeDeleted: false })) {
          void entity;
          if (++n >= 1) break;
        }
      },
    ],
  ];
  const plans: QueryPlan[] = [];
  for (const [query, read] of reads) {
    db.recorded = [];
    await read();
    const statements = db.recorded;
    db.recorded = null;
    const plan: string[] = [];
    for (const stmt of statements) {
      const result = await db.execute({
        sql: `EXPLAIN QUERY PLAN ${stmt.sql}`,
        args: stmt.args ?? [],
      });
      plan.push(...result.rows.map((r) => text(r['detail'])));
    }
    plans.push({
      query,
      sql: statements.map((s) => s.sql.replace(/\s+/g, ' ').replace(/(\?, ){3,}\?/g, '?, …, ?')),
      plan,
      usesIndexes: !plan.some((d) => d.startsWith('SCAN ') && !/USING .*INDEX/.test(d)),
    });
  }
  return plans;
}

/**
 * Task rows of the width the store writes: the task entities of the fixture's first pages,
 * folded in memory and encoded by the store's own codec.
 */
async function sampleTaskRows(fixture: BenchFixture): Promise<SqlArg[][]> {
  const { manifest } = await readFixtureManifest(fixture.dir);
  const state = new Map<string, Entity>();
  const context = contextOf(fixture);
  for (const page of manifest.pages.slice(0, 4)) {
    const body = new TextDecoder().decode(await readPage(fixture.dir, manifest, page));
    const decoded = decodePageText(body, { startIndex: page.startIndex });
    const result = foldPage(state, decoded.groups, context);
    for (const [id, entity] of result.entities) state.set(id, entity);
  }
  const rows: SqlArg[][] = [];
  for (const entity of state.values()) {
    if (entity.family === 'task') rows.push(ENTITY_TABLE_OF.task.encode(entity));
  }
  if (rows.length === 0) throw new Error('no task rows in the first pages of the fixture');
  return rows;
}

function rowBytes(rows: readonly (readonly SqlArg[])[]): number {
  const encoder = new TextEncoder();
  let total = 0;
  for (const row of rows) {
    for (const value of row) {
      if (typeof value === 'string') total += encoder.encode(value).length;
      else if (value !== null) total += 8;
    }
  }
  return Math.round(total / rows.length);
}

/** The `tasks` table of the store's schema under another name, without secondary indexes. */
function ceilingTableSql(): string {
  const create = MIGRATIONS[0]?.sql[0];
  if (create === undefined || !create.startsWith('CREATE TABLE tasks ')) {
    throw new Error('the first statement of migration 1 is no longer CREATE TABLE tasks');
  }
  return create.replace('CREATE TABLE tasks ', 'CREATE TABLE ceiling ');
}

/** Row `i`: a sample row under a unique id. */
function rowAt(samples: readonly SqlArg[][], i: number): SqlArg[] {
  const row = [...(samples[i % samples.length] ?? [])];
  row[0] = `row${i.toString(36).padStart(18, '0')}`;
  return row;
}

async function nativeCeiling(task: NativeCeilingTask): Promise<CeilingResult> {
  const samples = await sampleTaskRows(task.fixture);
  const columns = ENTITY_TABLE_OF.task.columns;
  const db = new Database(task.path);
  try {
    // As the store opens a file: database: WAL, default synchronous (FULL).
    db.exec('PRAGMA journal_mode=WAL');
    db.exec(ceilingTableSql());
    const insert = db.prepare(
      `INSERT INTO ceiling (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const rows = task.fixture.baseItems;
    const started = performance.now();
    db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < rows; i++) insert.run(rowAt(samples, i));
    db.exec('COMMIT');
    const ms = performance.now() - started;
    return {
      task: 'native-ceiling',
      rows,
      columns: columns.length,
      rowBytes: rowBytes(samples),
      ms,
      rowsPerSecond: rows / (ms / 1000),
      requests: null,
      maxRssMb: maxRssMb(),
    };
  } finally {
    db.close();
  }
}

async function httpCeiling(task: HttpCeilingTask): Promise<CeilingResult> {
  const samples = await sampleTaskRows(task.fixture);
  const columns = ENTITY_TABLE_OF.task.columns;
  let requests = 0;
  // Loaded here, not at the top: a replay child of a file: database never loads it (as the CLI).
  const { createClient } = await import('@libsql/client');
  const client = createClient({
    url: task.url,
    fetch: (input: Request | string | URL, init?: RequestInit) => {
      requests++;
      return fetch(input, init);
    },
  });
  try {
    await client.execute(ceilingTableSql());
    const pages = task.fixture.pages.filter((p) => p.kind === 'base');
    requests = 0;
    let next = 0;
    const started = performance.now();
    for (const page of pages) {
      const rows: SqlArg[][] = [];
      for (let k = 0; k < page.items; k++) rows.push(rowAt(samples, next++));
      await client.batch(
        insertRows('ceiling', columns, rows).map((s) => ({
          sql: s.sql,
          args: [...(s.args ?? [])],
        })),
        'write',
      );
    }
    const ms = performance.now() - started;
    return {
      task: 'http-ceiling',
      rows: next,
      columns: columns.length,
      rowBytes: rowBytes(samples),
      ms,
      rowsPerSecond: next / (ms / 1000),
      requests,
      maxRssMb: maxRssMb(),
    };
  } finally {
    client.close();
  }
}

/** A recorded request: one batch, or one `execute` (kept apart: it runs outside a transaction). */
export interface RecordedRequest {
  readonly mode: BatchMode | 'execute';
  readonly stmts: readonly { readonly sql: string; readonly args: readonly SqlArg[] }[];
}

/** What each statement of request `seq` returned: rows read (a read) or changed (a write). */
interface RecordedResults {
  readonly seq: number;
  readonly counts: readonly number[];
}

/** Rows read by a statement that returns rows, else rows changed. */
function countOf(result: QueryResult): number {
  return result.columns.length > 0 ? result.rows.length : result.rowsAffected;
}

/**
 * A recorded argument as JSON: bigints, byte arrays and non-finite or negative-zero numbers as
 * tagged objects, so that {@link decodeArg} reads every argument back exactly (strings, lone
 * surrogates included, and other numbers are exact in JSON as they are).
 */
export function encodeArg(value: SqlArg): unknown {
  if (typeof value === 'bigint') return { bigint: value.toString() };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') };
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) {
    return { number: Object.is(value, -0) ? '-0' : String(value) };
  }
  return value;
}

/** The argument {@link encodeArg} encoded. */
export function decodeArg(value: unknown): SqlArg {
  if (value !== null && typeof value === 'object') {
    const tagged = value as { bigint?: string; bytes?: string; number?: string };
    if (typeof tagged.bigint === 'string') return BigInt(tagged.bigint);
    if (typeof tagged.bytes === 'string') {
      return new Uint8Array(Buffer.from(tagged.bytes, 'base64'));
    }
    if (typeof tagged.number === 'string') {
      return tagged.number === '-0' ? -0 : Number(tagged.number);
    }
  }
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  throw new TypeError(`not a recorded argument: ${JSON.stringify(value)}`);
}

/** A request as one JSON line. */
export function encodeRequest(request: RecordedRequest): string {
  return JSON.stringify({
    mode: request.mode,
    stmts: request.stmts.map((s) => ({ sql: s.sql, args: s.args.map(encodeArg) })),
  });
}

/** The request {@link encodeRequest} wrote. */
export function decodeRequest(line: string): RecordedRequest {
  const raw = JSON.parse(line) as {
    mode: RecordedRequest['mode'];
    stmts: { sql: string; args: unknown[] }[];
  };
  return {
    mode: raw.mode,
    stmts: raw.stmts.map((s) => ({ sql: s.sql, args: s.args.map(decodeArg) })),
  };
}

const REQUESTS_FILE = 'requests.jsonl';
const RESULTS_FILE = 'results.jsonl';
const RECORDED_DB = 'recorded.db';

async function storeSqlRecord(task: StoreSqlRecordTask): Promise<StoreSqlRecordResult> {
  const { fixture, dir } = task;
  const { manifest } = await readFixtureManifest(fixture.dir);
  const inner = await openDb(`file:${join(dir, RECORDED_DB)}`);
  const requests = openSync(join(dir, REQUESTS_FILE), 'w');
  const results = openSync(join(dir, RESULTS_FILE), 'w');
  let recording = false;
  let seq = 0;
  let statements = 0;
  /** Records a request when it is made (the local driver runs it then), and later its results. */
  const record = (
    mode: RecordedRequest['mode'],
    stmts: readonly (Statement | string)[],
    run: () => Promise<QueryResult[]>,
  ): Promise<QueryResult[]> => {
    if (!recording) return run();
    const request: RecordedRequest = {
      mode,
      stmts: stmts.map((s) =>
        typeof s === 'string' ? { sql: s, args: [] } : { sql: s.sql, args: s.args ?? [] },
      ),
    };
    const n = seq++;
    statements += stmts.length;
    writeSync(requests, `${encodeRequest(request)}\n`);
    return run().then((out) => {
      const line: RecordedResults = { seq: n, counts: out.map(countOf) };
      writeSync(results, `${JSON.stringify(line)}\n`);
      return out;
    });
  };
  const recorder: Db = {
    url: inner.url,
    ...(inner.rowEncoding === undefined ? {} : { rowEncoding: inner.rowEncoding }),
    async execute(stmt) {
      const [result] = await record('execute', [stmt], async () => [await inner.execute(stmt)]);
      if (result === undefined) throw new Error('execute returned no result');
      return result;
    },
    batch(stmts, mode) {
      return record(mode, stmts, () => inner.batch(stmts, mode));
    },
    close() {
      inner.close();
    },
  };
  try {
    const store = await createStore(recorder);
    recording = true;
    await syncHistory({
      source: timedFixtureSource(fixture.dir, manifest),
      store,
      context: contextOf(fixture),
      meta: { timeZone: fixture.timeZone },
      maxPages: fixture.basePages,
      commitItems: task.commitItems ?? DEFAULT_COMMIT_ITEMS,
    });
    recording = false;
    // On disk before the rerun starts, so its commits do not share the disk with this writeback.
    fsyncSync(requests);
    fsyncSync(results);
  } finally {
    closeSync(requests);
    closeSync(results);
    inner.close();
  }
  return { task: 'store-sql-record', items: fixture.baseItems, requests: seq, statements };
}

async function storeSqlRerun(task: StoreSqlRerunTask): Promise<StoreSqlResult> {
  const { fixture, dir } = task;
  const expected = new Map<number, readonly number[]>();
  for (const line of readFileSync(join(dir, RESULTS_FILE), 'utf8').split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line) as RecordedResults;
    expected.set(r.seq, r.counts);
  }
  const db = await openDb(`file:${join(dir, task.database)}`);
  try {
    await createStore(db);
    let seq = 0;
    let writeBatches = 0;
    let readBatches = 0;
    let statements = 0;
    let ms = 0;
    let writeMs = 0;
    const check = (n: number, out: readonly QueryResult[]): void => {
      const want = expected.get(n);
      const got = out.map(countOf);
      if (want === undefined || want.join() !== got.join()) {
        throw new Error(
          `store-sql: request ${n} returned ${got.join(', ')} rows, the replay's ${want?.join(', ') ?? 'nothing'}`,
        );
      }
    };
    if (task.oneTransaction) {
      const started = performance.now();
      await db.execute('BEGIN IMMEDIATE');
      ms += performance.now() - started;
    }
    const lines = createInterface({
      input: createReadStream(join(dir, REQUESTS_FILE), 'utf8'),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line === '') continue;
      const request = decodeRequest(line);
      const n = seq++;
      statements += request.stmts.length;
      let out: QueryResult[];
      const started = performance.now();
      if (task.oneTransaction || request.mode === 'execute') {
        out = [];
        for (const stmt of request.stmts) out.push(await db.execute(stmt));
      } else {
        out = await db.batch(request.stmts, request.mode);
      }
      const took = performance.now() - started;
      ms += took;
      if (request.mode === 'write') {
        writeBatches++;
        if (!task.oneTransaction) writeMs += took;
      } else if (request.mode === 'read') readBatches++;
      check(n, out);
    }
    if (task.oneTransaction) {
      const started = performance.now();
      await db.execute('COMMIT');
      ms += performance.now() - started;
    }
    if (seq !== expected.size) {
      throw new Error(`store-sql: ${seq} requests rerun, ${expected.size} recorded`);
    }
    await assertSameRows(db, join(dir, RECORDED_DB));
    return {
      task: 'store-sql-rerun',
      items: fixture.baseItems,
      oneTransaction: task.oneTransaction,
      writeBatches,
      readBatches,
      statements,
      ms,
      writeMs,
      itemsPerSecond: fixture.baseItems / (ms / 1000),
      writeItemsPerSecond: task.oneTransaction ? null : fixture.baseItems / (writeMs / 1000),
      maxRssMb: maxRssMb(),
    };
  } finally {
    db.close();
  }
}

/** Throws unless every table of `db` holds exactly the rows it holds in the database at `path`. */
async function assertSameRows(db: Db, path: string): Promise<void> {
  await db.execute({ sql: 'ATTACH DATABASE ? AS recorded', args: [path] });
  try {
    const tables = await db.execute(
      "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    );
    const recorded = await db.execute(
      "SELECT name FROM recorded.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    );
    const names = tables.rows.map((r) => text(r['name']));
    if (names.join() !== recorded.rows.map((r) => text(r['name'])).join()) {
      throw new Error('store-sql: the rerun and the replay have different tables');
    }
    for (const name of names) {
      const t = `"${name}"`;
      const result = await db.execute(
        `SELECT (SELECT count(*) FROM main.${t}) AS rerun, (SELECT count(*) FROM recorded.${t}) AS replay,
                (SELECT count(*) FROM (SELECT * FROM main.${t} EXCEPT SELECT * FROM recorded.${t})) AS only_rerun,
                (SELECT count(*) FROM (SELECT * FROM recorded.${t} EXCEPT SELECT * FROM main.${t})) AS only_replay`,
      );
      const row = result.rows[0] ?? {};
      if (row['rerun'] !== row['replay'] || row['only_rerun'] !== 0 || row['only_replay'] !== 0) {
        throw new Error(
          `store-sql: table ${name} differs from the replay's: ${text(row['rerun'])} rows against ${text(row['replay'])}, ${text(row['only_rerun'])} only in the rerun, ${text(row['only_replay'])} only in the replay`,
        );
      }
    }
  } finally {
    await db.execute('DETACH DATABASE recorded');
  }
}

/** Runs one task. */
export async function runChildTask(task: ChildTask): Promise<ChildResult> {
  switch (task.task) {
    case 'replay':
      return replay(task);
    case 'native-ceiling':
      return nativeCeiling(task);
    case 'http-ceiling':
      return httpCeiling(task);
    case 'store-sql-record':
      return storeSqlRecord(task);
    case 'store-sql-rerun':
      return storeSqlRerun(task);
    case 'reads':
      return runReads(task);
    default:
      throw new TypeError(`unknown benchmark task ${JSON.stringify(task satisfies never)}`);
  }
}

/** A column value as text (the reads here only select TEXT columns). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

if (import.meta.main) {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: node bench/child.ts <task.json>');
  const task = JSON.parse(await readFile(file, 'utf8')) as ChildTask;
  const result = await runChildTask(task);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
