import { describe, expect, it } from 'vitest';
import {
  MAX_IDS_PER_STATEMENT,
  MAX_ROWS_PER_STATEMENT,
  idList,
  insertRows,
  statementSizes,
} from '../../../src/store/commit.ts';
import { openDb } from '../../../src/store/db.ts';

describe('statementSizes()', () => {
  it('splits rows into full statements, then the remainder in descending powers of two', () => {
    expect(statementSizes(0, 100)).toEqual([]);
    expect(statementSizes(1, 100)).toEqual([1]);
    expect(statementSizes(100, 100)).toEqual([100]);
    expect(statementSizes(237, 100)).toEqual([100, 100, 32, 4, 1]);
    expect(statementSizes(99, 100)).toEqual([64, 32, 2, 1]);
    expect(statementSizes(5, 3)).toEqual([3, 2]);
  });

  it('covers every row exactly once with a handful of shapes', () => {
    const shapes = new Set<number>();
    for (let rows = 0; rows <= 1000; rows += 1) {
      const sizes = statementSizes(rows, MAX_ROWS_PER_STATEMENT);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(rows);
      for (const size of sizes) shapes.add(size);
    }
    expect([...shapes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 100]);
  });
});

describe('idList()', () => {
  it('pads to the next power of two by repeating the last id, capped at the maximum', () => {
    expect(idList(['a'])).toEqual({ sql: '(?)', args: ['a'] });
    expect(idList(['a', 'b', 'c'])).toEqual({ sql: '(?, ?, ?, ?)', args: ['a', 'b', 'c', 'c'] });
    const many = Array.from({ length: 300 }, (_, i) => `id${i}`);
    const list = idList(many);
    expect(list.args).toHaveLength(MAX_IDS_PER_STATEMENT);
    expect(list.args.slice(0, 300)).toEqual(many);
    expect(new Set(list.args.slice(299))).toEqual(new Set(['id299']));
  });

  it('rejects an empty or oversized list', () => {
    expect(() => idList([])).toThrow(RangeError);
    expect(() => idList(Array.from({ length: MAX_IDS_PER_STATEMENT + 1 }, String))).toThrow(
      RangeError,
    );
  });
});

describe('insertRows()', () => {
  it('inserts every row once, in order, and selects padded ids once', async () => {
    const db = await openDb(':memory:');
    await db.execute('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
    const rows = Array.from({ length: 237 }, (_, i) => [i, `v${i}`]);
    const statements = insertRows('t', ['k', 'v'], rows);
    expect(statements.map((s) => (s.args?.length ?? 0) / 2)).toEqual([100, 100, 32, 4, 1]);
    await db.batch(statements, 'write');
    const all = await db.execute('SELECT k, v FROM t ORDER BY rowid');
    expect(all.rows).toEqual(rows.map(([k, v]) => ({ k, v })));
    const list = idList(['3', '5', '7']);
    const some = await db.execute({
      sql: `SELECT k FROM t WHERE CAST(k AS TEXT) IN ${list.sql} ORDER BY k`,
      args: list.args,
    });
    expect(some.rows).toEqual([{ k: 3 }, { k: 5 }, { k: 7 }]);
    db.close();
  });
});
