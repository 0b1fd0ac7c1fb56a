/**
 * `overriding`: an object with some of its methods replaced, for code that watches or fails the
 * calls of a store (the benchmark counts a replay's commits through it; tests inject faults).
 */

/**
 * `target` with the methods in `overrides` replaced; every other property is the target's own,
 * methods bound to it (a store keeps its connection in private fields, which a plain spread or
 * `Object.create` would lose).
 */
export function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(inner, key) {
      if (Object.hasOwn(overrides, key)) return Reflect.get(overrides, key);
      const value: unknown = Reflect.get(inner, key, inner);
      return typeof value === 'function' ? (value as () => unknown).bind(inner) : value;
    },
  });
}
