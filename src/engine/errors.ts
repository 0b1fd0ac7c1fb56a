import { ThingstapeError } from '../errors.ts';

/** Codes an {@link EngineError} can carry. */
export const ENGINE_ERROR_CODES = [
  /**
   * An item of a newer version of a known family (`Task8`, `Tag5`) reached the fold: applying the
   * page would silently miss data (spec 4.4, pitfall 15). Upgrade thingstape.
   */
  'UNSUPPORTED_KIND',
  /** A change row read back from the log has a `type` this thingstape does not know. */
  'UNKNOWN_CHANGE_TYPE',
  /** A change row read back from the log has a payload that is not valid for its type. */
  'INVALID_CHANGE_PAYLOAD',
  /** A time zone the runtime's Intl does not know (e.g. `Mars/Olympus`). */
  'INVALID_TIME_ZONE',
  /** A reference date or `today` that is not a `YYYY-MM-DD` civil date. */
  'INVALID_DATE',
] as const;
/** A machine-readable engine error code. */
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

/** A failure of the engine a caller can act on (upgrade, fix a stored row, fix an option). */
export class EngineError extends ThingstapeError<EngineErrorCode> {
  constructor(code: EngineErrorCode, message: string, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
  }
}
