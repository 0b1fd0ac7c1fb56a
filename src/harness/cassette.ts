/**
 * Cassettes: the recording of one scenario, a fixture directory next to the script. The history
 * pages the scenario read are pages of the fixture format (`manifest.json`, `pages/…`, verifiable
 * with `thingstape fixture verify` and replayable with `thingstape replay`); `requests.json` lists
 * every request in order (method, redacted URL, body, response), each items response pointing at
 * its page file. Secrets never reach it: URLs carry placeholders and the files are scanned before
 * they are moved into place.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { FixtureError } from '../fixture/errors.ts';
import { FixtureWriter, readFixture } from '../fixture/node.ts';
import { findSecrets } from '../fixture/redact.ts';
import type { FixtureManifest } from '../fixture/types.ts';
import { HarnessError } from './errors.ts';

/** Name of the request list inside a cassette. */
export const REQUESTS_FILE = 'requests.json';

/** `format` of {@link REQUESTS_FILE}. */
export const REQUESTS_FORMAT = 'thingstape-scenario-requests';

/** A recorded response. Exactly one of `body` (JSON), `text` and `page` holds the body. */
export interface RecordedResponse {
  readonly status: number;
  /** Response headers worth keeping (content type, `Things-Response`, `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly text?: string;
  /** A fixture page file (`pages/000000042.json`) holding the verbatim body. */
  readonly page?: string;
}

/** One recorded request. `url` is path and query with secrets replaced by placeholders. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** The request body when it is JSON. */
  readonly body?: unknown;
  /** The request body when it is not JSON. */
  readonly text?: string;
  readonly response: RecordedResponse;
}

/** A cassette read from disk. */
export interface Cassette {
  readonly dir: string;
  readonly manifest: FixtureManifest;
  readonly requests: readonly RecordedRequest[];
  /** Page bytes by file name (hash-verified). */
  readonly pages: ReadonlyMap<string, Uint8Array>;
  /** The scenario clock's start (seconds), from `manifest.recordedAt`. */
  readonly clockStart: number;
}

/** A request recorded in this run, with the verbatim body of an items page if it is one. */
export interface RecordedEntry extends RecordedRequest {
  /** Verbatim body of a 200 `…/items?start-index=N` response. */
  readonly pageBody?: { readonly startIndex: number; readonly bytes: Uint8Array };
}

/** What {@link writeCassette} writes besides the requests. */
export interface CassetteMeta {
  readonly scenario: string;
  /** Script path relative to the cassette's parent, for people. */
  readonly script: string;
  readonly clockStart: number;
  readonly timeZone: string;
  /** `Things Cloud` or `a local Things Cloud service`. */
  readonly recordedAgainst: string;
}

/** `examples/today.scenario.cassette/<slug of the name>`. */
export function cassettePath(file: string, name: string): string {
  return join(
    dirname(file),
    `${basename(file).replace(/\.[cm]?[jt]s$/, '')}.cassette`,
    slugOf(name),
  );
}

/** A directory name for a scenario name: lower case, `-` between words, at most 80 characters. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return slug === '' ? 'scenario' : slug;
}

/** True when `path` exists. */
async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads the cassette in `dir`; `null` when there is none. Damaged cassettes are `INVALID_CASSETTE`. */
export async function readCassette(dir: string): Promise<Cassette | null> {
  if (!(await exists(dir))) return null;
  let fixture;
  try {
    fixture = await readFixture(dir);
  } catch (error) {
    if (error instanceof FixtureError) {
      throw new HarnessError(
        'INVALID_CASSETTE',
        `Cannot read the cassette ${dir}: ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, REQUESTS_FILE), 'utf8'));
  } catch (error) {
    throw new HarnessError(
      'INVALID_CASSETTE',
      `Cannot read ${join(dir, REQUESTS_FILE)}: ${String(error)}`,
      { cause: error },
    );
  }
  const requests = decodeRequests(json, join(dir, REQUESTS_FILE));
  for (const [i, request] of requests.entries()) {
    if (request.response.page !== undefined && !fixture.pages.has(request.response.page)) {
      throw new HarnessError(
        'INVALID_CASSETTE',
        `Cannot read ${join(dir, REQUESTS_FILE)}: requests[${i}] names page ${request.response.page}, which the manifest does not list`,
      );
    }
  }
  return {
    dir,
    manifest: fixture.manifest,
    requests,
    pages: fixture.pages,
    clockStart: Math.floor(Date.parse(fixture.manifest.recordedAt) / 1000),
  };
}

function decodeRequests(json: unknown, file: string): RecordedRequest[] {
  const fail = (why: string): never => {
    throw new HarnessError('INVALID_CASSETTE', `Cannot read ${file}: ${why}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail('not a JSON object');
  const root = json as Record<string, unknown>;
  if (root['format'] !== REQUESTS_FORMAT) return fail(`"format" is not "${REQUESTS_FORMAT}"`);
  if (root['version'] !== 1)
    return fail(`"version" ${JSON.stringify(root['version'])} is not supported (expected 1)`);
  const list = root['requests'];
  if (!Array.isArray(list)) return fail('"requests" is not an array');
  return list.map((raw: unknown, i): RecordedRequest => {
    const at = `requests[${i}]`;
    if (typeof raw !== 'object' || raw === null) return fail(`${at} is not an object`);
    const r = raw as Record<string, unknown>;
    if (typeof r['method'] !== 'string') return fail(`${at}.method is not a string`);
    if (typeof r['url'] !== 'string' || !r['url'].startsWith('/'))
      return fail(`${at}.url is not a path`);
    const response = r['response'];
    if (typeof response !== 'object' || response === null)
      return fail(`${at}.response is not an object`);
    const res = response as Record<string, unknown>;
    if (typeof res['status'] !== 'number') return fail(`${at}.response.status is not a number`);
    const headers = res['headers'] ?? {};
    if (
      typeof headers !== 'object' ||
      headers === null ||
      Object.values(headers).some((v) => typeof v !== 'string')
    ) {
      return fail(`${at}.response.headers is not an object of strings`);
    }
    if (res['text'] !== undefined && typeof res['text'] !== 'string')
      return fail(`${at}.response.text is not a string`);
    if (res['page'] !== undefined && typeof res['page'] !== 'string')
      return fail(`${at}.response.page is not a string`);
    if (r['text'] !== undefined && typeof r['text'] !== 'string')
      return fail(`${at}.text is not a string`);
    return {
      method: r['method'],
      url: r['url'],
      ...(r['body'] === undefined ? {} : { body: r['body'] }),
      ...(r['text'] === undefined ? {} : { text: r['text'] }),
      response: {
        status: res['status'],
        headers: headers as Record<string, string>,
        ...(res['body'] === undefined ? {} : { body: res['body'] }),
        ...(res['text'] === undefined ? {} : { text: res['text'] }),
        ...(res['page'] === undefined ? {} : { page: res['page'] }),
      },
    };
  });
}

/**
 * Writes a cassette into `dir`, replacing what was there: into a temporary sibling first, which is
 * scanned for `secrets` (in every encoding `findSecrets` knows) and only then renamed into place.
 * A secret found is `SECRET_WRITTEN` and nothing is written.
 */
export async function writeCassette(
  dir: string,
  meta: CassetteMeta,
  entries: readonly RecordedEntry[],
  secrets: readonly string[],
): Promise<void> {
  const temporary = `${dir}.tmp-${randomBytes(6).toString('hex')}`;
  await rm(temporary, { recursive: true, force: true });
  try {
    const writer = await FixtureWriter.create(temporary);
    const requests: RecordedRequest[] = [];
    let schema: number | undefined;
    const pending: { startIndex: number; bytes: Uint8Array; groups: number }[] = [];
    let nextStart: number | null = null;
    for (const entry of entries) {
      const { pageBody, ...request } = entry;
      const parsed = pageBody === undefined ? null : parsePage(pageBody.bytes);
      // Pages of the fixture must be contiguous: a page read again (a retry) stays inline.
      const contiguous =
        pageBody !== undefined &&
        parsed !== null &&
        parsed.groups > 0 &&
        (nextStart === null || nextStart === pageBody.startIndex);
      if (pageBody !== undefined && parsed !== null && contiguous) {
        pending.push({
          startIndex: pageBody.startIndex,
          bytes: pageBody.bytes,
          groups: parsed.groups,
        });
        nextStart = pageBody.startIndex + parsed.groups;
        schema ??= parsed.schema ?? undefined;
        requests.push({
          ...request,
          response: {
            status: request.response.status,
            headers: request.response.headers,
            page: pageFile(pageBody.startIndex),
          },
        });
      } else if (pageBody !== undefined) {
        requests.push({
          ...request,
          response: {
            status: request.response.status,
            headers: request.response.headers,
            text: new TextDecoder().decode(pageBody.bytes),
          },
        });
      } else {
        requests.push(request);
      }
    }
    writer.setMeta({
      recordedAt: new Date(meta.clockStart * 1000).toISOString(),
      timeZone: meta.timeZone,
      source: {
        kind: 'scenario',
        description: `Scenario "${meta.scenario}" of ${meta.script}, recorded by thingstape run against ${meta.recordedAgainst}; requests in ${REQUESTS_FILE}`,
        scenario: meta.scenario,
        script: meta.script,
      },
      ...(schema === undefined ? {} : { schema }),
    });
    for (const page of pending) await writer.writePage(page.startIndex, page.bytes, page.groups);
    await writer.finish();
    const file = { format: REQUESTS_FORMAT, version: 1, scenario: meta.scenario, requests };
    await writeFile(join(temporary, REQUESTS_FILE), `${JSON.stringify(file, null, 2)}\n`);
    await assertNoSecrets(temporary, secrets, `the cassette of scenario "${meta.scenario}"`);
    await rm(dir, { recursive: true, force: true });
    await rename(temporary, dir);
  } finally {
    await rm(temporary, { recursive: true, force: true });
    // A first recording that failed leaves no empty `<script>.cassette` behind.
    await rmdir(dirname(dir)).catch(() => undefined);
  }
}

/** `pages/000000042.json`. */
function pageFile(startIndex: number): string {
  return `pages/${String(startIndex).padStart(9, '0')}.json`;
}

function parsePage(bytes: Uint8Array): { groups: number; schema: number | null } | null {
  try {
    const json = JSON.parse(new TextDecoder().decode(bytes)) as {
      items?: unknown;
      schema?: unknown;
    };
    if (!Array.isArray(json.items)) return null;
    return {
      groups: json.items.length,
      schema: typeof json.schema === 'number' ? json.schema : null,
    };
  } catch {
    return null;
  }
}

/**
 * Throws `SECRET_WRITTEN` when any file under `dir` holds one of `secrets` (raw, URL-encoded,
 * JSON-escaped or base64). The message names the file and the form, never the secret.
 */
export async function assertNoSecrets(
  dir: string,
  secrets: readonly string[],
  what: string,
): Promise<void> {
  const usable = secrets.filter((secret) => secret.length > 0);
  if (usable.length === 0 || !(await exists(dir))) return;
  for (const path of await listFiles(dir)) {
    const text = new TextDecoder().decode(await readFile(path));
    const found = findSecrets(text, usable)[0];
    if (found !== undefined) {
      throw new HarnessError(
        'SECRET_WRITTEN',
        `Cannot keep ${what}: ${relative(dir, path)} holds a secret (${found.form} form of secret #${found.secret + 1}) at offset ${found.offset}; nothing was kept`,
      );
    }
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}
