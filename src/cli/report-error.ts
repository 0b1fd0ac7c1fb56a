import { isThingstapeError } from '../errors.ts';
import { EXIT, styled, type CliIo } from './io.ts';
import { CommandLineError } from './usage-error.ts';

/** Settings of {@link reportError}. */
export interface ReportOptions {
  /** Print stack traces (`--verbose`, `THINGSTAPE_DEBUG=1`). */
  readonly verbose: boolean;
  /** The command that failed (`fixture verify`), for the usage hint; null before one matched. */
  readonly command: string | null;
}

/**
 * Prints an error that ended a command and returns the exit code. A mistake on the command line
 * prints one line and the command's usage (exit 2); a thingstape error its one-line message (exit
 * 1, or 2 for a usage error); an error of the operating system (a file that cannot be read or
 * written) one line naming the file; anything else is unexpected: one line and how to see the
 * stack trace, never the trace itself unless asked for.
 */
export function reportError(error: unknown, io: CliIo, options: ReportOptions): number {
  const prefix = `${styled(io, 'red', 'thingstape:')} `;
  const trace = (): void => {
    if (options.verbose && error instanceof Error && error.stack !== undefined) {
      io.stderr(`${styled(io, 'dim', error.stack)}\n`);
      if (error.cause !== undefined)
        io.stderr(`${styled(io, 'dim', `cause: ${stackOf(error.cause)}`)}\n`);
    }
  };
  if (error instanceof CommandLineError) {
    io.stderr(`${prefix}${error.message}\n\n${error.usage}\n`);
    return EXIT.usage;
  }
  if (isThingstapeError(error)) {
    io.stderr(`${prefix}${error.message}\n`);
    if (error.code === 'USAGE') {
      io.stderr(
        `Run "thingstape ${options.command === null ? '' : `${options.command} `}--help" for usage.\n`,
      );
    }
    trace();
    return error.code === 'USAGE' ? EXIT.usage : EXIT.failure;
  }
  const system = systemErrorLine(error);
  if (system !== null) {
    io.stderr(`${prefix}${system}\n`);
    trace();
    return EXIT.failure;
  }
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  io.stderr(
    `${prefix}unexpected error (${oneLine(what)}); this is a bug in thingstape${options.verbose ? '' : ': run the command again with --verbose (or THINGSTAPE_DEBUG=1) to see the stack trace'}\n`,
  );
  trace();
  return EXIT.failure;
}

/** `Cannot open /x/y: no such file or directory (ENOENT)` for an error of a system call. */
export function systemErrorLine(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string' || !/^E[A-Z]+$/.test(code)) {
    return null;
  }
  const reason = /^[A-Z]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message;
  return `Cannot ${syscall}${path === undefined ? '' : ` ${path}`}: ${reason} (${code})`;
}

function stackOf(value: unknown): string {
  return value instanceof Error ? (value.stack ?? String(value)) : String(value);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
