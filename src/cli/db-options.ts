import { openStore, type Store } from '../store/index.ts';
import type { Argv } from 'yargs';
import type { GlobalOptions } from './command.ts';
import type { CliIo } from './io.ts';

/** The default database: a local libSQL file in the working directory. */
export const DEFAULT_DB_URL = 'file:thingstape.db';

/** `--db` and `--auth-token`, shared by every command that opens a database. */
export interface DbArgs {
  readonly db: string;
  readonly authToken: string | undefined;
}

/** Adds `--db URL` and `--auth-token` to a command. */
export function withDbOptions<T extends GlobalOptions>(yargs: Argv<T>): Argv<T & DbArgs> {
  return yargs
    .option('db', {
      type: 'string',
      default: DEFAULT_DB_URL,
      describe: 'libSQL database URL: file:path.db, :memory:, http(s)://…, libsql://…',
    })
    .option('auth-token', {
      type: 'string',
      describe: 'Auth token for a libSQL server (default: $THINGSTAPE_AUTH_TOKEN)',
    }) as unknown as Argv<T & DbArgs>;
}

/** The auth token from the flag, else the environment; never printed. */
export function authTokenOf(args: DbArgs, io: CliIo): string | undefined {
  return args.authToken ?? io.env['THINGSTAPE_AUTH_TOKEN'] ?? undefined;
}

/** Opens (and migrates) the database named by `--db`, with the auth token if any. */
export async function openStoreFor(args: DbArgs, io: CliIo): Promise<Store> {
  const authToken = authTokenOf(args, io);
  return openStore(args.db, authToken === undefined ? {} : { authToken });
}
