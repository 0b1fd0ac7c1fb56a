/** Codes of {@link DecodeWarning}s: observations about odd but legal data, never fatal. */

import type { DecodeWarning } from './types.ts';

/** Every warning code the protocol module emits. */
export const DECODE_WARNING_CODES = [
  /** An id that is not canonical 16-byte Base58 and was not mapped (modern kind, or metadata). */
  'NON_CANONICAL_ID',
  /** A legacy id (in a legacy kind) was mapped to its derived Base58 id (spec 8.3). */
  'LEGACY_ID_MAPPED',
  /** An id in no known form, accepted because the decoder runs with `invalidIds: 'warn'`. */
  'INVALID_ID',
  /** `start-index + groups > current-item-index` (the 2017 upstream tape has this). */
  'PAGE_BEYOND_HEAD',
  /** `current-item-index < start-index`: the history may have been reset (spec 2.5). */
  'HEAD_BEFORE_START',
  /** No groups although `start-index < current-item-index`: the page makes no progress. */
  'EMPTY_PAGE_BEFORE_HEAD',
  /** The content-size counters contradict each other (end < start, or end > latest). */
  'CONTENT_SIZE_INCONSISTENT',
  /** Neither `schema` nor `latest-schema-version` is in the envelope. */
  'SCHEMA_MISSING',
  /** A note's checksum does not match the text computed for it (spec 7.2). */
  'NOTE_CHECKSUM_MISMATCH',
  /** A delta note arrived while the note was unknown or empty (spec 7.3 step 1). */
  'DELTA_ON_EMPTY_NOTE',
  /** A note object of an unknown `_t`/`t`: the note was left unchanged. */
  'UNKNOWN_NOTE_FORM',
] as const;

/** A warning code. */
export type DecodeWarningCode = (typeof DECODE_WARNING_CODES)[number];

/** Builds a {@link DecodeWarning}. */
export function warning(code: DecodeWarningCode, path: string, message: string): DecodeWarning {
  return { code, path, message };
}
