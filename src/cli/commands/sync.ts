import { todayIn } from '../../engine/index.ts';
import type { CivilDate } from '../../protocol/types.ts';
import { liveSync, type ResetOutcome } from '../../sync/index.ts';
import {
  endInterrupted,
  finishChangeRun,
  finishedRunFields,
  runCounts,
  startChangeRun,
  withChangeRunOptions,
  type ChangeRunArgs,
} from '../change-run.ts';
import { baseUrlOption, cloudClientOf, credentialsFrom, type CloudArgs } from '../cloud-client.ts';
import { defineCommand } from '../command.ts';
import { authTokenOf, dbUrlOf, openStoreFor, withDbOptions, type DbArgs } from '../db-options.ts';
import { isInterrupted } from '../interrupt.ts';
import { dateOption, rateOption, timeoutOption, timeZoneOption } from '../options.ts';

interface SyncArgs extends DbArgs, CloudArgs, ChangeRunArgs {
  readonly tz: string | undefined;
  readonly today: CivilDate | undefined;
}

/** `thingstape sync`: live incremental sync of the account in the environment into the database. */
export const syncCommand = defineCommand<SyncArgs>({
  command: 'sync',
  describe:
    'Sync the Things Cloud history of the account in THINGS_USERNAME/THINGS_PASSWORD into the database and print the new changes; rebuilds after a history reset',
  examples: [
    ['sync --db file:things.db', 'sync the account into things.db, printing each new change'],
    ['sync --summary', 'only counts per change type'],
    [
      'sync --base-url http://127.0.0.1:8787 --rate 0 --json',
      'against a local `thingstape serve`, as NDJSON ending with a summary object',
    ],
  ],
  epilog:
    'Ctrl-C stops after the page being stored and prints the command that resumes. Anomalies: "thingstape help anomalies".',
  builder: (yargs) =>
    withChangeRunOptions(
      withDbOptions(yargs)
        .option(
          'tz',
          timeZoneOption(
            '--tz',
            'IANA time zone of the account owner (default: stored, else this machine’s)',
          ),
        )
        .option(
          'today',
          dateOption('--today', 'Reference date YYYY-MM-DD (default: today in that zone)'),
        ),
    )
      .option('base-url', baseUrlOption())
      .option('rate', rateOption('Requests per second at most (0 = no limit)'))
      .option('timeout', timeoutOption(60)),
  run: async (args, io, invocation) => {
    const { email, password } = credentialsFrom(io);
    const url = dbUrlOf(args, io);
    let store = await openStoreFor(args, io);
    const { progress, stream, interrupt } = startChangeRun(io, args, 'sync');
    try {
      const state = await store.syncState();
      const timeZone =
        args.tz ?? state.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
      const context = {
        timeZone,
        referenceDate: args.today ?? todayIn(timeZone, Date.now() / 1000),
      };
      const client = cloudClientOf(args, progress);
      const authToken = authTokenOf(args, io);
      const result = await liveSync({
        client,
        email,
        password,
        store,
        url,
        ...(authToken === undefined ? {} : { authToken }),
        context,
        ...(args.maxPages === undefined ? {} : { maxPages: args.maxPages }),
        onReset: (reason) =>
          progress.stderr(
            `History reset: ${reason}. Rebuilding from index 0 into a fresh database; the current one is replaced only when the rebuild completes.\n`,
          ),
        onPage: (outcome) => stream.page(outcome),
        onProgress: (p) => {
          progress.update(p.cursor, p.head, p.items);
          interrupt.check();
        },
      });
      store = result.store;
      result.reset?.previous?.close();
      progress.done();
      const { summary } = result;
      const kept =
        result.reset === null ? '' : ` Rebuilt after a history reset${keptWhere(result.reset)}.`;
      const line =
        summary.pages === 0
          ? `Nothing new from Things Cloud: ${store.url} is at cursor ${summary.cursor} of ${summary.head}.${kept}\n`
          : `Synced Things Cloud into ${store.url}: ${runCounts(summary, stream)}.${kept}\n`;
      return finishChangeRun(io, args, { stream, anomalies: summary.anomalies }, line, {
        ...finishedRunFields(store.url, summary),
        reset: result.reset === null ? null : result.reset.reason,
      });
    } catch (error) {
      progress.done();
      if (!isInterrupted(error)) throw error;
      return await endInterrupted(
        io,
        args,
        { store, stream, argv: invocation.argv },
        { db: store.url },
      );
    } finally {
      interrupt.dispose();
      progress.done();
      store.close();
    }
  },
});

/** Where the replaced history's change log was kept (file, or archive generation in the database). */
function keptWhere(reset: ResetOutcome): string {
  if (reset.previousPath !== undefined) {
    return `; the previous database (with its change log) is kept at ${reset.previousPath}`;
  }
  if (reset.archive !== undefined) {
    return `; the previous change log (${reset.archive.changes} change(s)) is kept in the same database as archive generation ${reset.archive.generation} (table change_log_archive)`;
  }
  return '';
}
