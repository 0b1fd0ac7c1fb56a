/**
 * Classification of the `e` string of a wire event (spec 4.3, 4.4, 14.2).
 *
 * Decisions beyond the spec:
 * - The version is the trailing decimal number; a kind without digits is version 1
 *   (`Tombstone` → 1). A version with a leading zero (`Task07`, `Task0`) is not a kind any writer
 *   produces: it is classified `unknownFamily` (kept raw, reported, never folded).
 * - `Task5` has never been seen. Every `Task` version up to the known maximum (7) is treated as
 *   the task family (`entity`, `legacy: false`), because Task3…Task7 share one payload shape;
 *   only versions above the maximum are `newerVersion`. The same holds for the other families
 *   (`Command2` is metadata, `Contact`/`Contact1` are metadata).
 * - `Settings` with or without digits, and the `-` marker, are metadata of any version: settings
 *   are never folded, so a new settings version cannot make the engine miss data.
 * - Family names are case-sensitive (`task6` is an unknown family).
 */

import type { EntityFamily, Family, KindInfo } from './types.ts';

/** Kinds the current apps write for new objects, per family (spec 4.3, 10.2). */
export const WRITER_KINDS: Readonly<Record<EntityFamily, readonly string[]>> = {
  task: ['Task6', 'Task7'],
  checklistItem: ['ChecklistItem3'],
  area: ['Area3'],
  tag: ['Tag4'],
  tombstone: ['Tombstone2'],
};

/** Highest version of each family that this version of thingstape knows (spec 4.3). */
export const KNOWN_MAX_VERSION: Readonly<Record<Family, number>> = {
  task: 7,
  checklistItem: 3,
  area: 3,
  tag: 4,
  tombstone: 2,
  /** Informational only: any `Settings<n>` is metadata, never `newerVersion`. */
  settings: 5,
  command: 3,
  contact: 2,
};

/** Highest legacy version per entity family: kinds at or below it carry legacy ids (spec 8.3). */
const LEGACY_MAX_VERSION: Readonly<Partial<Record<Family, number>>> = {
  task: 4,
  checklistItem: 2,
  area: 2,
  tag: 3,
  tombstone: 1,
};

/** Wire family names (the `e` string without its version digits). */
const FAMILY_BY_NAME: ReadonlyMap<string, Family> = new Map<string, Family>([
  ['Task', 'task'],
  ['ChecklistItem', 'checklistItem'],
  ['Area', 'area'],
  ['Tag', 'tag'],
  ['Tombstone', 'tombstone'],
  ['Settings', 'settings'],
  ['Command', 'command'],
  ['Contact', 'contact'],
]);

const METADATA: ReadonlySet<Family> = new Set<Family>(['settings', 'command', 'contact']);

/** The settings marker kind, stored under the key `Settings` (spec 4.3). */
export const SETTINGS_MARKER_KIND = '-';

/** The literal group key of settings items. */
export const SETTINGS_KEY = 'Settings';

const KIND_PATTERN = /^([A-Za-z]+)(\d*)$/;

/** Longest `e` string accepted as plausible; anything longer is INVALID_KIND. */
export const MAX_KIND_LENGTH = 64;

/**
 * True when `e` is a plausible kind string: non-empty, at most {@link MAX_KIND_LENGTH} characters,
 * printable ASCII without spaces. Implausible kinds are decode errors (INVALID_KIND); plausible
 * unknown ones are kept raw as `unknownFamily`.
 */
export function isPlausibleKind(e: string): boolean {
  return e.length > 0 && e.length <= MAX_KIND_LENGTH && /^[\x21-\x7e]+$/.test(e);
}

const cache = new Map<string, KindInfo>();
const CACHE_LIMIT = 1024;

/** Classifies an `e` string into family, version, class and legacy flag (never throws). */
export function classifyKind(e: string): KindInfo {
  const cached = cache.get(e);
  if (cached !== undefined) return cached;
  const info = Object.freeze(computeKind(e));
  if (cache.size < CACHE_LIMIT) cache.set(e, info);
  return info;
}

function computeKind(kind: string): KindInfo {
  if (kind === SETTINGS_MARKER_KIND) {
    return { kind, class: 'metadata', family: 'settings', version: null, legacy: false };
  }
  const match = KIND_PATTERN.exec(kind);
  const family = match === null ? undefined : FAMILY_BY_NAME.get(match[1] ?? '');
  const digits = match?.[2] ?? '';
  if (match === null || family === undefined || digits.startsWith('0')) {
    const version = digits === '' || digits.startsWith('0') ? null : Number(digits);
    return {
      kind,
      class: 'unknownFamily',
      family: null,
      version: version !== null && Number.isSafeInteger(version) ? version : null,
      legacy: false,
    };
  }
  const parsed = digits === '' ? 1 : Number(digits);
  const version = Number.isSafeInteger(parsed) ? parsed : Number.MAX_SAFE_INTEGER;
  if (family === 'settings') {
    return { kind, class: 'metadata', family, version, legacy: false };
  }
  if (version > KNOWN_MAX_VERSION[family]) {
    return { kind, class: 'newerVersion', family, version, legacy: false };
  }
  const legacyMax = LEGACY_MAX_VERSION[family];
  return {
    kind,
    class: METADATA.has(family) ? 'metadata' : 'entity',
    family,
    version,
    legacy: legacyMax !== undefined && version <= legacyMax,
  };
}
