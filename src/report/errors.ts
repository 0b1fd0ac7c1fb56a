import { ThingstapeError } from '../errors.ts';

/** Codes a {@link ReportError} can carry. */
export const REPORT_ERROR_CODES = [
  /** The output directory cannot be used (it is a file). */
  'INVALID_OUTPUT',
  /** A date asked for is outside what the report can show (or too many were asked for). */
  'INVALID_DATE',
] as const;

/** A code of {@link ReportError}. */
export type ReportErrorCode = (typeof REPORT_ERROR_CODES)[number];

/** An error of the html reports; `code` says which rule failed. */
export class ReportError extends ThingstapeError<ReportErrorCode> {}
