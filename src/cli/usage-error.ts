import { ThingstapeError } from '../errors.ts';

/** Bad command-line input (exit code 2). */
export class UsageError extends ThingstapeError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/**
 * A mistake found while parsing the command line (unknown command or option, missing or bad
 * argument): reported with the usage of the command it was found in, before anything runs.
 */
export class CommandLineError extends UsageError {
  /** The `--help` text of the command the mistake was found in. */
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message);
    this.usage = usage;
  }
}
