import { isThingstapeError } from '../../errors.ts';
import { replayFixture } from '../../replay/index.ts';
import type { Store } from '../../store/index.ts';
import { defineCommand } from '../command.ts';
import { parseCount, parseDate } from '../context.ts';
import { openStoreFor, withDbOptions, type DbArgs } from '../db-options.ts';
import { anomalyLine, changeJson, changeLine, table } from '../format.ts';
import { EXIT } from '../io.ts';
import { progressLine } from '../progress.ts';

interface ReplayArgs extends DbArgs {
  readonly fixture: string;
  readonly today: string | undefined;
  readonly tz: string | undefined;
  readonly maxPages: number | undefined;
  readonly anomalies: boolean;
  readonly summary: boolean;
}

/** `thingstape replay <fixture>`: serve a fixture as Things Cloud and sync it into the database. */
export const replayCommand = defineCommand<ReplayArgs>({
  command: 'replay <fixture>',
  describe:
    'Replay a fixture through the Things Cloud client into the database and print the changes; a second run continues from the stored cursor',
  builder: (yargs) =>
    withDbOptions(yargs)
      .positional('fixture', { type: 'string', demandOption: true, describe: 'Fixture directory' })
      .option('today', {
        type: 'string',
        describe: 'Reference date YYYY-MM-DD for items without a time (default: the recorded date)',
      })
      .option('tz', {
        type: 'string',
        describe: 'IANA time zone of the account owner (default: stored, else the fixture’s)',
      })
      .option('max-pages', { type: 'number', describe: 'Stop after this many pages' })
      .option('anomalies', {
        type: 'boolean',
        default: false,
        describe: 'Also print each anomaly (human output)',
      })
      .option('summary', {
        type: 'boolean',
        default: false,
        describe: 'Print counts per change type instead of every change (human output)',
      }) as never,
  run: async (args, io) => {
    const today = args.today === undefined ? undefined : parseDate(args.today, '--today');
    const maxPages = parseCount(args.maxPages, '--max-pages', 1);
    const store = await openStoreFor(args, io);
    const progress = progressLine(io, 'replay');
    // Ends the progress line once (a second done() would print a second newline on a terminal).
    let progressOpen = true;
    const endProgress = (): void => {
      if (progressOpen) progress.done();
      progressOpen = false;
    };
    const anomalyCounts = new Map<string, number>();
    const typeCounts = new Map<string, number>();
    const perChange = args.json || !args.summary;
    let committedPages = 0;
    try {
      const summary = await replayFixture({
        fixtureDir: args.fixture,
        store,
        ...(today === undefined ? {} : { today }),
        ...(args.tz === undefined ? {} : { timeZone: args.tz }),
        ...(maxPages === undefined ? {} : { maxPages }),
        onPage: (outcome) => {
          for (const change of outcome.changes) {
            typeCounts.set(change.type, (typeCounts.get(change.type) ?? 0) + 1);
            if (!perChange) continue;
            io.stdout(
              args.json ? `${JSON.stringify(changeJson(change))}\n` : `${changeLine(change)}\n`,
            );
          }
          for (const anomaly of outcome.anomalies) {
            anomalyCounts.set(anomaly.code, (anomalyCounts.get(anomaly.code) ?? 0) + 1);
            if (args.anomalies && !args.json) io.stdout(`${anomalyLine(anomaly)}\n`);
          }
        },
        onProgress: (p) => {
          committedPages = p.pages;
          progress.update(p.cursor, p.head, `${p.items} items`);
        },
      });
      endProgress();
      const anomalies = [...anomalyCounts].map(([code, n]) => `${code} ${n}`).join(', ');
      const line =
        summary.pages === 0
          ? `Nothing new in fixture "${summary.fixture}": the database is at cursor ${summary.cursor} of ${summary.head}.`
          : `Replayed fixture "${summary.fixture}" into ${store.url}: ${summary.pages} page(s), ${summary.items} item(s), ${summary.changes} change(s), ${summary.anomalies} anomal${summary.anomalies === 1 ? 'y' : 'ies'}${anomalies === '' ? '' : ` (${anomalies})`}; cursor ${summary.cursor} of ${summary.head}${summary.complete ? '' : ' (stopped by --max-pages)'}. Zone ${summary.context.timeZone}, reference date ${summary.context.referenceDate}.`;
      if (!perChange && typeCounts.size > 0) {
        const rows = [...typeCounts]
          .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1))
          .map(([type, n]) => [type, String(n)]);
        io.stdout(table(['change', 'count'], rows));
      }
      // In --json mode standard output carries only change lines.
      if (args.json) io.stderr(`${line}\n`);
      else io.stdout(`${line}\n`);
      return EXIT.ok;
    } catch (error) {
      if (!isThingstapeError(error) || error.code === 'USAGE') throw error;
      endProgress();
      io.stderr(`thingstape: ${error.message}\n`);
      // Where to resume, unless resuming is not the way out (another zone, a replaced history).
      const note = NO_RESUME.has(error.code) ? null : await storedSoFar(store, committedPages);
      if (note !== null) io.stderr(`${note}\n`);
      return EXIT.failure;
    } finally {
      endProgress();
      store.close();
    }
  },
});

const NO_RESUME: ReadonlySet<string> = new Set(['STATE_MISMATCH', 'HISTORY_RESET', 'REPLAY_BUSY']);

/**
 * After a failed replay, what the database holds: the cursor, and that pages are stored whole or
 * not at all, so running the command again resumes there. Null if even that cannot be read.
 */
async function storedSoFar(store: Store, committedPages: number): Promise<string | null> {
  try {
    const state = await store.syncState();
    const at =
      state.head === null ? `cursor ${state.cursor}` : `cursor ${state.cursor} of ${state.head}`;
    return `The database is at ${at} (${committedPages} page(s) committed by this run; a page is stored whole or not at all). Once the cause is fixed, run the same command again to resume from there.`;
  } catch {
    return null;
  }
}
