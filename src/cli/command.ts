import type { Argv } from 'yargs';
import type { CliIo } from './io.ts';

/** Options every command accepts. */
export interface GlobalOptions {
  readonly json: boolean;
}

/**
 * One CLI command. `run` returns the exit code; it writes only through `io` and throws
 * thingstape errors for `main` to print.
 */
export interface Command<A = Record<string, unknown>> {
  /** yargs command string, e.g. `gen <dir>`. */
  readonly command: string;
  readonly describe: string;
  readonly builder: (yargs: Argv<GlobalOptions>) => Argv<GlobalOptions & A>;
  readonly run: (args: GlobalOptions & A, io: CliIo) => Promise<number>;
}

/** Helper that keeps each command's argument type while storing it in a list. */
export function defineCommand<A>(command: Command<A>): Command<A> {
  return command;
}
