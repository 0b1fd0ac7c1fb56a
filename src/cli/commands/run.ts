import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import {
  findScenarioFiles,
  formatJson,
  formatJunit,
  isHarnessError,
  loadScenarioFiles,
  parseShuffle,
  prettyScenario,
  prettySummary,
  REPORTERS,
  resolveRunSettings,
  runFailed,
  runScenarios,
  type ReporterName,
} from '../../harness/index.ts';
import { renderRunReport, writeReport } from '../../report/index.ts';
import { defineCommand } from '../command.ts';
import { jsonLine } from '../format.ts';
import { EXIT } from '../io.ts';
import { httpUrlOption } from '../options.ts';
import { UsageError } from '../usage-error.ts';

interface RunArgs {
  readonly files: readonly string[];
  readonly filter: string | undefined;
  readonly shuffle: string | undefined;
  readonly update: boolean;
  readonly reporter: string | undefined;
  readonly mode: string | undefined;
  readonly allowNet: boolean;
  readonly baseUrl: string | undefined;
  readonly output: string | undefined;
}

/** `thingstape run [files or globs]`: run scenario scripts (replay by default). */
export const runCommand = defineCommand<RunArgs>({
  command: 'run [files..]',
  describe:
    'Run scenario scripts (*.scenario.ts): replay their cassettes (the default, and the only mode when CI is set), or record them with --mode record --allow-net',
  examples: [
    ['run', 'replay every *.scenario.ts under the working directory'],
    [
      'run examples --reporter html --output report/',
      'a page to open from a CI artifact: each step, its changes and lists, where it diverged',
    ],
    [
      'run my.scenario.ts --mode record-missing --allow-net',
      'record scenarios without a cassette (THINGS_USERNAME/THINGS_PASSWORD)',
    ],
  ],
  builder: (yargs) =>
    yargs
      .positional('files', {
        type: 'string',
        array: true,
        default: [],
        describe:
          'Scenario files, directories (searched for *.scenario.ts) or globs; default: the working directory',
      })
      .option('filter', {
        type: 'string',
        requiresArg: true,
        describe: 'Only scenarios whose name contains this text, or matches /regex/',
      })
      .option('shuffle', {
        type: 'string',
        describe:
          'Run scenarios in a random order; --shuffle=SEED repeats an order (the seed is printed)',
      })
      .option('update', {
        alias: 'u',
        type: 'boolean',
        default: false,
        describe: 'Replace snapshots that differ',
      })
      .option('reporter', {
        type: 'string',
        requiresArg: true,
        choices: [...REPORTERS],
        describe:
          'Report format (default: pretty; json with --json); html writes a page into the --output directory',
      })
      .option('output', {
        type: 'string',
        requiresArg: true,
        describe:
          'Write the report to this file instead of standard output (html: to this directory, as index.html)',
      })
      .option('mode', {
        type: 'string',
        requiresArg: true,
        choices: ['replay', 'record', 'record-missing'],
        describe:
          'replay: serve every request from the cassette (default; $THINGSTAPE_MODE); record: talk to the account and rewrite cassettes; record-missing: record only scenarios without a cassette',
      })
      .option('allow-net', {
        type: 'boolean',
        default: false,
        describe: 'Allow recording to reach the network',
      })
      .option(
        'base-url',
        httpUrlOption(
          '--base-url',
          'Record against this service instead of Things Cloud (e.g. a `thingstape serve` URL)',
        ),
      )
      .check((args) => {
        if (args.json && args.reporter !== undefined && args.reporter !== 'json') {
          throw new UsageError(
            `--json and --reporter ${args.reporter} disagree: --json is the json reporter; give one of them`,
          );
        }
        if (args.reporter === 'html' && args.output === undefined) {
          throw new UsageError(
            '--reporter html writes a directory: give it with --output DIR (the page is DIR/index.html)',
          );
        }
        return true;
      }),
  run: async (args, io) => {
    const reporter = (args.reporter ?? (args.json ? 'json' : 'pretty')) as ReporterName;
    let settings;
    let shuffle;
    try {
      settings = resolveRunSettings(
        { mode: args.mode, allowNet: args.allowNet, update: args.update, baseUrl: args.baseUrl },
        io.env,
      );
      shuffle = parseShuffle(args.shuffle);
    } catch (error) {
      if (isHarnessError(error, 'INVALID_OPTIONS')) throw new UsageError(error.message);
      throw error;
    }
    const files = await findScenarioFiles(args.files, io.cwd);
    if (files.length === 0) {
      throw new UsageError(
        `No scenario files found in ${args.files.length === 0 ? io.cwd : args.files.join(', ')} (looking for *.scenario.ts)`,
      );
    }
    const show = (file: string): string => relative(io.cwd, file).split('\\').join('/') || file;
    const { definitions, errors } = await loadScenarioFiles(files);
    const toStdout = args.output === undefined;
    const report = await runScenarios(definitions, {
      ...settings,
      ...(args.filter === undefined ? {} : { filter: args.filter }),
      shuffle,
      files,
      loadErrors: errors,
      ...(reporter === 'pretty' && toStdout
        ? { onResult: (r) => io.stdout(prettyScenario(r, show)) }
        : {}),
      ...(reporter === 'html' ? { trace: true } : {}),
    });
    if (reporter === 'html') {
      const written = await writeReport(
        resolve(io.cwd, args.output ?? ''),
        renderRunReport(report, show),
      );
      io.stderr(prettySummary(report, show));
      io.stderr(`report: ${show(written.file)} (${Math.ceil(written.bytes / 1024)} kB)\n`);
      return runFailed(report) ? EXIT.failure : EXIT.ok;
    }
    let text: string;
    // On standard output JSON is one line, as every command prints it; a file keeps the reporter's layout.
    if (reporter === 'json')
      text = toStdout ? jsonLine(JSON.parse(formatJson(report, show))) : formatJson(report, show);
    else if (reporter === 'junit') text = formatJunit(report, show);
    else
      text = toStdout
        ? `\n${prettySummary(report, show)}`
        : report.scenarios.map((r) => prettyScenario(r, show)).join('') +
          `\n${prettySummary(report, show)}`;
    if (toStdout) io.stdout(text);
    else {
      await writeFile(resolve(io.cwd, args.output ?? ''), text);
      io.stderr(prettySummary(report, show));
    }
    return runFailed(report) ? EXIT.failure : EXIT.ok;
  },
});
