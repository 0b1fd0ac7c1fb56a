/**
 * The item decoder: one event of a group → {@link Item}, with its kind, action, references, typed
 * payload (`fields.ts`), note and recurrence rule; errors carry only their JSON path inside the
 * item, and `decodePage` adds the page, group and item (spec 4–8, 14.2).
 */

import { assertNever } from './assert.ts';
import { DecodeError } from './errors.ts';
import { dayStampToCivilDate, isDayStampInRange } from './dates.ts';
import { FIELDS_BY_FAMILY, RECURRENCE_FIELDS, type FieldSpec, type FieldTable } from './fields.ts';
import { toEntityRef } from './ids.ts';
import { classifyKind, isPlausibleKind, SETTINGS_KEY } from './kinds.ts';
import { utf8ByteLength } from './notes.ts';
import {
  ACTIONS,
  type Action,
  type DecodeWarning,
  type EntityRef,
  type Item,
  type KindInfo,
  type Note,
  type NotePatch,
  type RecurrenceRule,
} from './types.ts';
import { warning } from './warnings.ts';
import {
  MAX_PATCH_OFFSET,
  MAX_PATCH_REPLACEMENT_BYTES,
  MAX_VALUE_SIZE,
  defineOwn,
  describe,
  isObject,
  keptValueProblem,
} from './decode-values.ts';
/** Per-item decoding state (one object reused across the page; `warnings` reset per item). */
export interface ItemContext {
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
