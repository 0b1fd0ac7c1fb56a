/**
 * The JSON row encoding of multi-row inserts (decision 0014) stores exactly what binding every
 * value stores: same type, same value (compared inside SQLite with `IS`, so a double one ulp off
 * fails), same order, for any mix of values a store binds, in columns of every affinity; on a
 * local database and on a real sqld over HTTP (the databases that use it).
 */
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hasSqld, startSqld } from '../support/sqld.ts';
import type { SqldServer } from '../support/sqld.ts';

import { insertRows } from '../../src/store/commit.ts';
import type { Db, SqlArg } from '../../src/store/db.ts';
import { openDb } from '../../src/store/db.ts';
import { check, timeoutFor } from './support.ts';

const RUNS = 300;
/** One column per affinity (the last has none). */
const COLUMNS = ['a', 'b', 'c', 'd', 'e'] as const;
const TABLE = (name: string) =>
  `CREATE TABLE ${name} (k INTEGER PRIMARY KEY, a REAL, b INTEGER, c TEXT, d NUMERIC, e)`;

/** Any UTF-16 code unit, so strings hold NULs and unpaired surrogates too. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u));

/** Things-like instants: seconds since the epoch with a microsecond fraction. */
const instant = fc
  .tuple(fc.integer({ min: 0, max: 2_000_000_000 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([s, us]) => s + us / 1e6);

/**
 * Cells as a store binds them. `wellFormed`: no unpaired surrogates, which Hrana cannot carry as
 * bound values (sqld rejects the request), so the comparison on sqld leaves them out.
 */
function rowsOf(wellFormed: boolean): fc.Arbitrary<SqlArg[][]> {
  const cell: fc.Arbitrary<SqlArg> = fc.oneof(
    fc.constant(null),
    fc.string(),
    fc.string({ unit: codeUnit, maxLength: 6 }).filter((s) => !wellFormed || s.isWellFormed()),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    instant,
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.uint8Array({ maxLength: 4 }),
  );
  return fc.array(fc.array(cell, { minLength: COLUMNS.length, maxLength: COLUMNS.length }), {
    maxLength: 40,
  });
}

const BACKENDS = [
  { name: ':memory:', runs: RUNS, skip: false, wellFormed: false },
  { name: 'sqld', runs: RUNS / 3, skip: !hasSqld(), wellFormed: true },
];

describe.each(BACKENDS)(
  'insertRows() with the json row encoding on $name',
  ({ name, runs, skip, wellFormed }) => {
    let server: SqldServer | undefined;
    let db: Db;
    beforeAll(async () => {
      if (skip) return;
      if (name === 'sqld') server = await startSqld();
      db = await openDb(server?.url ?? ':memory:');
    });
    afterAll(async () => {
      db?.close();
      await server?.stop();
    });

    it.skipIf(skip)(
      'stores the same types and values, in the same order, as bound values',
      { timeout: timeoutFor(runs, 20) },
      async () => {
        await check(`json row encoding (${name})`, runs, [rowsOf(wellFormed)], async (rows) => {
          await db.batch(
            [
              'DROP TABLE IF EXISTS bound',
              'DROP TABLE IF EXISTS packed',
              TABLE('bound'),
              TABLE('packed'),
              ...insertRows('bound', COLUMNS, rows),
              ...insertRows('packed', COLUMNS, rows, undefined, 'json'),
            ],
            'write',
          );
          const differing = await db.execute(
            `SELECT k, ${COLUMNS.map((c) => `quote(b.${c}) AS bound_${c}, quote(p.${c}) AS packed_${c}`).join(', ')}
           FROM bound b FULL JOIN packed p USING (k)
           WHERE b.k IS NULL OR p.k IS NULL OR ${COLUMNS.map((c) => `b.${c} IS NOT p.${c} OR typeof(b.${c}) != typeof(p.${c})`).join(' OR ')}`,
          );
          expect(differing.rows).toEqual([]);
          const count = await db.execute('SELECT count(*) AS n FROM packed');
          expect(count.rows[0]?.['n']).toBe(rows.length);
        });
      },
    );
  },
);
