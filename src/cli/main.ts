import yargs, { type Argv } from 'yargs';
import {
  commandName,
  isCommandGroup,
  type AnyCommand,
  type CommandGroup,
  type GlobalOptions,
} from './command.ts';
import { commands } from './commands/index.ts';
import { helpTopic, HELP_TOPICS } from './help-topics.ts';
import { EXIT, processIo, type CliIo } from './io.ts';
import { describeParseFailure, nearest } from './parse-errors.ts';
import { reportError } from './report-error.ts';
import { CommandLineError, UsageError } from './usage-error.ts';
import { packageVersion } from '../package-info.ts';

/** What `thingstape --help` ends with: where to read more, and the environment it reads. */
const GLOBAL_EPILOG = `Run "thingstape help <command>" for a command's options and examples, "thingstape help anomalies" for what anomaly codes mean.

Environment:
  THINGSTAPE_DB              database URL when --db is not given (default file:thingstape.db)
  THINGSTAPE_AUTH_TOKEN      auth token of a libSQL server or Turso database
  THINGSTAPE_TO_AUTH_TOKEN   auth token of push's --to database
  THINGS_USERNAME, THINGS_PASSWORD
                             the Things Cloud account of record and sync (never flags)
  NO_COLOR                   no colour even on a terminal
  THINGSTAPE_DEBUG=1         stack traces of unexpected errors (as --verbose)

Exit codes: 0 ok, 1 the command failed, 2 a mistake on the command line, 130 Ctrl-C.
JSON output (--json) is documented in docs/json.md.`;

/** The command matched while parsing: set by its builder, which yargs runs only for that one. */
interface Active {
  readonly path: string;
  readonly commandString: string | null;
  readonly subcommands: readonly string[];
  readonly options: readonly string[];
  /** The switches among them (`--json`): given `=value`, the value must be true or false. */
  readonly switches: readonly string[];
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const verbose = argv.includes('--verbose') || isSet(io.env['THINGSTAPE_DEBUG']);
  let active: Active | null = null;
  try {
    const rewritten = rewriteHelp(argv, io);
    if (typeof rewritten === 'number') return rewritten;
    let exitCode: number = EXIT.ok;
    let suggestion: string | null = null;
    let parser: Argv<GlobalOptions> = yargs()
      .scriptName('thingstape')
      .usage(
        '$0 <command> [options]\n\nRecord, replay and sync Things Cloud histories into libSQL.',
      )
      .option('json', {
        type: 'boolean',
        default: false,
        describe:
          'Machine-readable output: one JSON document, or NDJSON for streams (docs/json.md)',
        global: true,
      })
      .option('verbose', {
        type: 'boolean',
        default: false,
        describe: 'Print the stack trace of an unexpected error',
        global: true,
      })
      .strict()
      .check(() => {
        checkSwitchValues(argv, active?.switches ?? ['json', 'verbose']);
        return true;
      })
      .demandCommand(1)
      .recommendCommands()
      .help()
      .alias('help', 'h')
      .version('version', 'Show the version of thingstape', packageVersion())
      .epilog(GLOBAL_EPILOG)
      .wrap(Math.min(100, io.columns ?? 100))
      .exitProcess(false)
      .fail((message: string | undefined, error: Error | undefined, yargsUsage: unknown) => {
        // yargs passes its usage object (whose help() renders the current command's help).
        const usage = yargsUsage as { help(): string };
        if (error !== undefined && error !== null) {
          // Errors of a command's own code pass through; a check or a value reader failing is a usage error.
          if (!(error instanceof UsageError) && error.name !== 'YError') throw error;
        }
        const text =
          error instanceof UsageError ? error.message : (message ?? error?.message ?? '');
        if (text.startsWith('Did you mean')) {
          suggestion = text;
          return;
        }
        const context = active ?? {
          path: null,
          commandString: null,
          subcommands: topLevelNames(),
          options: [],
        };
        throw new CommandLineError(
          describeParseFailure(text, {
            argv,
            path: context.path,
            commandString: context.commandString,
            subcommands: context.subcommands,
            options: context.options,
            suggestion,
          }),
          usageOnly(usage.help()),
        );
      });
    const track = (
      path: string,
      commandString: string | null,
      subcommands: readonly string[],
      y: Argv<GlobalOptions>,
    ): void => {
      active = { path, commandString, subcommands, ...optionNames(y) };
    };
    const register = (
      y: Argv<GlobalOptions>,
      command: AnyCommand,
      prefix: string,
    ): Argv<GlobalOptions> =>
      y.command(
        command.command,
        command.describe,
        (inner) => {
          const path = `${prefix}${commandName(command)}`;
          let built = command.builder(inner) as Argv<GlobalOptions>;
          track(path, command.command, [], built);
          for (const [line, what] of command.examples) built = built.example(`$0 ${line}`, what);
          if (command.epilog !== undefined) built = built.epilog(command.epilog);
          return built;
        },
        async (args) => {
          exitCode = await command.run(args, io, { argv });
        },
      );
    for (const entry of commands) {
      if (isCommandGroup(entry)) {
        parser = registerGroup(parser, entry, register, track);
      } else {
        parser = register(parser, entry, '');
      }
    }
    parser = parser
      // `help <command>` is rewritten before parsing (rewriteHelp); this handler only runs for
      // a `help` that rewriteHelp leaves alone (after an option that takes a value).
      .command(
        'help [command..]',
        'Show help for a command (or a topic: anomalies)',
        (y) => y,
        async () => {
          io.stdout(`${await parser.getHelp()}\n`);
        },
      )
      .completion(
        'completion',
        'Print a shell completion script (bash, zsh): thingstape completion >> ~/.bashrc',
      );
    let output = '';
    await parser.parseAsync([...rewritten], {}, (_error, _argv, text) => {
      output = text;
    });
    if (output !== '') io.stdout(`${output}\n`);
    return exitCode;
  } catch (error) {
    return reportError(error, io, {
      verbose,
      command: (active as Active | null)?.path ?? null,
    });
  }
}

function registerGroup(
  parser: Argv<GlobalOptions>,
  group: CommandGroup,
  register: (y: Argv<GlobalOptions>, command: AnyCommand, prefix: string) => Argv<GlobalOptions>,
  track: (
    path: string,
    commandString: string | null,
    subs: readonly string[],
    y: Argv<GlobalOptions>,
  ) => void,
): Argv<GlobalOptions> {
  return parser.command(group.command, group.describe, (inner) => {
    const names = group.subcommands.map(commandName);
    track(group.command, null, names, inner);
    let built = inner;
    for (const sub of group.subcommands) {
      built = register(built, sub, `${group.command} `);
    }
    return built.demandCommand(1);
  });
}

/**
 * `thingstape help X` is `thingstape X --help` (and `help fixture verify` the subcommand's);
 * `help anomalies` prints a topic. Returns the arguments to parse, or the exit code when done.
 */
function rewriteHelp(argv: readonly string[], io: CliIo): readonly string[] | number {
  // `help` is the first word, after global switches at most (`thingstape --verbose help replay`).
  const at = argv.findIndex((word) => !word.startsWith('-'));
  if (at === -1 || argv[at] !== 'help') return argv;
  if (!argv.slice(0, at).every((word) => /^--(no-)?(json|verbose)$/.test(word))) return argv;
  const words = argv.slice(at + 1).filter((word) => !word.startsWith('-'));
  if (words.length === 0) return ['--help'];
  const topic = helpTopic(words[0] ?? '');
  if (topic !== null) {
    io.stdout(topic);
    return EXIT.ok;
  }
  const names = topLevelNames();
  if (!names.includes(words[0] ?? '')) {
    const close = nearest(words[0] ?? '', [...names, ...Object.keys(HELP_TOPICS)]);
    throw new UsageError(
      `Unknown command or topic "${words[0] ?? ''}"${close === null ? '' : `; did you mean "help ${close}"?`} (commands: ${names.join(', ')}; topics: ${Object.keys(HELP_TOPICS).join(', ')})`,
    );
  }
  return [...words, '--help'];
}

/**
 * A command's help without its examples and closing notes (and the global help without its
 * notes): what a mistake on the command line is shown with.
 */
function usageOnly(help: string): string {
  const cut = [help.indexOf('\n\nExamples:'), help.indexOf(`\n\n${GLOBAL_EPILOG.slice(0, 20)}`)]
    .filter((at) => at >= 0)
    .sort((a, b) => a - b)[0];
  return cut === undefined ? help : help.slice(0, cut);
}

function topLevelNames(): string[] {
  return [...commands.map(commandName), 'help', 'completion'];
}

/** Long option names a yargs instance declares (for "did you mean --limit?"), and its switches. */
function optionNames(y: Argv<GlobalOptions>): { options: string[]; switches: string[] } {
  const declared = (
    y as unknown as { getOptions(): { key: Record<string, unknown>; boolean: string[] } }
  ).getOptions();
  const long = (name: string): boolean => name.length > 1 && !/[A-Z]/.test(name);
  return {
    options: Object.keys(declared.key).filter(long),
    switches: declared.boolean.filter(long),
  };
}

/**
 * yargs reads `--json=yes` as false without a word; a switch given a value takes only true or
 * false.
 */
function checkSwitchValues(argv: readonly string[], switches: readonly string[]): void {
  for (const word of argv) {
    const match = /^--([^=]+)=(.*)$/s.exec(word);
    if (match === null) continue;
    const [, name = '', value = ''] = match;
    if (switches.includes(name) && value !== 'true' && value !== 'false') {
      throw new UsageError(
        `--${name} is a switch: give it alone, or as --${name}=true or --${name}=false, not ${JSON.stringify(value)}`,
      );
    }
  }
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
