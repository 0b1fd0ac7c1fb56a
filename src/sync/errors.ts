import { ThingstapeError } from '../errors.ts';

/** Codes a {@link SyncError} can carry. */
export const SYNC_ERROR_CODES = [
  /** The history's head is behind the stored cursor, or a page says so: the history was replaced. */
  'HISTORY_RESET',
  /** A page came back with no groups although the head says more exist. */
  'NO_PROGRESS',
  /** A page holds a newer, unknown version of a modelled kind (e.g. `Task8`): upgrade thingstape. */
  'UNSUPPORTED_KIND',
  /** The database was built with other settings (time zone, history) than this run asks for. */
  'STATE_MISMATCH',
  /** A page holds another number of groups than its source recorded (a damaged fixture). */
  'GROUP_COUNT_MISMATCH',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

/** The sync loop stopped; what is stored is as it was after the last committed page. */
export class SyncError extends ThingstapeError {
  declare readonly code: SyncErrorCode;
  /** The cursor (next start index) stored when the loop stopped. */
  readonly cursor: number;

  constructor(code: SyncErrorCode, message: string, cursor: number, options?: { cause?: unknown }) {
    super(code, message, options);
    this.cursor = cursor;
  }
}
