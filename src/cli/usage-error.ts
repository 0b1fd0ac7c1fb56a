import { ThingstapeError } from '../errors.ts';

/** Bad command-line input (exit code 2). */
export class UsageError extends ThingstapeError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
