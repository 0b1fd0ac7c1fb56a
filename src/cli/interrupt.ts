import { ThingstapeError } from '../errors.ts';
import type { CliIo } from './io.ts';

/** Thrown from a progress callback after Ctrl-C, so the run stops at a page boundary. */
export class InterruptedError extends ThingstapeError {
  constructor() {
    super('INTERRUPTED', 'Interrupted (Ctrl-C)');
  }
}

/** True when `error` is an {@link InterruptedError}. */
export function isInterrupted(error: unknown): error is InterruptedError {
  return error instanceof InterruptedError;
}

/** Whether Ctrl-C was pressed during a run. */
export interface Interruption {
  readonly requested: boolean;
  /** Throws an {@link InterruptedError} once Ctrl-C was pressed; call it where stopping is safe. */
  check(): void;
  /** Gives Ctrl-C back to its default. */
  dispose(): void;
}

/**
 * Watches for Ctrl-C while a run is going: the first one is noted (and `onFirst` says what
 * happens now), and the run stops at its next {@link Interruption.check}; a second one ends the
 * process at once. Without `io.onInterrupt` (tests), nothing is watched.
 */
export function watchInterrupt(io: CliIo, onFirst: () => void): Interruption {
  let requested = false;
  const stop =
    io.onInterrupt?.(() => {
      requested = true;
      onFirst();
    }) ?? (() => undefined);
  return {
    get requested() {
      return requested;
    },
    check() {
      if (requested) throw new InterruptedError();
    },
    dispose: stop,
  };
}

/** The command line that runs `argv` again, quoted for a POSIX shell. */
export function commandLine(argv: readonly string[]): string {
  return ['thingstape', ...argv].map(shellQuote).join(' ');
}

/** `word` as one shell word: as is when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
