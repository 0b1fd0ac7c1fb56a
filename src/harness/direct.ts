/**
 * `node file.scenario.ts [--mode …] [--allow-net] [--update] [--filter …] [--shuffle[=seed]]
 * [--reporter pretty|json|junit] [--base-url …]` (`thingstape run` also has `html`): runs the scenarios the file declared, like
 * `thingstape run file.scenario.ts`, and sets the exit code.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { isThingstapeError } from '../errors.ts';
import {
  formatJson,
  formatJunit,
  prettyScenario,
  prettySummary,
  REPORTERS,
  type ReporterName,
} from './reporters.ts';
import { parseShuffle, resolveRunSettings, runFailed, runScenarios } from './runner.ts';
import type { ScenarioDefinition } from './types.ts';

/** Runs `definitions` with flags from `argv`; writes the report to stdout and sets `process.exitCode`. */
export async function runDirect(
  definitions: readonly ScenarioDefinition[],
  argv: readonly string[],
): Promise<void> {
  const show = (file: string): string =>
    relative(process.cwd(), file).split('\\').join('/') || file;
  try {
    const { values } = parseArgs({
      args: argv.map((arg) => (arg === '--shuffle' ? '--shuffle=' : arg)),
      options: {
        mode: { type: 'string' },
        'allow-net': { type: 'boolean', default: false },
        update: { type: 'boolean', short: 'u', default: false },
        filter: { type: 'string' },
        shuffle: { type: 'string' },
        reporter: { type: 'string', default: 'pretty' },
        'base-url': { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    });
    const reporter = values.reporter as ReporterName;
    if (!(REPORTERS as readonly string[]).includes(reporter)) {
      throw new TypeError(`--reporter must be one of ${REPORTERS.join(', ')}, got "${reporter}"`);
    }
    if (reporter === 'html') {
      throw new TypeError(
        '--reporter html writes a directory: run the file with `thingstape run <file> --reporter html --output DIR`',
      );
    }
    const settings = resolveRunSettings(
      {
        mode: values.mode,
        allowNet: values['allow-net'],
        update: values.update,
        baseUrl: values['base-url'],
      },
      process.env,
    );
    const report = await runScenarios(definitions, {
      ...settings,
      ...(values.filter === undefined ? {} : { filter: values.filter }),
      shuffle: parseShuffle(values.shuffle),
      ...(reporter === 'pretty'
        ? { onResult: (r) => process.stdout.write(prettyScenario(r, show)) }
        : {}),
    });
    if (reporter === 'pretty') process.stdout.write(`\n${prettySummary(report, show)}`);
    else if (reporter === 'json') process.stdout.write(formatJson(report, show));
    else process.stdout.write(formatJunit(report, show));
    process.exitCode = runFailed(report) ? 1 : 0;
  } catch (error) {
    if (!isThingstapeError(error) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`thingstape: ${error.message}\n`);
    process.exitCode = 2;
  }
}
