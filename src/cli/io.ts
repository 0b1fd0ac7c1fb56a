/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  /** Writes to standard output (no newline added). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (no newline added). */
  readonly stderr: (text: string) => void;
  /** True when standard error is a terminal (progress bars only then). */
  readonly isTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    // isTTY is undefined (not false) on pipes, whatever @types/node says.
    isTty: process.stderr.isTTY,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Exit codes: 0 ok, 1 the command failed on its input, 2 usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
