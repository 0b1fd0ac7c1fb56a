import yargs, { type Argv } from 'yargs';
import { isThingstapeError } from '../errors.ts';
import type { GlobalOptions } from './command.ts';
import { commands } from './commands/index.ts';
import { EXIT, processIo, type CliIo } from './io.ts';

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  let parser: Argv<GlobalOptions> = yargs([...argv])
    .scriptName('thingstape')
    .usage('$0 <command> [options]\n\nRecord, replay and sync Things Cloud histories into libSQL.')
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Machine-readable output (JSON, or one JSON object per line for streams)',
      global: true,
    })
    .strict()
    .demandCommand(1, 'Name a command (see --help).')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error;
      io.stderr(`${message}\nRun "thingstape --help" for usage.\n`);
      exitCode = EXIT.usage;
    });
  for (const command of commands) {
    parser = parser.command(
      command.command,
      command.describe,
      (y) => command.builder(y) as Argv<GlobalOptions>,
      async (args) => {
        exitCode = await command.run(args, io);
      },
    );
  }
  try {
    await parser.parseAsync();
  } catch (error) {
    if (isThingstapeError(error)) {
      io.stderr(`thingstape: ${error.message}\n`);
      return error.code === 'USAGE' ? EXIT.usage : EXIT.failure;
    }
    throw error;
  }
  return exitCode;
}
