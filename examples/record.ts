#!/usr/bin/env -S node
/**
 * Re-records the example cassettes against the fake Things Cloud (an in-memory service with the
 * real protocol: account check, paging, commits with ancestor checks), served on 127.0.0.1 for the
 * duration of the run (a fresh one for each file). No live account is touched.
 *
 *   node examples/record.ts                       # every example
 *   node examples/record.ts examples/tags.scenario.ts
 *
 * The same as starting any Things Cloud compatible service and running
 *   THINGS_USERNAME=… THINGS_PASSWORD=… thingstape run examples --mode record --allow-net --base-url <url>
 */
import { main } from '../src/cli/main.ts';
import { processIo } from '../src/cli/io.ts';
import { FakeThingsCloud } from '../src/fake/index.ts';
import { findScenarioFiles } from '../src/harness/index.ts';
import { mswHandler, startServer } from '../src/serve/index.ts';

const account = {
  email: 'scenario-recorder@example.com',
  password: 'fake password for the examples',
  historyKey: '0b6f3a52-9c1e-4d7a-8e25-3f4c6d7e8a91',
};
const args = process.argv.slice(2);
const files = await findScenarioFiles(
  args.length === 0 ? [import.meta.dirname] : args,
  process.cwd(),
);
let exitCode = 0;
// One fresh service per file, so each cassette starts from an empty history whatever ran before.
for (const file of files) {
  const fake = new FakeThingsCloud({ account });
  const server = await startServer(mswHandler(fake.handlers(), fake.baseUrl));
  try {
    const io = processIo();
    const code = await main(
      ['run', file, '--mode', 'record', '--allow-net', '--base-url', server.url],
      {
        ...io,
        env: {
          ...io.env,
          CI: '',
          THINGS_USERNAME: account.email,
          THINGS_PASSWORD: account.password,
        },
      },
    );
    exitCode = Math.max(exitCode, code);
  } finally {
    await server.close();
  }
}
process.exitCode = exitCode;
