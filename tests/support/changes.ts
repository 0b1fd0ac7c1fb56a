/**
 * Checks the change log's by-entity read (`changes({ entityId })`, decision 0015) against the
 * whole change log filtered in memory: for every entity id the log names, and for `extraIds`.
 */
import type { Change } from '../../src/engine/types.ts';
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
