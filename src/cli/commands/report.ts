import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { CivilDate } from '../../protocol/types.ts';
import {
  buildDatabaseReport,
  collectDatabaseReport,
  renderDatabaseReport,
  writeReport,
} from '../../report/index.ts';
import { ANOMALY_MEANINGS } from '../anomalies.ts';
import { defineCommand } from '../command.ts';
import { viewDate } from '../context.ts';
import {
  checkDbUrl,
  dbUrlOf,
  localFilePath,
  openStoreFor,
  withDbOptions,
  type DbArgs,
} from '../db-options.ts';
import { jsonLine } from '../format.ts';
import { EXIT } from '../io.ts';
import { parseDate, stringOption, timeZoneOption } from '../options.ts';
import { UsageError } from '../usage-error.ts';

/** The most dates `--today` may name (each draws every list once more into the page). */
export const MAX_REPORT_DATES = 31;

interface ReportArgs extends DbArgs {
  readonly database: string | undefined;
  readonly output: string;
  readonly today: readonly CivilDate[] | undefined;
  readonly tz: string | undefined;
}

/** `thingstape report [db] --output DIR`: a database as one self-contained HTML page. */
export const reportCommand = defineCommand<ReportArgs>({
  command: 'report [database]',
  describe:
    'Write a database as one self-contained HTML page: a timeline of its changes, a page per to-do or project, the lists on chosen dates, anomalies and the sync ledger',
  examples: [
    ['report file:my.db --output report/', 'then open report/index.html (no network needed)'],
    [
      'report --db file:my.db --output report/ --today 2025-02-01 --today 2025-02-08',
      'the lists as the app shows them on two dates',
    ],
  ],
  epilog:
    'The page needs no server and loads nothing: attach the directory to a CI run as an artifact. It reads the database and changes nothing in it.',
  builder: (yargs) =>
    withDbOptions(yargs)
      .positional('database', {
        type: 'string',
        describe: 'The database URL (file:path.db, http(s)://…, libsql://…); the same as --db',
        coerce: (value: unknown) =>
          typeof value === 'string' ? checkDbUrl(value, '<database>') : undefined,
      })
      .option(
        'output',
        stringOption('--output', 'The directory to write the report into (as index.html)'),
      )
      .demandOption('output')
      .option('today', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe: `Draw the lists as of this date (YYYY-MM-DD); give it up to ${MAX_REPORT_DATES} times (default: the fixture's recorded date, else today)`,
        coerce: (value: unknown) => {
          const dates = (Array.isArray(value) ? value : [value]).map((v) =>
            parseDate(String(v), '--today'),
          );
          if (dates.length > MAX_REPORT_DATES) {
            throw new UsageError(
              `--today: given ${dates.length} times; the report draws the lists on at most ${MAX_REPORT_DATES} dates`,
            );
          }
          return [...new Set(dates)];
        },
      })
      .option(
        'tz',
        timeZoneOption(
          '--tz',
          'IANA time zone for days, times and today’s date (default: the stored one)',
        ),
      )
      .check((args) => {
        if (args.database !== undefined && args.db !== undefined) {
          throw new UsageError(
            `The database is given twice (${args.database} and --db ${args.db}): give one of them`,
          );
        }
        return true;
      }),
  run: async (args, io) => {
    const dbArgs: DbArgs = { ...args, db: args.database ?? args.db };
    const url = dbUrlOf(dbArgs, io);
    const path = localFilePath(url, io.cwd);
    if (path !== null && args.syncUrl === undefined && !existsSync(path)) {
      throw new UsageError(
        `Cannot report on database ${url}: no such file (${path}); run "thingstape replay <fixture> --db ${url}" or "thingstape sync --db ${url}" first`,
      );
    }
    const store = await openStoreFor(dbArgs, io);
    let html: string;
    let counts: { changes: number; entities: number; dates: readonly string[] };
    try {
      const state = await store.syncState();
      const first = viewDate({ today: args.today?.[0], tz: args.tz }, state, Date.now() / 1000);
      const dates =
        args.today === undefined || args.today.length === 0 ? [first.today] : args.today;
      const input = await collectDatabaseReport(store, {
        timeZone: first.timeZone,
        dates,
        dateWhy: first.why,
        anomalyMeanings: ANOMALY_MEANINGS,
      });
      const data = buildDatabaseReport(input);
      html = renderDatabaseReport(data);
      counts = {
        changes: input.changes.length,
        entities: input.entities.length,
        dates,
      };
    } finally {
      store.close();
    }
    const written = await writeReport(resolve(io.cwd, args.output), html);
    const shown = relative(io.cwd, written.file).split('\\').join('/') || written.file;
    if (args.json) {
      io.stdout(
        jsonLine({
          file: written.file,
          bytes: written.bytes,
          changes: counts.changes,
          entities: counts.entities,
          dates: counts.dates,
        }),
      );
    } else {
      io.stdout(
        `Wrote ${shown} (${Math.ceil(written.bytes / 1024).toLocaleString('en')} kB): ${counts.changes.toLocaleString('en')} change(s), ${counts.entities.toLocaleString('en')} entities, lists on ${counts.dates.join(', ')}. Open it in a browser; it loads nothing else.\n`,
      );
    }
    return EXIT.ok;
  },
});
