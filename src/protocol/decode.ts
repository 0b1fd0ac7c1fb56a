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

import { assertNever } from './assert.ts';
import { DecodeError, type DecodeLocation } from './errors.ts';
import { dayStampToCivilDate, isDayStampInRange } from './dates.ts';
import { FIELDS_BY_FAMILY, RECURRENCE_FIELDS, type FieldSpec, type FieldTable } from './fields.ts';
import { toEntityRef } from './ids.ts';
import { jsonErrorOffset, lineAndColumn } from './json-position.ts';
import { classifyKind, isPlausibleKind, SETTINGS_KEY } from './kinds.ts';
import { utf8ByteLength } from './notes.ts';
import {
  ACTIONS,
  type Action,
  type DecodeWarning,
  type EntityRef,
  type Group,
  type Item,
  type KindInfo,
  type Note,
  type NotePatch,
  type Page,
  type RecurrenceRule,
} from './types.ts';
import { pageText } from './utf8.ts';
import { warning } from './warnings.ts';

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

/** Longest accepted note patch replacement, in UTF-8 bytes (1 MiB). */
export const MAX_PATCH_REPLACEMENT_BYTES = 1024 * 1024;

/** Largest accepted magnitude of a note patch position or length (2^31). */
export const MAX_PATCH_OFFSET = 2 ** 31;

/**
 * Deepest nesting of arrays and objects accepted in a value the decoder keeps as it is (`xx`, `rp`,
 * unknown keys, unknown note forms, events of kinds it does not model). Real payloads nest 4 levels
 * at most; a value nested thousands deep would make every later `JSON.stringify` overflow the stack.
 */
export const MAX_VALUE_DEPTH = 64;

/**
 * Largest accepted string, and largest value kept as it is, in characters (its strings and keys,
 * plus one per value): 4 Mi.
 */
export const MAX_VALUE_SIZE = 4 * 1024 * 1024;

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

// ---------------------------------------------------------------------------------------------
// Items

/** Per-item decoding state (one object reused across the page; `warnings` reset per item). */
interface ItemContext {
  legacyKind: boolean;
  readonly invalidIds: 'error' | 'warn';
  warnings: DecodeWarning[];
}

function itemError(code: DecodeError['code'], path: string, reason: string): DecodeError {
  return new DecodeError(code, reason, path === '' ? {} : { path });
}

/**
 * Decodes one event under its group key. Errors carry only the path; the caller adds the
 * page/group/item location. Exported for the encoder's round-trip checks.
 */
export function decodeItem(
  key: string,
  event: unknown,
  serverIndex: number,
  position: number,
  context: ItemContext,
): Item {
  if (!isObject(event))
    throw itemError('NOT_AN_OBJECT', '', `expected an event object, got ${describe(event)}`);
  const action = decodeAction(event);
  const kind = decodeKindField(event);
  context.legacyKind = kind.legacy;
  context.warnings = [];
  const ref = decodeRef(key, '', context, kind.family === 'settings' && key === SETTINGS_KEY);
  const hasPayload = Object.hasOwn(event, 'p');
  const p = event['p'];
  const modelled = kind.class === 'entity' && kind.family !== null && isEntityFamily(kind.family);
  for (const field of Object.keys(event)) {
    // `t` and `e` are checked above; a modelled payload is checked field by field below.
    if (field === 't' || field === 'e' || (field === 'p' && modelled)) continue;
    checkKept(event[field], field);
  }

  if (kind.class !== 'entity' || kind.family === null || !isEntityFamily(kind.family)) {
    return {
      serverIndex,
      position,
      ref,
      action,
      kind,
      raw: event,
      warnings: context.warnings,
      family: 'opaque',
      payload: { raw: hasPayload ? p : undefined },
    };
  }

  let wirePayload: Record<string, unknown>;
  if (!hasPayload || p === null) {
    if (action !== 'delete') {
      throw itemError(
        hasPayload ? 'NOT_AN_OBJECT' : 'MISSING_FIELD',
        'p',
        hasPayload ? 'expected a payload object, got null' : `a ${action} needs a payload "p"`,
      );
    }
    wirePayload = {};
  } else if (isObject(p)) {
    wirePayload = p;
  } else {
    throw itemError('NOT_AN_OBJECT', 'p', `expected a payload object, got ${describe(p)}`);
  }
  const family = kind.family;
  const payload = decodeFields(wirePayload, FIELDS_BY_FAMILY[family], context, 'p');
  if (family === 'tombstone' && action === 'create' && !Object.hasOwn(payload, 'dloid')) {
    throw itemError('MISSING_FIELD', 'p.dloid', 'a tombstone create needs "dloid"');
  }
  const base = { serverIndex, position, ref, action, kind, raw: event, warnings: context.warnings };
  return asItem({ ...base, family, payload });
}

/**
 * The typed views of values built from the key tables. Sound because `fields.ts` mirrors the
 * payload interfaces of `types.ts` key by key, with the value decoders producing exactly the
 * declared types (asserted key by key in the tests).
 */
function asItem(value: object): Item {
  // oxlint-disable-next-line typescript/no-unsafe-type-assertion -- see the doc comment
  return value as Item;
}

/** See {@link asItem}. */
function asRule(value: object): RecurrenceRule {
  // oxlint-disable-next-line typescript/no-unsafe-type-assertion -- see the doc comment of asItem
  return value as RecurrenceRule;
}

/** A fresh context for {@link decodeItem}. */
export function newItemContext(invalidIds: 'error' | 'warn'): ItemContext {
  return { legacyKind: false, invalidIds, warnings: [] };
}

function isEntityFamily(family: string): family is keyof typeof FIELDS_BY_FAMILY {
  return Object.hasOwn(FIELDS_BY_FAMILY, family);
}

function decodeAction(event: Record<string, unknown>): Action {
  if (!Object.hasOwn(event, 't'))
    throw itemError('MISSING_FIELD', 't', 'the event has no action "t"');
  const t = event['t'];
  if (typeof t !== 'number') {
    throw itemError(
      'WRONG_TYPE',
      't',
      `expected the action as a number 0, 1 or 2, got ${describe(t)}`,
    );
  }
  const action = t === 0 || t === 1 || t === 2 ? ACTIONS[t] : undefined;
  if (action === undefined) {
    throw itemError('UNKNOWN_ACTION', 't', `unknown action ${t} (expected 0, 1 or 2)`);
  }
  return action;
}

function decodeKindField(event: Record<string, unknown>): KindInfo {
  if (!Object.hasOwn(event, 'e'))
    throw itemError('MISSING_FIELD', 'e', 'the event has no kind "e"');
  const e = event['e'];
  if (typeof e !== 'string')
    throw itemError('WRONG_TYPE', 'e', `expected the kind as a string, got ${describe(e)}`);
  if (!isPlausibleKind(e)) {
    throw itemError('INVALID_KIND', 'e', `not a plausible kind: ${JSON.stringify(e.slice(0, 80))}`);
  }
  return classifyKind(e);
}

/**
 * Canonical refs by raw id: ids repeat across items (a task's modifies, its tags), and a canonical
 * ref does not depend on the kind. Bounded; cleared when full. Shared refs are frozen.
 */
const canonicalRefs = new Map<string, EntityRef>();
const CANONICAL_REF_CACHE_LIMIT = 65_536;

function decodeRef(raw: string, path: string, context: ItemContext, exempt = false): EntityRef {
  const cached = canonicalRefs.get(raw);
  if (cached !== undefined) return cached;
  const ref = toEntityRef(raw, { legacyKind: context.legacyKind });
  if (ref.form === 'base58') {
    if (canonicalRefs.size >= CANONICAL_REF_CACHE_LIMIT) canonicalRefs.clear();
    canonicalRefs.set(raw, Object.freeze(ref));
    return ref;
  }
  const where = path === '' ? 'the item key' : path;
  if (ref.form === 'invalid') {
    const message = `${where} ${JSON.stringify(raw.slice(0, 80))} is not an id in any known form`;
    if (context.invalidIds === 'error') throw itemError('INVALID_ID', path, message);
    context.warnings.push(warning('INVALID_ID', path, message));
  } else if (ref.id !== raw) {
    context.warnings.push(
      warning(
        'LEGACY_ID_MAPPED',
        path,
        `${where} ${JSON.stringify(raw)} (${ref.form}) mapped to ${ref.id}`,
      ),
    );
  } else if (!exempt) {
    context.warnings.push(
      warning(
        'NON_CANONICAL_ID',
        path,
        `${where} ${JSON.stringify(raw)} is not canonical Base58 (${ref.form})`,
      ),
    );
  }
  return ref;
}

function decodeFields(
  wire: Record<string, unknown>,
  fields: FieldTable,
  context: ItemContext,
  prefix: string,
): Record<string, unknown> & { extra: Record<string, unknown> } {
  const keys = Object.keys(wire);
  let allKnown = true;
  for (const key of keys) {
    if (!fields.has(key)) {
      allKnown = false;
      break;
    }
  }
  const extra: Record<string, unknown> = {};
  let typed: Record<string, unknown>;
  if (allKnown) {
    // The common case. Copying the parsed object keeps V8's fast property layout; adding many
    // computed keys to `{}` one by one would fall back to a slow dictionary object.
    typed = { ...wire };
    for (const key of keys) {
      const spec = fields.get(key);
      if (spec !== undefined) typed[key] = decodeField(spec, wire[key], context);
    }
  } else {
    typed = {};
    for (const key of keys) {
      const value = wire[key];
      const spec = fields.get(key);
      if (spec === undefined) {
        checkKept(value, `${prefix}.${key}`);
        defineOwn(extra, key, value);
      } else typed[key] = decodeField(spec, value, context);
    }
  }
  return Object.assign(typed, { extra });
}

/** Decodes one known payload value by its spec (exported for the encoder's round-trip check). */
export function decodeField(spec: FieldSpec, value: unknown, context: ItemContext): unknown {
  const { path } = spec;
  if (value === null) {
    if (spec.nullable) return null;
    throw itemError('WRONG_TYPE', path, `${expected(spec.type)} (null is not allowed here)`);
  }
  switch (spec.type) {
    case 'int':
    case 'uint': {
      if (typeof value !== 'number')
        throw itemError('WRONG_TYPE', path, `${expected(spec.type)}, got ${describe(value)}`);
      if (!Number.isSafeInteger(value) || (spec.type === 'uint' && value < 0)) {
        throw itemError('OUT_OF_RANGE', path, `${expected(spec.type)}, got ${value}`);
      }
      return value;
    }
    case 'string':
      if (typeof value !== 'string')
        throw itemError('WRONG_TYPE', path, `expected a string, got ${describe(value)}`);
      checkString(value, path);
      return value;
    case 'bool':
      if (typeof value !== 'boolean')
        throw itemError('WRONG_TYPE', path, `expected a boolean, got ${describe(value)}`);
      return value;
    case 'instant':
      if (typeof value !== 'number') {
        throw itemError(
          'WRONG_TYPE',
          path,
          `expected an instant (seconds, number), got ${describe(value)}`,
        );
      }
      if (!Number.isFinite(value))
        throw itemError('OUT_OF_RANGE', path, `expected a finite instant, got ${value}`);
      return value;
    case 'day':
      return decodeDay(value, path);
    case 'ids': {
      if (!Array.isArray(value)) {
        throw itemError('NOT_AN_ARRAY', path, `expected an array of ids, got ${describe(value)}`);
      }
      const refs: EntityRef[] = [];
      for (let i = 0; i < value.length; i += 1) {
        const raw: unknown = value[i];
        if (typeof raw !== 'string') {
          throw itemError(
            'WRONG_TYPE',
            `${path}[${i}]`,
            `expected an id string, got ${describe(raw)}`,
          );
        }
        refs.push(decodeRef(raw, `${path}[${i}]`, context));
      }
      return refs;
    }
    case 'id':
      if (typeof value !== 'string')
        throw itemError('WRONG_TYPE', path, `expected an id string, got ${describe(value)}`);
      return decodeRef(value, path, context);
    case 'note':
      return decodeNote(value, path);
    case 'rr':
      return decodeRule(value, path, context);
    case 'offsets':
      return decodeOffsets(value, path);
    case 'any':
      checkKept(value, path);
      return value;
  }
  return assertNever(spec.type, 'field type');
}

function expected(type: FieldSpec['type']): string {
  return type === 'uint'
    ? 'expected a non-negative integer'
    : type === 'int'
      ? 'expected an integer'
      : `expected a value of type ${type}`;
}

function decodeDay(value: unknown, path: string): string {
  if (typeof value !== 'number') {
    throw itemError('WRONG_TYPE', path, `expected a day stamp (number), got ${describe(value)}`);
  }
  if (!isDayStampInRange(value)) {
    throw itemError('OUT_OF_RANGE', path, `day stamp ${value} is outside the years 0000–9999`);
  }
  return dayStampToCivilDate(value);
}

function decodeNote(value: unknown, path: string): Note {
  if (typeof value === 'string') {
    checkString(value, path);
    return { form: 'plain', text: value };
  }
  if (!isObject(value)) {
    throw itemError(
      'WRONG_TYPE',
      path,
      `expected a note (string, object or null), got ${describe(value)}`,
    );
  }
  const t = value['t'];
  if (value['_t'] !== 'tx' || (t !== 1 && t !== 2)) {
    checkKept(value, path);
    return { form: 'unknown', raw: value };
  }
  if (t === 1) {
    const text = value['v'];
    if (typeof text !== 'string') {
      throw itemError(
        'INVALID_NOTE',
        `${path}.v`,
        `a full-text note needs a string "v", got ${describe(text)}`,
      );
    }
    checkString(text, `${path}.v`);
    return { form: 'full', text, checksum: decodeChecksum(value['ch'], `${path}.ch`) };
  }
  if (!Object.hasOwn(value, 'ps'))
    throw itemError('INVALID_NOTE', `${path}.ps`, 'a delta note needs "ps"');
  const ps = value['ps'];
  if (!Array.isArray(ps)) {
    throw itemError(
      'INVALID_NOTE',
      `${path}.ps`,
      `expected an array of patches, got ${describe(ps)}`,
    );
  }
  const patches: NotePatch[] = [];
  for (let i = 0; i < ps.length; i += 1) {
    const at = `${path}.ps[${i}]`;
    const patch: unknown = ps[i];
    if (!isObject(patch))
      throw itemError('INVALID_NOTE', at, `expected a patch object, got ${describe(patch)}`);
    const replacement = patch['r'];
    if (typeof replacement !== 'string') {
      throw itemError(
        'INVALID_NOTE',
        `${at}.r`,
        `expected a replacement string, got ${describe(replacement)}`,
      );
    }
    if (
      replacement.length > MAX_PATCH_REPLACEMENT_BYTES / 3 &&
      utf8ByteLength(replacement) > MAX_PATCH_REPLACEMENT_BYTES
    ) {
      throw itemError(
        'NOTE_PATCH_TOO_LARGE',
        `${at}.r`,
        `replacement of ${utf8ByteLength(replacement)} UTF-8 bytes exceeds ${MAX_PATCH_REPLACEMENT_BYTES}`,
      );
    }
    patches.push({
      replacement,
      position: decodePatchOffset(patch['p'], `${at}.p`),
      length: decodePatchOffset(patch['l'], `${at}.l`),
      checksum: decodeChecksum(patch['ch'], `${at}.ch`),
    });
  }
  return { form: 'delta', patches };
}

function decodePatchOffset(value: unknown, path: string): number {
  if (typeof value !== 'number')
    throw itemError('INVALID_NOTE', path, `expected an integer, got ${describe(value)}`);
  if (!Number.isFinite(value) || Math.abs(value) > MAX_PATCH_OFFSET) {
    throw itemError('NOTE_PATCH_TOO_LARGE', path, `${value} is beyond ±2^31`);
  }
  if (!Number.isInteger(value))
    throw itemError('INVALID_NOTE', path, `expected an integer, got ${value}`);
  return value;
}

function decodeChecksum(value: unknown, path: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw itemError(
      'INVALID_NOTE',
      path,
      `expected a CRC-32 (unsigned 32-bit integer), got ${describe(value)}`,
    );
  }
  return value;
}

function decodeRule(value: unknown, path: string, context: ItemContext): RecurrenceRule {
  if (!isObject(value))
    throw itemError(
      'NOT_AN_OBJECT',
      path,
      `expected a recurrence rule object, got ${describe(value)}`,
    );
  return asRule(decodeFields(value, RECURRENCE_FIELDS, context, path));
}

function decodeOffsets(value: unknown, path: string): Record<string, number>[] {
  if (!Array.isArray(value))
    throw itemError('NOT_AN_ARRAY', path, `expected an array of offsets, got ${describe(value)}`);
  const out: Record<string, number>[] = [];
  for (let i = 0; i < value.length; i += 1) {
    const selector: unknown = value[i];
    if (!isObject(selector)) {
      throw itemError(
        'NOT_AN_OBJECT',
        `${path}[${i}]`,
        `expected an offset object, got ${describe(selector)}`,
      );
    }
    const copy: Record<string, number> = {};
    for (const key of Object.keys(selector)) {
      const n = selector[key];
      const at = `${path}[${i}].${key}`;
      if (typeof n !== 'number')
        throw itemError('WRONG_TYPE', at, `expected an integer, got ${describe(n)}`);
      if (!Number.isSafeInteger(n))
        throw itemError('OUT_OF_RANGE', at, `expected an integer, got ${n}`);
      defineOwn(copy, key, n);
    }
    out.push(copy);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Limits

/** Throws TOO_LARGE when a string is longer than {@link MAX_VALUE_SIZE}. */
function checkString(value: string, path: string): void {
  if (value.length > MAX_VALUE_SIZE) {
    throw itemError(
      'TOO_LARGE',
      path,
      `a string of ${value.length} characters exceeds the limit of ${MAX_VALUE_SIZE}`,
    );
  }
}

/** Throws TOO_DEEP or TOO_LARGE for a value kept as it is (see {@link keptValueProblem}). */
function checkKept(value: unknown, path: string): void {
  const problem = keptValueProblem(value);
  if (problem !== null) throw itemError(problem.code, path, problem.reason);
}

/**
 * What is wrong with a value the decoder keeps as it is: nesting deeper than
 * {@link MAX_VALUE_DEPTH} or a size above {@link MAX_VALUE_SIZE}; null when nothing. Iterative
 * (no recursion, so any depth is measured) and linear in the value; primitives cost nothing.
 */
function keptValueProblem(
  value: unknown,
): { readonly code: 'TOO_DEEP' | 'TOO_LARGE'; readonly reason: string } | null {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'string' && value.length > MAX_VALUE_SIZE
      ? {
          code: 'TOO_LARGE',
          reason: `a string of ${value.length} characters exceeds the limit of ${MAX_VALUE_SIZE}`,
        }
      : null;
  }
  const values: unknown[] = [value];
  const depths: number[] = [1];
  let size = 0;
  while (values.length > 0) {
    const current = values.pop();
    const depth = depths.pop() ?? 1;
    size += 1;
    if (typeof current === 'string') size += current.length;
    else if (typeof current === 'object' && current !== null) {
      if (depth > MAX_VALUE_DEPTH) {
        return {
          code: 'TOO_DEEP',
          reason: `the value nests arrays and objects deeper than ${MAX_VALUE_DEPTH} levels`,
        };
      }
      if (isObject(current)) {
        for (const key of Object.keys(current)) {
          size += key.length;
          values.push(current[key]);
          depths.push(depth + 1);
        }
      } else if (Array.isArray(current)) {
        for (const element of current) {
          values.push(element);
          depths.push(depth + 1);
        }
      }
    }
    if (size > MAX_VALUE_SIZE) {
      return {
        code: 'TOO_LARGE',
        reason: `the value is larger than the limit of ${MAX_VALUE_SIZE} characters`,
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own enumerable property, also for keys such as `__proto__`. */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A short description of a value for messages: `a string "2024-…"`, `null`, `an array`. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return `a string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
