/**
 * The synthetic history generator (pure): deterministic, realistic Things Cloud histories in the
 * real wire shape, streamed page by page.
 */
export { Rng } from './prng.ts';
export { GenError, GEN_ERROR_CODES, type GenErrorCode } from './errors.ts';
export { HistoryGenerator, type HistorySettings } from './history-generator.ts';
export { type ActionName } from './actions/index.ts';
export { type GenEvent, type GenGroup } from './group.ts';
export { WORKING_SET } from './world.ts';
export {
  GENERATED_SCHEMA,
  GEN_DEFAULTS,
  generatePages,
  generatedSource,
  resolveGenOptions,
  summarizeHistory,
  type GeneratedPage,
  type GenOptions,
  type HistorySummary,
  type ResolvedGenOptions,
} from './pages.ts';
