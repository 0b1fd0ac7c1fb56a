// msw's HTTP entry points, not its root: the root also loads msw's WebSocket support, whose
// BroadcastChannel keeps a Deno process alive after its work is done (Node's is unref'd).
import { http, HttpResponse, type HttpHandler } from 'msw/http';
import { THINGS_CLOUD_URL } from '../cloud/client.ts';
import {
  HISTORY_KEY_PLACEHOLDER,
  type FixtureManifest,
  type FixturePage,
} from '../fixture/types.ts';

/** A request the fixture has no recording for. */
export interface ReplayMiss {
  readonly method: string;
  /** URL with the history key shown as `<key>`. */
  readonly url: string;
  /** Why it did not match, for people. */
  readonly reason: string;
}

/** How the handlers read a page's verbatim bytes (lazily, one page at a time). */
export type PageReader = (page: FixturePage) => Promise<Uint8Array>;

/** Settings of {@link fixtureHandlers}. */
export interface FixtureHandlerOptions {
  readonly manifest: FixtureManifest;
  readonly readPage: PageReader;
  /** Base URL to answer on; the production URL by default, so the real client is exercised. */
  readonly baseUrl?: string;
  /** The history key clients will ask for; the fixture placeholder by default. */
  readonly historyKey?: string;
  /** Called for every request without a recording (the response is an error too). */
  readonly onMiss: (miss: ReplayMiss) => void;
  /** Called for every page served (start index). */
  readonly onServe?: (startIndex: number) => void;
  /**
   * Called when a recorded page cannot be read (missing file, hash mismatch): the request is
   * answered as a miss (not retried by the client) and the caller rethrows this error.
   */
  readonly onPageError?: (error: unknown) => void;
}

/**
 * msw handlers that serve a fixture as the Things Cloud read API: history metadata and
 * `…/items?start-index=N` for any N on a recorded page boundary, byte for byte. Every other
 * request to the service is a miss: it is reported through `onMiss` and answered with HTTP 404
 * and an `X-Thingstape-No-Recording` header, so the client fails loudly instead of guessing.
 */
export function fixtureHandlers(options: FixtureHandlerOptions): HttpHandler[] {
  const base = (options.baseUrl ?? THINGS_CLOUD_URL).replace(/\/+$/, '');
  const key = options.historyKey ?? HISTORY_KEY_PLACEHOLDER;
  const byStart = new Map(options.manifest.pages.map((page) => [page.startIndex, page]));
  const last = options.manifest.pages.at(-1);
  const head = last === undefined ? 0 : last.startIndex + last.groups;
  const recordedStarts = options.manifest.pages.map((page) => page.startIndex);

  const miss = (request: Request, reason: string): Response => {
    const shownUrl = request.url.split(key).join('<key>');
    options.onMiss({ method: request.method, url: shownUrl, reason });
    return new HttpResponse(`no recording for ${request.method} ${shownUrl}: ${reason}`, {
      status: 404,
      headers: { 'content-type': 'text/plain', 'x-thingstape-no-recording': '1' },
    });
  };

  return [
    http.get(`${base}/version/1/history/:key`, ({ request, params }) => {
      if (params['key'] !== key) return miss(request, 'unknown history key');
      return HttpResponse.json({
        'latest-server-index': head,
        'latest-schema-version': options.manifest.schema ?? 301,
        'is-empty': head === 0,
      });
    }),
    http.get(`${base}/version/1/history/:key/items`, async ({ request, params }) => {
      if (params['key'] !== key) return miss(request, 'unknown history key');
      const raw = new URL(request.url).searchParams.get('start-index');
      const startIndex = raw !== null && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      const page = byStart.get(startIndex);
      if (page === undefined) {
        return miss(
          request,
          `no recorded page starts at start-index=${raw ?? '(missing)'} (recorded start indexes: ${summarize(recordedStarts)})`,
        );
      }
      let body: Uint8Array;
      try {
        body = await options.readPage(page);
      } catch (error) {
        options.onPageError?.(error);
        return miss(request, `the recorded page ${page.file} cannot be read: ${String(error)}`);
      }
      options.onServe?.(startIndex);
      return new HttpResponse(body, {
        status: 200,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
      });
    }),
    http.all(`${base}/*`, ({ request }) => miss(request, 'the fixture records only history reads')),
  ];
}

function summarize(starts: readonly number[]): string {
  if (starts.length === 0) return 'none';
  if (starts.length <= 8) return starts.join(', ');
  return `${starts.slice(0, 4).join(', ')}, …, ${starts.slice(-2).join(', ')} (${starts.length} pages)`;
}
