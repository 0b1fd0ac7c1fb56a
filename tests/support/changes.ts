/**
 * Checks the change log's by-entity read (`changes({ entityId })`, decisions 0015 and 0016) against
 * the whole change log filtered in memory, for every entity id the log names and for `extraIds`,
 * and the keys behind that read.
 */
import type { Change } from '../../src/engine/types.ts';
import type { Db } from '../../src/store/db.ts';
import { CHANGE_ENTITY_TABLES } from '../../src/store/schema.ts';
import type { Store } from '../../src/store/types.ts';

/** The first entity whose changes read by id differ from the filtered log, or null. */
export async function changesByEntityMismatch(
  store: Store,
  extraIds: readonly string[] = [],
): Promise<{ entityId: string; byId: Change[]; filtered: Change[] } | null> {
  const all = await store.changes();
  const ids = new Set([...all.map((c) => c.entityId), ...extraIds]);
  for (const entityId of ids) {
    const byId = await store.changes({ entityId });
    const filtered = all.filter((c) => c.entityId === entityId);
    if (JSON.stringify(byId) !== JSON.stringify(filtered)) return { entityId, byId, filtered };
  }
  return null;
}

/** Every entity row: its table's number in `change_log_entities`, rowid and id (decision 0015). */
const ENTITY_ROWS = CHANGE_ENTITY_TABLES.map(
  ({ family, table }) => `SELECT ${family} AS family, rowid AS r, id FROM ${table}`,
).join(' UNION ALL ');

/**
 * What is wrong with the change log's keys by entity in `db` (decision 0016), or null: every change
 * has a key of its own (an orphan key with its entity id and seq, or a key with its seq whose
 * rowid is its entity's row), and `change_log_keyed_seq` covers the whole log, so no read relies
 * on the search of unkeyed changes.
 */
export async function changeKeysProblem(db: Db): Promise<string | null> {
  const result = await db.execute(`SELECT
    (SELECT COUNT(*) FROM change_log c
      WHERE NOT EXISTS (SELECT 1 FROM change_log_orphans o WHERE o.entity_id = c.entity_id AND o.seq = c.seq)
        AND NOT EXISTS (SELECT 1 FROM change_log_entities k JOIN (${ENTITY_ROWS}) e
          ON e.family = k.family AND e.r = k.entity_rowid WHERE k.seq = c.seq AND e.id = c.entity_id)
    ) AS unkeyed,
    (SELECT change_log_keyed_seq FROM sync_state WHERE id = 1) AS keyed,
    (SELECT COALESCE(MAX(seq), 0) FROM change_log) AS last`);
  const row = result.rows[0];
  if (row === undefined) return 'no sync_state row';
  const [unkeyed, keyed, last] = [row['unkeyed'], row['keyed'], row['last']].map(Number);
  if (unkeyed !== 0) return `${unkeyed} changes have no key`;
  if (keyed !== last) return `change_log_keyed_seq is ${keyed}, the last seq ${last}`;
  return null;
}
