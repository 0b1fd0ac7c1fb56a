/** Structural comparison for people: leaf-by-leaf differences and partial matching (pure). */

/** One difference between an expected (or recorded) and an actual value. */
export interface FieldDiff {
  /** JSON-ish path, e.g. `body["Kd5…"].p.tt`; `` for the root. */
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
  /** `missing`: only in expected; `extra`: only in actual; `changed`: in both, different. */
  readonly kind: 'missing' | 'extra' | 'changed';
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `path` extended by an object key or array index. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENTIFIER.test(key) && !key.includes('-')) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values (key order ignored, `-0` equals `0`). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return diffValues(a, b).length === 0;
}

/** Every leaf where `expected` and `actual` differ (both compared whole). */
export function diffValues(expected: unknown, actual: unknown, path = ''): FieldDiff[] {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: FieldDiff[] = [];
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      if (i >= actual.length)
        out.push({
          path: childPath(path, i),
          expected: expected[i],
          actual: undefined,
          kind: 'missing',
        });
      else if (i >= expected.length)
        out.push({
          path: childPath(path, i),
          expected: undefined,
          actual: actual[i],
          kind: 'extra',
        });
      else out.push(...diffValues(expected[i], actual[i], childPath(path, i)));
    }
    return out;
  }
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const out: FieldDiff[] = [];
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const key of keys) {
      const inExpected = Object.hasOwn(expected, key);
      const inActual = Object.hasOwn(actual, key);
      if (!inActual)
        out.push({
          path: childPath(path, key),
          expected: expected[key],
          actual: undefined,
          kind: 'missing',
        });
      else if (!inExpected)
        out.push({
          path: childPath(path, key),
          expected: undefined,
          actual: actual[key],
          kind: 'extra',
        });
      else out.push(...diffValues(expected[key], actual[key], childPath(path, key)));
    }
    return out;
  }
  if (expected === actual || (typeof expected === 'number' && expected === actual)) return [];
  return [{ path, expected, actual, kind: 'changed' }];
}

/**
 * Where `actual` does not match the partial `expected`: objects need only the expected keys
 * (recursively); arrays must have the same length with each element matching; other values must
 * be equal. An empty list means "matches".
 */
export function partialMismatches(expected: unknown, actual: unknown, path = ''): FieldDiff[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ path, expected, actual, kind: 'changed' }];
    const out: FieldDiff[] = [];
    if (expected.length !== actual.length) {
      out.push({
        path: `${path}.length`,
        expected: expected.length,
        actual: actual.length,
        kind: 'changed',
      });
    }
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++)
      out.push(...partialMismatches(expected[i], actual[i], childPath(path, i)));
    return out;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [{ path, expected, actual, kind: 'changed' }];
    const out: FieldDiff[] = [];
    for (const key of Object.keys(expected)) {
      if (expected[key] === undefined) continue;
      if (!Object.hasOwn(actual, key)) {
        out.push({
          path: childPath(path, key),
          expected: expected[key],
          actual: undefined,
          kind: 'missing',
        });
      } else {
        out.push(...partialMismatches(expected[key], actual[key], childPath(path, key)));
      }
    }
    return out;
  }
  return Object.is(expected, actual) || expected === actual
    ? []
    : [{ path, expected, actual, kind: 'changed' }];
}

/** A short JSON rendering of a value for messages (long values are cut). */
export function show(value: unknown, max = 120): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Lines `  path: expected X, actual Y` (at most `limit`, then a count of the rest). */
export function formatDiffs(
  diffs: readonly FieldDiff[],
  labels: { readonly expected: string; readonly actual: string } = {
    expected: 'expected',
    actual: 'actual',
  },
  limit = 20,
): string {
  const lines = diffs.slice(0, limit).map((d) => {
    const where = d.path === '' ? '(value)' : d.path;
    if (d.kind === 'missing')
      return `  ${where}: ${labels.expected} ${show(d.expected)}, ${labels.actual} has none`;
    if (d.kind === 'extra')
      return `  ${where}: ${labels.expected} has none, ${labels.actual} ${show(d.actual)}`;
    return `  ${where}: ${labels.expected} ${show(d.expected)}, ${labels.actual} ${show(d.actual)}`;
  });
  if (diffs.length > limit) lines.push(`  … and ${diffs.length - limit} more difference(s)`);
  return lines.join('\n');
}
