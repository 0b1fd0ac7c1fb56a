/**
 * Errors a user can meet, each with the exact first line it prints ("Cannot X: why; hint"), its
 * exit code, and what it leaves on disk (nothing). No user mistake prints a stack trace; an
 * unexpected error prints one line and how to see the trace.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { REPO, runCli, type CliRun } from '../../support/cli.ts';

const FIXTURE = join(REPO, 'fixtures', 'synthetic', 'notes');
const CREDENTIALS = { THINGS_USERNAME: 'someone@example.org', THINGS_PASSWORD: 'x' };

let root = '';
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'thingstape-errors-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh empty directory for one test. */
async function emptyDir(): Promise<string> {
  n += 1;
  const dir = join(root, String(n));
  await mkdir(dir);
  return dir;
}

function firstLine(run: CliRun): string {
  return run.stderr.split('\n')[0] ?? '';
}

/** A plain HTTP server on a loopback port (what a TLS client meets at a local sqld). */
async function plainHttpServer(): Promise<Server> {
  const server = createServer((_req, res) => res.end('plain'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('database URLs', () => {
  it('refuses a plain path with the file: URL it probably meant', async () => {
    const cwd = await emptyDir();
    const run = await runCli(['status', '--db', '/tmp/x.db'], { cwd });
    expect(run.code).toBe(2);
    expect(firstLine(run)).toBe(
      'thingstape: Cannot open database "/tmp/x.db": a path is not a database URL; did you mean --db file:/tmp/x.db?',
    );
  });

  it('reads $THINGSTAPE_DB when --db is not given, and refuses a plain path there too', async () => {
    const cwd = await emptyDir();
    const db = pathToFileURL(join(cwd, 'from-env.db')).href;
    const replay = await runCli(['replay', FIXTURE], { cwd, env: { THINGSTAPE_DB: db } });
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`Replayed fixture "notes" into ${db}:`);
    expect(await readdir(cwd)).toContain('from-env.db');
    // --db wins over the environment.
    const other = pathToFileURL(join(cwd, 'flag.db')).href;
    const status = await runCli(['status', '--db', other, '--json'], {
      cwd,
      env: { THINGSTAPE_DB: db },
    });
    expect(status.code).toBe(2);
    expect(firstLine(status)).toContain(`Cannot read database ${other}: no such file`);

    const plain = await runCli(['status'], { cwd, env: { THINGSTAPE_DB: 'x.db' } });
    expect(plain.code).toBe(2);
    expect(firstLine(plain)).toBe(
      'thingstape: Cannot open database "x.db": a path is not a database URL; did you mean $THINGSTAPE_DB=file:x.db?',
    );
  });

  it('says which directory is missing instead of the driver’s ConnectionFailed(…: 14)', async () => {
    const cwd = await emptyDir();
    const missing = join(cwd, 'no', 'such');
    const url = `file:${missing}/x.db`;
    const run = await runCli(['replay', FIXTURE, '--db', url], { cwd });
    expect({ code: run.code, stdout: run.stdout, first: firstLine(run) }).toEqual({
      code: 1,
      stdout: '',
      first: `thingstape: Cannot open database ${url}: directory ${missing} does not exist; create it first (mkdir -p ${missing}) or choose another path`,
    });
    expect(await readdir(cwd)).toEqual([]);
  });

  it('says the server does not speak TLS instead of OpenSSL’s "wrong version number"', async () => {
    const server = await plainHttpServer();
    try {
      const { port } = server.address() as AddressInfo;
      const run = await runCli(['status', '--db', `libsql://127.0.0.1:${port}`]);
      expect({ code: run.code, stderr: run.stderr }).toEqual({
        code: 1,
        stderr: `thingstape: Cannot open database libsql://127.0.0.1:${port}: the server does not speak TLS (it answered in plain HTTP); use http://127.0.0.1:${port} or libsql://127.0.0.1:${port}?tls=0\n`,
      });
    } finally {
      server.close();
    }
  });

  it('says nothing listens at a server address', async () => {
    const server = await plainHttpServer();
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const run = await runCli(['status', '--db', `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(firstLine(run)).toBe(
      `thingstape: Cannot open database http://127.0.0.1:${port}: nothing accepts connections at 127.0.0.1:${port}; is the libSQL server running there?`,
    );
  });
});

describe('fixtures', () => {
  it('refuses a missing fixture before creating the database, without a resume hint', async () => {
    const cwd = await emptyDir();
    const run = await runCli(['replay', 'nope', '--db', 'file:x.db'], { cwd });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'thingstape: Cannot replay nope: no such directory; name a fixture directory (one holding manifest.json)\n',
    });
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses a file as a fixture, and a missing fixture to serve', async () => {
    const cwd = await emptyDir();
    await writeFile(join(cwd, 'file.json'), '{}');
    const file = await runCli(['replay', 'file.json', '--db', 'file:x.db'], { cwd });
    expect(firstLine(file)).toBe(
      'thingstape: Cannot replay file.json: it is a file; name a fixture directory (one holding manifest.json)',
    );
    const serve = await runCli(['serve', 'nope'], { cwd });
    expect({ code: serve.code, first: firstLine(serve) }).toEqual({
      code: 1,
      first:
        'thingstape: Cannot serve nope: no such directory; name a fixture directory (one holding manifest.json)',
    });
    expect(await readdir(cwd)).toEqual(['file.json']);
  });

  it('refuses to generate into a directory that holds a fixture (not "pass { resume: true }")', async () => {
    const cwd = await emptyDir();
    expect((await runCli(['gen', 'out', '--items', '20', '--seed', '1'], { cwd })).code).toBe(0);
    const again = await runCli(['gen', 'out', '--items', '20', '--seed', '1'], { cwd });
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'thingstape: Cannot generate a fixture in out: it already holds a fixture; choose a new directory, or delete this one first\n',
    });
  });

  it('refuses to generate into a file, without a stack trace', async () => {
    const cwd = await emptyDir();
    await writeFile(join(cwd, 'passwd'), 'root:x:0:0\n');
    const run = await runCli(['gen', 'passwd', '--items', '20', '--seed', '1'], { cwd });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'thingstape: Cannot generate a fixture in passwd: it is a file, not a directory; name a new directory\n',
    });
  });

  it.runIf(existsSync('/proc/self'))(
    'fails at once where the directory cannot be created (/proc), instead of hanging',
    async () => {
      const run = await runCli(['gen', '/proc/thingstape-gen', '--items', '20', '--seed', '1']);
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'thingstape: Cannot generate a fixture in /proc/thingstape-gen: cannot create directory /proc/thingstape-gen (ENOENT); choose a directory you can write to\n',
      });
    },
    20_000,
  );
});

describe('serve', () => {
  it('says the port is in use instead of an uncaught EADDRINUSE', async () => {
    const busy = await plainHttpServer();
    try {
      const { port } = busy.address() as AddressInfo;
      const run = await runCli(['serve', FIXTURE, '--port', String(port)]);
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `thingstape: Cannot listen on 127.0.0.1:${port}: the port is in use; choose another --port, or leave --port out for a free one\n`,
      });
    } finally {
      busy.close();
    }
  });
});

describe('flags checked before anything opens', () => {
  it('refuses an unknown --tz before the database file exists', async () => {
    const cwd = await emptyDir();
    for (const command of [['sync'], ['replay', FIXTURE]]) {
      const run = await runCli([...command, '--db', 'file:tz.db', '--tz', 'Mars/Olympus'], {
        cwd,
        env: CREDENTIALS,
      });
      expect({ code: run.code, first: firstLine(run) }).toEqual({
        code: 2,
        first:
          'thingstape: --tz: unknown time zone "Mars/Olympus"; expected an IANA name such as Europe/Berlin or America/New_York',
      });
    }
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses a --timeout no timer can wait (1e400 is Infinity) for sync and record', async () => {
    for (const command of [['sync'], ['record', 'rec']]) {
      const run = await runCli([...command, '--timeout', '1e400'], { env: CREDENTIALS });
      expect({ code: run.code, first: firstLine(run) }).toEqual({
        code: 2,
        first:
          'thingstape: --timeout: expected seconds greater than 0 and at most 2147483, got "1e400"',
      });
    }
  });

  it('refuses a --base-url that is not http(s) instead of retrying it as a network failure', async () => {
    for (const url of ['ftp://example.org', 'example.org', 'file:///etc']) {
      const run = await runCli(['sync', '--base-url', url], { env: CREDENTIALS });
      expect({ code: run.code, first: firstLine(run) }).toEqual({
        code: 2,
        first: `thingstape: --base-url: expected an http:// or https:// URL, got ${JSON.stringify(url)}`,
      });
    }
  });

  it('refuses serve --port 70000 with a message, not a RangeError', async () => {
    const run = await runCli(['serve', FIXTURE, '--port', '70000']);
    expect(run.code).toBe(2);
    expect(firstLine(run)).toBe(
      'thingstape: --port: expected a whole number from 0 to 65535, got "70000"',
    );
  });
});

describe('unexpected errors', () => {
  /** An io whose standard output fails: an error no command expects. */
  function brokenIo(env: Record<string, string> = {}): { io: CliIo; err: () => string } {
    let err = '';
    return {
      io: {
        stdout: () => {
          throw new TypeError('the pipe broke in a way nobody expected');
        },
        stderr: (text) => void (err += text),
        isTty: false,
        env,
        cwd: REPO,
      },
      err: () => err,
    };
  }

  it('prints one line and how to see the stack trace', async () => {
    const { io, err } = brokenIo();
    expect(await main(['fixture', 'verify', FIXTURE], io)).toBe(1);
    expect(err()).toBe(
      'thingstape: unexpected error (TypeError: the pipe broke in a way nobody expected); this is a bug in thingstape: run the command again with --verbose (or THINGSTAPE_DEBUG=1) to see the stack trace\n',
    );
  });

  it('prints the stack trace with --verbose or THINGSTAPE_DEBUG=1', async () => {
    const verbose = brokenIo();
    expect(await main(['fixture', 'verify', FIXTURE, '--verbose'], verbose.io)).toBe(1);
    expect(verbose.err()).toMatch(
      /^thingstape: unexpected error \(TypeError: .*\n.*TypeError: the pipe broke/s,
    );
    expect(verbose.err()).toMatch(/\n\s+at /);
    const debug = brokenIo({ THINGSTAPE_DEBUG: '1' });
    expect(await main(['fixture', 'verify', FIXTURE], debug.io)).toBe(1);
    expect(debug.err()).toMatch(/\n\s+at /);
  });

  it('names the file of a system error in one line', async () => {
    const run = await runCli([
      'run',
      'examples/today-complete.scenario.ts',
      '--reporter',
      'json',
      '--output',
      '/nonexistent-thingstape-dir/report.json',
    ]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 1,
      stderr:
        'thingstape: Cannot open /nonexistent-thingstape-dir/report.json: no such file or directory (ENOENT)\n',
    });
  });
});
