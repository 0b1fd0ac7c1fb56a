import { isThingstapeError } from '../../errors.ts';
import { replayFixture } from '../../replay/index.ts';
import type { Store } from '../../store/index.ts';
import { ANOMALIES_INTRO, anomalyHelp } from '../anomalies.ts';
import {
  endInterrupted,
  finishChangeRun,
  finishedRunFields,
  runCounts,
  startChangeRun,
  withChangeRunOptions,
  type ChangeRunArgs,
} from '../change-run.ts';
import { defineCommand } from '../command.ts';
import { openStoreFor, withDbOptions, type DbArgs } from '../db-options.ts';
import { requireFixture } from '../fixture-path.ts';
import { commandLine, isInterrupted } from '../interrupt.ts';
import { EXIT, styled } from '../io.ts';
import { dateOption, timeZoneOption } from '../options.ts';
import type { CivilDate } from '../../protocol/types.ts';

interface ReplayArgs extends DbArgs, ChangeRunArgs {
  readonly fixture: string;
  readonly today: CivilDate | undefined;
  readonly tz: string | undefined;
}

/** `thingstape replay <fixture>`: serve a fixture as Things Cloud and sync it into the database. */
export const replayCommand = defineCommand<ReplayArgs>({
  command: 'replay <fixture>',
  describe:
    'Replay a fixture through the Things Cloud client into the database and print the changes; a second run continues from the stored cursor',
  examples: [
    ['replay fixtures/realistic/account-5k --summary', 'replay into ./thingstape.db; counts only'],
    [
      'replay fixtures/synthetic/scheduling --db file:/tmp/demo.db --json',
      'one JSON change per line, then a summary object',
    ],
    ['replay fixtures/realistic/account-5k --anomalies', 'also list every anomaly'],
  ],
  epilog: `${ANOMALIES_INTRO}\n\nAnomaly codes:\n${anomalyHelp()}\n\nCtrl-C stops after the page being stored and prints the command that resumes.`,
  builder: (yargs) =>
    withChangeRunOptions(
      withDbOptions(yargs)
        .positional('fixture', {
          type: 'string',
          demandOption: true,
          describe: 'Fixture directory',
        })
        .option(
          'today',
          dateOption(
            '--today',
            'Reference date YYYY-MM-DD for items without a time (default: the recorded date)',
          ),
        )
        .option(
          'tz',
          timeZoneOption(
            '--tz',
            'IANA time zone of the account owner (default: stored, else the fixture’s)',
          ),
        ),
    ),
  run: async (args, io, invocation) => {
    // The fixture first: a wrong path must not leave a database file behind.
    const fixture = await requireFixture(args.fixture, io.cwd, 'replay');
    const store = await openStoreFor(args, io);
    const { progress, stream, interrupt } = startChangeRun(io, args, 'replay');
    let committedPages = 0;
    try {
      const summary = await replayFixture({
        fixtureDir: fixture.dir,
        store,
        ...(args.today === undefined ? {} : { today: args.today }),
        ...(args.tz === undefined ? {} : { timeZone: args.tz }),
        ...(args.maxPages === undefined ? {} : { maxPages: args.maxPages }),
        onPage: (outcome) => stream.page(outcome),
        onProgress: (p) => {
          committedPages = p.pages;
          progress.update(p.cursor, p.head, p.items);
          interrupt.check();
        },
      });
      progress.done();
      const fields = {
        fixture: summary.fixture,
        ...finishedRunFields(store.url, summary),
        timeZone: summary.context.timeZone,
        referenceDate: summary.context.referenceDate,
      };
      const line =
        summary.pages === 0
          ? `Nothing new in fixture "${summary.fixture}": the database is at cursor ${summary.cursor} of ${summary.head}.\n`
          : `Replayed fixture "${summary.fixture}" into ${store.url}: ${runCounts(summary, stream)}. Zone ${summary.context.timeZone}, reference date ${summary.context.referenceDate}.\n`;
      return finishChangeRun(io, args, { stream, anomalies: summary.anomalies }, line, fields);
    } catch (error) {
      progress.done();
      if (isInterrupted(error)) {
        return await endInterrupted(
          io,
          args,
          { store, stream, argv: invocation.argv, committedPages },
          { fixture: fixture.name, db: store.url, pages: committedPages },
        );
      }
      if (!isThingstapeError(error) || error.code === 'USAGE') throw error;
      io.stderr(`${styled(io, 'red', 'thingstape:')} ${error.message}\n`);
      // Where to resume, unless resuming is not the way out (another zone, a replaced history).
      const note = NO_RESUME.has(error.code) ? null : await storedSoFar(store, committedPages);
      if (note !== null) {
        io.stderr(
          `${note} Once the cause is fixed, run the same command again to resume from there:\n  ${commandLine(invocation.argv)}\n`,
        );
      }
      return EXIT.failure;
    } finally {
      interrupt.dispose();
      progress.done();
      store.close();
    }
  },
});

const NO_RESUME: ReadonlySet<string> = new Set(['STATE_MISMATCH', 'HISTORY_RESET', 'REPLAY_BUSY']);

/**
 * After a failed replay, what the database holds: the cursor, and that pages are stored whole or
 * not at all. Null if even that cannot be read.
 */
async function storedSoFar(store: Store, committedPages: number): Promise<string | null> {
  try {
    const state = await store.syncState();
    const at =
      state.head === null ? `cursor ${state.cursor}` : `cursor ${state.cursor} of ${state.head}`;
    return `The database is at ${at} (${committedPages} page(s) committed by this run; a page is stored whole or not at all).`;
  } catch {
    return null;
  }
}
