/**
 * Protocol drift: shape catalogues of recordings (kinds, fields and their types and frequencies,
 * schemas, endpoints and statuses, headers that matter) and their comparison in error, warning and
 * info tiers. `catalogue.ts` and `compare.ts` are pure; `node.ts` reads fixtures and files.
 */
export {
  CATALOGUE_FORMAT,
  CATALOGUE_VERSION,
  CatalogueBuilder,
  jsonType,
  mergeCatalogues,
  templatePath,
  VALUE_HEADERS,
} from './catalogue.ts';
export type {
  EndpointShape,
  FieldShape,
  JsonType,
  KindShape,
  Presence,
  ResponseMeta,
  ShapeCatalogue,
} from './catalogue.ts';
export { compareCatalogues, DRIFT_CODES, DRIFT_DEFAULTS, DRIFT_TIERS } from './compare.ts';
export type { DriftCode, DriftFinding, DriftOptions, DriftReport, DriftTier } from './compare.ts';
export { DRIFT_ERROR_CODES, DriftError, type DriftErrorCode } from './errors.ts';
export { catalogueText, readCatalogue } from './node.ts';
export { probeCatalogue, type ProbeOptions } from './probe.ts';
