/**
 * Events and groups as they go on the wire: `{"t":…,"e":…,"p":…}` under an entity id, one object
 * of them per group (spec 2.3, 4).
 */
import { jsonText, type RawNumber, type WireValue } from './json-text.ts';

/** An instant or day stamp as written: a number, or its exact decimal text. */
export type WireNumber = number | RawNumber;

/** A payload under construction: JSON values (and raw numbers) by wire key. */
export type WirePayload = Record<string, WireValue>;

/** The `t` of an event: 0 create, 1 modify, 2 delete (the index in `ACTIONS`). */
export type WireEventType = 0 | 1 | 2;

/** One wire event `{t, e, p}`; `P` is the payload's type (JSON values unless a caller widens it). */
export interface WireEvent<P extends object = WirePayload> {
  readonly t: WireEventType;
  readonly e: string;
  readonly p: P;
}

/** One entry of a group: the entity id and its event, in the order they are written. */
export type WireGroupEntry = readonly [id: string, event: WireEvent];

/** The kinds writers use for new objects (spec 10.2: `Area3`, not `Area2`, which the app ignores). */
export const NEW_OBJECT_KINDS = {
  task: 'Task6',
  checklistItem: 'ChecklistItem3',
  area: 'Area3',
  tag: 'Tag4',
  tombstone: 'Tombstone2',
} as const;

/** The empty extension object native and SDK creates carry (spec 6.1 `xx`). */
export function emptyExtension(): { _t: 'oo'; sn: Record<string, never> } {
  return { _t: 'oo', sn: {} };
}

/** A sparse modify of `kind`: the keys given, then `md` when `modifiedAt` is given (spec 10.3). */
export function modifyEvent<P extends object>(
  kind: string,
  keys: P,
  modifiedAt?: WireNumber,
): WireEvent<P & { md?: WireNumber }> {
  return { t: 1, e: kind, p: modifiedAt === undefined ? { ...keys } : { ...keys, md: modifiedAt } };
}

/** A `t = 2` delete of an entity of `kind`, with the empty payload the apps send (spec 10.4). */
export function deleteEvent(kind: string): WireEvent {
  return { t: 2, e: kind, p: {} };
}

/** Compact JSON text of one group, exactly as it appears inside a page's `items` or a commit. */
export function groupText(entries: readonly WireGroupEntry[]): string {
  let out = '{';
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry === undefined) continue;
    const [id, event] = entry;
    if (i > 0) out += ',';
    out += `${JSON.stringify(id)}:{"t":${event.t},"e":${JSON.stringify(event.e)},"p":${jsonText(event.p)}}`;
  }
  return out + '}';
}
