/**
 * vitest helpers for users' own suites: a fixture replayed into a ready engine on a temp libSQL
 * database, and a fixture served through msw for their own client code (needs `vitest` installed
 * beside thingstape; the fast-check arbitraries are in `thingstape/testing`).
 *
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { useFixtureReplay } from 'thingstape/testing/vitest';
 *
 * describe('my app on a recorded account', () => {
 *   const replay = useFixtureReplay('fixtures/my-account');
 *   it('shows the Inbox', async () => {
 *     expect((await replay().list('inbox')).map((row) => row.title)).toContain('Pay rent');
 *   });
 * });
 * ```
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  fixtureServer,
  openFixtureReplay,
  type FixtureReplay,
  type FixtureReplayOptions,
  type FixtureServer,
  type FixtureServerOptions,
} from '../replay/index.ts';

/**
 * Replays the fixture once before the suite (`beforeAll`) and closes it after (`afterAll`);
 * returns a getter for the {@link FixtureReplay} to call inside tests.
 */
export function useFixtureReplay(
  fixtureDir: string,
  options: FixtureReplayOptions = {},
): () => FixtureReplay {
  let replay: FixtureReplay | undefined;
  beforeAll(async () => {
    replay = await openFixtureReplay(fixtureDir, options);
  });
  afterAll(async () => {
    await replay?.close();
    replay = undefined;
  });
  return () => {
    if (replay === undefined)
      throw new TypeError('useFixtureReplay(): the replay is only ready inside tests');
    return replay;
  };
}

/** The part of an msw `setupServer(...)` server that {@link useFixtureServer} composes with. */
export interface ComposableServer {
  listHandlers(): readonly unknown[];
  resetHandlers(...handlers: never[]): void;
}

/** Settings of {@link useFixtureServer}. */
export interface UseFixtureServerOptions extends FixtureServerOptions {
  /**
   * The suite's own msw server (`setupServer(...)` from `msw/node`, listening or not). The
   * fixture's handlers are added to it, before its own, for the whole suite; no second server is
   * started. Without it, thingstape starts and closes a server of its own.
   */
  readonly server?: ComposableServer;
}

/**
 * Serves `fixtureDir` as Things Cloud through msw for the whole suite (history metadata and
 * `…/items` at every recorded start index, history key `history-key-redacted`), for users' own
 * client code calling `fetch`. A request that no handler answers — a Things Cloud URL the fixture
 * has no recording for, or any other URL — fails with a network error (it never reaches the
 * network), and after each test every such request fails the test.
 *
 * Before the first test it checks that msw intercepts this runtime's `fetch` (it does not on Deno
 * or Bun) and fails with `INTERCEPTION_UNAVAILABLE` when not.
 *
 * With `{ server }`, the handlers join the suite's own server: its handler list becomes the
 * fixture's handlers, then its own, then a catch-all that keeps unanswered requests, and stays so
 * across its `resetHandlers()` calls; after the suite its own handlers are put back.
 */
export function useFixtureServer(
  fixtureDir: string,
  options: UseFixtureServerOptions = {},
): FixtureServer {
  const { server: given, ...serverOptions } = options;
  const fixture = fixtureServer(fixtureDir, serverOptions);
  let own: ReturnType<typeof setupServer> | undefined;
  let previous: readonly unknown[] | undefined;
  let checked = false;
  beforeAll(() => {
    if (given === undefined) {
      own = setupServer(...fixture.handlers());
      own.listen({ onUnhandledFrame: fixture.onUnhandledFrame });
    } else {
      previous = given.listHandlers();
      given.resetHandlers(...([...fixture.handlers(), ...previous, fixture.catchAll()] as never[]));
    }
  });
  // Once, before the first test: by then the suite's own server listens too.
  beforeEach(async () => {
    if (checked) return;
    checked = true;
    await fixture.assertIntercepting();
  });
  afterEach(() => {
    fixture.assertNoMisses();
  });
  afterAll(() => {
    own?.close();
    own = undefined;
    if (given !== undefined && previous !== undefined)
      given.resetHandlers(...(previous as never[]));
    previous = undefined;
  });
  return fixture;
}

export { fixtureServer, openFixtureReplay } from '../replay/index.ts';
export type {
  FixtureReplay,
  FixtureReplayOptions,
  FixtureServer,
  FixtureServerOptions,
  ReplayMiss,
} from '../replay/index.ts';
