import { readFixture } from '../../fixture/node.ts';
import { fixtureService, startServer } from '../../serve/index.ts';
import { defineCommand } from '../command.ts';
import { parseCount } from '../context.ts';
import { EXIT } from '../io.ts';

interface ServeArgs {
  readonly fixture: string;
  readonly port: number | undefined;
  readonly log: boolean;
}

/** `thingstape serve <fixture>`: the fixture as a local Things Cloud HTTP API on 127.0.0.1. */
export const serveCommand = defineCommand<ServeArgs>({
  command: 'serve <fixture>',
  describe:
    'Serve a fixture as a local Things Cloud HTTP API on 127.0.0.1 (account, history, items from any start index, commits against an in-memory head) until Ctrl-C',
  builder: (yargs) =>
    yargs
      .positional('fixture', { type: 'string', demandOption: true, describe: 'Fixture directory' })
      .option('port', { type: 'number', describe: 'Port to listen on (default: any free port)' })
      .option('log', {
        type: 'boolean',
        default: false,
        describe: 'Print each request to standard error',
      }) as never,
  run: async (args, io) => {
    const port = parseCount(args.port, '--port', 0);
    const fixture = await readFixture(args.fixture);
    const service = fixtureService(
      fixture,
      args.log ? { onRequest: (r) => io.stderr(`${r.method} ${r.url} → ${r.status}\n`) } : {},
    );
    const server = await startServer(service.handle, port === undefined ? {} : { port });
    const { head, first } = service.state();
    if (args.json) {
      io.stdout(
        `${JSON.stringify({ url: server.url, fixture: fixture.name, first, head, pages: fixture.manifest.pages.length })}\n`,
      );
    } else {
      io.stdout(`${server.url}\n`);
    }
    io.stderr(
      `Serving fixture "${fixture.name}" (${fixture.manifest.pages.length} page(s), groups ${first}–${head}) as Things Cloud at ${server.url}; history key "history-key-redacted", any e-mail and password. Ctrl-C stops.\n`,
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
    io.stderr(
      `Stopped on ${signal}; ${state.committed} commit(s) received (kept in memory only).\n`,
    );
    return EXIT.ok;
  },
});
