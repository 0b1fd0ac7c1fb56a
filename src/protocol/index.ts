/**
 * Public surface of the protocol module: wire types, decoder, encoder, the wire writer, ids, dates
 * and notes.
 */

export type * from './types.ts';
export { ACTIONS, ENTITY_FAMILIES, METADATA_FAMILIES } from './types.ts';
export {
  DECODE_ERROR_CODES,
  DecodeError,
  formatLocation,
  type DecodeErrorCode,
  type DecodeLocation,
} from './errors.ts';
export { DECODE_WARNING_CODES, type DecodeWarningCode } from './warnings.ts';
export {
  classifyKind,
  isPlausibleKind,
  KNOWN_MAX_VERSION,
  MAX_KIND_LENGTH,
  SETTINGS_KEY,
  SETTINGS_MARKER_KIND,
  WRITER_KINDS,
} from './kinds.ts';
export { BASE58_ALPHABET, base58Decode, base58Encode, isBase58Alphabet } from './base58.ts';
export { sha1 } from './sha1.ts';
export {
  classifyId,
  isCanonicalId,
  legacyToBase58,
  newId,
  NEW_ID_LENGTH,
  toEntityRef,
} from './ids.ts';
export {
  civilDateToDayStamp,
  dayStampToCivilDate,
  isCivilDate,
  isDayStampInRange,
  NEVER_DATE,
  NEVER_DAY_STAMP,
} from './dates.ts';
export {
  applyNote,
  applyPatches,
  crc32,
  crc32Bytes,
  utf8ByteLength,
  type NoteResult,
  type PatchCheck,
  type PatchOptions,
  type PatchResult,
} from './notes.ts';
export {
  decodePage,
  decodePageBytes,
  decodePageText,
  ENVELOPE_KEYS,
  SUPPORTED_SCHEMA,
  type DecodeOptions,
} from './decode.ts';
export {
  MAX_PATCH_OFFSET,
  MAX_PATCH_REPLACEMENT_BYTES,
  MAX_VALUE_DEPTH,
  MAX_VALUE_SIZE,
} from './decode-values.ts';
export { encodeItem, encodeNote, encodePage } from './encode.ts';
export * from './write/index.ts';
export { firstInvalidUtf8, pageText } from './utf8.ts';
export {
  FIELDS_BY_FAMILY,
  RECURRENCE_FIELDS,
  type FieldSpec,
  type FieldTable,
  type FieldType,
} from './fields.ts';
export {
  checkCommit,
  checkCommitText,
  EMPTY_GUARD_STATE,
  GUARD_CODES,
  GUARD_RULES,
  isGuardCode,
  type Confidence,
  type GuardCode,
  type GuardEntity,
  type GuardOptions,
  type GuardReport,
  type GuardState,
  type GuardViolation,
  type Severity,
} from './guard/index.ts';
export {
  PAGING_ERROR_CODES,
  PAGING_PROBLEM_CODES,
  PageWalker,
  type PageWalkerOptions,
  type PagingErrorCode,
  type PagingProblem,
  type WalkedPage,
  type WalkStep,
} from './walk.ts';
