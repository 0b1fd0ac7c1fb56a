import { isThingstapeError, ThingstapeError } from '../errors.ts';

/** Codes a {@link HarnessError} can carry. */
export const HARNESS_ERROR_CODES = [
  /** An assertion of a scenario (`t.assertChanges`, `t.assertList`, `t.assert…`) did not hold. */
  'ASSERTION_FAILED',
  /** A snapshot differs from the stored one (run with `--update` to accept the new value). */
  'SNAPSHOT_MISMATCH',
  /** A snapshot does not exist yet and may not be written (CI). */
  'SNAPSHOT_MISSING',
  /** A request has no recording in the scenario's cassette (replay). */
  'NO_RECORDING',
  /** The scenario has no cassette and the mode does not allow recording one. */
  'MISSING_CASSETTE',
  /** The cassette cannot be read or contradicts the script (other zone, damaged file). */
  'INVALID_CASSETTE',
  /** Sanitizer: recorded requests the scenario did not make. */
  'UNUSED_RECORDING',
  /** Sanitizer: requests without a recording that the scenario caught and ignored. */
  'UNMATCHED_REQUEST',
  /** Sanitizer: a request was still in flight when the scenario ended. */
  'REQUEST_IN_FLIGHT',
  /** Sanitizer: a database opened with `t.openStore()` was not closed. */
  'HANDLE_LEAK',
  /** Sanitizer: a step was still running when its scenario (or parent step) ended. */
  'STEP_LEAK',
  /** Sanitizer: a secret (e-mail, password, history key) was found in a written file. */
  'SECRET_WRITTEN',
  /**
   * A commit of the scenario breaks the write rules (spec 10, 13, 16.1): refused before it was
   * sent (guard `reject`), or sent and reported when the scenario ended (guard `report`).
   */
  'UNSAFE_WRITE',
  /** A network request was attempted without `--allow-net`. */
  'NET_NOT_ALLOWED',
  /** Recording needs credentials (THINGS_USERNAME, THINGS_PASSWORD). */
  'MISSING_CREDENTIALS',
  /** The password or history key is too short (or a placeholder) to be scanned for safely. */
  'SECRET_TOO_SHORT',
  /** Run settings that contradict each other (record in CI, record without --allow-net, …). */
  'INVALID_OPTIONS',
  /** A scenario file could not be loaded, or two scenarios share a name. */
  'LOAD_FAILED',
] as const;

/** A code of {@link HarnessError}. */
export type HarnessErrorCode = (typeof HARNESS_ERROR_CODES)[number];

/** An error of the scenario harness; `code` says which rule failed. */
export class HarnessError extends ThingstapeError<HarnessErrorCode> {}

/** True when `value` is a {@link HarnessError} (optionally of one code), across module copies. */
export function isHarnessError(value: unknown, code?: HarnessErrorCode): value is HarnessError {
  return (
    value instanceof Error &&
    value.name === 'HarnessError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (code === undefined || (value as unknown as { code: string }).code === code)
  );
}

/** A failure as reports show it. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

/** A thrown value as reports show it (stack only for errors that are not thingstape's own). */
export function errorInfo(error: unknown): ErrorInfo {
  if (isThingstapeError(error) || isHarnessError(error)) {
    return { code: (error as { code: string }).code, message: error.message };
  }
  if (error instanceof Error) {
    const stack = (error.stack ?? '').split('\n').slice(1, 6).join('\n');
    return {
      code: error.name,
      message: stack === '' ? error.message : `${error.message}\n${stack}`,
    };
  }
  return { code: 'THROWN', message: String(error) };
}
