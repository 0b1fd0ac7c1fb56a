/**
 * A live account as a shape catalogue, without writing a recording: the account, the history
 * metadata, the pages from index 0 (all, or `maxPages`), and `own-history-keys`, each request's
 * status and headers kept as its endpoint's. Reads only; the catalogue holds no secret (paths are
 * templated, header values kept only for `Content-Type` and `Things-Response`). A failing request
 * is recorded and ends the probe where it cannot go on: a failing endpoint is drift to report,
 * not an error of the check.
 */
import { CloudError, type CloudClient, type FetchLike } from '../cloud/index.ts';
import { CatalogueBuilder, type ShapeCatalogue } from './catalogue.ts';

/** Settings of {@link probeCatalogue}. */
export interface ProbeOptions {
  /** The client (base URL, rate limit, retries, timeout). */
  readonly client: CloudClient;
  /** Base URL of the service, for the one request the client has no method for. */
  readonly baseUrl: string;
  /** Fetch for that request (default the global one). */
  readonly fetch?: FetchLike;
  readonly email: string;
  readonly password: string;
  /** Pages to read at most (default: up to the head). */
  readonly maxPages?: number;
  /** Waits before the extra request, to keep the client's pace (default none). */
  readonly pause?: () => Promise<void>;
}

const ACCOUNT = '/version/1/account/{email}';
const HISTORY = '/version/1/history/{key}';
const ITEMS = '/version/1/history/{key}/items';
const OWN_KEYS = '/version/1/account/{email}/own-history-keys';

/** Probes the account of `email` (see the module comment). */
export async function probeCatalogue(options: ProbeOptions): Promise<ShapeCatalogue> {
  const { client } = options;
  const builder = new CatalogueBuilder().recording();
  const answered = (path: string, status: number, headers: Readonly<Record<string, string>>) =>
    builder.response({ method: 'GET', url: path, status, headers });
  const failed = (path: string, error: unknown): boolean => {
    if (error instanceof CloudError && error.status !== null) {
      answered(
        path,
        error.status,
        error.thingsResponse === null ? {} : { 'things-response': error.thingsResponse },
      );
      return true;
    }
    if (error instanceof CloudError && error.code === 'ACCOUNT_UNUSABLE') {
      answered(path, 200, {});
      builder.accountStatus('not active, or with issues');
      return true;
    }
    return false;
  };

  let key: string;
  try {
    const account = await client.account(options.email, options.password);
    answered(ACCOUNT, 200, {});
    builder.accountStatus(account.status);
    key = account.historyKey;
  } catch (error) {
    if (failed(ACCOUNT, error)) return builder.build();
    throw error;
  }

  let head: number;
  try {
    head = (await client.historyMeta(key)).latestServerIndex;
    answered(HISTORY, 200, {});
  } catch (error) {
    if (failed(HISTORY, error)) return builder.build();
    throw error;
  }

  let cursor = 0;
  for (let pages = 0; cursor < head && pages < (options.maxPages ?? Infinity); pages++) {
    try {
      const page = await client.itemsPage(key, cursor);
      answered(ITEMS, page.status, page.headers);
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder().decode(page.body));
      } catch {
        body = undefined;
      }
      builder.page(body);
      const items = (body as { items?: unknown } | undefined)?.items;
      if (!Array.isArray(items) || items.length === 0) break;
      cursor += items.length;
    } catch (error) {
      if (failed(ITEMS, error)) break;
      throw error;
    }
  }

  await options.pause?.();
  const url = `${options.baseUrl.replace(/\/+$/, '')}/version/1/account/${encodeURIComponent(options.email)}/own-history-keys`;
  const response = await (options.fetch ?? globalThis.fetch)(url, {
    headers: {
      authorization: `Password ${encodeURIComponent(options.password)}`,
      accept: 'application/json',
    },
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name === 'content-type' || name === 'things-response') headers[name] = value;
  });
  answered(OWN_KEYS, response.status, headers);
  await response.body?.cancel();
  return builder.build();
}
