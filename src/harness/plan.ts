/**
 * The plan of one scenario run, decided before anything runs: how its requests are served, its
 * zone, where its clock starts and which sanitizers apply. Pure: the cassette (or its absence)
 * and the wall clock are parameters, and every contradiction is a located HarnessError.
 */
import { THINGS_CLOUD_URL } from '../cloud/client.ts';
import { isValidTimeZone } from '../engine/index.ts';
import { unusableSecret } from '../fixture/redact.ts';
import type { Cassette } from './cassette.ts';
import { HarnessError } from './errors.ts';
import type { Mode, SanitizerOptions, ScenarioDefinition } from './types.ts';

/** The clock start of a scenario replayed without a cassette (it makes no request): 2026-01-01T12:00Z. */
export const DEFAULT_CLOCK_START = 1_767_268_800;

/** The run's settings a plan depends on. */
export interface PlanSettings {
  readonly mode: Mode;
  readonly allowNet: boolean;
  /** From THINGS_USERNAME / THINGS_PASSWORD; needed to record. */
  readonly credentials: { readonly email: string; readonly password: string } | null;
  /** The service to record against (default Things Cloud). */
  readonly baseUrl?: string;
  /** Wall clock in ms (only read to start a recording's clock). */
  readonly wallClock: () => number;
}

/** How one scenario runs. */
export interface ScenarioPlan {
  /** `record-missing` resolved: record when there is no cassette. */
  readonly mode: 'replay' | 'record';
  readonly timeZone: string;
  /** The scenario clock's start (seconds). */
  readonly clockStart: number;
  /** Every sanitizer switch, defaults (all on) filled in. */
  readonly sanitize: Required<SanitizerOptions>;
}

/** The mode a scenario runs in when it has (or lacks) a cassette. */
export function scenarioMode(mode: Mode, hasCassette: boolean): 'replay' | 'record' {
  if (mode === 'record-missing') return hasCassette ? 'replay' : 'record';
  return mode;
}

/**
 * Plans `def`: resolves the mode against `cassette`, checks that recording is allowed and safe
 * (`NET_NOT_ALLOWED`, `MISSING_CREDENTIALS`, `SECRET_TOO_SHORT`), that the options are valid
 * (`INVALID_OPTIONS`: zone, pinned clock) and that a replayed cassette agrees with the script
 * (`INVALID_CASSETTE`: zone, pinned clock).
 */
export function planScenario(
  def: ScenarioDefinition,
  settings: PlanSettings,
  cassette: Cassette | null,
): ScenarioPlan {
  const mode = scenarioMode(settings.mode, cassette !== null);
  if (mode === 'record') checkRecording(def.name, settings);
  const timeZone = def.options.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `Cannot run scenario "${def.name}": unknown time zone "${timeZone}"`,
    );
  }
  const pinned =
    def.options.clock === undefined ? null : Math.floor(Date.parse(def.options.clock) / 1000);
  if (pinned !== null && !Number.isSafeInteger(pinned)) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `Cannot run scenario "${def.name}": clock ${JSON.stringify(def.options.clock)} is not an ISO 8601 instant`,
    );
  }
  if (mode === 'replay' && cassette !== null) {
    if (cassette.manifest.timeZone !== timeZone) {
      throw new HarnessError(
        'INVALID_CASSETTE',
        `Cannot replay scenario "${def.name}": its cassette was recorded in zone ${cassette.manifest.timeZone}, the script now says ${timeZone}; re-record it`,
      );
    }
    if (pinned !== null && cassette.clockStart !== pinned) {
      throw new HarnessError(
        'INVALID_CASSETTE',
        `Cannot replay scenario "${def.name}": its cassette starts at ${cassette.manifest.recordedAt}, the script pins ${def.options.clock}; re-record it`,
      );
    }
  }
  const clockStart =
    mode === 'record'
      ? (pinned ?? Math.floor(settings.wallClock() / 1000))
      : (cassette?.clockStart ?? pinned ?? DEFAULT_CLOCK_START);
  return {
    mode,
    timeZone,
    clockStart,
    sanitize: {
      requests: true,
      ops: true,
      resources: true,
      secrets: true,
      ...def.options.sanitize,
    },
  };
}

/** Recording needs the network allowed and credentials whose secrets can be scanned for. */
function checkRecording(name: string, settings: PlanSettings): void {
  if (!settings.allowNet) {
    throw new HarnessError(
      'NET_NOT_ALLOWED',
      `Cannot record scenario "${name}": recording talks to ${settings.baseUrl ?? THINGS_CLOUD_URL} and needs --allow-net`,
    );
  }
  if (settings.credentials === null) {
    throw new HarnessError(
      'MISSING_CREDENTIALS',
      `Cannot record scenario "${name}": set THINGS_USERNAME and THINGS_PASSWORD to the account to record against`,
    );
  }
  const weak = unusableSecret('THINGS_PASSWORD', settings.credentials.password);
  if (weak !== null) {
    throw new HarnessError(
      'SECRET_TOO_SHORT',
      `Cannot record scenario "${name}": ${weak}; use a longer password (thingstape serve accepts any)`,
    );
  }
}
