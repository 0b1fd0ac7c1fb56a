/**
 * Canonical JSON, the one form thingstape stores and compares JSON values in: object keys sorted
 * by UTF-16 code units at every depth (keys that are array indexes, such as "9" and "10", first
 * and in numeric order, as JavaScript orders an object's keys), arrays in their order, `undefined`
 * members left out, and a key named `__proto__` kept as a plain key.
 */

/** Options of {@link canonicalJson}. */
export interface CanonicalJsonOptions {
  /** Indent by two spaces and end with a newline, as dumps are written (default: no whitespace). */
  readonly pretty?: boolean;
}

/** `value` as canonical JSON text (stable key order at every depth), for storage and comparison. */
export function canonicalJson(value: unknown, options: CanonicalJsonOptions = {}): string {
  const sorted = sortKeys(value);
  return options.pretty === true ? `${JSON.stringify(sorted, null, 2)}\n` : JSON.stringify(sorted);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a `__proto__` key stays a plain key (an assignment
    // would set the copy's prototype instead, and the key would vanish from the text).
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, member]: [string, unknown]) => [key, sortKeys(member)]),
    );
  }
  return value;
}
