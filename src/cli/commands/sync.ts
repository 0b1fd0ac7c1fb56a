import { CloudClient, THINGS_CLOUD_URL } from '../../cloud/index.ts';
import { isValidTimeZone, todayIn } from '../../engine/index.ts';
import { liveSync, type ResetOutcome } from '../../sync/index.ts';
import { defineCommand } from '../command.ts';
import { parseDate } from '../context.ts';
import { authTokenOf, openStoreFor, withDbOptions, type DbArgs } from '../db-options.ts';
import { anomalyLine, changeJson, changeLine } from '../format.ts';
import { EXIT } from '../io.ts';
import { progressLine } from '../progress.ts';
import { UsageError } from '../usage-error.ts';
import { credentialsFrom, retryLine } from './record.ts';

interface SyncArgs extends DbArgs {
  readonly tz: string | undefined;
  readonly today: string | undefined;
  readonly maxPages: number | undefined;
  readonly anomalies: boolean;
  readonly baseUrl: string;
  readonly rate: number;
  readonly timeout: number;
}

/** `thingstape sync`: live incremental sync of the account in the environment into the database. */
export const syncCommand = defineCommand<SyncArgs>({
  command: 'sync',
  describe:
    'Sync the Things Cloud history of the account in THINGS_USERNAME/THINGS_PASSWORD into the database and print the new changes; rebuilds after a history reset',
  builder: (yargs) =>
    withDbOptions(yargs)
      .option('tz', {
        type: 'string',
        describe: 'IANA time zone of the account owner (default: stored, else this machine’s)',
      })
      .option('today', {
        type: 'string',
        describe: 'Reference date YYYY-MM-DD (default: today in that zone)',
      })
      .option('max-pages', { type: 'number', describe: 'Stop after this many pages' })
      .option('anomalies', {
        type: 'boolean',
        default: false,
        describe: 'Also print each anomaly (human output)',
      })
      .option('base-url', {
        type: 'string',
        default: THINGS_CLOUD_URL,
        describe: 'Things Cloud base URL (point it at a fake or local server)',
      })
      .option('rate', {
        type: 'number',
        default: 1,
        describe: 'Requests per second at most (0 = no limit)',
      })
      .option('timeout', {
        type: 'number',
        default: 60,
        describe: 'Seconds to wait for one response',
      }) as never,
  run: async (args, io) => {
    if (
      args.maxPages !== undefined &&
      (!Number.isSafeInteger(args.maxPages) || args.maxPages < 1)
    ) {
      throw new UsageError(`--max-pages: expected a positive integer, got ${args.maxPages}`);
    }
    if (!(args.rate >= 0)) throw new UsageError(`--rate: expected a number ≥ 0, got ${args.rate}`);
    if (!(args.timeout > 0))
      throw new UsageError(`--timeout: expected seconds > 0, got ${args.timeout}`);
    const today = args.today === undefined ? undefined : parseDate(args.today, '--today');
    const { email, password } = credentialsFrom(io);
    let store = await openStoreFor(args, io);
    const progress = progressLine(io, 'sync');
    const anomalyCounts = new Map<string, number>();
    try {
      const state = await store.syncState();
      const timeZone =
        args.tz ?? state.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (!isValidTimeZone(timeZone)) throw new UsageError(`--tz: unknown time zone "${timeZone}"`);
      const context = { timeZone, referenceDate: today ?? todayIn(timeZone, Date.now() / 1000) };
      const client = new CloudClient({
        baseUrl: args.baseUrl,
        timeoutMs: args.timeout * 1000,
        minIntervalMs: args.rate === 0 ? 0 : 1000 / args.rate,
        onRetry: (event) => io.stderr(retryLine(event)),
      });
      const authToken = authTokenOf(args, io);
      const result = await liveSync({
        client,
        email,
        password,
        store,
        url: args.db,
        ...(authToken === undefined ? {} : { authToken }),
        context,
        ...(args.maxPages === undefined ? {} : { maxPages: args.maxPages }),
        onReset: (reason) =>
          io.stderr(
            `History reset: ${reason}. Rebuilding from index 0 into a fresh database; the current one is replaced only when the rebuild completes.\n`,
          ),
        onPage: (outcome) => {
          for (const change of outcome.changes) {
            io.stdout(
              args.json ? `${JSON.stringify(changeJson(change))}\n` : `${changeLine(change)}\n`,
            );
          }
          for (const anomaly of outcome.anomalies) {
            anomalyCounts.set(anomaly.code, (anomalyCounts.get(anomaly.code) ?? 0) + 1);
            if (args.anomalies && !args.json) io.stdout(`${anomalyLine(anomaly)}\n`);
          }
        },
        onProgress: (p) => progress.update(p.cursor, p.head, `${p.items} items`),
      });
      store = result.store;
      result.reset?.previous?.close();
      progress.done();
      const { summary } = result;
      const anomalies = [...anomalyCounts].map(([code, n]) => `${code} ${n}`).join(', ');
      const kept =
        result.reset === null ? '' : ` Rebuilt after a history reset${keptWhere(result.reset)}.`;
      const line =
        summary.pages === 0
          ? `Nothing new from Things Cloud: ${store.url} is at cursor ${summary.cursor} of ${summary.head}.${kept}`
          : `Synced Things Cloud into ${store.url}: ${summary.pages} page(s), ${summary.items} item(s), ${summary.changes} change(s), ${summary.anomalies} anomal${summary.anomalies === 1 ? 'y' : 'ies'}${anomalies === '' ? '' : ` (${anomalies})`}; cursor ${summary.cursor} of ${summary.head}${summary.complete ? '' : ' (stopped by --max-pages)'}.${kept}`;
      if (args.json) io.stderr(`${line}\n`);
      else io.stdout(`${line}\n`);
      return EXIT.ok;
    } finally {
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
