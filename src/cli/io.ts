import { styleText } from 'node:util';

/** Text styles the CLI uses (a subset of `util.styleText`'s formats). */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  /** Writes to standard output (no newline added). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (no newline added). */
  readonly stderr: (text: string) => void;
  /** True when standard error is a terminal (progress lines only then). */
  readonly isTty: boolean;
  /**
   * True when standard output is a terminal too; the progress line then steps aside for every
   * printed line (both end up on one screen). Absent: false.
   */
  readonly stdoutIsTty?: boolean;
  /** Width of the terminal, for `--help` (absent: 100). */
  readonly columns?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /**
   * Styles text for one stream: colour on a terminal, unless NO_COLOR (or NODE_DISABLE_COLORS)
   * is set; plain text otherwise. Absent: plain text.
   */
  readonly style?: (style: Style, text: string, stream: 'stdout' | 'stderr') => string;
  /**
   * Calls `handler` on the first Ctrl-C (SIGINT) instead of ending the process, until the
   * returned function is called; a second Ctrl-C ends the process at once. Absent: Ctrl-C is
   * never reported (tests).
   */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    // isTTY is undefined (not false) on pipes, whatever @types/node says.
    isTty: process.stderr.isTTY,
    stdoutIsTty: process.stdout.isTTY,
    ...(process.stdout.isTTY ? { columns: process.stdout.columns } : {}),
    env: process.env,
    cwd: process.cwd(),
    // styleText checks the stream (a terminal?) and NO_COLOR / FORCE_COLOR itself.
    style: (style, text, stream) =>
      styleText(style, text, { stream: stream === 'stdout' ? process.stdout : process.stderr }),
    onInterrupt: interruptHandler,
  };
}

function interruptHandler(handler: () => void): () => void {
  let seen = false;
  const listener = (): void => {
    if (seen) {
      process.stderr.write('\nthingstape: interrupted twice; stopping now\n');
      process.exit(EXIT.interrupted);
    }
    seen = true;
    handler();
  };
  process.on('SIGINT', listener);
  return () => void process.off('SIGINT', listener);
}

/** Styles `text` for `stream` through `io.style`, or leaves it plain. */
export function styled(
  io: CliIo,
  style: Style,
  text: string,
  stream: 'stdout' | 'stderr' = 'stderr',
): string {
  return io.style === undefined ? text : io.style(style, text, stream);
}

/**
 * Exit codes: 0 ok, 1 the command failed on its input, 2 usage error, 130 interrupted (Ctrl-C,
 * as a shell reports a process ended by SIGINT).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
