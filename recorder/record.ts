/**
 * The recorder: reads a live Things Cloud history page by page and writes it as a fixture, each
 * page atomically with the manifest after it, so an interrupted recording is a valid fixture of
 * complete pages that `resume` continues. The only code that talks to a live account.
 *
 * Secrets: the e-mail, password and history key never reach a file or a log line. URLs are
 * written with {@link HISTORY_KEY_PLACEHOLDER}, header values are redacted, and the manifest keeps
 * a salted fingerprint of the key (to refuse resuming onto another history), never the key.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  CloudError,
  readHistoryPages,
  type CloudClient,
  type HistoryPage,
} from '../src/cloud/index.ts';
import { FixtureError } from '../src/fixture/errors.ts';
import {
  FixtureWriter,
  nodeSha256Hex,
  readFixtureManifest,
  readPage,
} from '../src/fixture/node.ts';
import { redactText, unusableSecret } from '../src/fixture/redact.ts';
import { HISTORY_KEY_PLACEHOLDER, type FixtureManifest } from '../src/fixture/types.ts';
import { ANONYMIZER_VERSION, Anonymizer } from './anonymize.ts';
import { RecorderError } from './errors.ts';

/** The version written into manifests (`source.recorder`). */
export const RECORDER_VERSION = 'thingstape 0.1.0';

/** Settings of {@link recordHistory}. */
export interface RecordOptions {
  /** Fixture directory (created when missing). */
  readonly dir: string;
  /** The client (its base URL, rate limit, retries, clock). */
  readonly client: CloudClient;
  readonly email: string;
  readonly password: string;
  /** IANA zone of the account owner, written into the manifest. */
  readonly timeZone: string;
  /** Continue an existing fixture after its last complete page. */
  readonly resume?: boolean;
  /** Start a new fixture at this cursor instead of 0. */
  readonly from?: number;
  /** Stop after this many pages (the fixture stays resumable). */
  readonly maxPages?: number;
  /** Replace titles, notes and checklist text with stand-ins keyed by this secret salt. */
  readonly anonymizeSalt?: Uint8Array;
  /** Wall clock in milliseconds since the epoch (recordedAt, fetchedAt); default `Date.now`. */
  readonly clock?: () => number;
  /** Write `pages/<N>.meta.json` side files (default true). */
  readonly sideFiles?: boolean;
  /** Called after each written page. */
  readonly onPage?: (progress: RecordProgress) => void;
  /** Warnings for people (never containing a secret). */
  readonly log?: (line: string) => void;
}

/** Progress after one page. */
export interface RecordProgress {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly head: number;
  /** Pages written by this run. */
  readonly pages: number;
}

/** What a recording run did. */
export interface RecordSummary {
  /** Where this run started (0, `from`, or the resumed cursor). */
  readonly startIndex: number;
  /** The next start index after the last page written. */
  readonly cursor: number;
  readonly head: number;
  /** Pages written by this run. */
  readonly pages: number;
  /** Pages in the fixture. */
  readonly totalPages: number;
  /** True when the fixture reaches the head (false when `maxPages` stopped the run). */
  readonly complete: boolean;
  readonly anonymized: boolean;
}

/** The `recording` block of the manifest. */
interface RecordingInfo {
  readonly tool: string;
  readonly historyKeyFingerprint: string;
  readonly account: { readonly status: string; readonly issues: number };
  readonly headAtStart: number;
  readonly schemaAtStart: number | null;
  readonly headAtEnd: number | null;
  readonly pageCount: number;
  readonly complete: boolean;
  readonly endedBy: 'head' | 'max-pages' | 'in-progress' | 'history-reset';
}

/**
 * Records the account's history into `dir` (spec 14.1): account (refusing unusable accounts),
 * history metadata, then pages from the cursor to the head, advancing by groups, asking for the
 * head again at the end. With `resume`, the account's key must be the one the fixture was
 * recorded from (`HISTORY_CHANGED`) and the head must not be behind the fixture's end
 * (`HISTORY_RESET`). A history that shrinks while being recorded stops the run with
 * `HISTORY_RESET` and marks the manifest (`endedBy: "history-reset"`).
 */
export async function recordHistory(options: RecordOptions): Promise<RecordSummary> {
  const clock = options.clock ?? Date.now;
  const startedAt = clock();
  const log = options.log ?? (() => undefined);
  const sideFiles = options.sideFiles ?? true;
  const weak = unusableSecret('THINGS_PASSWORD', options.password);
  if (weak !== null) {
    throw new RecorderError(
      'SECRET_TOO_SHORT',
      `Cannot record into ${options.dir}: ${weak}; use a longer password`,
    );
  }
  const account = await options.client.account(options.email, options.password);
  const key = account.historyKey;
  const weakKey = unusableSecret('the history key the service handed out', key, [
    HISTORY_KEY_PLACEHOLDER,
  ]);
  if (weakKey !== null) {
    throw new RecorderError('SECRET_TOO_SHORT', `Cannot record into ${options.dir}: ${weakKey}`);
  }
  const secrets = [options.email, options.password, key];
  const fingerprint = keyFingerprint(key);
  const anonymized = options.anonymizeSalt !== undefined;

  const existing = options.resume === true ? await existingManifest(options.dir) : undefined;
  const previous = existing === undefined ? undefined : recordingOf(existing);
  if (existing !== undefined) {
    if (previous === undefined) {
      throw new RecorderError(
        'RESUME_MISMATCH',
        `Cannot resume ${options.dir}: its manifest was not written by thingstape record`,
      );
    }
    if (previous.historyKeyFingerprint !== fingerprint) {
      throw new RecorderError(
        'HISTORY_CHANGED',
        `Cannot resume ${options.dir}: the account now names another history than the one recorded there (the history was replaced); record into a new directory`,
      );
    }
    if ((existing.extra?.['anonymized'] === true) !== anonymized) {
      throw new RecorderError(
        'RESUME_MISMATCH',
        `Cannot resume ${options.dir}: it was recorded ${anonymized ? 'verbatim' : 'with --anonymize'}; resume it the same way`,
      );
    }
  }
  const writer = await FixtureWriter.create(options.dir, { resume: options.resume === true });
  const resumedAt = writer.nextStartIndex;
  if (resumedAt !== null && options.from !== undefined && options.from !== resumedAt) {
    throw new RangeError(`from (${options.from}) conflicts with the resumed cursor (${resumedAt})`);
  }
  const startIndex = resumedAt ?? options.from ?? 0;
  if (resumedAt !== null) await removeUnlistedPages(options.dir, resumedAt);

  const anonymizer =
    options.anonymizeSalt === undefined ? undefined : new Anonymizer(options.anonymizeSalt);
  if (anonymizer !== undefined && existing !== undefined) {
    for (const page of existing.pages) {
      anonymizer.observe(new TextDecoder().decode(await readPage(options.dir, existing, page)));
    }
  }

  const recordedAt = existing?.recordedAt ?? new Date(startedAt).toISOString();
  const timeZone = existing?.timeZone ?? options.timeZone;
  if (existing !== undefined && existing.timeZone !== options.timeZone) {
    log(`keeping the fixture's time zone ${existing.timeZone} (not ${options.timeZone})`);
  }
  const firstStart = existing?.pages[0]?.startIndex ?? startIndex;
  let info: RecordingInfo = previous ?? {
    tool: RECORDER_VERSION,
    historyKeyFingerprint: fingerprint,
    account: { status: account.status, issues: account.issues.length },
    headAtStart: -1,
    schemaAtStart: null,
    headAtEnd: null,
    pageCount: writer.pages.length,
    complete: false,
    endedBy: 'in-progress',
  };
  let schema = existing?.schema;
  const setMeta = (): void => {
    writer.setMeta({
      recordedAt,
      timeZone,
      source: {
        kind: 'recorded',
        description: `Recording of a Things Cloud history from index ${firstStart}${anonymized ? ', anonymized (titles, notes and checklist text are stand-ins)' : ''}.`,
        recorder: RECORDER_VERSION,
      },
      ...(schema === undefined ? {} : { schema }),
      extra: {
        ...(anonymized ? { anonymized: true, anonymizer: ANONYMIZER_VERSION } : {}),
        recording: info,
      },
    });
  };

  let head = 0;
  let pages = 0;
  let cursor = startIndex;
  let stoppedByMaxPages = false;
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  try {
    if (maxPages > 0) {
      for await (const fetched of readHistoryPages(options.client, key, {
        start: startIndex,
        onHead: (latest, latestSchema) => {
          head = latest;
          if (info.headAtStart === -1)
            info = { ...info, headAtStart: latest, schemaAtStart: latestSchema };
        },
      })) {
        const body =
          anonymizer === undefined
            ? fetched.page.body
            : new TextEncoder().encode(
                anonymizer.page(new TextDecoder().decode(fetched.page.body)),
              );
        schema ??= fetched.envelope.schema ?? undefined;
        head = Math.max(head, fetched.envelope.currentItemIndex);
        for (const warning of fetched.warnings)
          log(`page at start-index ${fetched.startIndex}: ${warning}`);
        if (sideFiles) {
          await writeSideFile(
            options.dir,
            fetched,
            body,
            secrets,
            options.client.baseUrl,
            clock,
            anonymized,
          );
        }
        info = { ...info, pageCount: writer.pages.length + 1, headAtEnd: head };
        setMeta();
        await writer.writePage(fetched.startIndex, body, fetched.envelope.groups);
        pages++;
        cursor = fetched.endIndex;
        options.onPage?.({ startIndex: fetched.startIndex, endIndex: cursor, head, pages });
        if (pages >= maxPages) {
          stoppedByMaxPages = cursor < head;
          break;
        }
      }
    }
  } catch (error) {
    if (await isReset(error, options, fingerprint, cursor)) {
      info = { ...info, complete: false, endedBy: 'history-reset', headAtEnd: head };
      setMeta();
      await writer.finish();
      throw new RecorderError(
        'HISTORY_RESET',
        `Cannot finish recording ${options.dir}: ${error instanceof Error ? error.message : String(error)}. The history was replaced: the pages written so far are from the old history; record again into a new directory`,
        { cause: error },
      );
    }
    throw error;
  }
  const complete = !stoppedByMaxPages && cursor >= head;
  if (info.headAtStart === -1) info = { ...info, headAtStart: head };
  info = {
    ...info,
    pageCount: writer.pages.length,
    headAtEnd: head,
    complete,
    endedBy: complete ? 'head' : 'max-pages',
  };
  setMeta();
  await writer.finish();
  return {
    startIndex,
    cursor,
    head,
    pages,
    totalPages: writer.pages.length,
    complete,
    anonymized,
  };
}

/**
 * True when `error` means the history was replaced: `HISTORY_RESET` from the paging loop, or
 * `AccountIssue` after which the account names another key or a head behind the cursor.
 */
async function isReset(
  error: unknown,
  options: RecordOptions,
  fingerprint: string,
  cursor: number,
): Promise<boolean> {
  if (!(error instanceof CloudError)) return false;
  if (error.code === 'HISTORY_RESET') return true;
  if (error.code !== 'ACCOUNT_ISSUE') return false;
  const again = await options.client.account(options.email, options.password);
  if (keyFingerprint(again.historyKey) !== fingerprint) return true;
  return (await options.client.historyMeta(again.historyKey)).latestServerIndex < cursor;
}

/**
 * Removes page files (and side files) at or after `from` that the manifest does not list: what a
 * recorder killed between writing a page and its manifest leaves behind.
 */
async function removeUnlistedPages(dir: string, from: number): Promise<void> {
  for (const entry of await readdir(join(dir, 'pages'))) {
    const match = /^(\d{9})(\.meta)?\.json$/.exec(entry);
    if (match !== null && Number(match[1]) >= from)
      await rm(join(dir, 'pages', entry), { force: true });
  }
}

/** A fingerprint of the history key: enough to tell two histories apart, useless to read one. */
export function keyFingerprint(historyKey: string): string {
  return nodeSha256Hex(new TextEncoder().encode(`thingstape-fixture-history:${historyKey}`)).slice(
    0,
    16,
  );
}

async function existingManifest(dir: string): Promise<FixtureManifest | undefined> {
  try {
    return (await readFixtureManifest(dir)).manifest;
  } catch (error) {
    if (error instanceof FixtureError && error.code === 'MISSING_MANIFEST') return undefined;
    throw error;
  }
}

function recordingOf(manifest: FixtureManifest): RecordingInfo | undefined {
  const value = manifest.extra?.['recording'];
  if (typeof value !== 'object' || value === null) return undefined;
  const info = value as RecordingInfo;
  return typeof info.historyKeyFingerprint === 'string' ? info : undefined;
}

/** `pages/<N>.meta.json`: request and response metadata of one page, secrets redacted. */
async function writeSideFile(
  dir: string,
  fetched: HistoryPage,
  body: Uint8Array,
  secrets: readonly string[],
  baseUrl: string,
  clock: () => number,
  anonymized: boolean,
): Promise<void> {
  const [email, password, key] = secrets as [string, string, string];
  const redact = (text: string): string =>
    redactText(redactText(text, [key], HISTORY_KEY_PLACEHOLDER), [email, password]);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(fetched.page.headers).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    headers[name] = name === 'set-cookie' ? 'redacted' : redact(value);
  }
  const meta = {
    request: {
      method: 'GET',
      url: redact(`${baseUrl}/version/1/history/${key}/items?start-index=${fetched.startIndex}`),
    },
    response: { status: fetched.page.status, headers },
    attempts: fetched.page.attempts,
    durationMs: Math.round(fetched.page.durationMs * 10) / 10,
    fetchedAt: new Date(clock()).toISOString(),
    envelope: fetched.envelope,
    warnings: fetched.warnings,
    anonymized,
    bytes: body.length,
    sha256: nodeSha256Hex(body),
  };
  const file = join(dir, 'pages', `${String(fetched.startIndex).padStart(9, '0')}.meta.json`);
  await writeAtomically(file, `${JSON.stringify(meta, null, 2)}\n`);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  // Same temporary-name pattern as FixtureWriter, so a resumed writer cleans it up.
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
