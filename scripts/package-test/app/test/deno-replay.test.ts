// Deno's own test runner (`deno test`): vitest's hooks do not exist there, so the test opens the
// replay itself with openFixtureReplay from the package root.
import { openFixtureReplay } from 'thingstape';

declare const Deno: { test(name: string, fn: () => Promise<void>): void };

Deno.test('a recorded account shows Today', async () => {
  const replay = await openFixtureReplay('fixtures/my-account');
  try {
    const titles = (await replay.list('today')).map((row) => row.title);
    if (!titles.includes('Pay rent')) throw new Error(`Today is ${JSON.stringify(titles)}`);
  } finally {
    await replay.close();
  }
});
