import { ThingstapeError } from '../errors.ts';

/** Codes a {@link GenError} can carry. */
export const GEN_ERROR_CODES = [
  /** An option of the generator is out of its domain (items, seed, page size, zone, start). */
  'INVALID_OPTION',
] as const;
/** One of {@link GEN_ERROR_CODES}. */
export type GenErrorCode = (typeof GEN_ERROR_CODES)[number];

/** The generator cannot run with the options it was given. */
export class GenError extends ThingstapeError<GenErrorCode> {}
