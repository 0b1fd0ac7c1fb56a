/**
 * A commit body as the guard's rules see it: each entry's event, kind, action and payload read
 * from raw JSON (no decoder: the guard must locate every problem, not stop at the first), beside
 * the stored entity it applies to and what the rest of the commit does.
 */
import { toEntityRef } from '../ids.ts';
import { classifyKind } from '../kinds.ts';
import type { Action, EntityFamily, KindInfo } from '../types.ts';
import { ACTIONS } from '../types.ts';
import type { GuardEntity, GuardState } from './types.ts';

/** One entry of the commit: entity id → event. */
export interface GuardItem {
  readonly id: string;
  readonly event: unknown;
  /** The event is an object with `t` 0/1/2 and a non-empty string `e` (rules then read it). */
  readonly wellFormed: boolean;
  readonly action: Action | null;
  readonly kind: KindInfo | null;
  /** The modelled family of the kind, or `null` (metadata, unknown, malformed). */
  readonly family: EntityFamily | null;
  /** `p` when it is an object, else `{}`. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** The stored entity under this id, if the state knows it. */
  readonly stored: GuardEntity | undefined;
}

/** A located problem a rule found. */
export interface Finding {
  readonly entityId: string | null;
  readonly path: string;
  /** The value found (rendered by the runner), or {@link ABSENT}. */
  readonly found: unknown;
  /** Overrides the rendered value when it needs words (`"Task8" (a newer version …)`). */
  readonly foundText?: string;
}

/** Marks a value that is not there. */
export const ABSENT: unique symbol = Symbol('absent');

/** The whole commit, for rules that look across entries. */
export interface GuardCommit {
  /** The body as given. */
  readonly body: unknown;
  /** Entries in key order; empty when the body is not an object. */
  readonly items: readonly GuardItem[];
  readonly state: GuardState;
  /** Keys the raw text held more than once (only known when the text was checked). */
  readonly duplicateKeys: readonly string[];
  /** The entry for `id` in this commit. */
  item(id: string): GuardItem | undefined;
  /** True when this commit deletes `id` (a `t = 2` on it, or a tombstone whose `dloid` is `id`). */
  deletes(id: string): boolean;
}

/** True for a plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds the commit model. */
export function readCommit(
  body: unknown,
  state: GuardState,
  duplicateKeys: readonly string[],
): GuardCommit {
  const items: GuardItem[] = [];
  if (isRecord(body)) {
    for (const id of Object.keys(body)) items.push(readItem(id, body[id], state));
  }
  const byId = new Map(items.map((item) => [item.id, item]));
  const deleted = new Set<string>();
  for (const item of items) {
    if (!item.wellFormed) continue;
    if (item.action === 'delete') deleted.add(item.id);
    const target = item.payload['dloid'];
    if (item.family === 'tombstone' && item.action === 'create' && typeof target === 'string') {
      deleted.add(target);
    }
  }
  return {
    body,
    items,
    state,
    duplicateKeys,
    item: (id) => byId.get(id),
    deletes: (id) => deleted.has(id),
  };
}

/**
 * The stored entity an id names: legacy ids in legacy kinds are stored under their derived Base58
 * id (spec 8.3), like the engine stores them.
 */
export function lookup(
  state: GuardState,
  id: string,
  legacyKind: boolean,
): GuardEntity | undefined {
  return state.get(legacyKind ? toEntityRef(id, { legacyKind }).id : id);
}

function readItem(id: string, event: unknown, state: GuardState): GuardItem {
  if (!isRecord(event)) {
    const stored = state.get(id);
    return {
      id,
      event,
      wellFormed: false,
      action: null,
      kind: null,
      family: null,
      payload: {},
      stored,
    };
  }
  const t = event['t'];
  const e = event['e'];
  const action = typeof t === 'number' && Number.isInteger(t) ? (ACTIONS[t] ?? null) : null;
  const kind = typeof e === 'string' && e !== '' ? classifyKind(e) : null;
  const p = event['p'];
  const stored = lookup(state, id, kind?.legacy ?? false);
  return {
    id,
    event,
    wellFormed: action !== null && kind !== null,
    action,
    kind,
    family:
      kind !== null && kind.class === 'entity' && kind.family !== null
        ? (kind.family as EntityFamily)
        : null,
    payload: isRecord(p) ? p : {},
    stored,
  };
}

/** True when the payload holds `key` (an own key, whatever its value). */
export function has(item: GuardItem, key: string): boolean {
  return Object.hasOwn(item.payload, key);
}

/** The payload's value at `key`, or {@link ABSENT}. */
export function field(item: GuardItem, key: string): unknown {
  return Object.hasOwn(item.payload, key) ? item.payload[key] : ABSENT;
}

/** A stored entity that is live (not permanently deleted). */
export function live(entity: GuardEntity | undefined): entity is GuardEntity {
  return entity !== undefined && (entity.deleted === null || entity.deleted === undefined);
}

/** The ids of an id list value (strings only), or `[]`. */
export function idList(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * A task's value after this event: the payload's when present, else the create default (`create`)
 * or the stored value (`modify`); `undefined` when a modify's target is not known.
 */
export function after<T>(
  item: GuardItem,
  key: string,
  createDefault: T,
  stored: (entity: GuardEntity) => T | undefined,
): unknown {
  if (has(item, key)) return item.payload[key];
  if (item.action === 'create') return createDefault;
  return item.stored === undefined ? undefined : stored(item.stored);
}

/** The task type (`tp`) after this event, when known. */
export function taskType(item: GuardItem): number | undefined {
  const tp = after(item, 'tp', 0, (e) => e.type);
  return typeof tp === 'number' ? tp : undefined;
}

/** Renders a found value: JSON text shortened to 80 characters, `absent` for {@link ABSENT}. */
export function render(found: unknown): string {
  if (found === ABSENT) return 'absent';
  let text: string;
  try {
    text = JSON.stringify(found) ?? String(found);
  } catch {
    text = String(found);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
