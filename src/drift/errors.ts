import { ThingstapeError } from '../errors.ts';

/** Codes a {@link DriftError} can carry. */
export const DRIFT_ERROR_CODES = [
  /** A path given to the drift check is neither a fixture directory nor a shape catalogue file. */
  'NOT_A_RECORDING',
  /** A shape catalogue file that is not valid JSON or not of a format version this thingstape reads. */
  'INVALID_CATALOGUE',
] as const;
/** A drift error code. */
export type DriftErrorCode = (typeof DRIFT_ERROR_CODES)[number];

/** A recording or catalogue the drift check cannot read. */
export class DriftError extends ThingstapeError<DriftErrorCode> {}
