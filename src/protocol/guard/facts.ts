/**
 * What the write rules ask of a commit, shared by their checks (`rules.ts`): the kinds and create
 * keys the current apps write, the commit's well-formed writes, findings, the target a reference
 * resolves to, the containers a to-do sits in after the commit.
 */
import { FIELDS_BY_FAMILY, TASK_FIELDS } from '../fields.ts';
import type { EntityFamily, KindInfo } from '../types.ts';
import {
  ABSENT,
  after,
  has,
  idList,
  live,
  taskType,
  type Finding,
  type GuardCommit,
  type GuardItem,
} from './commit.ts';
import { fieldValues, valueProblem, type ValueProblem } from './values.ts';

/** Keys a create must carry, per family: the native shapes of spec 6.1–6.4 (tombstones: 6.5). */
export const CREATE_KEYS: Readonly<Record<EntityFamily, readonly string[]>> = {
  task: [...TASK_FIELDS.keys()],
  checklistItem: [...FIELDS_BY_FAMILY.checklistItem.keys()],
  area: [...FIELDS_BY_FAMILY.area.keys()],
  tag: [...FIELDS_BY_FAMILY.tag.keys()],
  tombstone: [],
};

/** A modify carrying this many of the 34 task keys re-sends the whole object (spec 10.3). */
export const WHOLE_OBJECT_KEYS = 24;

export const ALLOWED_VALUES: Readonly<Record<string, readonly number[]>> = {
  tp: [0, 1, 2],
  ss: [0, 2, 3],
  st: [0, 1, 2],
  sb: [0, 1],
};

export function finding(
  item: GuardItem,
  path: string,
  found: unknown,
  foundText?: string,
): Finding {
  return foundText === undefined
    ? { entityId: item.id, path, found }
    : { entityId: item.id, path, found, foundText };
}

/** A well-formed item of a modelled family: its kind is known (`wellFormed` says so). */
export type EntityItem = GuardItem & { readonly family: EntityFamily; readonly kind: KindInfo };

/** Well-formed items of the given families (all modelled families by default). */
export function* entities(
  commit: GuardCommit,
  families?: readonly EntityFamily[],
): Generator<EntityItem> {
  for (const item of commit.items) {
    if (!item.wellFormed || item.family === null) continue;
    if (families !== undefined && !families.includes(item.family)) continue;
    yield item as EntityItem;
  }
}

/** Well-formed creates and modifies of the given families (deletes carry no payload). */
export function* writes(
  commit: GuardCommit,
  families?: readonly EntityFamily[],
): Generator<EntityItem> {
  for (const item of entities(commit, families)) {
    if (item.action !== 'delete') yield item;
  }
}

export function* valueChecks(commit: GuardCommit, problem: ValueProblem): Generator<Finding> {
  for (const item of writes(commit)) {
    for (const entry of fieldValues(item)) {
      if (valueProblem(entry.spec, entry.value) === problem) {
        yield finding(item, entry.spec.path, entry.value);
      }
    }
  }
}

/**
 * What a referenced id is after this commit, as far as the commit and the state tell. Callers pass
 * canonical Base58 ids only, which are stored as written (legacy mapping, spec 8.3, applies to the
 * legacy forms alone), so the id is looked up as it is.
 */
export type Target =
  | { readonly state: 'live'; readonly family: EntityFamily; readonly type: number | undefined }
  | { readonly state: 'deleted' | 'missing' | 'unknown' };

export function resolve(commit: GuardCommit, id: string): Target {
  if (commit.deletes(id)) return { state: 'deleted' };
  const here = commit.item(id);
  if (here?.wellFormed === true && here.action === 'create' && here.family !== null) {
    return { state: 'live', family: here.family, type: taskType(here) };
  }
  const stored = commit.state.get(id);
  if (stored !== undefined) {
    return live(stored)
      ? { state: 'live', family: stored.family, type: stored.type }
      : { state: 'deleted' };
  }
  return commit.state.complete ? { state: 'missing' } : { state: 'unknown' };
}

/** The family (and task type) a reference of `key` must point at (spec 9.3). */
export const REFERENCE_TARGETS: Readonly<
  Record<string, { readonly family: EntityFamily; readonly type?: number; readonly what: string }>
> = {
  ar: { family: 'area', what: 'an area' },
  pr: { family: 'task', type: 1, what: 'a project' },
  agr: { family: 'task', type: 2, what: 'a heading' },
  tg: { family: 'tag', what: 'a tag' },
  ts: { family: 'task', type: 0, what: 'a to-do' },
  pn: { family: 'tag', what: 'a tag' },
};

const FAMILY_NAMES: Readonly<Record<EntityFamily, string>> = {
  task: 'a task',
  checklistItem: 'a checklist item',
  area: 'an area',
  tag: 'a tag',
  tombstone: 'a tombstone',
};

export function describeTarget(family: EntityFamily, type: number | undefined): string {
  if (family !== 'task') return FAMILY_NAMES[family];
  return ['a to-do', 'a project', 'a heading'][type ?? 0] ?? 'a task';
}

/** Containers a to-do sits in after this event (`ar`, `pr`, `agr`), when known. */
export function containersAfter(
  item: GuardItem,
): { ar: string[]; pr: string[]; agr: string[] } | null {
  const ar = after(item, 'ar', [], (e) => e.areaIds);
  const pr = after(item, 'pr', [], (e) => e.projectIds);
  const agr = after(item, 'agr', [], (e) => e.headingIds);
  if (ar === undefined || pr === undefined || agr === undefined) return null;
  return { ar: idList(ar), pr: idList(pr), agr: idList(agr) };
}

export function touches(item: GuardItem, keys: readonly string[]): boolean {
  return item.action === 'create' || keys.some((key) => has(item, key));
}

export function value0(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : ABSENT;
}

/** True when this commit's event on a child takes it out of `container` (every key that held it). */
export function movedOut(commit: GuardCommit, child: string, container: string): boolean {
  const item = commit.item(child);
  const stored = commit.state.get(child);
  if (item === undefined || !item.wellFormed || item.action !== 'modify' || stored === undefined) {
    return false;
  }
  const lists = { ar: stored.areaIds, pr: stored.projectIds, agr: stored.headingIds };
  const holding = (['ar', 'pr', 'agr'] as const).filter((key) => lists[key]?.includes(container));
  return (
    holding.length > 0 &&
    holding.every((key) => has(item, key) && !idList(item.payload[key]).includes(container))
  );
}
