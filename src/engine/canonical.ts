/** Canonical JSON: object keys sorted, no whitespace, `undefined` members left out. */

/** `value` as canonical JSON text (stable key order at every depth), for storage and comparison. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a `__proto__` key stays a plain key.
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, member]: [string, unknown]) => [key, sortKeys(member)]),
    );
  }
  return value;
}
