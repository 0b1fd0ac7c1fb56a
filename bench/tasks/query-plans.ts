/**
 * The query plans of the store's reads on a replayed database: the SQL the store runs for each
 * read, recorded and run again under EXPLAIN QUERY PLAN.
 */
import type { createStore } from '../../src/store/index.ts';
import type { BenchFixture } from '../fixture.ts';
import { text, type RecordingDb } from './recording-db.ts';

/** The plan SQLite chose for one of the store's read queries. */
export interface QueryPlan {
  readonly query: string;
  readonly sql: readonly string[];
  readonly plan: readonly string[];
  /** False when some step scans a table without an index. */
  readonly usesIndexes: boolean;
}

/** EXPLAIN QUERY PLAN of the reads behind `changes --since-index`, `--entity`, loads and views. */
export async function explainReads(
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
