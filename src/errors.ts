/**
 * The error hierarchy: one base class with a machine-readable `code` and a `cause`, one subclass
 * per module (`DecodeError`, `FixtureError`, `StoreError`, `SyncError`, `CloudError`, …).
 * Programmer mistakes throw built-ins (`TypeError`, `RangeError`) instead.
 */
export class ThingstapeError<Code extends string = string> extends Error {
  /** SCREAMING_SNAKE machine-readable code, stable across releases; a subclass names its codes. */
  readonly code: Code;

  /** `message` is stored with credentials taken out of any URL in it ({@link scrubCredentials}). */
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(scrubCredentials(message), options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** True when `value` is a thingstape error (optionally of one code). */
export function isThingstapeError(value: unknown, code?: string): value is ThingstapeError {
  return value instanceof ThingstapeError && (code === undefined || value.code === code);
}

/**
 * `text` with credentials taken out of every URL in it (user info, `authToken` values): drivers
 * and `fetch` quote URLs as they were given, and no thingstape message may carry a password.
 */
export function scrubCredentials(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1')
    .replace(/authToken=[^&\s"']*/g, 'authToken=REDACTED');
}
