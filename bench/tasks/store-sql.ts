/**
 * The replay's own SQL alone: a replay's requests recorded (step 1, untimed), then run again in
 * order with no engine on a fresh database (step 2, timed), as the replay ran them or in one
 * transaction. Every statement must return what it returned in the replay and every table must end
 * up with the replay's rows.
 */
import { closeSync, createReadStream, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readFixtureManifest } from '../../src/fixture/node.ts';
import type { QueryResult, Statement } from '../../src/store/db.ts';
import { createStore, openDb } from '../../src/store/index.ts';
import type { Db } from '../../src/store/index.ts';
import { DEFAULT_COMMIT_ITEMS, syncHistory } from '../../src/sync/index.ts';
import type { BenchFixture } from '../fixture.ts';
import {
  RECORDED_DB,
  REQUESTS_FILE,
  RESULTS_FILE,
  countOf,
  decodeRequest,
  encodeRequest,
  type RecordedRequest,
  type RecordedResults,
} from './recorded-requests.ts';
import { text } from './recording-db.ts';
import { maxRssMb } from './rss.ts';
import { contextOf, timedFixtureSource } from './timed-source.ts';

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

/** Step 1: records the requests of an untimed replay of the base pages. */
export async function storeSqlRecord(task: StoreSqlRecordTask): Promise<StoreSqlRecordResult> {
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

/** Step 2: reruns the recorded requests on a fresh database, timed. */
export async function storeSqlRerun(task: StoreSqlRerunTask): Promise<StoreSqlResult> {
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
