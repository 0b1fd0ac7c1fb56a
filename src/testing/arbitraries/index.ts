/**
 * fast-check arbitraries of Things Cloud wire histories, for thingstape's own property tests and
 * for users' suites (`import { wireHistory } from 'thingstape/testing'`).
 *
 * A history is generated as a list of abstract operations (shrinkable: fast-check removes and
 * simplifies operations) and rendered into wire groups `{id: {t, e, p}}`, exactly what a page's
 * `items` array holds, so tests feed it through the real decoder.
 *
 * What the histories contain (spec 4–9): every entity family and action, legacy kinds with legacy
 * ids (UUIDs, recurring-instance ids, names) beside the modern kinds of the same entities, native
 * full creates and sparse creates, sparse modifies with explicit `null`s, notes in every form
 * (plain, full text with right/wrong/no checksum, delta patches with right/wrong/no checksums),
 * `t=2` deletes (also of unknown ids), tombstones of every family (and of tombstones),
 * resurrections, re-creates of live entities, modify-before-create, dangling references, repeating
 * templates and their instances, metadata and unknown kinds, the same id under two families, and
 * empty groups. Id pools are small, so the same entity is touched many times.
 *
 * Never generated: kinds newer than thingstape knows (`Task8`: the sync stops on them by design)
 * and malformed JSON (see the decoder's own corpus tests).
 */

export {
  GENERATED_FAMILIES,
  type GeneratedFamily,
  type WireEvent,
  type WireGroup,
  type WireHistory,
  type WirePage,
} from './wire-shapes.ts';
export {
  canonicalTestId,
  DEFAULT_POOL_SIZES,
  GHOST_IDS,
  poolEntities,
  poolEntity,
  type PoolEntity,
  type PoolSizes,
} from './id-pools.ts';
export type {
  ChecksumSpec,
  EmptyOp,
  EntityOp,
  HistoryOp,
  NoteSpec,
  OpaqueOp,
  PatchSpec,
  RefSpec,
  ValueSpec,
} from './op-types.ts';
export { historyOp, historyOps, type HistoryOptions } from './history-ops.ts';
export { renderHistory, wireHistory, type RenderOptions } from './rendering.ts';
export { pageSplit, splitHistory, splitPages, wirePage } from './page-splits.ts';
export { groupOrders, interleaving, permutation, reorderGroup } from './item-orders.ts';
