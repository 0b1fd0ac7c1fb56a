/**
 * Live incremental sync against Things Cloud: the same loop and store as replay, plus the history
 * identity checks of spec 3.3/9.7 and the rebuild after a reset (decision record 0005).
 */
import { copyFile, link, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CloudError,
  describeReset,
  detectReset,
  historyKeyHash,
  type CloudClient,
  type ResetReason,
} from '../cloud/index.ts';
import type { EngineContext } from '../engine/types.ts';
import {
  isStoreError,
  openDb,
  openStore,
  stageHistory,
  swapStagedHistory,
  urlKind,
  type Store,
} from '../store/index.ts';
import { SyncError } from './errors.ts';
import { syncHistory, type PageOutcome, type SyncProgress, type SyncSummary } from './loop.ts';
import { CloudHistorySource } from './source.ts';

/** Settings of {@link liveSync}. */
export interface LiveSyncOptions {
  readonly client: CloudClient;
  readonly email: string;
  readonly password: string;
  /** The store to continue (opened on `url`). */
  readonly store: Store;
  /** The database URL `store` was opened on: a rebuild opens a fresh database next to it. */
  readonly url: string;
  readonly authToken?: string;
  readonly context: EngineContext;
  /** Stop after this many pages (not applied to a rebuild, which must complete to be used). */
  readonly maxPages?: number;
  /**
   * Wall clock (ms since the epoch) for the name of a replaced database file and the time a
   * remote database records with its archived history; default `Date.now`.
   */
  readonly clock?: () => number;
  /**
   * The `fetch` of the connection a remote rebuild is uploaded and swapped through (the store's
   * own connection is the caller's); default the global one. For counting and injecting faults.
   */
  readonly dbFetch?: typeof globalThis.fetch;
  /** Where a remote rebuild is built before its upload (a temp directory is made inside); default the OS's. */
  readonly tempDir?: string;
  readonly onPage?: (outcome: PageOutcome) => void;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** Called once when a reset is detected, before the rebuild starts. */
  readonly onReset?: (reason: string) => void;
}

/** How a reset was handled. */
export interface ResetOutcome {
  /** Why the stored state was considered to come from a replaced history. */
  readonly reason: string;
  /** `file:` databases: where the old database (with its change log) was kept. */
  readonly previousPath?: string;
  /** `:memory:` databases: the old store, still open, for the caller to read and close. */
  readonly previous?: Store;
  /**
   * Remote databases: the generation under which the old change log was archived in the same
   * database ({@link Store.archivedChanges}), and how many changes it holds.
   */
  readonly archive?: { readonly generation: number; readonly changes: number };
}

/** What {@link liveSync} did. */
export interface LiveSyncResult {
  readonly summary: SyncSummary;
  /** The store now holding the state: `options.store`, or a new one after a rebuild. */
  readonly store: Store;
  /** Set when the history was replaced and the state rebuilt. */
  readonly reset: ResetOutcome | null;
}

/**
 * Syncs the account's current history into the store. Verifies the account first (the key may
 * have changed, spec 13 #28), compares the key hash and head with the stored state, and on a reset
 * (key changed, head behind the cursor, `AccountIssue` at the cursor) rebuilds from index 0 into a
 * fresh database that replaces the old one only once the rebuild completed:
 * - `file:`: a sibling file, then the old file is kept as `<path>.replaced-<time>` (hard link)
 *   and the new one renamed over the path (atomic);
 * - `:memory:`: a new in-memory store; the old one is handed back in `reset.previous`;
 * - remote URLs: a temporary local file, uploaded into staging tables of the remote database, then
 *   swapped in by one write batch that archives the old change log in the same database; a failure
 *   before that batch leaves the remote as it was (`HISTORY_RESET` naming the cause).
 * The history key itself is never stored or printed, only its SHA-256.
 */
export async function liveSync(options: LiveSyncOptions): Promise<LiveSyncResult> {
  const { client } = options;
  const account = await client.account(options.email, options.password);
  const keyHash = historyKeyHash(account.historyKey);
  const state = await options.store.syncState();
  const meta = await client.historyMeta(account.historyKey);
  let reason: ResetReason | null = detectReset(state, {
    historyKeyHash: keyHash,
    head: meta.latestServerIndex,
  });
  if (reason === null) {
    try {
      const summary = await runSync(options, options.store, account.historyKey, options.maxPages);
      return { summary, store: options.store, reset: null };
    } catch (error) {
      const suspicious =
        (error instanceof SyncError && error.code === 'HISTORY_RESET') ||
        (error instanceof CloudError &&
          (error.code === 'ACCOUNT_ISSUE' || error.code === 'HISTORY_RESET'));
      if (!suspicious) throw error;
      // Verify the account again (spec 3.3): a new key or a shorter history means a reset.
      const again = await client.account(options.email, options.password);
      const latest = await client.historyMeta(again.historyKey);
      const current = await options.store.syncState();
      reason = detectReset(
        { historyKeyHash: current.historyKeyHash ?? keyHash, cursor: current.cursor },
        { historyKeyHash: historyKeyHash(again.historyKey), head: latest.latestServerIndex },
      );
      if (reason === null) throw error;
      return rebuild(options, reason, again.historyKey);
    }
  }
  return rebuild(options, reason, account.historyKey);
}

async function runSync(
  options: LiveSyncOptions,
  store: Store,
  historyKey: string,
  maxPages: number | undefined,
): Promise<SyncSummary> {
  return syncHistory({
    source: new CloudHistorySource(options.client, historyKey, { validate: true }),
    store,
    context: options.context,
    ...(maxPages === undefined ? {} : { maxPages }),
    meta: {
      historyKeyHash: historyKeyHash(historyKey),
      timeZone: options.context.timeZone,
      source: { kind: 'live', service: options.client.baseUrl },
    },
    ...(options.onPage === undefined ? {} : { onPage: options.onPage }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
}

async function rebuild(
  options: LiveSyncOptions,
  reason: ResetReason,
  historyKey: string,
): Promise<LiveSyncResult> {
  const why = describeReset(reason);
  const kind = urlKind(options.url);
  const state = await options.store.syncState();
  const { cursor } = state;
  options.onReset?.(why);
  const authOptions = options.authToken === undefined ? {} : { authToken: options.authToken };
  if (kind === 'remote') {
    return rebuildRemote(options, why, historyKey, state);
  }
  if (kind === 'memory') {
    const fresh = await openStore(':memory:', authOptions);
    try {
      const summary = await runSync(options, fresh, historyKey, undefined);
      return { summary, store: fresh, reset: { reason: why, previous: options.store } };
    } catch (error) {
      fresh.close();
      throw error;
    }
  }

  const path = filePathOf(options.url);
  const clock = options.clock ?? Date.now;
  const stamp = new Date(clock())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const rebuildPath = `${path}.rebuild-${stamp}`;
  await removeDatabaseFiles(rebuildPath);
  const fresh = await openStore(`file:${rebuildPath}`);
  let summary: SyncSummary;
  try {
    summary = await runSync(options, fresh, historyKey, undefined);
  } catch (error) {
    fresh.close();
    await removeDatabaseFiles(rebuildPath);
    throw error;
  }
  fresh.close();
  options.store.close();
  // Fold each write-ahead log into its database file so the files can be linked and renamed.
  await checkpoint(rebuildPath);
  await checkpoint(path);
  for (const file of [`${rebuildPath}-wal`, `${path}-wal`]) {
    if (await nonEmpty(file)) {
      throw new SyncError(
        'HISTORY_RESET',
        `Cannot replace ${path} with the rebuilt database ${rebuildPath}: ${file} is still in use (another process has a database open); the rebuild is kept there, move it into place once nothing uses the old one`,
        cursor,
      );
    }
  }
  const previousPath = `${path}.replaced-${stamp}`;
  // A hard link keeps the old file without copying it; rename then swaps atomically.
  await link(path, previousPath).catch(() => copyFile(path, previousPath));
  for (const file of [`${path}-wal`, `${path}-shm`]) await rm(file, { force: true });
  await rename(rebuildPath, path);
  for (const file of [`${rebuildPath}-wal`, `${rebuildPath}-shm`]) await rm(file, { force: true });
  const store = await openStore(options.url, authOptions);
  return { summary, store, reset: { reason: why, previousPath } };
}

/**
 * The remote rebuild (decision 0005): the new history into a temporary local file, then its rows
 * into staging tables of the remote database, then one swap batch. The remote store object stays
 * valid and is returned (it now reads the new history).
 */
async function rebuildRemote(
  options: LiveSyncOptions,
  why: string,
  historyKey: string,
  state: { readonly cursor: number; readonly historyKeyHash: string | null },
): Promise<LiveSyncResult> {
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'thingstape-rebuild-'));
  try {
    const localUrl = pathToFileURL(join(dir, 'rebuild.db')).href;
    const fresh = await openStore(localUrl);
    let summary: SyncSummary;
    try {
      summary = await runSync(options, fresh, historyKey, undefined);
    } finally {
      fresh.close();
    }
    const hint = `run "thingstape sync" again to retry, or sync into a fresh database ("thingstape sync --db <new database URL>") and switch your readers to it`;
    const source = await openDb(localUrl);
    let phase = 'connect to';
    try {
      const target = await openDb(options.url, {
        ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
        ...(options.dbFetch === undefined ? {} : { fetch: options.dbFetch }),
      });
      try {
        phase = 'upload the rebuilt history into staging tables of';
        const staged = await stageHistory(source, target);
        phase = 'swap the rebuilt history into';
        const swap = await swapStagedHistory(target, staged, {
          expected: { cursor: state.cursor, historyKeyHash: state.historyKeyHash },
          replacedAt: (options.clock ?? Date.now)() / 1000,
          reason: why,
        });
        return {
          summary,
          store: options.store,
          reset: {
            reason: why,
            archive: { generation: swap.generation, changes: swap.archivedChanges },
          },
        };
      } finally {
        target.close();
      }
    } catch (error) {
      if (!isStoreError(error)) throw error;
      const unknown = phase.startsWith('swap') && error.code === 'CONNECT_FAILED';
      throw new SyncError(
        'HISTORY_RESET',
        `Cannot ${phase} ${options.store.url} after a history reset (${why}): ${error.message}. ${
          unknown
            ? 'Whether the swap committed is unknown; run "thingstape sync" again: it continues the new history if it did, or rebuilds again.'
            : `The database was left as it was; ${hint}.`
        }`,
        state.cursor,
        { cause: error },
      );
    } finally {
      source.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The file path of a `file:` URL (`file:rel.db`, `file:/abs.db`, `file:///abs.db`, query ignored). */
export function filePathOf(url: string): string {
  const withoutQuery = url.replace(/\?.*$/, '');
  if (withoutQuery.startsWith('file://')) return fileURLToPath(withoutQuery);
  return decodeURIComponent(withoutQuery.slice('file:'.length));
}

/** `PRAGMA wal_checkpoint(TRUNCATE)` on a closed `file:` database: its log ends up empty. */
async function checkpoint(path: string): Promise<void> {
  const db = await openDb(`file:${path}`);
  try {
    await db.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

async function nonEmpty(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}

async function removeDatabaseFiles(path: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    await rm(`${path}${suffix}`, { force: true });
  }
}
