import type { Argv } from 'yargs';
import type { CliIo } from './io.ts';

/** Options every command accepts. */
export interface GlobalOptions {
  readonly json: boolean;
  readonly verbose: boolean;
}

/** How the command was invoked: for messages that repeat it (the command that resumes a run). */
export interface Invocation {
  /** The arguments after `thingstape`, as given. */
  readonly argv: readonly string[];
}

/** One example of `--help`: the command line (after `thingstape`) and what it does. */
export type Example = readonly [commandLine: string, what: string];

/** `pageGroups` → `page-groups`: the command-line name yargs declares for an argument. */
type KebabCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `-${Lowercase<Head>}`}${KebabCase<Tail>}`
  : S;

/**
 * The options and positionals a builder must declare for arguments `A`, under their
 * command-line names. yargs infers each one's type from its definition (`type`, `coerce`,
 * `default`, `demandOption`), so a builder whose declarations do not produce `A` (a missing
 * option, a number declared as a string, an optional value where `A` needs one) does not compile.
 * yargs passes `run` every argument under both names, which is how `run` reads `A` (`pageGroups`).
 */
export type DeclaredArgs<A> = {
  [K in keyof A as K extends string ? KebabCase<K> : K]: A[K];
};

/**
 * One CLI command. `run` returns the exit code; it writes only through `io` and throws
 * thingstape errors for `main` to print. The builder declares every argument, so a mistake in
 * them is reported before `run` is called.
 */
export interface Command<A = Record<string, unknown>> {
  /** yargs command string, e.g. `gen <dir>`. */
  readonly command: string;
  readonly describe: string;
  /** Two or three real command lines, shown under "Examples" in `--help`. */
  readonly examples: readonly Example[];
  /** Text after the examples in `--help` (what the output means, environment variables). */
  readonly epilog?: string;
  readonly builder: (yargs: Argv<GlobalOptions>) => Argv<GlobalOptions & DeclaredArgs<A>>;
  readonly run: (args: GlobalOptions & A, io: CliIo, invocation: Invocation) => Promise<number>;
}

/** A command of any argument type, as stored in a list. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command keeps its own argument type
export type AnyCommand = Command<any>;

/** A command that only groups subcommands (`thingstape fixture verify …`). */
export interface CommandGroup {
  /** The group's name, e.g. `fixture`. */
  readonly command: string;
  readonly describe: string;
  readonly subcommands: readonly AnyCommand[];
}

/** Helper that keeps each command's argument type while storing it in a list. */
export function defineCommand<A>(command: Command<A>): Command<A> {
  return command;
}

/** True when `entry` groups subcommands rather than running itself. */
export function isCommandGroup(entry: AnyCommand | CommandGroup): entry is CommandGroup {
  return 'subcommands' in entry;
}

/** The command's name: the first word of its yargs command string. */
export function commandName(entry: { readonly command: string }): string {
  return entry.command.split(' ', 1)[0] ?? entry.command;
}
