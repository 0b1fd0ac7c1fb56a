import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChildTask } from '../../../bench/child.ts';
import {
  decodeArg,
  decodeRequest,
  encodeRequest,
  type RecordedRequest,
} from '../../../bench/tasks/recorded-requests.ts';
import type { StoreSqlRecordResult, StoreSqlResult } from '../../../bench/tasks/store-sql.ts';
import { ensureBenchFixture } from '../../../bench/fixture.ts';
import type { BenchFixture } from '../../../bench/fixture.ts';

/** A value as a comparable description: its type and its exact contents. */
function describeArg(value: unknown): unknown {
  if (value instanceof Uint8Array) return ['bytes', [...value]];
  if (typeof value === 'number') return ['number', Object.is(value, -0) ? '-0' : String(value)];
  return [typeof value, typeof value === 'bigint' ? value.toString() : value];
}

describe('recorded requests', () => {
  it('read back exactly, whatever the types of their arguments', () => {
    const args = [
      null,
      'plain',
      'lone \ud800 surrogate',
      0,
      -0,
      1.5,
      Number.MAX_SAFE_INTEGER,
      2 ** 60,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2n ** 70n,
      new Uint8Array([0, 1, 255]),
      Buffer.from([7, 8]),
    ];
    const request: RecordedRequest = { mode: 'write', stmts: [{ sql: 'INSERT …', args }] };
    const back = decodeRequest(encodeRequest(request));
    expect(back.mode).toBe('write');
    expect(back.stmts[0]?.sql).toBe('INSERT …');
    expect(back.stmts[0]?.args.map(describeArg)).toEqual(args.map(describeArg));
  });

  it('refuse an argument no encoder wrote', () => {
    expect(() => decodeArg({ other: 1 })).toThrow(/not a recorded argument/);
    expect(() => decodeArg(true)).toThrow(/not a recorded argument/);
  });
});

describe("the replay's own SQL alone (store-sql tasks)", () => {
  let dir: string;
  let fixture: BenchFixture;
  let recorded: StoreSqlRecordResult;
  const work = (): string => join(dir, 'work');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'thingstape-store-sql-test-'));
    // Pages of ~130 items in commits of up to 500: several commits, each with read-ahead.
    fixture = await ensureBenchFixture(join(dir, 'cache'), {
      baseItems: 3000,
      incrementalPages: 1,
      incrementalItems: 20,
      seed: 'store-sql-test',
      pageGroups: 100,
    });
    await mkdir(work());
    recorded = (await runChildTask({
      task: 'store-sql-record',
      fixture,
      dir: work(),
      commitItems: 500,
    })) as StoreSqlRecordResult;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const rerun = async (database: string, oneTransaction: boolean): Promise<StoreSqlResult> =>
    (await runChildTask({
      task: 'store-sql-rerun',
      fixture,
      dir: work(),
      database,
      oneTransaction,
    })) as StoreSqlResult;

  it('reruns every request the replay made, as the replay made them', async () => {
    expect(recorded.items).toBe(fixture.baseItems);
    const result = await rerun('a.db', false);
    expect(result.statements).toBe(recorded.statements);
    // One write per commit (3,000 items in commits of up to 500), at most one read per page,
    // and the sync state's read.
    expect(result.writeBatches).toBeGreaterThanOrEqual(6);
    expect(result.readBatches).toBeGreaterThan(1);
    expect(result.readBatches).toBeLessThanOrEqual(fixture.basePages);
    expect(result.writeBatches + result.readBatches + 1).toBe(recorded.requests);
    expect(result.writeMs).toBeGreaterThan(0);
    expect(result.writeMs).toBeLessThan(result.ms);
    expect(result.writeItemsPerSecond).toBeCloseTo(fixture.baseItems / (result.writeMs / 1000));
    const whole = await rerun('b.db', true);
    expect(whole.oneTransaction).toBe(true);
    expect(whole.statements).toBe(recorded.statements);
    expect(whole.writeItemsPerSecond).toBeNull();
  });

  it('fails when the rerun stores something else', async () => {
    const file = join(work(), 'requests.jsonl');
    const original = await readFile(file, 'utf8');
    try {
      const lines = original.split('\n');
      const at = lines.findIndex((l) => l.startsWith('{"mode":"write"'));
      const request = decodeRequest(lines[at] ?? '');
      const insert = request.stmts.find((s) => s.sql.startsWith('INSERT INTO tasks '));
      expect(insert?.sql).toContain('created_index');
      // The first row's created_index (the fourth column): same rows, one value changed.
      const args = [...(insert?.args ?? [])];
      args[3] = 99_999_999;
      lines[at] = encodeRequest({
        mode: request.mode,
        stmts: request.stmts.map((s) => (s === insert ? { sql: s.sql, args } : s)),
      });
      await writeFile(file, lines.join('\n'));
      await expect(rerun('c.db', false)).rejects.toThrow(
        /table tasks differs from the replay's: \d+ rows against \d+, 1 only in the rerun, 1 only in the replay/,
      );
    } finally {
      await writeFile(file, original);
    }
  });

  it('fails when the rerun skips a read', async () => {
    const file = join(work(), 'requests.jsonl');
    const original = await readFile(file, 'utf8');
    try {
      const lines = original.split('\n');
      const at = lines.findIndex((l) => l.startsWith('{"mode":"read"'));
      lines.splice(at, 1);
      await writeFile(file, lines.join('\n'));
      await expect(rerun('d.db', false)).rejects.toThrow(/^store-sql: request \d+ returned/);
    } finally {
      await writeFile(file, original);
    }
  });
});
