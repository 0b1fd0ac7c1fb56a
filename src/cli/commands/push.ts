import { openDb, pushLedger, type Db, type PushSummary } from '../../store/index.ts';
import { defineCommand } from '../command.ts';
import {
  authTokenOf,
  checkDbUrl,
  checkLocalDirectory,
  dbOptionsOf,
  dbUrlOf,
  explainOpenError,
  withDbOptions,
  type DbArgs,
  resolveDbUrl,
} from '../db-options.ts';
import { jsonLine } from '../format.ts';
import { EXIT, type CliIo } from '../io.ts';
import { wholeNumberOption } from '../options.ts';

interface PushArgs extends DbArgs {
  readonly to: string;
  readonly toAuthToken: string | undefined;
  readonly batch: number | undefined;
  readonly all: boolean;
  readonly fresh: boolean;
}

/** The auth token for `--to`: `--to-auth-token`, `$THINGSTAPE_TO_AUTH_TOKEN`, else `--db`'s. */
function remoteTokenOf(args: PushArgs, io: CliIo): string | undefined {
  return args.toAuthToken ?? io.env['THINGSTAPE_TO_AUTH_TOKEN'] ?? authTokenOf(args, io);
}

/**
 * `thingstape push --to URL`: send what the local sync ledger marks pending or errored (records,
 * then logs and the cursor) to a remote libSQL database, and record each outcome in the ledger.
 */
export const pushCommand = defineCommand<PushArgs>({
  command: 'push',
  describe:
    'Push the local database to a remote libSQL database (sqld, Turso): only records the sync ledger marks pending or errored, then the change log and the cursor; run it again to retry failures',
  examples: [
    ['push --db file:work.db --to libsql://team-db.turso.io', 'send what changed to Turso'],
    [
      'push --db file:work.db --to http://127.0.0.1:8080 --json',
      'to a local sqld; the result as one JSON document',
    ],
  ],
  builder: (yargs) =>
    withDbOptions(yargs)
      .option('to', {
        type: 'string',
        requiresArg: true,
        demandOption: true,
        describe: 'Remote database URL: http(s)://…, libsql://… (add ?tls=0 for plain HTTP)',
        coerce: (value: unknown) => checkDbUrl(String(value), '--to'),
      })
      .option('to-auth-token', {
        type: 'string',
        requiresArg: true,
        describe:
          'Auth token for --to (default: $THINGSTAPE_TO_AUTH_TOKEN, else the --db auth token)',
      })
      .option(
        'batch',
        wholeNumberOption('--batch', 'Records per remote write batch (default 200)', { min: 1 }),
      )
      .option('all', {
        type: 'boolean',
        default: false,
        describe: 'Resend every record, also those the ledger marks synced (for a rebuilt remote)',
      })
      .option('fresh', {
        type: 'boolean',
        default: false,
        describe:
          'Push only into a fresh database: refuse a remote that holds any history or record',
      }),
  run: async (args, io) => {
    const url = dbUrlOf(args, io);
    const localUrl = resolveDbUrl(url, io.cwd);
    checkLocalDirectory(url, localUrl);
    const local = await openDb(localUrl, dbOptionsOf(args, io)).catch((error: unknown) => {
      throw explainOpenError(error, url);
    });
    let remote: Db;
    try {
      const token = remoteTokenOf(args, io);
      remote = await openDb(
        resolveDbUrl(args.to, io.cwd),
        token === undefined ? {} : { authToken: token },
      );
    } catch (error) {
      local.close();
      throw explainOpenError(error, args.to);
    }
    try {
      const summary = await pushLedger({
        local,
        remote,
        now: () => Date.now() / 1000,
        all: args.all,
        fresh: args.fresh,
        ...(args.batch === undefined ? {} : { recordsPerBatch: args.batch }),
      });
      const line = summaryLine(local.url, summary);
      if (args.json) {
        io.stdout(jsonLine(summary));
        io.stderr(`${line}\n`);
      } else {
        io.stdout(`${line}\n`);
      }
      return summary.complete ? EXIT.ok : EXIT.failure;
    } finally {
      local.close();
      remote.close();
    }
  },
});

function summaryLine(from: string, s: PushSummary): string {
  const sent = `${s.synced} record(s) and ${s.logRows} log row(s) in ${s.batches} batch(es)`;
  if (s.complete) {
    return s.batches === 0
      ? `Nothing to push from ${from}: ${s.remote} is up to date at cursor ${s.remoteCursor}.`
      : `Pushed ${sent} from ${from} to ${s.remote}; remote cursor ${s.remoteCursor}.`;
  }
  const why =
    s.errors.length > 0
      ? `${s.failed > 0 ? `${s.failed} record(s) failed` : 'sending the logs and cursor failed'}; last error: ${s.errors.at(-1)}`
      : 'records changed while pushing';
  return `Push from ${from} to ${s.remote} is incomplete: sent ${sent}; ${why}. Remote cursor ${s.remoteCursor}. Run thingstape push again to retry.`;
}
