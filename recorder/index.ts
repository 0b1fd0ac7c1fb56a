/** The recorder: live Things Cloud history → fixture, page by page, secrets redacted. */
export { RECORDER_VERSION, keyFingerprint, recordHistory } from './record.ts';
export type { RecordOptions, RecordProgress, RecordSummary } from './record.ts';
export { ANONYMIZER_VERSION, Anonymizer } from './anonymize.ts';
export { RECORDER_ERROR_CODES, RecorderError } from './errors.ts';
export type { RecorderErrorCode } from './errors.ts';
