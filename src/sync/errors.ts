import { ThingstapeError } from '../errors.ts';
import { PAGING_ERROR_CODES } from '../protocol/walk.ts';

/** Codes a {@link SyncError} can carry. */
export const SYNC_ERROR_CODES = [
  /**
   * The page walker's: `HISTORY_RESET` (the head or a page is behind the stored cursor: the history
   * was replaced), `NO_PROGRESS` (a page with no groups below the head); the other two the decoder
   * reports first, as `DecodeError`s.
   */
  ...PAGING_ERROR_CODES,
  /** A page holds a newer, unknown version of a modelled kind (e.g. `Task8`): upgrade thingstape. */
  'UNSUPPORTED_KIND',
  /** The database was built with other settings (time zone, history) than this run asks for. */
  'STATE_MISMATCH',
  /** A page holds another number of groups than its source recorded (a damaged fixture). */
  'GROUP_COUNT_MISMATCH',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

/** The sync loop stopped; what is stored is as it was after the last committed page. */
export class SyncError extends ThingstapeError<SyncErrorCode> {
  /** The cursor (next start index) stored when the loop stopped. */
  readonly cursor: number;

  constructor(code: SyncErrorCode, message: string, cursor: number, options?: { cause?: unknown }) {
    super(code, message, options);
    this.cursor = cursor;
  }
}
