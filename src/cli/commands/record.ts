import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { recordHistory } from '../../../recorder/index.ts';
import { isValidTimeZone } from '../../engine/index.ts';
import { ThingstapeError } from '../../errors.ts';
import { isFixtureError } from '../../fixture/errors.ts';
import { baseUrlOption, cloudClientOf, credentialsFrom, type CloudArgs } from '../cloud-client.ts';
import { defineCommand } from '../command.ts';
import { jsonLine } from '../format.ts';
import { commandLine, isInterrupted, watchInterrupt } from '../interrupt.ts';
import { EXIT } from '../io.ts';
import { rateOption, timeoutOption, timeZoneOption, wholeNumberOption } from '../options.ts';
import { progressLine } from '../progress.ts';
import { UsageError } from '../usage-error.ts';

interface RecordArgs extends CloudArgs {
  readonly fixtureDir: string;
  readonly resume: boolean | undefined;
  readonly from: number | undefined;
  readonly maxPages: number | undefined;
  readonly timeZone: string | undefined;
  readonly anonymize: boolean;
}

/** `thingstape record <fixture-dir>`: record a live history into a fixture. */
export const recordCommand = defineCommand<RecordArgs>({
  command: 'record <fixture-dir>',
  describe:
    'Record the Things Cloud history of the account in THINGS_USERNAME/THINGS_PASSWORD into a fixture, page by page (resumable; secrets never written)',
  examples: [
    ['record fixtures/mine --anonymize', 'record the whole history, titles and notes replaced'],
    ['record fixtures/mine --resume', 'continue an interrupted recording'],
    [
      'record /tmp/copy --base-url http://127.0.0.1:8787 --rate 0',
      'record from a local `thingstape serve`',
    ],
  ],
  epilog:
    'Credentials come only from THINGS_USERNAME and THINGS_PASSWORD. Ctrl-C stops after the page being written and prints the command that resumes.',
  builder: (yargs) =>
    yargs
      .positional('fixture-dir', {
        type: 'string',
        demandOption: true,
        describe: 'Fixture directory',
      })
      // No default: a default of false would count as given for .conflicts('from', 'resume').
      .option('resume', {
        type: 'boolean',
        describe: 'Continue an interrupted recording after its last complete page',
      })
      .option(
        'from',
        wholeNumberOption('--from', 'Start a new recording at this cursor (default 0)'),
      )
      .option(
        'max-pages',
        wholeNumberOption('--max-pages', 'Stop after this many pages (resumable)'),
      )
      .option(
        'rate',
        rateOption('Requests per second at most (0 = no limit; keep 1 for a live account)'),
      )
      .option(
        'time-zone',
        timeZoneOption(
          '--time-zone',
          'IANA zone of the account owner for the manifest (default: this machine’s)',
        ),
      )
      .option('anonymize', {
        type: 'boolean',
        default: false,
        describe:
          'Replace titles, notes and checklist text with stand-ins (ids and structure kept)',
      })
      .option('base-url', baseUrlOption())
      .option('timeout', timeoutOption(60))
      .conflicts('from', 'resume'),
  run: async (args, io, invocation) => {
    const timeZone = args.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!isValidTimeZone(timeZone))
      throw new UsageError(`--time-zone: unknown time zone "${timeZone}"`);
    const { email, password } = credentialsFrom(io);
    const progress = progressLine(io, 'record');
    const client = cloudClientOf(args, progress);
    const interrupt = watchInterrupt(io, () =>
      progress.stderr('Stopping after the page being written (Ctrl-C again stops at once)…\n'),
    );
    let written = { cursor: args.from ?? 0, head: null as number | null };
    try {
      const summary = await recordHistory({
        dir: resolve(io.cwd, args.fixtureDir),
        client,
        email,
        password,
        timeZone,
        resume: args.resume === true,
        ...(args.from === undefined ? {} : { from: args.from }),
        ...(args.maxPages === undefined ? {} : { maxPages: args.maxPages }),
        ...(args.anonymize ? { anonymizeSalt: new Uint8Array(randomBytes(32)) } : {}),
        onPage: (p) => {
          written = { cursor: p.endIndex, head: p.head };
          progress.update(p.endIndex, p.head);
          interrupt.check();
        },
        log: (line) => progress.stderr(`warning: ${line}\n`),
      });
      progress.done();
      const result = {
        fixture: args.fixtureDir,
        startIndex: summary.startIndex,
        cursor: summary.cursor,
        head: summary.head,
        pages: summary.pages,
        totalPages: summary.totalPages,
        complete: summary.complete,
        anonymized: summary.anonymized,
      };
      if (args.json) {
        io.stdout(jsonLine(result));
      } else {
        io.stdout(
          `Recorded ${summary.pages} page(s) into ${args.fixtureDir} (indexes ${summary.startIndex}–${summary.cursor}, ${summary.totalPages} page(s) in the fixture)${summary.anonymized ? ', anonymized' : ''}; ${summary.complete ? `complete at head ${summary.head}` : `stopped at ${summary.cursor} of ${summary.head}: continue with --resume`}. Review the pages before committing them: they hold the account's data.\n`,
        );
      }
      return EXIT.ok;
    } catch (error) {
      progress.done();
      if (isFixtureError(error, 'FIXTURE_EXISTS')) {
        throw new ThingstapeError(
          'FIXTURE_EXISTS',
          `Cannot record into ${args.fixtureDir}: it already holds a fixture; continue it with --resume, or record into a new directory`,
          { cause: error },
        );
      }
      if (!isInterrupted(error)) throw error;
      io.stderr(
        `Interrupted. ${args.fixtureDir} holds complete pages up to index ${written.cursor}${written.head === null ? '' : ` of ${written.head}`}. Resume with:\n  ${commandLine(resumeArgv(invocation.argv))}\n`,
      );
      return EXIT.interrupted;
    } finally {
      interrupt.dispose();
      progress.done();
    }
  },
});

/** The arguments that continue a recording: `--resume` instead of `--from`. */
function resumeArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--from') {
      i++;
      continue;
    }
    if (word.startsWith('--from=')) continue;
    out.push(word);
  }
  if (!out.includes('--resume')) out.push('--resume');
  return out;
}
