/**
 * Command-line options of the write guard, shared by `serve` and `check-commit`: which warning
 * rules count as errors (`--strict`, `--error CODE`) and which rules are skipped (`--ignore CODE`).
 */
import type { Options } from 'yargs';
import { GUARD_CODES, isGuardCode, type GuardOptions } from '../protocol/index.ts';
import type { DefaultedOption } from './options.ts';
import { UsageError } from './usage-error.ts';

/** The guard's options as parsed. */
export interface GuardArgs {
  readonly strict: boolean;
  readonly error: readonly string[];
  readonly ignore: readonly string[];
}

function codesOption(flag: string, describe: string): DefaultedOption<string[]> {
  return {
    type: 'string',
    array: true,
    requiresArg: true,
    default: [],
    describe,
    coerce: (values: unknown) => {
      const list = (Array.isArray(values) ? values : [values]).flatMap((value) =>
        String(value).split(','),
      );
      for (const code of list) {
        if (!isGuardCode(code)) {
          throw new UsageError(
            `${flag}: unknown rule ${JSON.stringify(code)}; "thingstape check-commit --rules" lists the ${GUARD_CODES.length} rules`,
          );
        }
      }
      return list;
    },
  };
}

/** `--strict`, `--error CODE…`, `--ignore CODE…`. */
export const GUARD_OPTIONS = {
  strict: {
    type: 'boolean',
    default: false,
    describe: 'Treat every warning ([S] and [I] rules) as an error',
  },
  error: codesOption('--error', 'Treat this warning rule as an error (repeatable, or CODE,CODE)'),
  ignore: codesOption('--ignore', 'Do not check this rule (repeatable, or CODE,CODE)'),
} as const satisfies Record<keyof GuardArgs, Options>;

/** The guard's options from the parsed arguments. */
export function guardOptions(args: GuardArgs): GuardOptions {
  return {
    errors: args.strict ? 'all' : args.error,
    ignore: args.ignore,
  };
}
