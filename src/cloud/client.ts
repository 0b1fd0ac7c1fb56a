/**
 * The Things Cloud HTTP client: requests with retries, timeouts and redaction, over the contract of
 * `types.ts` and the body readers of `responses.ts`.
 */
import { redactText } from '../fixture/redact.ts';
import { CloudError, type CloudErrorCode } from './errors.ts';
import {
  backoffDelay,
  formatSeconds,
  isRetryable,
  parseRetryAfter,
  resolveRetryPolicy,
  type RetryPolicy,
} from './retry.ts';
import {
  invalid,
  isIndex,
  numberOrNull,
  readEnvelope,
  requireObject,
  type Exchange,
} from './responses.ts';
import type {
  AccountInfo,
  CloudClientOptions,
  CommitResult,
  FetchLike,
  HistoryMeta,
  RawPage,
  RetryEvent,
} from './types.ts';

/** The production service. */
export const THINGS_CLOUD_URL = 'https://cloud.culturedcode.com';

/** The account status of a usable account (spec 2.4). */
export const ACTIVE_ACCOUNT_STATUS = 'SYAccountStatusActive';

interface RequestSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** For messages: `GET history/<key>`; never contains a secret. */
  readonly what: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** `all`: retry every transient failure (reads); `rejected`: only 429 (commits). */
  readonly retry: 'all' | 'rejected';
  /** Parse the body as JSON (a body that does not parse is `TRUNCATED_BODY`). */
  readonly json: boolean;
  /** This is the account endpoint: 401/403 mean wrong credentials. */
  readonly account?: boolean;
  readonly commit?: boolean;
  /** Values that must never appear in a message (key, e-mail): redacted if a cause echoes them. */
  readonly secrets: readonly string[];
}

/**
 * The Things Cloud HTTP client (spec 2): account lookup, history metadata, pages and commits, with
 * bounded retries (exponential backoff, full jitter, `Retry-After` honoured up to a cap) for
 * 429/500–504, timeouts, reset connections and truncated bodies. `AbusePrevention` stops at once.
 * Commits are never retried after they may have reached the server.
 *
 * Secrets: the e-mail, the password and the history key appear in requests only, never in errors,
 * events or logs (messages say `account/<e-mail>` and `history/<key>`).
 */
export class CloudClient {
  readonly #baseUrl: string;
  readonly #fetch: FetchLike | undefined;
  readonly #userAgent: string;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #minIntervalMs: number;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  #lastRequestAt: number | null = null;

  constructor(options: CloudClientOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? THINGS_CLOUD_URL).replace(/\/+$/, '');
    this.#fetch = options.fetch;
    this.#userAgent = options.userAgent ?? 'ThingsMac/32209501';
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#retry = resolveRetryPolicy(options.retry);
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? (() => performance.now());
    this.#minIntervalMs = options.minIntervalMs ?? 0;
    this.#onRetry = options.onRetry;
    if (!(this.#minIntervalMs >= 0)) {
      throw new RangeError(`minIntervalMs must be ≥ 0, got ${this.#minIntervalMs}`);
    }
  }

  /** The base URL requests go to (no secret in it). */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /**
   * `GET /version/1/account/{email}` with `Authorization: Password <percent-encoded>` (spec 2.2):
   * the history key and account status. Throws `AUTH_FAILED` for wrong credentials and
   * `ACCOUNT_UNUSABLE` when the account is not active or reports issues (spec 14.1 step 1).
   */
  async account(email: string, password: string): Promise<AccountInfo> {
    if (email === '' || password === '') throw new RangeError('email and password are required');
    const what = 'GET account/<e-mail>';
    const exchange = await this.#exchange({
      method: 'GET',
      path: `/version/1/account/${encodeURIComponent(email)}`,
      what,
      headers: { Authorization: `Password ${encodeURIComponent(password)}` },
      retry: 'all',
      json: true,
      account: true,
      secrets: [email, password],
    });
    const json = requireObject(exchange, what);
    const historyKey = json['history-key'];
    const status = json['status'];
    const issues = json['issues'];
    if (typeof historyKey !== 'string' || historyKey === '') {
      throw invalid(exchange, what, '"history-key" is not a non-empty string');
    }
    if (typeof status !== 'string') throw invalid(exchange, what, '"status" is not a string');
    const issueList = Array.isArray(issues) ? (issues as unknown[]) : [];
    if (status !== ACTIVE_ACCOUNT_STATUS || issueList.length > 0) {
      throw new CloudError(
        'ACCOUNT_UNUSABLE',
        `Cannot use the account: its status is ${JSON.stringify(status)}${issueList.length > 0 ? ` and it reports ${issueList.length} issue(s)` : ''}; Things Cloud will not sync it (sign in to the Things app to resolve this)`,
        { status: exchange.status },
      );
    }
    const sla = json['SLA-version-accepted'];
    return {
      historyKey,
      status,
      issues: issueList,
      slaVersionAccepted: typeof sla === 'string' ? sla : null,
    };
  }

  /** `GET /version/1/history/{key}`: the head and schema of the history. */
  async historyMeta(historyKey: string): Promise<HistoryMeta> {
    const what = 'GET history/<key>';
    const exchange = await this.#exchange({
      method: 'GET',
      path: `/version/1/history/${encodeURIComponent(historyKey)}`,
      what,
      retry: 'all',
      json: true,
      secrets: [historyKey],
    });
    const json = requireObject(exchange, what);
    const head = json['latest-server-index'] ?? json['current-item-index'];
    if (!isIndex(head)) {
      throw invalid(exchange, what, '"latest-server-index" is not a non-negative integer');
    }
    return {
      latestServerIndex: head,
      latestSchemaVersion: numberOrNull(json['latest-schema-version']),
      latestTotalContentSize: numberOrNull(json['latest-total-content-size']),
      isEmpty: typeof json['is-empty'] === 'boolean' ? json['is-empty'] : null,
    };
  }

  /**
   * `GET /version/1/history/{key}/items?start-index=N`: one page, body kept verbatim. With
   * `validate`, a parsed copy must be a page (`items` array, integer `current-item-index`): a body
   * that is not JSON is `TRUNCATED_BODY` and retried, a wrong shape is `INVALID_RESPONSE`. Without
   * it the body is returned as received (the replayer lets the decoder report bad pages).
   */
  async itemsPage(
    historyKey: string,
    startIndex: number,
    options: { readonly validate?: boolean } = {},
  ): Promise<RawPage> {
    if (!Number.isSafeInteger(startIndex) || startIndex < 0) {
      throw new RangeError(`startIndex must be a non-negative integer, got ${startIndex}`);
    }
    const what = `GET history/<key>/items?start-index=${startIndex}`;
    const validate = options.validate === true;
    const exchange = await this.#exchange({
      method: 'GET',
      path: `/version/1/history/${encodeURIComponent(historyKey)}/items?start-index=${startIndex}`,
      what,
      retry: 'all',
      json: validate,
      secrets: [historyKey],
    });
    return {
      startIndex,
      body: exchange.body,
      status: exchange.status,
      headers: exchange.headers,
      envelope: validate ? readEnvelope(exchange, what) : null,
      attempts: exchange.attempts,
      durationMs: exchange.durationMs,
    };
  }

  /**
   * `POST /version/1/history/{key}/commit?ancestor-index=H&_cnt=1` (spec 2.4, 10.1): appends one
   * group (entity id → `{t, e, p}`) and returns the new head. Throws `OUTDATED_ANCESTOR` on 409
   * (read the new groups, rebuild the change, commit again) and `COMMIT_UNCERTAIN` when the request
   * may have reached the server without an answer (look for the group before re-sending). Only a
   * 429 (rejected before processing) is retried.
   */
  async commit(
    historyKey: string,
    ancestorIndex: number,
    group: Readonly<Record<string, unknown>> | string,
    options: { readonly pushPriority?: number; readonly appInstanceId?: string } = {},
  ): Promise<CommitResult> {
    if (!Number.isSafeInteger(ancestorIndex) || ancestorIndex < 0) {
      throw new RangeError(`ancestorIndex must be a non-negative integer, got ${ancestorIndex}`);
    }
    const body = typeof group === 'string' ? group : JSON.stringify(group);
    const what = `POST history/<key>/commit?ancestor-index=${ancestorIndex}`;
    const exchange = await this.#exchange({
      method: 'POST',
      path: `/version/1/history/${encodeURIComponent(historyKey)}/commit?ancestor-index=${ancestorIndex}&_cnt=1`,
      what,
      headers: {
        'Content-Type': 'application/json; charset=UTF-8',
        'Content-Encoding': 'UTF-8',
        'Push-Priority': String(options.pushPriority ?? 5),
        'App-Instance-Id': options.appInstanceId ?? '-com.culturedcode.ThingsMac',
      },
      body,
      retry: 'rejected',
      json: true,
      commit: true,
      secrets: [historyKey],
    });
    const json = exchange.json;
    const head =
      typeof json === 'object' && json !== null
        ? (json as Record<string, unknown>)['server-head-index']
        : undefined;
    if (!isIndex(head)) {
      throw new CloudError(
        'COMMIT_UNCERTAIN',
        `Cannot ${what}: the reply has no "server-head-index"; the commit probably landed, read the history before committing again`,
        { status: exchange.status, attempts: exchange.attempts },
      );
    }
    return { head };
  }

  async #exchange(spec: RequestSpec): Promise<Exchange> {
    for (let attempt = 1; ; attempt++) {
      let error: CloudError;
      try {
        return { ...(await this.#attempt(spec)), attempts: attempt };
      } catch (caught) {
        if (!(caught instanceof CloudError)) throw caught;
        error = redactError(caught, spec.secrets);
      }
      const retryable =
        spec.retry === 'all'
          ? isRetryable(error)
          : error.code === 'HTTP_STATUS' && error.status === 429;
      if (!retryable) throw withAttempts(error, attempt, '');
      const delayMs = backoffDelay(this.#retry, attempt, error.retryAfterMs, this.#random);
      if (delayMs === null) {
        throw new CloudError(
          'RETRY_AFTER_TOO_LONG',
          `Cannot ${spec.what}: the server asks to wait ${formatSeconds(error.retryAfterMs ?? 0)} (Retry-After), longer than the limit of ${formatSeconds(this.#retry.maxRetryAfterMs)}; try again later`,
          {
            status: error.status,
            thingsResponse: error.thingsResponse,
            retryAfterMs: error.retryAfterMs,
            attempts: attempt,
            cause: error,
          },
        );
      }
      if (attempt >= this.#retry.maxAttempts) {
        throw withAttempts(error, attempt, ` (gave up after ${attempt} attempts)`);
      }
      this.#onRetry?.({ what: spec.what, attempt, delayMs, error });
      await this.#sleep(delayMs);
    }
  }

  async #attempt(spec: RequestSpec): Promise<Omit<Exchange, 'attempts'>> {
    await this.#rateLimit();
    const fetchImpl = this.#fetch ?? globalThis.fetch;
    const startedAt = this.#now();
    let response: Response;
    try {
      response = await fetchImpl(`${this.#baseUrl}${spec.path}`, {
        method: spec.method,
        headers: {
          Accept: 'application/json',
          'Accept-Charset': 'UTF-8',
          'User-Agent': this.#userAgent,
          Schema: '301',
          'App-Id': 'com.culturedcode.ThingsMac',
          ...spec.headers,
        },
        ...(spec.body === undefined ? {} : { body: spec.body }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      if (spec.commit === true) {
        throw new CloudError(
          'COMMIT_UNCERTAIN',
          `Cannot ${spec.what}: ${timedOut ? `no answer within ${this.#timeoutMs} ms` : describeCause(error)}; the commit may have landed, read the history before committing again`,
          { cause: error },
        );
      }
      throw new CloudError(
        timedOut ? 'TIMEOUT' : 'NETWORK',
        `Cannot ${spec.what}: ${timedOut ? `no answer within ${this.#timeoutMs} ms` : describeCause(error)}`,
        { cause: error },
      );
    }
    if (!response.ok) throw await this.#statusError(response, spec);
    let body: Uint8Array;
    try {
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw new CloudError(
        spec.commit === true ? 'COMMIT_UNCERTAIN' : 'TRUNCATED_BODY',
        `Cannot ${spec.what}: the body was cut off (${describeCause(error)})`,
        { status: response.status, cause: error },
      );
    }
    const durationMs = this.#now() - startedAt;
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    let json: unknown = undefined;
    if (spec.json) {
      try {
        json = JSON.parse(new TextDecoder().decode(body));
      } catch (error) {
        throw new CloudError(
          spec.commit === true ? 'COMMIT_UNCERTAIN' : 'TRUNCATED_BODY',
          `Cannot ${spec.what}: the body (${body.length} bytes) is not complete JSON`,
          { status: response.status, cause: error },
        );
      }
    }
    return { status: response.status, headers, body, json, durationMs };
  }

  async #statusError(response: Response, spec: RequestSpec): Promise<CloudError> {
    const thingsResponse = response.headers.get('things-response');
    const recordingMiss = response.headers.get('x-thingstape-no-recording');
    const detail = await response.text().catch(() => '');
    const status = response.status;
    const retryAfterMs = parseRetryAfter(
      response.headers.get('retry-after'),
      Date.parse(response.headers.get('date') ?? '') || Date.now(),
    );
    const details = { status, thingsResponse, retryAfterMs };
    const shown = `HTTP ${status}${thingsResponse === null ? '' : ` (Things-Response: ${thingsResponse})`}`;
    let code: CloudErrorCode = 'HTTP_STATUS';
    let message = `Cannot ${spec.what}: ${shown}`;
    if (recordingMiss !== null) {
      code = 'NO_RECORDING';
      message = `Cannot ${spec.what}: ${detail}`;
    } else if (thingsResponse === 'AbusePrevention') {
      code = 'ABUSE_PREVENTION';
      message = `Cannot ${spec.what}: ${shown}: Things Cloud suspects abuse; stopping completely. Wait (hours, not seconds) before trying again, at a lower rate`;
    } else if (spec.commit === true && status === 409) {
      code = 'OUTDATED_ANCESTOR';
      message = `Cannot ${spec.what}: ${shown}: someone committed first; read the new groups, rebuild the change and commit on the new head`;
    } else if (thingsResponse === 'AccountIssue') {
      code = 'ACCOUNT_ISSUE';
      message = `Cannot ${spec.what}: ${shown}: the history may have been replaced; verify the account's history key again`;
    } else if (spec.account === true && (status === 401 || status === 403)) {
      code = 'AUTH_FAILED';
      message = `Cannot ${spec.what}: ${shown}: Things Cloud did not accept the e-mail and password`;
    }
    return new CloudError(code, message, details);
  }

  async #rateLimit(): Promise<void> {
    if (this.#minIntervalMs > 0 && this.#lastRequestAt !== null) {
      const wait = this.#lastRequestAt + this.#minIntervalMs - this.#now();
      if (wait > 0) await this.#sleep(wait);
    }
    this.#lastRequestAt = this.#now();
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function redactError(error: CloudError, secrets: readonly string[]): CloudError {
  const usable = secrets.filter((secret) => secret !== '');
  const message = redactText(error.message, usable);
  if (message === error.message) return error;
  return new CloudError(error.code, message, {
    status: error.status,
    thingsResponse: error.thingsResponse,
    retryAfterMs: error.retryAfterMs,
    attempts: error.attempts,
  });
}

function withAttempts(error: CloudError, attempts: number, suffix: string): CloudError {
  if (attempts === 1 && suffix === '') return error;
  return new CloudError(error.code, `${error.message}${suffix}`, {
    status: error.status,
    thingsResponse: error.thingsResponse,
    retryAfterMs: error.retryAfterMs,
    attempts,
    cause: error.cause,
  });
}

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
