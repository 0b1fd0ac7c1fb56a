/**
 * Real sqld servers as a {@link TestBackend}: the launcher is `tools/sqld.ts` (shared with the
 * benchmarks); this file hands its servers out to store tests and wipes them between tests.
 */
import { createClient } from '@libsql/client';
import { startSqld, type SqldServer } from '../../tools/sqld.ts';
import type { TestBackend } from './db.ts';

/**
 * A {@link TestBackend} on real sqld servers. Every `url()` hands out a server holding an empty
 * database: a recycled one when {@link SqldBackend.recycle} has wiped it, else a new one (about
 * 60 ms). `cleanup` stops them all, keeping their logs when `failed()` says so.
 */
export interface SqldBackend extends TestBackend {
  /** The servers in use (handed out since the last recycle). */
  readonly servers: readonly SqldServer[];
  /** Drops everything in the servers handed out so far and makes them available again. */
  recycle(): Promise<void>;
}

/** Makes a {@link SqldBackend}. */
export function sqldBackend(failed: () => boolean = () => false): SqldBackend {
  const servers: SqldServer[] = [];
  const idle: SqldServer[] = [];
  return {
    name: 'sqld',
    servers,
    async url() {
      const server = idle.pop() ?? (await startSqld());
      servers.push(server);
      return server.url;
    },
    async recycle() {
      for (const server of servers.splice(0)) {
        if (server.pid === undefined) {
          await server.stop({ keepLogs: failed() });
          continue;
        }
        await wipeSqld(server.url);
        idle.push(server);
      }
    },
    async cleanup() {
      const keepLogs = failed();
      for (const server of [...servers.splice(0), ...idle.splice(0)]) {
        await server.stop({ keepLogs });
      }
    },
  };
}

/** Drops every table (with its indexes and triggers) of the sqld database at `url`. */
export async function wipeSqld(url: string): Promise<void> {
  const client = createClient({ url });
  try {
    const result = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'libsql_%' AND name NOT LIKE '_litestream%'",
    );
    const names = result.rows.flatMap((row) => {
      const name = row['name'];
      return typeof name === 'string' ? [name] : [];
    });
    if (names.length > 0) {
      // migrate() runs the batch with foreign keys off, so parent tables (replaced_histories)
      // can be dropped whatever order their children come in.
      await client.migrate(
        names.map((name) => `DROP TABLE IF EXISTS "${name.replaceAll('"', '""')}"`),
      );
    }
  } finally {
    client.close();
  }
}
