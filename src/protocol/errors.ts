import { ThingstapeError } from '../errors.ts';

/** Codes a {@link DecodeError} can carry. */
export const DECODE_ERROR_CODES = [
  /** The page body is not valid JSON (truncated, garbage). */
  'INVALID_JSON',
  /** A value that must be an object is not (page envelope, group, event, payload, note, rr). */
  'NOT_AN_OBJECT',
  /** A value that must be an array is not (`items`, id lists, `rr.of`; `nt.ps` is INVALID_NOTE). */
  'NOT_AN_ARRAY',
  /** A required field is missing (`items`, `current-item-index`, `t`, `e`, `dloid`, …). */
  'MISSING_FIELD',
  /** A field has the wrong JSON type (e.g. `tt` is a number, `sr` is a string). */
  'WRONG_TYPE',
  /** A number is out of its domain (negative index, non-integer where an integer is required, NaN-like). */
  'OUT_OF_RANGE',
  /** `t` is not 0, 1 or 2. */
  'UNKNOWN_ACTION',
  /** `e` is empty or not a plausible kind string. */
  'INVALID_KIND',
  /** An identifier (group key or reference) is not a usable id in any known form. */
  'INVALID_ID',
  /**
   * A `tx` note object is malformed: `v` not a string, `ps` missing or not an array, a patch not an
   * object, `r` not a string, `p`/`l` not integers, `ch` not a uint32. (Unknown `_t`/`t` values are
   * not errors: they decode as `{ form: 'unknown' }`.)
   */
  'INVALID_NOTE',
  /** A note patch exceeds the size limits (replacement text, position or length). */
  'NOTE_PATCH_TOO_LARGE',
  /** A delta note cannot be applied (it splits a UTF-8 character). */
  'NOTE_PATCH_INVALID_UTF8',
  /**
   * The page envelope is inconsistent. Reserved: the decoder reports envelope oddities
   * (`start + groups > current-item-index`, …) as page warnings, never as this error.
   */
  'INCONSISTENT_PAGE',
  /** The schema number is newer than this version of thingstape understands. */
  'UNSUPPORTED_SCHEMA',
  /** A value nests arrays and objects deeper than `MAX_VALUE_DEPTH` levels. */
  'TOO_DEEP',
  /** A string or a kept value is larger than `MAX_VALUE_SIZE` characters. */
  'TOO_LARGE',
  /** The page body is not valid UTF-8, or starts with a byte order mark. */
  'INVALID_UTF8',
] as const;
export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[number];

/** Where in the input a decode failure happened. Every part is optional; the more, the better. */
export interface DecodeLocation {
  /** Fixture name or path. */
  readonly fixture?: string;
  /** Page number within the fixture (1-based, as a person counts) or the page file name. */
  readonly page?: number | string;
  /** The file the page or capture came from, relative to its fixture (`pages/000000003.json`). */
  readonly file?: string;
  /** Group position within the page (0-based index into `items`). */
  readonly group?: number;
  /** Server index of the group. */
  readonly serverIndex?: number;
  /** The item's key (entity id), as on the wire. */
  readonly item?: string;
  /** JSON path inside the item (or the envelope when no item), e.g. `p.sr`, `p.nt.ps[0].p`. */
  readonly path?: string;
}

/**
 * A page, group or item that cannot be decoded. The message names where
 * (`page 3, group 17, item "Mx…", p.sr`) and what.
 */
export class DecodeError extends ThingstapeError<DecodeErrorCode> {
  readonly location: DecodeLocation;
  /** The failure without the location, e.g. `expected a day stamp (number), got "2024-01-01"`. */
  readonly reason: string;

  constructor(
    code: DecodeErrorCode,
    reason: string,
    location: DecodeLocation = {},
    options?: { cause?: unknown },
  ) {
    super(code, `Cannot decode ${formatLocation(location)}: ${reason}`, options);
    this.location = location;
    this.reason = reason;
  }

  /** The same error with more location filled in (outer layers add page/fixture). */
  withLocation(outer: DecodeLocation): DecodeError {
    return new DecodeError(
      this.code,
      this.reason,
      { ...outer, ...this.location },
      { cause: this.cause },
    );
  }
}

/**
 * `fixture "inbox", page 3, group 17 (server index 1042), item "Mx…", p.sr`; with a file:
 * `fixture "inbox", pages/000000003.json (page 3), group 17 …`.
 */
export function formatLocation(location: DecodeLocation): string {
  const parts: string[] = [];
  if (location.fixture !== undefined) parts.push(`fixture "${location.fixture}"`);
  if (location.file !== undefined) {
    parts.push(
      location.page === undefined ? location.file : `${location.file} (page ${location.page})`,
    );
  } else if (location.page !== undefined) {
    parts.push(`page ${location.page}`);
  }
  if (location.group !== undefined) {
    parts.push(
      location.serverIndex === undefined
        ? `group ${location.group}`
        : `group ${location.group} (server index ${location.serverIndex})`,
    );
  } else if (location.serverIndex !== undefined) {
    parts.push(`server index ${location.serverIndex}`);
  }
  if (location.item !== undefined) parts.push(`item ${JSON.stringify(location.item)}`);
  if (location.path !== undefined && location.path !== '') parts.push(location.path);
  return parts.length === 0 ? 'input' : parts.join(', ');
}
