/**
 * Creates and modifies of the smaller entity kinds (spec 6.2–6.5, 10.2–10.4): checklist items,
 * areas, tags and tombstones, in the key order the writers send.
 */
import {
  emptyExtension,
  modifyEvent,
  NEW_OBJECT_KINDS,
  type WireEvent,
  type WireNumber,
} from './event.ts';
import { idList } from './task.ts';

/**
 * A `ChecklistItem3` create (spec 10.2): `ts: [task]`, `ss 0`, `sp null`, `md null` before `cd`
 * as in the recorded native create (6.2) and the spec's worked example (Appendix B).
 */
export function checklistItemCreate(fields: {
  readonly taskId: string;
  readonly title: string;
  readonly index: number;
  readonly createdAt: WireNumber;
}): WireEvent {
  return {
    t: 0,
    e: NEW_OBJECT_KINDS.checklistItem,
    p: {
      tt: fields.title,
      ss: 0,
      sp: null,
      ix: fields.index,
      ts: [fields.taskId],
      md: null,
      cd: fields.createdAt,
      lt: false,
      xx: emptyExtension(),
    },
  };
}

/** A sparse `ChecklistItem3` modify with `md`. */
export function checklistItemModify<P extends object>(
  keys: P,
  modifiedAt: WireNumber,
): WireEvent<P & { md?: WireNumber }> {
  return modifyEvent(NEW_OBJECT_KINDS.checklistItem, keys, modifiedAt);
}

/** An `Area3` create (`Area2` is ignored by the app, spec 10.2). */
export function areaCreate(fields: {
  readonly title: string;
  readonly index: number;
  readonly tagIds?: readonly string[];
}): WireEvent {
  return {
    t: 0,
    e: NEW_OBJECT_KINDS.area,
    p: { tt: fields.title, ix: fields.index, tg: [...(fields.tagIds ?? [])], xx: emptyExtension() },
  };
}

/** A sparse `Area3` modify (areas carry no `md`). */
export function areaModify<P extends object>(keys: P): WireEvent<P & { md?: WireNumber }> {
  return modifyEvent(NEW_OBJECT_KINDS.area, keys);
}

/** A `Tag4` create: `sh null` unless a shortcut is given, `pn: []` or `[parent]`. */
export function tagCreate(fields: {
  readonly title: string;
  readonly index: number;
  readonly shortcut?: string | null;
  readonly parentId?: string | null;
}): WireEvent {
  return {
    t: 0,
    e: NEW_OBJECT_KINDS.tag,
    p: {
      tt: fields.title,
      ix: fields.index,
      sh: fields.shortcut ?? null,
      pn: idList(fields.parentId),
      xx: emptyExtension(),
    },
  };
}

/** A sparse `Tag4` modify. */
export function tagModify<P extends object>(keys: P): WireEvent<P & { md?: WireNumber }> {
  return modifyEvent(NEW_OBJECT_KINDS.tag, keys);
}

/** A `Tombstone2` create: the permanent delete of `targetId` at `deletedAt` (spec 6.5, 10.4). */
export function tombstoneCreate(targetId: string, deletedAt: WireNumber): WireEvent {
  return { t: 0, e: NEW_OBJECT_KINDS.tombstone, p: { dloid: targetId, dld: deletedAt } };
}
