import { CloudError } from './errors.ts';

/** The production service. */
export const THINGS_CLOUD_URL = 'https://cloud.culturedcode.com';

/** `fetch` as the client uses it; inject a fake, a counting wrapper or msw-intercepted global. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Settings of a {@link CloudClient}. */
export interface CloudClientOptions {
  /** Base URL without a trailing slash; defaults to {@link THINGS_CLOUD_URL}. */
  readonly baseUrl?: string;
  /** Defaults to the global `fetch` at call time (so msw interception applies). */
  readonly fetch?: FetchLike;
  /** `User-Agent` to send; defaults to a native-looking Mac build (spec 2.3). */
  readonly userAgent?: string;
  /** Per-request timeout in milliseconds (default 60 000). */
  readonly timeoutMs?: number;
}

/** `GET /version/1/history/{key}` (spec 2.4). */
export interface HistoryMeta {
  /** The head: number of groups in the history now. */
  readonly latestServerIndex: number;
  readonly latestSchemaVersion: number | null;
  readonly latestTotalContentSize: number | null;
  readonly isEmpty: boolean | null;
}

/** A raw `/items` response: the verbatim body and the headers worth keeping. */
export interface RawPage {
  readonly startIndex: number;
  /** The response body, byte for byte. */
  readonly body: Uint8Array;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reads a Things Cloud history over HTTP (spec 2). The history key is a bearer secret: it appears
 * in request URLs only, never in errors or logs (messages say `history/<key>`).
 */
export class CloudClient {
  readonly #baseUrl: string;
  readonly #fetch: FetchLike | undefined;
  readonly #userAgent: string;
  readonly #timeoutMs: number;

  constructor(options: CloudClientOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? THINGS_CLOUD_URL).replace(/\/+$/, '');
    this.#fetch = options.fetch;
    this.#userAgent = options.userAgent ?? 'ThingsMac/32209501';
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** `GET /version/1/history/{key}`: the head and schema of the history. */
  async historyMeta(historyKey: string): Promise<HistoryMeta> {
    const response = await this.#get(
      `/version/1/history/${encodeURIComponent(historyKey)}`,
      'GET history/<key>',
    );
    const json = await readJson(response, 'GET history/<key>');
    const head = json['latest-server-index'] ?? json['current-item-index'];
    if (typeof head !== 'number' || !Number.isSafeInteger(head) || head < 0) {
      throw new CloudError(
        'INVALID_RESPONSE',
        'Cannot read history metadata: "latest-server-index" is not a non-negative integer',
        { status: response.status },
      );
    }
    return {
      latestServerIndex: head,
      latestSchemaVersion: numberOrNull(json['latest-schema-version']),
      latestTotalContentSize: numberOrNull(json['latest-total-content-size']),
      isEmpty: typeof json['is-empty'] === 'boolean' ? json['is-empty'] : null,
    };
  }

  /** `GET /version/1/history/{key}/items?start-index=N`: one page, body kept verbatim. */
  async itemsPage(historyKey: string, startIndex: number): Promise<RawPage> {
    if (!Number.isSafeInteger(startIndex) || startIndex < 0) {
      throw new RangeError(`startIndex must be a non-negative integer, got ${startIndex}`);
    }
    const what = `GET history/<key>/items?start-index=${startIndex}`;
    const response = await this.#get(
      `/version/1/history/${encodeURIComponent(historyKey)}/items?start-index=${startIndex}`,
      what,
    );
    const body = new Uint8Array(await readBody(response, what));
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { startIndex, body, status: response.status, headers };
  }

  async #get(path: string, what: string): Promise<Response> {
    const fetchImpl = this.#fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchImpl(`${this.#baseUrl}${path}`, {
        method: 'GET',
        headers: {
          Accept: 'application/json',
          'Accept-Charset': 'UTF-8',
          'User-Agent': this.#userAgent,
          Schema: '301',
          'App-Id': 'com.culturedcode.ThingsMac',
        },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new CloudError(
        timedOut ? 'TIMEOUT' : 'NETWORK',
        `Cannot ${what}: ${timedOut ? `no answer within ${this.#timeoutMs} ms` : describeCause(error)}`,
        { cause: error },
      );
    }
    if (!response.ok) {
      const thingsResponse = response.headers.get('things-response');
      const recordingMiss = response.headers.get('x-thingstape-no-recording');
      const detail = recordingMiss !== null ? await response.text() : '';
      throw new CloudError(
        recordingMiss !== null ? 'NO_RECORDING' : 'HTTP_STATUS',
        recordingMiss !== null
          ? `Cannot ${what}: ${detail}`
          : `Cannot ${what}: HTTP ${response.status}${thingsResponse === null ? '' : ` (Things-Response: ${thingsResponse})`}`,
        {
          status: response.status,
          thingsResponse,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        },
      );
    }
    return response;
  }
}

async function readBody(response: Response, what: string): Promise<ArrayBuffer> {
  try {
    return await response.arrayBuffer();
  } catch (error) {
    throw new CloudError(
      'NETWORK',
      `Cannot ${what}: the body was cut off (${describeCause(error)})`,
      {
        status: response.status,
        cause: error,
      },
    );
  }
}

async function readJson(response: Response, what: string): Promise<Record<string, unknown>> {
  const text = new TextDecoder().decode(await readBody(response, what));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CloudError('INVALID_RESPONSE', `Cannot ${what}: the body is not JSON`, {
      status: response.status,
      cause: error,
    });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CloudError('INVALID_RESPONSE', `Cannot ${what}: the body is not a JSON object`, {
      status: response.status,
    });
  }
  return json as Record<string, unknown>;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds (dates relative to the response's own `Date`). */
export function parseRetryAfter(value: string | null, nowMs?: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || nowMs === undefined) return null;
  return Math.max(0, date - nowMs);
}

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
