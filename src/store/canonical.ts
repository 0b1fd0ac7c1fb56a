/** Canonical JSON: object keys sorted at every depth, 2-space indent, trailing newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** A copy of `value` whose objects have their keys in sorted order (arrays keep their order). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries: [string, unknown][] = Object.entries(value);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // fromEntries defines own properties, so a payload key `__proto__` stays a plain key (an
  // assignment would set the copy's prototype instead, and the key would vanish from dumps).
  return Object.fromEntries(
    entries
      .filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => [key, sortKeys(inner)]),
  );
}
