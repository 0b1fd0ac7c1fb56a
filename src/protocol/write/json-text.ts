/**
 * The compact JSON writer of the wire writer. Instants are written from their exact decimal text
 * (`1736150412.4716659`), as Things does, which `JSON.stringify` of a double cannot always do.
 */

/** A JSON number written verbatim from its text. */
export class RawNumber {
  readonly text: string;

  /** `text` must be a valid JSON number. */
  constructor(text: string) {
    this.text = text;
  }
}

/** Values the writer accepts: JSON values plus {@link RawNumber}. */
export type WireValue =
  | null
  | boolean
  | number
  | string
  | RawNumber
  | readonly WireValue[]
  | { readonly [key: string]: WireValue };

function isWireArray(value: WireValue): value is readonly WireValue[] {
  return Array.isArray(value);
}

/** Compact JSON text of `value` (keys in insertion order, no spaces). */
export function jsonText(value: WireValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot write ${value} as JSON`);
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof RawNumber) return value.text;
  if (isWireArray(value)) {
    let out = '[';
    let first = true;
    for (const element of value) {
      if (!first) out += ',';
      first = false;
      out += jsonText(element);
    }
    return out + ']';
  }
  let out = '{';
  let first = true;
  for (const [key, element] of Object.entries(value)) {
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key) + ':' + jsonText(element);
  }
  return out + '}';
}
