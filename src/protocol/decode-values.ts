/**
 * What the wire decoder keeps as it is, and the small helpers every part of it uses: the limits on
 * note patches and on values kept verbatim (unknown keys and kinds, `xx`), the iterative walk that
 * enforces them, own-property assignment that also takes `__proto__`, and value descriptions for
 * messages.
 */
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

/**
 * What is wrong with a value the decoder keeps as it is: nesting deeper than
 * {@link MAX_VALUE_DEPTH} or a size above {@link MAX_VALUE_SIZE}; null when nothing. Iterative
 * (no recursion, so any depth is measured) and linear in the value; primitives cost nothing.
 */
export function keptValueProblem(
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
export function describe(value: unknown): string {
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
