import { ThingstapeError } from '../errors.ts';

/** Codes a {@link ReplayError} can carry. */
export const REPLAY_ERROR_CODES = [
  'UNRECORDED_REQUEST',
  'REPLAY_BUSY',
  'INTERCEPTION_UNAVAILABLE',
] as const;
export type ReplayErrorCode = (typeof REPLAY_ERROR_CODES)[number];

/** A replay that could not be served from its fixture. */
export class ReplayError extends ThingstapeError<ReplayErrorCode> {}
