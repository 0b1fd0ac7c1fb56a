/**
 * The tape: the `fetch` a scenario's Things Cloud client uses. In replay it answers each request
 * from the cassette (the first unused recording with the same method, URL and JSON body) and never
 * touches the network; a request without a recording is answered with a 404 the client reports as
 * `NO_RECORDING`, carrying the closest recorded request and a field-by-field diff. In record it
 * forwards to the real service and keeps each exchange, secrets replaced by placeholders.
 */
import type { FetchLike } from '../cloud/types.ts';
import { redactText, REDACTED_PLACEHOLDER, unusableSecret } from '../fixture/redact.ts';
import { HISTORY_KEY_PLACEHOLDER } from '../fixture/types.ts';
import type { Cassette, RecordedEntry, RecordedRequest, RecordedResponse } from './cassette.ts';
import { diffValues, formatDiffs, jsonEqual, type FieldDiff } from './diff.ts';
import { HarnessError } from './errors.ts';

/** Response headers a cassette keeps. */
export const KEPT_RESPONSE_HEADERS: readonly string[] = [
  'content-type',
  'retry-after',
  'things-response',
];

/** A request as the tape compares it. */
export interface TapeRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
  readonly text?: string;
}

/** A request the cassette had no recording for. */
export interface TapeMiss {
  readonly request: TapeRequest;
  /** The message the client (and the scenario) reports: closest recording and differences. */
  readonly message: string;
  /** The closest recording (unused ones first), or `null` when the cassette holds none. */
  readonly nearest: {
    /** Position in the cassette's requests (0-based). */
    readonly index: number;
    readonly of: number;
    readonly used: boolean;
    readonly request: RecordedRequest;
  } | null;
  /** Differences between the closest recording's parts and the request's (`recorded` → `actual`). */
  readonly diffs: readonly FieldDiff[];
}

/** Settings of a {@link Tape}. */
export type TapeOptions =
  | {
      readonly mode: 'replay';
      readonly cassette: Cassette | null;
      /** Where the cassette should be, for messages. */
      readonly cassetteDir: string;
    }
  | {
      readonly mode: 'record';
      /** The real `fetch` (global fetch by default, captured when the tape is made). */
      readonly upstream?: FetchLike;
      /** The e-mail and password; the history key is learned from the account reply. */
      readonly secrets: readonly string[];
    };

/** A recording or replaying `fetch` with consumption accounting. */
export class Tape {
  readonly mode: 'replay' | 'record';
  /** The `fetch` to give the client. */
  readonly fetch: FetchLike;
  readonly #options: TapeOptions;
  readonly #used: boolean[];
  readonly #recorded: RecordedEntry[] = [];
  readonly #misses: TapeMiss[] = [];
  readonly #pending = new Set<Promise<unknown>>();
  readonly #secrets: string[] = [];
  #historyKey: string | null = null;

  constructor(options: TapeOptions) {
    this.mode = options.mode;
    this.#options = options;
    this.#used =
      options.mode === 'replay' ? (options.cassette?.requests ?? []).map(() => false) : [];
    if (options.mode === 'record') this.#secrets.push(...options.secrets.filter((s) => s !== ''));
    const upstream =
      options.mode === 'record' ? (options.upstream ?? globalThis.fetch.bind(globalThis)) : null;
    this.fetch = (input, init) => {
      const work =
        upstream === null ? this.#replay(input, init) : this.#record(upstream, input, init);
      this.#pending.add(work);
      void work.then(
        () => this.#pending.delete(work),
        () => this.#pending.delete(work),
      );
      return work;
    };
  }

  /** Requests started and not yet answered. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Requests that had no recording (replay). */
  get misses(): readonly TapeMiss[] {
    return this.#misses;
  }

  /** What was recorded so far (record). */
  get recorded(): readonly RecordedEntry[] {
    return this.#recorded;
  }

  /** Every secret the tape knows (credentials and, once seen, the history key). */
  get secrets(): readonly string[] {
    return this.#historyKey === null ? this.#secrets : [...this.#secrets, this.#historyKey];
  }

  /** Recorded requests nobody asked for (replay), with their position. */
  unused(): { readonly index: number; readonly request: RecordedRequest }[] {
    if (this.#options.mode !== 'replay') return [];
    const requests = this.#options.cassette?.requests ?? [];
    return requests.flatMap((request, index) =>
      this.#used[index] === true ? [] : [{ index, request }],
    );
  }

  /** Waits until no request is in flight, or `timeoutMs` passed; true when settled. */
  async settle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(this.#pending),
        new Promise((resolve) => (timer = setTimeout(resolve, Math.max(1, deadline - Date.now())))),
      ]);
      clearTimeout(timer);
    }
    return this.#pending.size === 0;
  }

  async #replay(input: string, init: RequestInit | undefined): Promise<Response> {
    const request = await describe(input, init, (text) => text);
    const options = this.#options as Extract<TapeOptions, { mode: 'replay' }>;
    const recorded = options.cassette?.requests ?? [];
    const index = recorded.findIndex(
      (entry, i) => this.#used[i] !== true && matches(entry, request),
    );
    if (index === -1) {
      const miss = missOf(
        request,
        recorded,
        this.#used,
        options.cassette === null ? options.cassetteDir : null,
      );
      this.#misses.push(miss);
      const { message } = miss;
      return new Response(message, {
        status: 404,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'x-thingstape-no-recording': '1' },
      });
    }
    this.#used[index] = true;
    const entry = recorded[index] as RecordedRequest;
    return responseOf(entry.response, options.cassette);
  }

  async #record(
    upstream: FetchLike,
    input: string,
    init: RequestInit | undefined,
  ): Promise<Response> {
    const response = await upstream(input, init);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const url = new URL(input);
    if (init?.method === undefined || init.method === 'GET') {
      if (/^\/version\/1\/account\/[^/]+$/.test(url.pathname) && response.ok) this.#learnKey(bytes);
    }
    const redact = (text: string): string => this.#redact(text);
    const request = await describe(input, init, redact);
    const headers: Record<string, string> = {};
    for (const name of KEPT_RESPONSE_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = redact(value);
    }
    const startIndex = url.pathname.endsWith('/items') ? url.searchParams.get('start-index') : null;
    let entry: RecordedEntry;
    if (startIndex !== null && /^\d+$/.test(startIndex) && response.status === 200) {
      entry = {
        ...request,
        response: { status: response.status, headers },
        pageBody: { startIndex: Number(startIndex), bytes },
      };
    } else {
      entry = {
        ...request,
        response: {
          status: response.status,
          headers,
          ...bodyOf(redactAccount(redact(new TextDecoder().decode(bytes)), url)),
        },
      };
    }
    this.#recorded.push(entry);
    return new Response(bytes.length === 0 && nullBodyStatus(response.status) ? null : bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }

  #learnKey(bytes: Uint8Array): void {
    try {
      const json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      const key = json['history-key'];
      if (typeof key === 'string' && key !== '') this.#historyKey = key;
    } catch {
      // Not JSON: the client reports it; there is no key to hide.
    }
    const weak =
      this.#historyKey === null
        ? null
        : unusableSecret('the history key the service handed out', this.#historyKey, [
            HISTORY_KEY_PLACEHOLDER,
          ]);
    if (weak !== null) {
      // Every file of the cassette would hold it: refuse now, not with SECRET_WRITTEN at the end.
      throw new HarnessError('SECRET_TOO_SHORT', `Cannot record against this service: ${weak}`);
    }
  }

  #redact(text: string): string {
    let out = text;
    if (this.#historyKey !== null)
      out = redactText(out, [this.#historyKey], HISTORY_KEY_PLACEHOLDER);
    if (this.#secrets.length > 0) out = redactText(out, this.#secrets, REDACTED_PLACEHOLDER);
    return out;
  }
}

function nullBodyStatus(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}

/** The account reply without personal addresses (the e-mail is redacted already). */
function redactAccount(text: string, url: URL): string {
  if (!/^\/version\/1\/account\/[^/]+$/.test(url.pathname)) return text;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (typeof json !== 'object' || json === null) return text;
    if ('maildrop-email' in json) json['maildrop-email'] = REDACTED_PLACEHOLDER;
    if ('email' in json) json['email'] = REDACTED_PLACEHOLDER;
    return JSON.stringify(json);
  } catch {
    return text;
  }
}

function bodyOf(text: string): { body: unknown } | { text: string } {
  if (text === '') return { text };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { text };
  }
}

async function describe(
  input: string,
  init: RequestInit | undefined,
  redact: (text: string) => string,
): Promise<TapeRequest> {
  const url = new URL(input);
  const method = (init?.method ?? 'GET').toUpperCase();
  const path = redact(`${url.pathname}${url.search}`);
  const raw = init?.body;
  if (raw === undefined || raw === null) return { method, url: path };
  const text = redact(typeof raw === 'string' ? raw : await new Response(raw).text());
  return { method, url: path, ...bodyOf(text) };
}

function matches(recorded: RecordedRequest, actual: TapeRequest): boolean {
  if (recorded.method !== actual.method || recorded.url !== actual.url) return false;
  if (recorded.body !== undefined || actual.body !== undefined)
    return jsonEqual(recorded.body, actual.body);
  return (recorded.text ?? '') === (actual.text ?? '');
}

function responseOf(recorded: RecordedResponse, cassette: Cassette | null): Response {
  let body: Uint8Array | string | null;
  if (recorded.page !== undefined) body = cassette?.pages.get(recorded.page) ?? new Uint8Array();
  else if (recorded.body !== undefined) body = JSON.stringify(recorded.body);
  else body = recorded.text ?? '';
  if (nullBodyStatus(recorded.status)) body = null;
  return new Response(body, { status: recorded.status, headers: recorded.headers });
}

/** The request split into comparable parts: method, path segments, query, body. */
function parts(request: TapeRequest): Record<string, unknown> {
  const url = new URL(request.url, 'http://tape.invalid');
  return {
    method: request.method,
    path: url.pathname.split('/').filter((s) => s !== ''),
    query: Object.fromEntries(url.searchParams),
    body: request.body ?? request.text ?? null,
  };
}

function distance(recorded: RecordedRequest, actual: TapeRequest): number {
  const diffs = diffValues(parts(recorded), parts(actual));
  return diffs.reduce(
    (sum, d) => sum + (d.path === 'method' ? 100 : d.path.startsWith('path') ? 10 : 1),
    0,
  );
}

/** A URL as messages show it: the history key placeholder as `<key>` (as the replayer shows it). */
export function shownUrl(url: string): string {
  return url.split(HISTORY_KEY_PLACEHOLDER).join('<key>');
}

/** The miss: what was asked, the closest recording (unused ones first), the differences, the report. */
function missOf(
  actual: TapeRequest,
  recorded: readonly RecordedRequest[],
  used: readonly boolean[],
  missingCassette: string | null,
): TapeMiss {
  const head = `No recording for ${actual.method} ${shownUrl(actual.url)}`;
  if (missingCassette !== null) {
    return {
      request: actual,
      message: `${head}: the scenario has no cassette (${missingCassette}); record it with --mode record-missing --allow-net`,
      nearest: null,
      diffs: [],
    };
  }
  if (recorded.length === 0) {
    return {
      request: actual,
      message: `${head}: the cassette holds no requests`,
      nearest: null,
      diffs: [],
    };
  }
  const candidates = recorded.map((request, index) => ({
    request,
    index,
    used: used[index] === true,
  }));
  const pool = candidates.some((c) => !c.used) ? candidates.filter((c) => !c.used) : candidates;
  let best = pool[0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of pool) {
    const d = distance(candidate.request, actual);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const diffs = diffValues(parts(best.request), parts(actual));
  const unusedCount = candidates.filter((c) => !c.used).length;
  const message = [
    `${head}.`,
    `Closest recorded request: #${best.index + 1} of ${recorded.length}, ${best.request.method} ${shownUrl(best.request.url)}${best.used ? ' (already used)' : ''}; ${unusedCount} recording(s) unused. Differences:`,
    formatDiffs(diffs, { expected: 'recorded', actual: 'actual' }),
    'The script no longer makes the recorded requests: re-record the scenario (--mode record --allow-net) if the change is intended.',
  ].join('\n');
  return {
    request: actual,
    message,
    nearest: { index: best.index, of: recorded.length, used: best.used, request: best.request },
    diffs,
  };
}
