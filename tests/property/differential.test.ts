/**
 * The engine + store against the reference model (tests/property/model.ts), the change log against
 * the state it describes, and soft deletes: generated histories, any page split, both local
 * backends.
 */
import { describe, it } from 'vitest';

import type { Change, Entity } from '../../src/engine/types.ts';
import { LIST_VIEWS } from '../../src/engine/index.ts';
import { splitHistory } from '../arbitraries/index.ts';
import { canonical, compareChanges, modelFold } from './model.ts';
import { changeKeysProblem, changesByEntityMismatch } from '../support/changes.ts';
import { projectChanges, projectState } from './projection.ts';
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

const RUNS = 800;

describe.each(BACKENDS)('engine + store on $backend.name', ({ backend, share }) => {
  const runs = Math.round(RUNS * share);

  it(
    'equals the reference model on every generated history (state and changes)',
    { timeout: hangGuard(runs) },
    async () => {
      await check(
        `differential (${backend.name})`,
        runs,
        [splitHistory({ maxCuts: 4 })],
        async ({ history, cuts }) => {
          await withStores(backend, 1, async ([s]) => {
            if (s === undefined) throw new Error('no store');
            const emitted: Change[] = [];
            await sync(s.store, new GeneratedSource(history.groups, cuts), emitted);
            const model = modelFold(decodeGroups(history.groups));
            const stored = await allEntities(s.store);
            const expected = [...model.entities.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
            assert(
              stored.length === expected.length,
              `entity count ${stored.length} ≠ model ${expected.length}`,
            );
            stored.forEach((entity, i) => {
              const want = expected[i];
              assert(
                canonical(entity) === canonical(want),
                `entity ${entity.id} differs from the model`,
                {
                  engine: entity,
                  model: want,
                },
              );
            });
            const difference = compareChanges(await s.store.changes(), model.changes);
            assert(difference === null, 'stored changes differ from the model', difference ?? '');
            assert(
              canonical(emitted) === canonical(await s.store.changes()),
              'emitted changes ≠ stored changes',
            );
            const byEntity = await changesByEntityMismatch(s.store, ['no-such-entity']);
            assert(byEntity === null, 'changes read by entity ≠ the log filtered', byEntity ?? '');
            const keys = await changeKeysProblem(s.db);
            assert(keys === null, 'change-log keys by entity', keys ?? '');
          });
        },
      );
    },
  );

  it(
    'keeps a change log that rebuilds the live state, well formed per entity',
    { timeout: hangGuard(runs) },
    async () => {
      await check(
        `change-log faithfulness (${backend.name})`,
        runs,
        [splitHistory({ maxCuts: 4 })],
        async ({ history, cuts }) => {
          await withStores(backend, 1, async ([s]) => {
            if (s === undefined) throw new Error('no store');
            await sync(s.store, new GeneratedSource(history.groups, cuts));
            const changes = await s.store.changes();
            const { projection, problems } = projectChanges(changes);
            assert(problems.length === 0, 'ill-formed change sequence', problems);
            const live = (await allEntities(s.store)).filter((e) => e.deleted === null);
            const actual = projectState(live, projection);
            const rebuilt = canonical([...projection.values()].map((p) => p.view).sort(byId));
            assert(
              rebuilt === canonical(actual),
              'folding the changes does not give the live state',
              {
                fromChanges: JSON.parse(rebuilt) as unknown,
                fromState: actual,
              },
            );
          });
        },
      );
    },
  );

  it(
    'never removes an entity row; deleted entities are in no view; live = created − deleted + resurrected',
    { timeout: hangGuard(runs) },
    async () => {
      await check(
        `soft deletes (${backend.name})`,
        runs,
        [splitHistory({ maxCuts: 4 })],
        async ({ history, cuts }) => {
          await withStores(backend, 1, async ([s]) => {
            if (s === undefined) throw new Error('no store');
            const source = new GeneratedSource(history.groups, cuts);
            let seen = new Set<string>();
            // One page per run: rows may only be added, never removed, at every page boundary.
            for (;;) {
              const summary = await sync(s.store, source, [], 1);
              const ids = new Set((await allEntities(s.store)).map((e) => e.id));
              for (const id of seen)
                assert(ids.has(id), `entity row ${id} disappeared at cursor ${summary.cursor}`);
              seen = ids;
              if (summary.complete) break;
            }
            const entities = await allEntities(s.store);
            const deleted = new Set(entities.filter((e) => e.deleted !== null).map((e) => e.id));
            const today = CONTEXT_TODAY;
            for (const [name, view] of Object.entries(LIST_VIEWS)) {
              for (const row of view(entities, { today })) {
                assert(!deleted.has(row.id), `deleted entity ${row.id} shows in ${name}`);
              }
            }
            const changes = await s.store.changes();
            let count = 0;
            for (const c of changes) {
              if (c.type.endsWith('Created')) count += 1;
              else if (c.type.endsWith('Deleted') && c.type !== 'TombstoneDeleted') count -= 1;
            }
            const live = entities.filter(
              (e: Entity) => e.family !== 'tombstone' && e.deleted === null,
            ).length;
            assert(
              count === live,
              `creations − deletions + resurrections = ${count}, live entities = ${live}`,
            );
          });
        },
      );
    },
  );
});

const CONTEXT_TODAY = '2025-11-01' as Parameters<(typeof LIST_VIEWS)['inbox']>[1]['today'];

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
