/**
 * Value checks shared by the guard's rules: each payload value against the key tables of
 * `fields.ts` (the decoder's own tables), and the references a payload holds.
 */
import { assertNever } from '../assert.ts';
import { FIELDS_BY_FAMILY, RECURRENCE_FIELDS, type FieldSpec } from '../fields.ts';
import type { EntityFamily } from '../types.ts';
import { isRecord, type GuardItem } from './commit.ts';

/** Seconds beyond which a date can only be milliseconds (1e11 s is the year 5138). */
export const MILLISECOND_THRESHOLD = 1e11;

/** One day in seconds: day stamps are multiples of it (00:00 UTC, spec 5.2). */
const DAY = 86_400;

/** What is wrong with one value, if anything. */
export type ValueProblem = 'type' | 'string-date' | 'millisecond-date' | 'not-midnight';

/** One payload value with its key spec and path (`p.sr`, `p.rr.ia`). */
export interface FieldValue {
  readonly key: string;
  readonly spec: FieldSpec;
  readonly value: unknown;
}

/** The known keys of the payload (and of an `rr` object inside it), in payload order. */
export function* fieldValues(item: GuardItem): Generator<FieldValue> {
  if (item.family === null) return;
  const fields = FIELDS_BY_FAMILY[item.family];
  for (const [key, value] of Object.entries(item.payload)) {
    const spec = fields.get(key);
    if (spec === undefined) continue;
    yield { key, spec, value };
    if (spec.type === 'rr' && isRecord(value)) {
      for (const [inner, innerValue] of Object.entries(value)) {
        const innerSpec = RECURRENCE_FIELDS.get(inner);
        if (innerSpec !== undefined) yield { key: inner, spec: innerSpec, value: innerValue };
      }
    }
  }
}

/** The problem of `value` under `spec` (see the `null` policy and types of `fields.ts`). */
export function valueProblem(spec: FieldSpec, value: unknown): ValueProblem | null {
  if (value === null) return spec.nullable ? null : 'type';
  switch (spec.type) {
    case 'int':
      return Number.isSafeInteger(value) ? null : 'type';
    case 'uint':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? null : 'type';
    case 'string':
    case 'id':
      return typeof value === 'string' ? null : 'type';
    case 'bool':
      return typeof value === 'boolean' ? null : 'type';
    case 'instant':
    case 'day': {
      if (typeof value === 'string') return 'string-date';
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'type';
      if (Math.abs(value) >= MILLISECOND_THRESHOLD) return 'millisecond-date';
      return spec.type === 'day' && value % DAY !== 0 ? 'not-midnight' : null;
    }
    case 'ids':
      return Array.isArray(value) && value.every((x) => typeof x === 'string') ? null : 'type';
    case 'note':
      return typeof value === 'string' || isRecord(value) ? null : 'type';
    case 'rr':
      return isRecord(value) ? null : 'type';
    case 'offsets':
      return Array.isArray(value) &&
        value.every((x) => isRecord(x) && Object.values(x).every((n) => Number.isSafeInteger(n)))
        ? null
        : 'type';
    case 'any':
      return null;
  }
  return assertNever(spec.type, 'field type');
}

/** Reference keys (id lists) of each family (spec 8.1), in payload order of the native create. */
export const REFERENCE_KEYS: Readonly<Record<EntityFamily, readonly string[]>> = {
  task: ['ar', 'pr', 'agr', 'tg', 'dl', 'rt'],
  checklistItem: ['ts'],
  area: ['tg'],
  tag: ['pn'],
  tombstone: [],
};

/** One id inside a reference list, with its path. */
export interface Reference {
  readonly key: string;
  readonly path: string;
  readonly id: string;
}

/** Every string id in the payload's reference lists (non-strings are WRONG_TYPE's business). */
export function* references(item: GuardItem): Generator<Reference> {
  if (item.family === null) return;
  for (const key of REFERENCE_KEYS[item.family]) {
    const list = item.payload[key];
    if (!Object.hasOwn(item.payload, key) || !Array.isArray(list)) continue;
    for (const [index, id] of (list as unknown[]).entries()) {
      if (typeof id === 'string') yield { key, path: `p.${key}[${index}]`, id };
    }
  }
}
