/** Exhaustiveness helper for discriminated unions. */

/** Marks a branch the type checker proves unreachable; throws TypeError if reached at run time. */
export function assertNever(value: never, what: string): never {
  throw new TypeError(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
