/**
 * The engine's public surface: the pure fold (items → entities, changes, anomalies), the change
 * payload codec, local dates and the views. No clock, no I/O.
 */

export * from './types.ts';
export { EngineError, ENGINE_ERROR_CODES } from './errors.ts';
export type { EngineErrorCode } from './errors.ts';
export { foldGroup, foldPage, startFold } from './fold.ts';
export { findUnsupported, referencedIds } from './references.ts';
export { GuardLedger } from './guard-ledger.ts';
export type { GroupResult, PagesFold, RawItemReason } from './fold.ts';
export {
  CHANGE_TYPES,
  decodeChange,
  encodeChange,
  encodeChangePayload,
  isChangeType,
} from './change-codec.ts';
export type { ChangeRow } from './change-codec.ts';
export { canonicalJson } from './canonical.ts';
export type { CanonicalJsonOptions } from './canonical.ts';
export { localDate, todayIn, isValidTimeZone, requireCivilDate } from './dates.ts';
export { defaultEntity } from './defaults.ts';
export { statusName, taskSnapshot } from './changes.ts';
export { listOf, scheduleOf } from './lists.ts';
export {
  LIST_VIEWS,
  anytimeView,
  areaOf,
  areaView,
  eveningView,
  headingOf,
  inboxView,
  indexEntities,
  logbookView,
  projectOf,
  projectView,
  rowOf,
  searchView,
  somedayView,
  tagView,
  tagWithDescendants,
  todayView,
  trashView,
  upcomingView,
} from './views.ts';
export type {
  EntityIndex,
  ListViewName,
  ProjectView,
  ViewOptions,
  ViewRow,
  ViewSource,
} from './views.ts';
