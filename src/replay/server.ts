/**
 * A fixture served as Things Cloud through the user's own msw server: the handlers go into the
 * one `setupServer(...)` the user already has, and every request without a recording — to Things
 * Cloud or anywhere else — is kept as a miss that fails the test, and never reaches the network.
 *
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { fixtureServer } from 'thingstape';
 *
 * const thingsCloud = fixtureServer('fixtures/my-account');
 * const server = setupServer(...myHandlers, ...thingsCloud.handlers());
 * beforeAll(() => server.listen({ onUnhandledFrame: thingsCloud.onUnhandledFrame }));
 * afterEach(() => {
 *   server.resetHandlers();
 *   thingsCloud.assertNoMisses();
 * });
 * afterAll(() => server.close());
 * ```
 */
import { http, HttpResponse, type HttpHandler } from 'msw/http';
import { getResponse } from 'msw/utils/get-response';
import { THINGS_CLOUD_URL } from '../cloud/client.ts';
import { readFixtureManifest, readPage } from '../fixture/node.ts';
import { ReplayError } from './errors.ts';
import { fixtureHandlers, type ReplayMiss } from './handlers.ts';

/** Settings of {@link fixtureServer}. */
export interface FixtureServerOptions {
  /** Base URL to answer on; the production Things Cloud URL by default. */
  readonly baseUrl?: string;
  /** The history key clients will ask for; the fixture placeholder by default. */
  readonly historyKey?: string;
}

/**
 * What msw's `listen({ onUnhandledFrame })` calls for a request no handler answered. Typed
 * structurally so it fits the user's own copy of msw 3.
 */
export type UnhandledFrameCallback = (args: { readonly frame: unknown }) => void;

/** A fixture served through msw handlers, with the requests it could not answer kept. */
export interface FixtureServer {
  /**
   * msw handlers answering the Things Cloud read API from the fixture (history metadata and
   * `…/items?start-index=N` at every recorded page start). They answer only URLs under the base
   * URL, so they go anywhere in the user's `setupServer(...)` list. The manifest is read on the
   * first request; a fixture that cannot be read makes every request a miss that says why.
   */
  handlers(): HttpHandler[];
  /**
   * For `server.listen({ onUnhandledFrame })`: a request that no handler answered is kept as a
   * miss and is never sent; msw answers it with an HTTP 500 naming the reason, as its own
   * `'error'` strategy does.
   */
  readonly onUnhandledFrame: UnhandledFrameCallback;
  /**
   * For the end of a handler list: answers every request that reached it (kept as a miss, failed
   * with a network error). {@link useFixtureServer} puts it last on a server it is given.
   */
  catchAll(): HttpHandler;
  /**
   * Resolves when the handlers are answering this process's `fetch`, and throws a `ReplayError`
   * (`INTERCEPTION_UNAVAILABLE`) when they are not — msw 3 does not intercept the `fetch` of Deno
   * or Bun, where requests would otherwise go out to the network. Call it after `listen()`.
   */
  assertIntercepting(): Promise<void>;
  /** The requests without a recording since the last {@link assertNoMisses}. */
  readonly misses: readonly ReplayMiss[];
  /**
   * Throws a `ReplayError` (`UNRECORDED_REQUEST`) naming every request without a recording since
   * the last call, and forgets them; does nothing when there were none. Call it after each test.
   */
  assertNoMisses(): void;
}

/**
 * Serves `fixtureDir` as Things Cloud through msw handlers for the user's own server (see the
 * module comment). Nothing is read until the first request.
 */
export function fixtureServer(
  fixtureDir: string,
  options: FixtureServerOptions = {},
): FixtureServer {
  const misses: ReplayMiss[] = [];
  const base = (options.baseUrl ?? THINGS_CLOUD_URL).replace(/\/+$/, '');
  let loaded: Promise<HttpHandler[]> | undefined;
  const load = (): Promise<HttpHandler[]> =>
    (loaded ??= readFixtureManifest(fixtureDir).then(({ manifest }) =>
      fixtureHandlers({
        manifest,
        readPage: (page) => readPage(fixtureDir, manifest, page),
        onMiss: (miss) => misses.push(miss),
        baseUrl: base,
        ...(options.historyKey === undefined ? {} : { historyKey: options.historyKey }),
      }),
    ));
  const unanswered = (method: string, url: string, reason: string): void => {
    misses.push({ method, url, reason });
  };
  return {
    misses,
    handlers: () => [
      http.get(PROBE_URL, () => new HttpResponse(null, { headers: { [PROBE_HEADER]: '1' } })),
      http.all(`${base}/*`, async ({ request }) => {
        let handlers: HttpHandler[];
        try {
          handlers = await load();
        } catch (error) {
          unanswered(
            request.method,
            request.url,
            `the fixture ${fixtureDir} cannot be read: ${String(error)}`,
          );
          return HttpResponse.error();
        }
        return await getResponse(handlers, request);
      }),
    ],
    onUnhandledFrame: ({ frame }) => {
      const request = requestOf(frame);
      const method = request?.method ?? 'WebSocket';
      const url = request?.url ?? describeFrame(frame);
      unanswered(method, url, UNANSWERED);
      // msw answers a request whose unhandled-frame callback throws with an HTTP 500 naming the
      // error, as its own "error" strategy does; the request is never sent.
      throw new TypeError(
        `Cannot send ${method} ${url}: no msw handler answers it, and tests stay off the network; add a handler or a recording`,
      );
    },
    catchAll: () =>
      http.all('*', ({ request }) => {
        unanswered(request.method, request.url, UNANSWERED);
        return HttpResponse.error();
      }),
    assertIntercepting: async () => {
      let answered = false;
      try {
        const response = await fetch(PROBE_URL);
        answered = response.headers.get(PROBE_HEADER) === '1';
        await response.body?.cancel();
      } catch {
        // Not intercepted: the probe's loopback port refused the connection.
      }
      if (!answered) {
        throw new ReplayError(
          'INTERCEPTION_UNAVAILABLE',
          `Cannot serve fixture ${fixtureDir} through msw in ${runtimeName()}: msw does not intercept its fetch, so requests would reach the network; use openFixtureReplay() there, or run the suite on Node`,
        );
      }
    },
    assertNoMisses: () => {
      const found = misses.splice(0);
      if (found.length === 0) return;
      throw new ReplayError(
        'UNRECORDED_REQUEST',
        `Cannot answer ${found.length} request(s) from fixture ${fixtureDir}: ${found
          .map((miss) => `${miss.method} ${miss.url} (${miss.reason})`)
          .join('; ')}; record them, or add a handler for them`,
      );
    },
  };
}

/**
 * A loopback address (the last port; fetch refuses the low well-known ones) that only the handlers
 * answer: without interception the probe fails to connect, and nothing leaves the machine.
 */
const PROBE_URL = 'http://127.0.0.1:65535/thingstape-interception-probe';
const PROBE_HEADER = 'x-thingstape-probe';

function runtimeName(): string {
  const globals = globalThis as { Deno?: unknown; Bun?: unknown };
  if (globals.Deno !== undefined) return 'Deno';
  if (globals.Bun !== undefined) return 'Bun';
  return `Node ${process.version}`;
}

const UNANSWERED = 'no handler answers it (it was not sent)';

function requestOf(frame: unknown): Request | undefined {
  const data = (frame as { data?: { request?: unknown } } | null)?.data;
  return data?.request instanceof Request ? data.request : undefined;
}

function describeFrame(frame: unknown): string {
  const data = (frame as { data?: { connection?: { client?: { url?: unknown } } } } | null)?.data;
  const url = data?.connection?.client?.url;
  if (url instanceof URL) return url.href;
  return typeof url === 'string' ? url : 'an unknown connection';
}
