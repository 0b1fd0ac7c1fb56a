import { randomBytes } from 'node:crypto';
import { RecorderError, recordHistory } from '../../../recorder/index.ts';
import { CloudClient, THINGS_CLOUD_URL, type RetryEvent } from '../../cloud/index.ts';
import { isValidTimeZone } from '../../engine/index.ts';
import { defineCommand } from '../command.ts';
import { EXIT, type CliIo } from '../io.ts';
import { progressLine } from '../progress.ts';
import { UsageError } from '../usage-error.ts';

interface RecordArgs {
  readonly fixtureDir: string;
  readonly resume: boolean;
  readonly from: number | undefined;
  readonly maxPages: number | undefined;
  readonly rate: number;
  readonly timeZone: string | undefined;
  readonly anonymize: boolean;
  readonly baseUrl: string;
  readonly timeout: number;
}

/** Credentials from THINGS_USERNAME / THINGS_PASSWORD only (never flags: they end up in shell history). */
export function credentialsFrom(io: CliIo): { email: string; password: string } {
  const email = io.env['THINGS_USERNAME'];
  const password = io.env['THINGS_PASSWORD'];
  if (email === undefined || email === '' || password === undefined || password === '') {
    throw new RecorderError(
      'MISSING_CREDENTIALS',
      'Cannot sign in to Things Cloud: set THINGS_USERNAME and THINGS_PASSWORD in the environment (credentials are never accepted as flags)',
    );
  }
  return { email, password };
}

/** A retry line for standard error; it names no secret. */
export function retryLine(event: RetryEvent): string {
  return `retrying ${event.what} in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt} failed: ${event.error.code}${event.error.status === null ? '' : ` ${event.error.status}`})\n`;
}

/** `thingstape record <fixture-dir>`: record a live history into a fixture. */
export const recordCommand = defineCommand<RecordArgs>({
  command: 'record <fixture-dir>',
  describe:
    'Record the Things Cloud history of the account in THINGS_USERNAME/THINGS_PASSWORD into a fixture, page by page (resumable; secrets never written)',
  builder: (yargs) =>
    yargs
      .positional('fixture-dir', {
        type: 'string',
        demandOption: true,
        describe: 'Fixture directory',
      })
      .option('resume', {
        type: 'boolean',
        default: false,
        describe: 'Continue an interrupted recording after its last complete page',
      })
      .option('from', {
        type: 'number',
        describe: 'Start a new recording at this cursor (default 0)',
      })
      .option('max-pages', { type: 'number', describe: 'Stop after this many pages (resumable)' })
      .option('rate', {
        type: 'number',
        default: 1,
        describe: 'Requests per second at most (0 = no limit; keep 1 for a live account)',
      })
      .option('time-zone', {
        type: 'string',
        describe: 'IANA zone of the account owner for the manifest (default: this machine’s)',
      })
      .option('anonymize', {
        type: 'boolean',
        default: false,
        describe:
          'Replace titles, notes and checklist text with stand-ins (ids and structure kept)',
      })
      .option('base-url', {
        type: 'string',
        default: THINGS_CLOUD_URL,
        describe: 'Things Cloud base URL (point it at a fake or local server)',
      })
      .option('timeout', {
        type: 'number',
        default: 60,
        describe: 'Seconds to wait for one response',
      }) as never,
  run: async (args, io) => {
    if (args.resume && args.from !== undefined) {
      throw new UsageError(
        '--from and --resume exclude each other: a resumed recording continues where it stopped',
      );
    }
    for (const [flag, value] of [
      ['--from', args.from],
      ['--max-pages', args.maxPages],
    ] as const) {
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
        throw new UsageError(`${flag}: expected a non-negative integer, got ${value}`);
      }
    }
    if (!(args.rate >= 0)) throw new UsageError(`--rate: expected a number ≥ 0, got ${args.rate}`);
    if (!(args.timeout > 0))
      throw new UsageError(`--timeout: expected seconds > 0, got ${args.timeout}`);
    const timeZone = args.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!isValidTimeZone(timeZone))
      throw new UsageError(`--time-zone: unknown time zone "${timeZone}"`);
    const { email, password } = credentialsFrom(io);
    const client = new CloudClient({
      baseUrl: args.baseUrl,
      timeoutMs: args.timeout * 1000,
      minIntervalMs: args.rate === 0 ? 0 : 1000 / args.rate,
      onRetry: (event) => io.stderr(retryLine(event)),
    });
    const progress = progressLine(io, 'record');
    try {
      const summary = await recordHistory({
        dir: args.fixtureDir,
        client,
        email,
        password,
        timeZone,
        resume: args.resume,
        ...(args.from === undefined ? {} : { from: args.from }),
        ...(args.maxPages === undefined ? {} : { maxPages: args.maxPages }),
        ...(args.anonymize ? { anonymizeSalt: new Uint8Array(randomBytes(32)) } : {}),
        onPage: (p) => progress.update(p.endIndex, p.head, `${p.pages} page(s)`),
        log: (line) => io.stderr(`warning: ${line}\n`),
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
        io.stdout(`${JSON.stringify(result)}\n`);
      } else {
        io.stdout(
          `Recorded ${summary.pages} page(s) into ${args.fixtureDir} (indexes ${summary.startIndex}–${summary.cursor}, ${summary.totalPages} page(s) in the fixture)${summary.anonymized ? ', anonymized' : ''}; ${summary.complete ? `complete at head ${summary.head}` : `stopped at ${summary.cursor} of ${summary.head}: continue with --resume`}. Review the pages before committing them: they hold the account's data.\n`,
        );
      }
      return EXIT.ok;
    } finally {
      progress.done();
    }
  },
});
