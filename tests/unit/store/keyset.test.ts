/**
 * The keyset reader (src/store/keyset.ts) that the store's whole-table reads and the change log's
 * reads share: key order both ways, pages that start after the last key, the limit, and a page
 * read again in halves when the server says its response would be too large.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.ts';
import type { Db, Row } from '../../../src/store/db.ts';
import { StoreError } from '../../../src/store/errors.ts';
import { KEYSET_PAGE_ROWS, keysetRows, type KeysetQuery } from '../../../src/store/keyset.ts';
import { overriding } from '../../../tools/overriding.ts';

const opened: Db[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

/** A table of `n` rows keyed by (g, i): g = i % 3, so the key order is not the insert order. */
async function table(n: number): Promise<Db> {
  const db = await openDb(':memory:');
  opened.push(db);
  await db.execute(
    'CREATE TABLE t (g INTEGER NOT NULL, i INTEGER NOT NULL, v TEXT, UNIQUE (g, i))',
  );
  const values = Array.from({ length: n }, (_, i) => `(${i % 3}, ${i}, 'v${i}')`);
  for (let at = 0; at < values.length; at += 500) {
    await db.execute(`INSERT INTO t (g, i, v) VALUES ${values.slice(at, at + 500).join(', ')}`);
  }
  return db;
}

const QUERY: KeysetQuery = { select: 'g, i, v', from: 't', where: [], args: [], key: ['g', 'i'] };

async function read(db: Db, query: KeysetQuery): Promise<[number, number][]> {
  const out: [number, number][] = [];
  for await (const row of keysetRows(db, query)) out.push([Number(row['g']), Number(row['i'])]);
  return out;
}

function keyOrder(n: number, descending = false): [number, number][] {
  const keys = Array.from({ length: n }, (_, i): [number, number] => [i % 3, i]);
  keys.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return descending ? keys.toReversed() : keys;
}

describe('keysetRows()', () => {
  it('reads every row in key order across pages, both ways', async () => {
    const n = KEYSET_PAGE_ROWS * 2 + 7;
    const db = await table(n);
    expect(await read(db, QUERY)).toEqual(keyOrder(n));
    expect(await read(db, { ...QUERY, descending: true })).toEqual(keyOrder(n, true));
  });

  it('stops at the limit and applies the conditions with their arguments', async () => {
    const db = await table(KEYSET_PAGE_ROWS + 10);
    const limit = KEYSET_PAGE_ROWS + 3;
    expect(await read(db, { ...QUERY, limit })).toEqual(
      keyOrder(KEYSET_PAGE_ROWS + 10).slice(0, limit),
    );
    expect(await read(db, { ...QUERY, where: ['g = ?', 'i < ?'], args: [1, 10] })).toEqual([
      [1, 1],
      [1, 4],
      [1, 7],
    ]);
    expect(await read(db, { ...QUERY, limit: 0 })).toEqual([]);
  });

  it('reads a page again in halves when the response would be too large, down to one row', async () => {
    const n = 40;
    const inner = await table(n);
    const sizes: number[] = [];
    // A server that refuses any page of more than 5 rows, as sqld refuses responses over 10 MB.
    const db = overriding(inner, {
      execute: async (statement) => {
        const size = typeof statement === 'string' ? 0 : Number(statement.args?.at(-1));
        sizes.push(size);
        if (size > 5) {
          throw new StoreError('QUERY_FAILED', 'response too large', {
            driverCode: 'RESPONSE_TOO_LARGE',
          });
        }
        return inner.execute(statement);
      },
    });
    expect(await read(db, QUERY)).toEqual(keyOrder(n));
    expect(sizes.slice(0, 10)).toEqual([2000, 1000, 500, 250, 125, 63, 32, 16, 8, 4]);
    expect(Math.max(...sizes.slice(10))).toBe(4);
  });

  it('gives up on a single row too large, and passes other errors through', async () => {
    const inner = await table(3);
    const tooLarge = overriding(inner, {
      execute: () =>
        Promise.reject(
          new StoreError('QUERY_FAILED', 'response too large', {
            driverCode: 'RESPONSE_TOO_LARGE',
          }),
        ),
    });
    await expect(read(tooLarge, QUERY)).rejects.toThrow('response too large');
    const other = overriding(inner, {
      execute: () => Promise.reject(new Error('boom')),
    });
    await expect(read(other, QUERY)).rejects.toThrow('boom');
    const rows: Row[] = [];
    for await (const row of keysetRows(inner, QUERY)) rows.push(row);
    expect(rows.map((r) => r['v'])).toEqual(['v0', 'v1', 'v2']);
  });
});
