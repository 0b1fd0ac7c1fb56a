/**
 * The ceilings a replay is judged against, measured in the same run: task-shaped rows of the
 * store's own width written as fast as the driver can (native libsql, one prepared statement, one
 * transaction), and over HTTP as multi-row INSERTs, one write batch per page.
 */
import Database from 'libsql';
import { foldPage } from '../../src/engine/index.ts';
import type { Entity } from '../../src/engine/types.ts';
import { readFixtureManifest, readPage } from '../../src/fixture/node.ts';
import { decodePageText } from '../../src/protocol/index.ts';
import { ENTITY_TABLE_OF } from '../../src/store/row-codec.ts';
import type { SqlArg } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/schema.ts';
import { insertRows } from '../../src/store/sql.ts';
import type { BenchFixture } from '../fixture.ts';
import { maxRssMb } from './rss.ts';
import { contextOf } from './timed-source.ts';

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

/** Measures the native ceiling. */
export async function nativeCeiling(task: NativeCeilingTask): Promise<CeilingResult> {
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

/** Measures the HTTP baseline. */
export async function httpCeiling(task: HttpCeilingTask): Promise<CeilingResult> {
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
