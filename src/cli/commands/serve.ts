import { ThingstapeError } from '../../errors.ts';
import { readFixture } from '../../fixture/node.ts';
import {
  fixtureService,
  SERVED_HISTORY_KEY,
  startServer,
  type RunningServer,
} from '../../serve/index.ts';
import { GUARD_MODES, type GuardMode } from '../../fake/guard.ts';
import { defineCommand } from '../command.ts';
import { requireFixture } from '../fixture-path.ts';
import { GUARD_OPTIONS, guardOptions, type GuardArgs } from '../guard-options.ts';
import { jsonLine } from '../format.ts';
import { EXIT } from '../io.ts';
import { portOption } from '../options.ts';

interface ServeArgs extends GuardArgs {
  readonly fixture: string;
  readonly port: number | undefined;
  readonly log: boolean;
  readonly guard: GuardMode;
}

/** `thingstape serve <fixture>`: the fixture as a local Things Cloud HTTP API on 127.0.0.1. */
export const serveCommand = defineCommand<ServeArgs>({
  command: 'serve <fixture>',
  describe:
    'Serve a fixture as a local Things Cloud HTTP API on 127.0.0.1 (account, history, items from any start index, commits against an in-memory head) until Ctrl-C',
  examples: [
    [
      'serve fixtures/realistic/account-5k --port 8787',
      'a fake Things Cloud at http://127.0.0.1:8787',
    ],
    [
      'serve fixtures/synthetic/notes --json',
      'any free port; the URL and the fixture as one JSON document',
    ],
    [
      'serve fixtures/synthetic/notes --guard report --strict',
      'accept every commit, and print each broken write rule (warnings too) to standard error',
    ],
  ],
  epilog:
    'Commits are checked by the write guard (the rules of "thingstape check-commit"): by default a commit that would break a real Things account is answered with HTTP 422 and the violations as JSON, and nothing is appended. --guard report appends it and prints the violations; --guard off accepts anything, as Things Cloud does.',
  builder: (yargs) =>
    yargs
      .positional('fixture', { type: 'string', demandOption: true, describe: 'Fixture directory' })
      .option('port', portOption('Port to listen on (default: any free port)'))
      .option('log', {
        type: 'boolean',
        default: false,
        describe: 'Print each request to standard error',
      })
      .option('guard', {
        type: 'string',
        choices: GUARD_MODES,
        default: 'reject' as const,
        describe: 'What to do with a commit that breaks the write rules',
      })
      .options(GUARD_OPTIONS),
  run: async (args, io) => {
    const port = args.port;
    const found = await requireFixture(args.fixture, io.cwd, 'serve');
    const fixture = await readFixture(found.dir);
    const service = fixtureService(fixture, {
      ...(args.log ? { onRequest: (r) => io.stderr(`${r.method} ${r.url} → ${r.status}\n`) } : {}),
      guard: {
        mode: args.guard,
        ...guardOptions(args),
        onViolations: (commit) => {
          const what = commit.verdict === 'rejected' ? 'rejected (HTTP 422)' : 'accepted';
          io.stderr(
            `Commit on ancestor ${commit.ancestor} ${what}: ${commit.violations.length} violation(s) of the write rules\n`,
          );
          for (const v of commit.violations) io.stderr(`  ${v.severity} ${v.code} ${v.message}\n`);
        },
      },
    });
    let server: RunningServer;
    try {
      server = await startServer(service.handle, port === undefined ? {} : { port });
    } catch (error) {
      throw listenError(error, port);
    }
    const { head, first } = service.state();
    if (args.json) {
      io.stdout(
        jsonLine({
          url: server.url,
          fixture: fixture.name,
          first,
          head,
          pages: fixture.manifest.pages.length,
          guard: args.guard,
        }),
      );
    } else {
      io.stdout(`${server.url}\n`);
    }
    io.stderr(
      `Serving fixture "${fixture.name}" (${fixture.manifest.pages.length} page(s), groups ${first}–${head}) as Things Cloud at ${server.url}; history key "${SERVED_HISTORY_KEY}", any e-mail and password; write guard: ${args.guard}. Ctrl-C stops.\n`,
    );
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const stop = (name: NodeJS.Signals): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(name);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    const state = service.state();
    const rejected = state.guarded.filter((c) => c.verdict === 'rejected').length;
    io.stderr(
      `Stopped on ${signal}; ${state.committed} commit(s) received (kept in memory only), ${rejected} rejected by the write guard.\n`,
    );
    return EXIT.ok;
  },
});

/** A port that is taken or not ours to take, said so (not an uncaught `EADDRINUSE`). */
function listenError(error: unknown, port: number | undefined): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `127.0.0.1:${port ?? 0}`;
  if (code === 'EADDRINUSE') {
    return new ThingstapeError(
      'PORT_IN_USE',
      `Cannot listen on ${where}: the port is in use; choose another --port, or leave --port out for a free one`,
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new ThingstapeError(
      'PORT_DENIED',
      `Cannot listen on ${where}: ports below 1024 need extra rights; choose a --port from 1024 up`,
      { cause: error },
    );
  }
  return error;
}
