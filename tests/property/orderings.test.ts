/**
 * Order properties: the order of the items inside a group (a JSON object, whose key order means
 * nothing) and the interleaving of independent entities' item streams do not change the state or
 * the changes of any entity.
 */
import { describe, it } from 'vitest';

import type { Change, Entity } from '../../src/engine/types.ts';
import { groupOrders, interleaving, wireHistory } from '../arbitraries/index.ts';
import type { WireEvent, WireGroup, WireHistory } from '../arbitraries/index.ts';
import { canonical } from './model.ts';
import {
  BACKENDS,
  GeneratedSource,
  allEntities,
  assert,
  check,
  decodeGroups,
  sync,
  hangGuard,
  withStores,
} from './support.ts';
import type { TestStore } from './support.ts';

const RUNS = 800;

async function syncAll(
  s: TestStore,
  history: WireHistory,
): Promise<{ entities: Entity[]; changes: Change[] }> {
  const emitted: Change[] = [];
  await sync(s.store, new GeneratedSource(history.groups), emitted);
  const changes = await s.store.changes();
  assert(canonical(emitted) === canonical(changes), 'emitted changes ≠ stored changes');
  return { entities: await allEntities(s.store), changes };
}

/** The entity a tombstone event deletes, if it names one. */
function tombstoneTarget(event: WireEvent): string[] {
  if (!event.e.startsWith('Tombstone') || typeof event.p !== 'object' || event.p === null)
    return [];
  const target: unknown = (event.p as Record<string, unknown>)['dloid'];
  return typeof target === 'string' ? [target] : [];
}

/** Changes by entity, each without the fields an order may change, as canonical strings. */
function perEntity(
  changes: readonly Change[],
  strip: readonly string[],
  sorted: boolean,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const change of changes) {
    const rest: Record<string, unknown> = { ...change };
    for (const key of strip) delete rest[key];
    const list = out.get(change.entityId) ?? [];
    list.push(canonical(rest));
    out.set(change.entityId, list);
  }
  if (sorted) for (const list of out.values()) list.sort();
  return out;
}

function samePerEntity(a: Map<string, string[]>, b: Map<string, string[]>): string | null {
  const ids = new Set([...a.keys(), ...b.keys()]);
  for (const id of ids) {
    const x = canonical(a.get(id) ?? []);
    const y = canonical(b.get(id) ?? []);
    if (x !== y) return `changes of ${id} differ:\n  ${x}\n  ${y}`;
  }
  return null;
}

/** An entity without the server indexes an interleaving moves. */
function withoutIndexes(entity: Entity): unknown {
  const { createdIndex: _c, updatedIndex: _u, deleted, ...rest } = entity;
  return { ...rest, deleted: deleted === null ? null : { ...deleted, serverIndex: 0 } };
}

/**
 * The single-item groups of a history split into streams of entities that act on each other:
 * the same engine id, or a tombstone and its target (union-find over engine ids).
 */
function streams(history: WireHistory): WireGroup[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const groups = history.groups.filter((g) => Object.keys(g).length > 0);
  const owners = groups.map((group, i) => {
    const item = decodeGroups([group], i)[0]?.items[0];
    if (item === undefined) throw new Error('no item');
    if (item.family === 'tombstone' && item.payload.dloid !== undefined) {
      union(item.ref.id, item.payload.dloid.id);
    }
    return item.ref.id;
  });
  const byRoot = new Map<string, WireGroup[]>();
  groups.forEach((group, i) => {
    const root = find(owners[i] ?? '');
    const list = byRoot.get(root) ?? [];
    list.push(group);
    byRoot.set(root, list);
  });
  return [...byRoot.values()];
}

describe.each(BACKENDS)('orderings on $backend.name', ({ backend, share }) => {
  const runs = Math.round(RUNS * share);

  it(
    'gives the same state and the same changes per entity for any order inside groups',
    { timeout: hangGuard(runs) },
    async () => {
      const arb = wireHistory({ independentGroups: true, joinWeight: 6 }).chain((history) =>
        groupOrders(history).map((permuted) => ({ history, permuted })),
      );
      await check(`group order (${backend.name})`, runs, [arb], async ({ history, permuted }) => {
        // Two tombstones of one target make a group's order matter (the first deletes it).
        for (const group of history.groups) {
          const targets = Object.values(group).flatMap((event) => tombstoneTarget(event));
          assert(new Set(targets).size === targets.length, 'a group shares a tombstone target');
        }
        await withStores(backend, 2, async ([a, b]) => {
          if (a === undefined || b === undefined) throw new Error('no store');
          const x = await syncAll(a, history);
          const y = await syncAll(b, permuted);
          assert(
            canonical(x.entities) === canonical(y.entities),
            'state differs after reordering a group',
          );
          const diff = samePerEntity(
            perEntity(x.changes, ['position'], true),
            perEntity(y.changes, ['position'], true),
          );
          assert(diff === null, 'changes differ after reordering a group', diff ?? '');
        });
      });
    },
  );

  it(
    'gives the same state and per-entity change sequence for any interleaving of independent entities',
    { timeout: hangGuard(runs) },
    async () => {
      const arb = wireHistory({ joinWeight: 0 }).chain((history) => {
        const parts = streams(history);
        return interleaving(parts.map((p) => p.length)).map((order) => ({
          history: { groups: parts.flat() },
          interleaved: { groups: order.map(([s, i]) => parts[s]?.[i] ?? {}) },
        }));
      });
      await check(
        `interleavings (${backend.name})`,
        runs,
        [arb],
        async ({ history, interleaved }) => {
          await withStores(backend, 2, async ([a, b]) => {
            if (a === undefined || b === undefined) throw new Error('no store');
            const x = await syncAll(a, history);
            const y = await syncAll(b, interleaved);
            assert(
              canonical(x.entities.map(withoutIndexes)) ===
                canonical(y.entities.map(withoutIndexes)),
              'state differs after interleaving',
            );
            const strip = ['serverIndex', 'position'];
            const diff = samePerEntity(
              perEntity(x.changes, strip, false),
              perEntity(y.changes, strip, false),
            );
            assert(
              diff === null,
              'per-entity change sequences differ after interleaving',
              diff ?? '',
            );
          });
        },
      );
    },
  );
});
