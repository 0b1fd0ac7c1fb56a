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
import { decodeField, defineOwn, isObject, newItemContext } from './decode.ts';
import { FIELDS_BY_FAMILY, RECURRENCE_FIELDS, type FieldSpec, type FieldTable } from './fields.ts';
import {
  ACTIONS,
  type EntityRef,
  type Item,
  type Note,
  type Page,
  type RecurrenceRule,
} from './types.ts';

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
    const { extra, ...typed } = item.payload as Record<string, unknown> & {
      extra: Readonly<Record<string, unknown>>;
    };
    const empty = Object.keys(typed).length === 0 && Object.keys(extra).length === 0;
    if (item.action === 'delete' && empty && rawEvent !== undefined && !isObject(rawPayload)) {
      // Keep a delete's absent or null payload as it was received.
      if (rawPayload === null) event['p'] = null;
    } else {
      event['p'] = encodeFields(
        typed,
        extra,
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

function encodeFields(
  typed: Record<string, unknown>,
  extra: Readonly<Record<string, unknown>>,
  fields: FieldTable,
  hint: Record<string, unknown> | undefined,
  legacyKind: boolean,
): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const key of Object.keys(typed)) {
    const spec = fields.get(key);
    if (spec === undefined) {
      throw new TypeError(`Cannot encode payload key "${key}": not a key of this payload type`);
    }
    const value = typed[key];
    const hinted = hint !== undefined && Object.hasOwn(hint, key) ? hint[key] : undefined;
    wire[key] =
      hinted !== undefined && decodesTo(spec, hinted, value, legacyKind)
        ? hinted
        : encodeValue(spec, value, legacyKind);
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

function encodeValue(spec: FieldSpec, value: unknown, legacyKind: boolean): unknown {
  if (value === null) return null;
  switch (spec.type) {
    case 'day':
      return civilDateToDayStamp(value as string);
    case 'ids':
      return (value as readonly EntityRef[]).map((ref) => ref.raw);
    case 'id':
      return (value as EntityRef).raw;
    case 'note':
      return encodeNote(value as Note);
    case 'rr': {
      const { extra, ...typed } = value as RecurrenceRule;
      return encodeFields(typed, extra, RECURRENCE_FIELDS, undefined, legacyKind);
    }
    case 'offsets':
      return (value as readonly Readonly<Record<string, number>>[]).map((selector) => {
        const copy: Record<string, unknown> = {};
        for (const key of Object.keys(selector)) defineOwn(copy, key, selector[key]);
        return copy;
      });
    case 'int':
    case 'uint':
    case 'string':
    case 'bool':
    case 'instant':
    case 'any':
      return value;
  }
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
}

/** Structural equality of JSON-like values (`Object.is` for primitives, own enumerable keys). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, index) => deepEqual(value, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key]));
}
