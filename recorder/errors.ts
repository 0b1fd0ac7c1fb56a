import { ThingstapeError } from '../src/errors.ts';

/** Codes a {@link RecorderError} can carry. */
export const RECORDER_ERROR_CODES = [
  /** THINGS_USERNAME or THINGS_PASSWORD is not set. */
  'MISSING_CREDENTIALS',
  /** `--resume` on a directory recorded differently (not by the recorder, or anonymized vs not). */
  'RESUME_MISMATCH',
  /** `--resume`, but the account now names another history key. */
  'HISTORY_CHANGED',
  /** The history shrank while (or since) it was recorded: it was replaced. */
  'HISTORY_RESET',
  /** The password or history key is too short (or a placeholder) to be scanned for safely. */
  'SECRET_TOO_SHORT',
] as const;
export type RecorderErrorCode = (typeof RECORDER_ERROR_CODES)[number];

/** A recording that cannot start or go on. Never carries the e-mail, password or history key. */
export class RecorderError extends ThingstapeError<RecorderErrorCode> {}
