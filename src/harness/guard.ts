/**
 * The write guard on the scenario's account: every commit is checked before it is sent, in replay
 * and in record mode alike, so a script that would poison a real account fails before a byte
 * leaves, whatever it records against.
 *
 * The state: what the scenario's database knows (synced entities, loaded per commit) overlaid
 * with everything the scenario itself committed. It never claims to hold the whole history, so
 * unknown ids are not judged; an entity first seen through a modify of the scenario is not used
 * (its other fields would be the fold's defaults, not the account's values).
 */
import { GuardLedger, type Entity } from '../engine/index.ts';
import type { GuardMode } from '../fake/guard.ts';
import {
  checkCommit,
  isCanonicalId,
  type GuardEntity,
  type GuardOptions,
  type GuardState,
  type GuardViolation,
} from '../protocol/index.ts';
import { HarnessError } from './errors.ts';

/** Guard settings of a scenario: a mode, or a mode with the guard's options. */
export type GuardSetting = GuardMode | (GuardOptions & { readonly mode?: GuardMode });

/** The guard of one scenario run. */
export class ScenarioGuard {
  readonly mode: GuardMode;
  readonly #options: GuardOptions;
  readonly #ledger = new GuardLedger({ complete: false });
  /** Ids whose ledger entity holds real values (created here, or loaded from the database). */
  readonly #known = new Set<string>();
  /** Violations of commits sent anyway (`report` mode), to fail the scenario with at the end. */
  readonly reported: GuardViolation[] = [];
  #index = 0;

  constructor(setting: GuardSetting | undefined) {
    const options = typeof setting === 'string' ? { mode: setting } : (setting ?? {});
    this.mode = options.mode ?? 'reject';
    this.#options = {
      ...(options.errors === undefined ? {} : { errors: options.errors }),
      ...(options.ignore === undefined ? {} : { ignore: options.ignore }),
    };
    // Unknown rule codes are the script's mistake: checked here, before anything is sent.
    checkCommit({}, undefined, this.#options);
  }

  /**
   * Checks a group before it is sent. `load` reads entities from the scenario's database. Throws
   * HarnessError UNSAFE_WRITE in `reject` mode when the group breaks an error rule; in `report`
   * mode the violations are kept for the end of the scenario.
   */
  async check(
    group: Readonly<Record<string, unknown>>,
    load: (ids: readonly string[]) => Promise<ReadonlyMap<string, Entity>>,
  ): Promise<void> {
    if (this.mode === 'off') return;
    const body = JSON.parse(JSON.stringify(group)) as Record<string, unknown>;
    const wanted = [...idsOf(body)].filter((id) => !this.#known.has(id));
    if (wanted.length > 0) {
      const loaded = await load(wanted);
      this.#ledger.remember(loaded.values());
      for (const id of loaded.keys()) this.#known.add(id);
    }
    const report = checkCommit(body, this.#state(), this.#options);
    if (report.ok && (this.mode === 'reject' || report.violations.length === 0)) return;
    const errors = report.violations.filter((v) => v.severity === 'error');
    if (this.mode === 'reject') {
      throw new HarnessError(
        'UNSAFE_WRITE',
        `Cannot commit: the write would break a real Things account (${errors.length} violation(s) of the write rules):\n${errors.map((v) => `  ${v.code} ${v.message}`).join('\n')}`,
      );
    }
    this.reported.push(...errors);
  }

  /** Folds a group the service accepted into the state. */
  committed(group: Readonly<Record<string, unknown>>): void {
    const body = JSON.parse(JSON.stringify(group)) as Record<string, unknown>;
    this.#ledger.applyWire([body], this.#index++);
    for (const [id, event] of Object.entries(body)) {
      if ((event as { t?: unknown } | null)?.t === 0) this.#known.add(id);
    }
  }

  #state(): GuardState {
    return {
      complete: false,
      get: (id): GuardEntity | undefined =>
        this.#known.has(id) ? this.#ledger.get(id) : undefined,
      children: (id) => (this.#known.has(id) ? this.#ledger.children(id) : undefined),
    };
  }
}

/** Entity ids a group names: its keys and every canonical id in its payloads. */
function idsOf(body: Readonly<Record<string, unknown>>): Set<string> {
  const ids = new Set(Object.keys(body));
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (isCanonicalId(value)) ids.add(value);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  for (const event of Object.values(body)) {
    visit((event as { p?: unknown } | null)?.p);
  }
  return ids;
}
