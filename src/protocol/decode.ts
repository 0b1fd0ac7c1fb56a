/**
 * The wire decoder: a `GET …/items` response body → {@link Page}, or a {@link DecodeError} that
 * names the page, group, item and JSON path (spec 2.4, 2.5, 4, 5, 6, 7, 8, 14.2).
 *
 * Guarantees: for any JSON value the decoder returns a Page or throws a DecodeError, nothing else;
 * it runs in time linear in the input. Values it keeps as they are (unknown keys and kinds, `xx`)
 * are kept by reference after one iterative walk that bounds their depth and size
 * ({@link MAX_VALUE_DEPTH}, {@link MAX_VALUE_SIZE}), so what it returns can be serialized again.
 * Payload typing and the `null` policy are tabled in `fields.ts`; id forms in `ids.ts`.
 *
 * Location of errors: `location.path` is a JSON path inside the item (`p.sr`, `p.nt.ps[0].p`,
 * `p.tg[1]`, `e`, `t`) or, without `item`, inside the envelope (`items`, `items[3]`,
 * `current-item-index`). Errors about the event as a whole or its key carry no `path`.
 */

import { DecodeError, type DecodeLocation } from './errors.ts';
import { jsonErrorOffset, lineAndColumn } from './json-position.ts';
import { type DecodeWarning, type Group, type Item, type Page } from './types.ts';
import { pageText } from './utf8.ts';
import { warning } from './warnings.ts';
import { decodeItem, type ItemContext } from './decode-item.ts';
import { defineOwn, describe, isObject, keptValueProblem } from './decode-values.ts';

/** Options of {@link decodePage} and {@link decodePageText}. */
export interface DecodeOptions {
  /** The `start-index` the page was requested with; group *i* gets server index `startIndex + i`. */
  readonly startIndex: number;
  /** Fixture and page, added to every error location. */
  readonly location?: DecodeLocation;
  /** Highest `schema` accepted; a newer one is UNSUPPORTED_SCHEMA. Default {@link SUPPORTED_SCHEMA}. */
  readonly maxSchema?: number;
  /** What an id in no known form does: a DecodeError INVALID_ID (default) or a warning. */
  readonly invalidIds?: 'error' | 'warn';
}

/** The highest schema number seen in real data (spec 3.4). */
export const SUPPORTED_SCHEMA = 301;

/** The keys of an `/items` page envelope the decoder knows (spec 2.4). */
export const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  'items',
  'current-item-index',
  'schema',
  'start-total-content-size',
  'end-total-content-size',
  'latest-total-content-size',
]);

/** Parses a page body and decodes it; invalid JSON is a DecodeError INVALID_JSON. */
export function decodePageText(text: string, options: DecodeOptions): Page {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(text);
    let reason = `invalid JSON (${text.length} characters): ${detail}`;
    if (offset >= 0) {
      const { line, column } = lineAndColumn(text, offset);
      reason =
        offset >= text.length
          ? `invalid JSON: the text ends early (${text.length} characters, line ${line}): ${detail}`
          : `invalid JSON at character ${offset} of ${text.length} (line ${line}, column ${column}): ${detail}`;
    }
    throw new DecodeError('INVALID_JSON', reason, options.location ?? {}, { cause: error });
  }
  return decodePage(json, options);
}

/**
 * Decodes a page body as fetched: UTF-8 without a byte order mark (else INVALID_UTF8 with the byte
 * offset, see {@link pageText}), then JSON, then the page.
 */
export function decodePageBytes(bytes: Uint8Array, options: DecodeOptions): Page {
  return decodePageText(pageText(bytes, options.location ?? {}), options);
}

/** Decodes a parsed page body (see the module comment for the guarantees). */
export function decodePage(json: unknown, options: DecodeOptions): Page {
  const { startIndex } = options;
  if (!Number.isSafeInteger(startIndex) || startIndex < 0) {
    throw new RangeError(`startIndex must be a non-negative integer, got ${startIndex}`);
  }
  const outer = options.location ?? {};
  const fail = (code: DecodeError['code'], path: string, reason: string): never => {
    throw new DecodeError(code, reason, path === '' ? outer : { ...outer, path });
  };
  if (!isObject(json)) {
    return fail('NOT_AN_OBJECT', '', `expected the page to be an object, got ${describe(json)}`);
  }
  const envelope = json;

  if (!Object.hasOwn(envelope, 'items')) {
    return fail('MISSING_FIELD', 'items', 'the page has no "items"');
  }
  const items = envelope['items'];
  if (!Array.isArray(items)) {
    return fail('NOT_AN_ARRAY', 'items', `expected an array, got ${describe(items)}`);
  }
  const groupsIn: readonly unknown[] = items;

  if (!Object.hasOwn(envelope, 'current-item-index')) {
    return fail('MISSING_FIELD', 'current-item-index', 'the page has no "current-item-index"');
  }
  const head = envelopeCount(envelope['current-item-index'], 'current-item-index', fail);

  let schemaKey: 'schema' | 'latest-schema-version' = 'schema';
  let schemaValue = envelope['schema'];
  if (schemaValue === undefined || schemaValue === null) {
    if (envelope['latest-schema-version'] !== undefined) {
      schemaKey = 'latest-schema-version';
      schemaValue = envelope['latest-schema-version'];
    }
  }
  const schema =
    schemaValue === undefined || schemaValue === null
      ? null
      : envelopeCount(schemaValue, schemaKey, fail);
  const maxSchema = options.maxSchema ?? SUPPORTED_SCHEMA;
  if (schema !== null && schema > maxSchema) {
    fail(
      'UNSUPPORTED_SCHEMA',
      schemaKey,
      `schema ${schema} is newer than the newest this version of thingstape understands (${maxSchema})`,
    );
  }
  const sizes = (['start', 'end', 'latest'] as const).map((which) => {
    const key = `${which}-total-content-size`;
    const value = envelope[key];
    return value === undefined || value === null ? null : envelopeCount(value, key, fail);
  });
  const [startSize = null, endSize = null, latestSize = null] = sizes;

  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(envelope)) {
    if (ENVELOPE_KEYS.has(key)) continue;
    if (key === 'latest-schema-version' && schemaKey === 'latest-schema-version') continue;
    const problem = keptValueProblem(envelope[key]);
    if (problem !== null) fail(problem.code, key, problem.reason);
    defineOwn(extra, key, envelope[key]);
  }

  const warnings = envelopeWarnings(startIndex, groupsIn.length, head, schema, sizes);

  const context: ItemContext = {
    legacyKind: false,
    invalidIds: options.invalidIds ?? 'error',
    warnings: [],
  };
  const groups: Group[] = [];
  for (let g = 0; g < groupsIn.length; g += 1) {
    const serverIndex = startIndex + g;
    const group = groupsIn[g];
    if (!isObject(group)) {
      throw new DecodeError('NOT_AN_OBJECT', `expected a group object, got ${describe(group)}`, {
        ...outer,
        group: g,
        serverIndex,
        path: `items[${g}]`,
      });
    }
    const keys = Object.keys(group);
    const decoded: Item[] = [];
    for (let position = 0; position < keys.length; position += 1) {
      const key = keys[position] ?? '';
      try {
        decoded.push(decodeItem(key, group[key], serverIndex, position, context));
      } catch (error) {
        if (error instanceof DecodeError) {
          throw error.withLocation({ ...outer, group: g, serverIndex, item: key });
        }
        throw error;
      }
    }
    groups.push({ serverIndex, items: decoded });
  }

  return {
    startIndex,
    groups,
    currentItemIndex: head,
    schema,
    startTotalContentSize: startSize,
    endTotalContentSize: endSize,
    latestTotalContentSize: latestSize,
    extra,
    warnings,
  };
}

function envelopeCount(
  value: unknown,
  key: string,
  fail: (code: DecodeError['code'], path: string, reason: string) => never,
): number {
  if (typeof value !== 'number')
    return fail('WRONG_TYPE', key, `expected an integer, got ${describe(value)}`);
  if (!Number.isSafeInteger(value) || value < 0) {
    return fail('OUT_OF_RANGE', key, `expected a non-negative integer, got ${value}`);
  }
  return value;
}

function envelopeWarnings(
  start: number,
  groups: number,
  head: number,
  schema: number | null,
  [startSize, endSize, latestSize]: readonly (number | null)[],
): DecodeWarning[] {
  const warnings: DecodeWarning[] = [];
  if (head < start) {
    warnings.push(
      warning(
        'HEAD_BEFORE_START',
        'current-item-index',
        `current-item-index ${head} is below start-index ${start}: the history may have been reset`,
      ),
    );
  }
  if (groups > 0 && start + groups > head) {
    warnings.push(
      warning(
        'PAGE_BEYOND_HEAD',
        'current-item-index',
        `start-index ${start} + ${groups} groups = ${start + groups} exceeds current-item-index ${head}`,
      ),
    );
  }
  if (groups === 0 && start < head) {
    warnings.push(
      warning(
        'EMPTY_PAGE_BEFORE_HEAD',
        'items',
        `no groups although start-index ${start} is below current-item-index ${head}`,
      ),
    );
  }
  if (startSize != null && endSize != null && endSize < startSize) {
    warnings.push(
      warning(
        'CONTENT_SIZE_INCONSISTENT',
        'end-total-content-size',
        `end-total-content-size ${endSize} is below start-total-content-size ${startSize}`,
      ),
    );
  }
  if (endSize != null && latestSize != null && endSize > latestSize) {
    warnings.push(
      warning(
        'CONTENT_SIZE_INCONSISTENT',
        'end-total-content-size',
        `end-total-content-size ${endSize} exceeds latest-total-content-size ${latestSize}`,
      ),
    );
  }
  if (schema === null) {
    warnings.push(warning('SCHEMA_MISSING', 'schema', 'the page names no schema'));
  }
  return warnings;
}
