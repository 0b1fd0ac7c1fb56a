/**
 * The error hierarchy: one base class with a machine-readable `code` and a `cause`, one subclass
 * per module (`DecodeError`, `FixtureError`, `StoreError`, `SyncError`, `CloudError`, …).
 * Programmer mistakes throw built-ins (`TypeError`, `RangeError`) instead.
 */
export class ThingstapeError extends Error {
  /** SCREAMING_SNAKE machine-readable code, stable across releases. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** True when `value` is a thingstape error (optionally of one code). */
export function isThingstapeError(value: unknown, code?: string): value is ThingstapeError {
  return value instanceof ThingstapeError && (code === undefined || value.code === code);
}
