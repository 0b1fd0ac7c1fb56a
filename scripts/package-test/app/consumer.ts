// A user's TypeScript code against the installed package: typical calls with their types, checked
// by `tsc` under module nodenext, strict and the default lib. The package test adds
// every-export.ts, which imports every runtime export of every entry point by name.
import * as fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  fixtureServer,
  isThingstapeError,
  openFixtureReplay,
  openStore,
  replayFixture,
  type FixtureReplay,
  type ReplaySummary,
  type Store,
} from 'thingstape';
import { FakeThingsCloud, generatedGroups } from 'thingstape/fake';
import { parseManifest, type FixtureManifest } from 'thingstape/fixture';
import { scenario, type TodoInput } from 'thingstape/harness';
import { decodePageText, type CivilDate } from 'thingstape/protocol';
import { wireHistory } from 'thingstape/testing';
import { useFixtureReplay, useFixtureServer } from 'thingstape/testing/vitest';

export async function replayInto(url: string): Promise<ReplaySummary> {
  const store: Store = await openStore(url);
  try {
    return await replayFixture({ fixtureDir: 'fixtures/my-account', store });
  } catch (error) {
    if (isThingstapeError(error))
      throw new Error(`${error.code}: ${error.message}`, { cause: error });
    throw error;
  } finally {
    store.close();
  }
}

export async function todayTitles(): Promise<string[]> {
  const replay: FixtureReplay = await openFixtureReplay('fixtures/my-account');
  try {
    const today: CivilDate = replay.today;
    return [today, ...(await replay.list('today')).map((row) => row.title)];
  } finally {
    await replay.close();
  }
}

export const thingsCloud = fixtureServer('fixtures/my-account');
export const server = setupServer(
  http.get('https://api.my-app.test/me', () => HttpResponse.json({ name: 'me' })),
  ...thingsCloud.handlers(),
);
server.listen({ onUnhandledFrame: thingsCloud.onUnhandledFrame });

export const fake = new FakeThingsCloud({
  account: { email: 'user@example.invalid', password: 'not-a-secret', historyKey: 'k' },
  groups: generatedGroups({ items: 10, seed: 1 }),
});
export const fakeServer = setupServer(...fake.handlers());

export function manifestOf(json: unknown): FixtureManifest {
  return parseManifest(json, 'my-account');
}

export const decoded = decodePageText('{"items":[],"current-item-index":0,"schema":301}', {
  startIndex: 0,
});

const todo: TodoInput = { title: 'Buy milk', when: 'today' };
scenario('complete a to-do', async (t) => {
  const id = await t.account().createTodo(todo);
  await t.sync();
  await t.account().complete(id);
  await t.sync();
  t.assertChanges([{ type: 'TaskCompleted', entityId: id }]);
});

export const histories = fc.sample(wireHistory(), 1);
export const replayGetter: () => FixtureReplay = useFixtureReplay('fixtures/my-account');
export const composed = useFixtureServer;
