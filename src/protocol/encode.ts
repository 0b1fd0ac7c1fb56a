/**
 * The inverse of the decoder: a {@link Page} or {@link Item} back to wire JSON, such that
 * `decodePage(encodePage(page), { startIndex: page.startIndex })` deep-equals `page`.
 *
 * Typed values are written in their canonical wire form: civil dates as the day stamp at 00:00
 * UTC, refs as their `raw` string, notes as `{"_t":"tx",…}` objects (without `ch` when the
 * checksum is `null`), `extra` keys re-added. Where the item's `raw` event still holds a wire value
 * that decodes to exactly the typed value (a fractional day stamp, `"ch": null`, unknown keys in a
 * note object), that wire value is kept, so encoding a decoded page reproduces its events. Unknown
 * event keys (besides `t`, `e`, `p`) and an absent or `null` delete payload are taken from `raw`.
 */

import { civilDateToDayStamp } from './dates.ts';
import { decodeField, newItemContext } from './decode-item.ts';
import { defineOwn, isObject } from './decode-values.ts';
import { FIELDS_BY_FAMILY, RECURRENCE_FIELDS, type FieldSpec, type FieldTable } from './fields.ts';
import { assertNever } from './assert.ts';
import { ACTIONS, type Item, type Note, type Page } from './types.ts';

/** The wire body of a page: `{items, current-item-index, schema?, …sizes, …extra}`. */
export function encodePage(page: Page): Record<string, unknown> {
  const items = page.groups.map((group) => {
    const wire: Record<string, unknown> = {};
    for (const item of group.items) {
      const { id, event } = encodeItem(item);
      defineOwn(wire, id, event);
    }
    return wire;
  });
  const body: Record<string, unknown> = { items, 'current-item-index': page.currentItemIndex };
  if (page.schema !== null) body['schema'] = page.schema;
  if (page.startTotalContentSize !== null) {
    body['start-total-content-size'] = page.startTotalContentSize;
  }
  if (page.endTotalContentSize !== null) body['end-total-content-size'] = page.endTotalContentSize;
  if (page.latestTotalContentSize !== null) {
    body['latest-total-content-size'] = page.latestTotalContentSize;
  }
  for (const [key, value] of Object.entries(page.extra)) defineOwn(body, key, value);
  return body;
}

/** One item as a group entry: the key (`ref.raw`) and the wire event `{t, e, p}`. */
export function encodeItem(item: Item): { id: string; event: Record<string, unknown> } {
  const rawEvent = isObject(item.raw) ? item.raw : undefined;
  const event: Record<string, unknown> = { t: ACTIONS.indexOf(item.action), e: item.kind.kind };
  if (item.family === 'opaque') {
    if (item.payload.raw !== undefined) event['p'] = item.payload.raw;
  } else {
    const rawPayload = rawEvent?.['p'];
    const payload = item.payload;
    // A payload without `extra` is the caller's mistake; encodeFields names it.
    const empty =
      Object.keys(payload).length === 1 &&
      isObject(payload.extra) &&
      Object.keys(payload.extra).length === 0;
    if (item.action === 'delete' && empty && rawEvent !== undefined && !isObject(rawPayload)) {
      // Keep a delete's absent or null payload as it was received.
      if (rawPayload === null) event['p'] = null;
    } else {
      event['p'] = encodeFields(
        payload,
        FIELDS_BY_FAMILY[item.family],
        isObject(rawPayload) ? rawPayload : undefined,
        item.kind.legacy,
      );
    }
  }
  if (rawEvent !== undefined) {
    for (const key of Object.keys(rawEvent)) {
      if (key !== 't' && key !== 'e' && key !== 'p') defineOwn(event, key, rawEvent[key]);
    }
  }
  return { id: item.ref.raw, event };
}

/** Encodes a typed payload or recurrence rule (known keys plus `extra`) by its key table. */
function encodeFields(
  payload: object,
  fields: FieldTable,
  hint: Record<string, unknown> | undefined,
  legacyKind: boolean,
): Record<string, unknown> {
  // Copy, then overwrite in place: keeps V8's fast layout (see decodeFields).
  const wire: Record<string, unknown> = { ...payload };
  const extra = wire['extra'];
  if (!isObject(extra)) throw new TypeError('Cannot encode a payload without an "extra" object');
  Reflect.deleteProperty(wire, 'extra');
  for (const key of Object.keys(wire)) {
    const spec = fields.get(key);
    if (spec === undefined) {
      throw new TypeError(`Cannot encode payload key "${key}": not a key of this payload type`);
    }
    const value = wire[key];
    const hinted = hint !== undefined && Object.hasOwn(hint, key) ? hint[key] : undefined;
    const encoded = encodeValue(spec, value, legacyKind);
    const keepHint =
      hinted !== undefined &&
      !deepEqual(encoded, hinted) &&
      decodesTo(spec, hinted, value, legacyKind);
    wire[key] = keepHint ? hinted : encoded;
  }
  for (const key of Object.keys(extra)) defineOwn(wire, key, extra[key]);
  return wire;
}

function decodesTo(spec: FieldSpec, wire: unknown, value: unknown, legacyKind: boolean): boolean {
  const context = newItemContext('warn');
  context.legacyKind = legacyKind;
  try {
    return deepEqual(decodeField(spec, wire, context), value);
  } catch {
    return false;
  }
}

/** Encodes one typed value; a value of the wrong shape is a programmer mistake (TypeError). */
function encodeValue(spec: FieldSpec, value: unknown, legacyKind: boolean): unknown {
  if (value === null) return null;
  const wrong = (): never => {
    throw new TypeError(`Cannot encode ${spec.path}: not a decoded ${spec.type} value`);
  };
  switch (spec.type) {
    case 'day':
      return typeof value === 'string' ? civilDateToDayStamp(value) : wrong();
    case 'ids':
      return Array.isArray(value) ? value.map((ref: unknown) => refRaw(ref) ?? wrong()) : wrong();
    case 'id':
      return refRaw(value) ?? wrong();
    case 'note':
      return isNote(value) ? encodeNote(value) : wrong();
    case 'rr':
      return isObject(value)
        ? encodeFields(value, RECURRENCE_FIELDS, undefined, legacyKind)
        : wrong();
    case 'offsets':
      return Array.isArray(value)
        ? value.map((selector: unknown) => {
            if (!isObject(selector)) return wrong();
            const copy: Record<string, unknown> = {};
            for (const key of Object.keys(selector)) defineOwn(copy, key, selector[key]);
            return copy;
          })
        : wrong();
    case 'int':
    case 'uint':
    case 'string':
    case 'bool':
    case 'instant':
    case 'any':
      return value;
  }
  return assertNever(spec.type, 'field type');
}

function refRaw(value: unknown): string | undefined {
  return isObject(value) && typeof value['raw'] === 'string' ? value['raw'] : undefined;
}

const NOTE_FORMS: ReadonlySet<unknown> = new Set(['plain', 'full', 'delta', 'unknown']);

function isNote(value: unknown): value is Note {
  return isObject(value) && NOTE_FORMS.has(value['form']);
}

/** A decoded note back to its wire value (`ch` omitted when the checksum is `null`). */
export function encodeNote(note: Note): unknown {
  switch (note.form) {
    case 'plain':
      return note.text;
    case 'full':
      return note.checksum === null
        ? { _t: 'tx', v: note.text, t: 1 }
        : { _t: 'tx', ch: note.checksum, v: note.text, t: 1 };
    case 'delta':
      return {
        _t: 'tx',
        t: 2,
        ps: note.patches.map((patch) =>
          patch.checksum === null
            ? { r: patch.replacement, p: patch.position, l: patch.length }
            : { r: patch.replacement, p: patch.position, l: patch.length, ch: patch.checksum },
        ),
      };
    case 'unknown':
      return note.raw;
  }
  return assertNever(note, 'note form');
}

/** Structural equality of JSON-like values (`Object.is` for primitives, own enumerable keys). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((value, index) => deepEqual(value, b[index]))
    );
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}
