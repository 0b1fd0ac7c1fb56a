/**
 * The scenario's session with its Things Cloud account, over the same `CloudClient` the CLI
 * uses: it signs in on first use (learning the history key and the head it started at), commits
 * the account's groups through the write guard on the last known head, and syncs the history into
 * the scenario's database through the real sync loop.
 */
import { createHash } from 'node:crypto';
import { CloudClient, CloudError, THINGS_CLOUD_URL } from '../cloud/index.ts';
import type { Change } from '../engine/index.ts';
import { REDACTED_PLACEHOLDER } from '../fixture/redact.ts';
import { HISTORY_KEY_PLACEHOLDER } from '../fixture/types.ts';
import type { Store } from '../store/index.ts';
import { CloudHistorySource, syncHistory } from '../sync/index.ts';
import type { ScenarioClock } from './clock.ts';
import type { ScenarioGuard } from './guard.ts';
import type { WireWrite } from './payloads.ts';
import type { Tape } from './tape.ts';

/** How many times a commit is sent when someone else committed first (spec 10.1 step 5). */
const COMMIT_ATTEMPTS = 3;

/** The Things Cloud client a scenario talks through: the tape's `fetch`, replay without waits. */
export function scenarioClient(
  mode: 'replay' | 'record',
  tape: Tape,
  baseUrl: string | undefined,
): CloudClient {
  const replaying = mode === 'replay';
  const url = replaying ? THINGS_CLOUD_URL : (baseUrl ?? THINGS_CLOUD_URL);
  return new CloudClient({
    baseUrl: url,
    fetch: tape.fetch,
    timeoutMs: 30_000,
    // Replay: retries of recorded failures happen at once, with a fixed jitter.
    ...(replaying ? { sleep: () => Promise.resolve(), random: () => 0.5 } : {}),
    ...(!replaying && url === THINGS_CLOUD_URL ? { minIntervalMs: 1000 } : {}),
  });
}

/** What a session needs. */
export interface AccountSessionOptions {
  readonly client: CloudClient;
  /** Sign-in credentials; `null` (replay) sends placeholders, as the cassette recorded them. */
  readonly credentials: { readonly email: string; readonly password: string } | null;
  readonly guard: ScenarioGuard;
  /** The scenario's database: synced into, and read by the guard. */
  readonly store: Store;
  readonly clock: ScenarioClock;
  /** The scenario's name (the sync source's description and the store's metadata). */
  readonly scenario: string;
  /** Read the whole history on the first sync instead of starting at the head found. */
  readonly fromStart: boolean;
}

interface SignedIn {
  readonly key: string;
  readonly startHead: number;
  head: number;
}

/** One scenario's session with its account. */
export class AccountSession {
  readonly #options: AccountSessionOptions;
  #signedIn: Promise<SignedIn> | undefined;
  #synced = false;

  constructor(options: AccountSessionOptions) {
    this.#options = options;
  }

  /**
   * Checks `group` with the write guard, then commits it on the last known head; when someone
   * committed first (`OUTDATED_ANCESTOR`) it learns the new head and tries again, at most
   * {@link COMMIT_ATTEMPTS} times in all. Returns the new group's server index.
   */
  async commit(group: Readonly<Record<string, WireWrite>>): Promise<number> {
    const { client, guard, store } = this.#options;
    await guard.check(group, (ids) => store.loadEntities(ids));
    const session = await this.#signIn();
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await client.commit(session.key, session.head, group);
        session.head = result.head;
        guard.committed(group);
        return result.head - 1;
      } catch (error) {
        if (
          error instanceof CloudError &&
          error.code === 'OUTDATED_ANCESTOR' &&
          attempt < COMMIT_ATTEMPTS
        ) {
          session.head = (await client.historyMeta(session.key)).latestServerIndex;
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * Reads the history up to its head into the store and returns the changes. The first sync
   * starts at the head the session found when it signed in, unless `fromStart`.
   */
  async sync(): Promise<Change[]> {
    const { client, store, clock, scenario } = this.#options;
    const session = await this.#signIn();
    if (!this.#synced) {
      this.#synced = true;
      if (!this.#options.fromStart && session.startHead > 0) await store.startAt(session.startHead);
    }
    const changes: Change[] = [];
    const summary = await syncHistory({
      source: new CloudHistorySource(client, session.key, {
        description: `the account of scenario "${scenario}"`,
      }),
      store,
      context: { timeZone: clock.timeZone, referenceDate: clock.today },
      meta: {
        historyKeyHash: createHash('sha256').update(HISTORY_KEY_PLACEHOLDER).digest('hex'),
        timeZone: clock.timeZone,
        source: { scenario },
      },
      onPage: (outcome) => changes.push(...outcome.changes),
    });
    session.head = Math.max(session.head, summary.head);
    return changes;
  }

  #signIn(): Promise<SignedIn> {
    const { client, credentials } = this.#options;
    this.#signedIn ??= (async () => {
      const info = await client.account(
        credentials?.email ?? REDACTED_PLACEHOLDER,
        credentials?.password ?? REDACTED_PLACEHOLDER,
      );
      const meta = await client.historyMeta(info.historyKey);
      return {
        key: info.historyKey,
        startHead: meta.latestServerIndex,
        head: meta.latestServerIndex,
      };
    })();
    return this.#signedIn;
  }
}
