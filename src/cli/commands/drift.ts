import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CloudClient, THINGS_CLOUD_URL } from '../../cloud/index.ts';
import {
  catalogueText,
  compareCatalogues,
  DRIFT_DEFAULTS,
  mergeCatalogues,
  probeCatalogue,
  readCatalogue,
  type DriftReport,
  type ShapeCatalogue,
} from '../../drift/index.ts';
import { defineCommand } from '../command.ts';
import { jsonLine } from '../format.ts';
import { EXIT, styled, type CliIo } from '../io.ts';
import {
  httpUrlOption,
  parseNumber,
  rateOption,
  timeoutOption,
  wholeNumberOption,
} from '../options.ts';
import { UsageError } from '../usage-error.ts';
import { credentialsFrom } from '../cloud-client.ts';

/** What makes the drift check fail (its exit code). */
const FAIL_ON = ['warning', 'error', 'never'] as const;
type FailOn = (typeof FAIL_ON)[number];

/** Exit code of error-tier drift (2 is a usage error in every thingstape command). */
export const DRIFT_ERROR_EXIT = 3;

interface DriftArgs {
  readonly recording: string | undefined;
  readonly references: readonly string[];
  readonly live: boolean;
  readonly maxPages: number | undefined;
  readonly rate: number;
  readonly baseUrl: string;
  readonly timeout: number;
  readonly writeCatalogue: string | undefined;
  readonly threshold: number;
  readonly minSamples: number;
  readonly failOn: FailOn;
  readonly info: boolean;
}

/** `thingstape drift <recording> [references…]`: schema-level changes of Things Cloud. */
export const driftCommand = defineCommand<DriftArgs>({
  command: 'drift [recording] [references..]',
  describe:
    'Compare the shape of a recording (kinds, fields and their types, null and omitted rates, schema numbers, endpoints and status codes, headers) with reference recordings, and report what is new, gone or changed',
  examples: [
    [
      'drift fixtures/recorded/this-week fixtures/recorded/reference',
      'what changed since the reference recording',
    ],
    [
      'drift fixtures/recorded/reference --write-catalogue drift-reference.json',
      'save a recording’s catalogue to commit as the reference',
    ],
    [
      'drift --live drift-reference.json --json',
      'the account in THINGS_USERNAME/THINGS_PASSWORD, read now, against a committed catalogue',
    ],
  ],
  epilog: `A recording or reference is a fixture directory (its pages, the recorder's *.meta.json side files and manifest) or a catalogue written with --write-catalogue; several references are merged. Without references, the reference is what this thingstape knows.

Tiers: error — a new kind or version thingstape does not know, a known field whose type changed, a new schema number, an endpoint that now fails; warning — a field thingstape does not know, a vanished field or kind, a shift beyond --threshold in how often creates carry a field or carry it as null, a new status code or header value; info — counts, and new things thingstape already knows.

Exit codes: 0 no drift, or info only; 1 warnings (with --fail-on warning, the default), or the check could not run (see standard error); 2 a mistake on the command line; ${DRIFT_ERROR_EXIT} errors. --fail-on error lets warnings pass; --fail-on never always exits 0 once the check ran.`,
  builder: (yargs) =>
    yargs
      .positional('recording', {
        type: 'string',
        describe:
          'Fixture directory or catalogue file of the new recording (with --live: a reference)',
      })
      .positional('references', {
        type: 'string',
        array: true,
        default: [],
        describe: 'Fixture directories or catalogue files to compare with (merged)',
      })
      .option('write-catalogue', {
        type: 'string',
        requiresArg: true,
        describe: "Write the recording's catalogue to this file (JSON, keys sorted)",
      })
      .option('threshold', {
        type: 'string',
        requiresArg: true,
        default: DRIFT_DEFAULTS.threshold,
        describe: 'Shift of a create rate (0–1) that is a warning',
        coerce: (value: unknown) =>
          parseNumber(value, '--threshold', { min: 0, max: 1, what: 'a number from 0 to 1' }),
      })
      .option('min-samples', {
        ...wholeNumberOption(
          '--min-samples',
          'Events of a kind both sides need before rates and vanished fields are judged',
          { min: 1 },
        ),
        default: DRIFT_DEFAULTS.minSamples,
      })
      .option('fail-on', {
        type: 'string',
        choices: FAIL_ON,
        default: 'warning' as const,
        describe: 'Lowest tier that fails the check',
      })
      .option('info', {
        type: 'boolean',
        default: false,
        describe: 'Print info findings too (the JSON output always has them)',
      })
      .option('live', {
        type: 'boolean',
        default: false,
        describe: 'Read the account in THINGS_USERNAME/THINGS_PASSWORD now instead of a recording',
      })
      .option('max-pages', wholeNumberOption('--max-pages', 'With --live: pages to read at most'))
      .option('rate', rateOption('With --live: requests per second at most (0 = no limit)'))
      .option(
        'base-url',
        httpUrlOption('--base-url', 'With --live: the Things Cloud base URL', THINGS_CLOUD_URL),
      )
      .option('timeout', timeoutOption(60))
      .check((args) => {
        if (!args['live'] && args['recording'] === undefined) {
          throw new UsageError(
            'Name a recording (a fixture directory or a catalogue), or use --live',
          );
        }
        return true;
      }),
  run: async (args, io) => {
    const given = args.live
      ? [...(args.recording === undefined ? [] : [args.recording]), ...args.references]
      : args.references;
    const references = await Promise.all(
      given.map((path) => readCatalogue(resolve(io.cwd, path), path)),
    );
    const recording = args.live ? 'the live account' : (args.recording ?? '');
    const current = args.live
      ? await liveCatalogue(args, io)
      : await readCatalogue(resolve(io.cwd, recording), recording);
    if (args.writeCatalogue !== undefined) {
      await writeFile(resolve(io.cwd, args.writeCatalogue), catalogueText(current));
    }
    const report = compareCatalogues(
      references.length === 0 ? null : mergeCatalogues(references),
      current,
      { threshold: args.threshold, minSamples: args.minSamples },
    );
    const code = exitCode(report, args.failOn);
    if (args.json) {
      io.stdout(
        jsonLine({
          recording,
          references: given,
          threshold: args.threshold,
          minSamples: args.minSamples,
          failOn: args.failOn,
          exitCode: code,
          ...report,
        }),
      );
    } else {
      for (const finding of report.findings) {
        if (finding.tier === 'info' && !args.info) continue;
        const tier =
          finding.tier === 'error'
            ? styled(io, 'red', 'error  ', 'stdout')
            : finding.tier === 'warning'
              ? styled(io, 'yellow', 'warning', 'stdout')
              : styled(io, 'dim', 'info   ', 'stdout');
        io.stdout(`${tier} ${finding.code.padEnd(18)} ${finding.message}\n`);
      }
      const against =
        references.length === 0
          ? 'what this thingstape knows'
          : `${references.length} reference(s)`;
      const hidden = report.infos > 0 && !args.info ? ' (--info prints them)' : '';
      io.stderr(
        `Drift of ${recording} against ${against}: ${report.errors} error(s), ${report.warnings} warning(s), ${report.infos} info${hidden}; exit ${code}.\n`,
      );
    }
    return code;
  },
});

async function liveCatalogue(args: DriftArgs, io: CliIo): Promise<ShapeCatalogue> {
  const { email, password } = credentialsFrom(io);
  const interval = args.rate === 0 ? 0 : 1000 / args.rate;
  const client = new CloudClient({
    baseUrl: args.baseUrl,
    timeoutMs: args.timeout * 1000,
    minIntervalMs: interval,
  });
  return probeCatalogue({
    client,
    baseUrl: args.baseUrl,
    email,
    password,
    ...(args.maxPages === undefined ? {} : { maxPages: args.maxPages }),
    pause: () => new Promise((done) => setTimeout(done, interval)),
  });
}

function exitCode(report: DriftReport, failOn: FailOn): number {
  if (failOn === 'never') return EXIT.ok;
  if (report.errors > 0) return DRIFT_ERROR_EXIT;
  if (failOn === 'warning' && report.warnings > 0) return EXIT.failure;
  return EXIT.ok;
}
