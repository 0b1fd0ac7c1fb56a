/**
 * Semantic changes between an entity before an item and after it (spec 11.5, with the gaps of
 * 11.8 closed). Pure; `today` and the item's times are parameters.
 *
 * Order of the changes of one item (their `ordinal`): created/deleted, type, title, note, status,
 * trash, location/schedule, deadline, containers (project, area, heading), tags, repeat rule.
 * A `…Created` or `…Deleted` change is the only change of its entity for that item.
 *
 * Names are prefixed by the entity type after the item (`tp` decides Task/Project/Heading);
 * `…Deleted` by the type before. Headings have no location, deadline, area, tag or repeat-rule
 * changes; projects have no project or heading changes; only to-dos and projects move between
 * lists.
 */

import type { CivilDate, Instant, RecurrenceRule } from '../protocol/index.ts';
import { canonicalJson } from './canonical.ts';
import { listOf, scheduleOf } from './lists.ts';
import type {
  AreaEntity,
  AreaSnapshot,
  ChangePayloads,
  ChangeType,
  ChecklistItemEntity,
  ChecklistItemSnapshot,
  DeletedPayload,
  Entity,
  ListName,
  StatusName,
  TagEntity,
  TagSnapshot,
  TaskEntity,
  TaskSnapshot,
} from './types.ts';
import { entityTypeOf } from './types.ts';
import { assertNever } from './assert.ts';

/** A change before it is placed in the log (entity id, server index, position, ordinal). */
export interface ChangeDraft {
  readonly type: ChangeType;
  readonly entityType: string;
  readonly at: Instant | null;
  readonly payload: ChangePayloads[ChangeType];
}

/** The times an item carries, for the `at` of its changes. */
export interface ItemTimes {
  /** The item's `md` when present and not null. */
  readonly md: Instant | null;
  /** The item's `sp` when present and not null (used for status changes without `md`). */
  readonly sp: Instant | null;
}

function draft<T extends ChangeType>(
  type: T,
  entityType: string,
  at: Instant | null,
  payload: ChangePayloads[T],
): ChangeDraft {
  return { type, entityType, at, payload };
}

/** `ss` as a name: 0 open, 2 canceled, 3 completed, else `status:<n>`. */
export function statusName(status: number): StatusName {
  switch (status) {
    case 0:
      return 'open';
    case 2:
      return 'canceled';
    case 3:
      return 'completed';
    default:
      return `status:${status}`;
  }
}

/** The status change for `old → next`: →3 completed, →2 canceled, 3→x uncompleted, 2→x uncanceled. */
export function statusTransition(
  old: number,
  next: number,
): 'Completed' | 'Canceled' | 'Uncompleted' | 'Uncanceled' | null {
  if (old === next) return null;
  if (next === 3) return 'Completed';
  if (next === 2) return 'Canceled';
  if (old === 3) return 'Uncompleted';
  if (old === 2) return 'Uncanceled';
  return null;
}

function first(ids: readonly string[]): string | null {
  return ids[0] ?? null;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size !== setB.size) return false;
  for (const id of setA) if (!setB.has(id)) return false;
  return true;
}

function tagsPayload(old: readonly string[], next: readonly string[]) {
  const before = new Set(old);
  const after = new Set(next);
  return {
    old,
    new: next,
    added: [...after].filter((id) => !before.has(id)).sort(),
    removed: [...before].filter((id) => !after.has(id)).sort(),
  };
}

function sameRule(a: RecurrenceRule | null, b: RecurrenceRule | null): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

const LIST_SUFFIX = {
  inbox: 'Inbox',
  today: 'Today',
  evening: 'Evening',
  anytime: 'Anytime',
  someday: 'Someday',
  upcoming: 'Upcoming',
} as const satisfies Record<ListName, string>;

/** The semantic projection of a task carried by its `…Created` change. */
export function taskSnapshot(task: TaskEntity, today: CivilDate): TaskSnapshot {
  return {
    type: task.type,
    title: task.title,
    note: task.note,
    status: task.status,
    stopDate: task.stopDate,
    schedule: scheduleOf(task, today),
    deadline: task.deadline,
    trashed: task.trashed,
    areaId: first(task.areaIds),
    projectId: first(task.projectIds),
    headingId: first(task.headingIds),
    tagIds: task.tagIds,
    recurrence: task.recurrence,
    templateId: first(task.templateIds),
  };
}

function checklistItemSnapshot(item: ChecklistItemEntity): ChecklistItemSnapshot {
  return { title: item.title, status: item.status, taskId: first(item.taskIds) };
}

function areaSnapshot(area: AreaEntity): AreaSnapshot {
  return { title: area.title, tagIds: area.tagIds };
}

function tagSnapshot(tag: TagEntity): TagSnapshot {
  return { title: tag.title, shortcut: tag.shortcut, parentId: first(tag.parentIds) };
}

/** The `…Created` change of `entity` (`null` for tombstones, whose creation is not a change). */
export function createdChange(
  entity: Entity,
  resurrected: boolean,
  today: CivilDate,
  at: Instant | null,
): ChangeDraft | null {
  switch (entity.family) {
    case 'task': {
      const entityType = entityTypeOf(entity);
      const payload = { resurrected, snapshot: taskSnapshot(entity, today) };
      if (entityType === 'Project') return draft('ProjectCreated', entityType, at, payload);
      if (entityType === 'Heading') return draft('HeadingCreated', entityType, at, payload);
      return draft('TaskCreated', entityType, at, payload);
    }
    case 'checklistItem':
      return draft('ChecklistItemCreated', 'ChecklistItem', at, {
        resurrected,
        snapshot: checklistItemSnapshot(entity),
      });
    case 'area':
      return draft('AreaCreated', 'Area', at, { resurrected, snapshot: areaSnapshot(entity) });
    case 'tag':
      return draft('TagCreated', 'Tag', at, { resurrected, snapshot: tagSnapshot(entity) });
    case 'tombstone':
      return null;
    default:
      return assertNever(entity, 'entity family');
  }
}

/** The `…Deleted` change of `entity` (named by its type before the deletion). */
export function deletedChange(
  entity: Entity,
  deletion: Omit<DeletedPayload, 'title'>,
): ChangeDraft {
  const entityType = entityTypeOf(entity);
  const title = entity.family === 'tombstone' ? '' : entity.title;
  const payload: DeletedPayload = {
    by: deletion.by,
    tombstoneId: deletion.tombstoneId,
    at: deletion.at,
    title,
  };
  return draft(`${entityType}Deleted`, entityType, deletion.at, payload);
}

/** Changes of a task, project or heading that stays live across an item. */
export function taskChanges(
  old: TaskEntity,
  next: TaskEntity,
  today: () => CivilDate,
  times: ItemTimes,
): ChangeDraft[] {
  const out: ChangeDraft[] = [];
  const entityType = entityTypeOf(next);
  const at = times.md;
  if (entityType === 'Heading') {
    if (old.type !== next.type) {
      out.push(draft('HeadingTypeChanged', entityType, at, { old: old.type, new: next.type }));
    }
    if (old.title !== next.title) {
      out.push(draft('HeadingTitleChanged', entityType, at, { old: old.title, new: next.title }));
    }
    if (old.note !== next.note) {
      out.push(draft('HeadingNoteChanged', entityType, at, { old: old.note, new: next.note }));
    }
    pushStatus(out, 'Heading', old.status, next, times);
    pushTrash(out, 'Heading', old.trashed, next.trashed, at);
    if (first(old.projectIds) !== first(next.projectIds)) {
      out.push(
        draft('HeadingAssignedToProject', entityType, at, {
          old: first(old.projectIds),
          new: first(next.projectIds),
        }),
      );
    }
    return out;
  }
  const prefix = entityType === 'Project' ? 'Project' : 'Task';
  if (old.type !== next.type) {
    out.push(draft(`${prefix}TypeChanged`, entityType, at, { old: old.type, new: next.type }));
  }
  if (old.title !== next.title) {
    out.push(draft(`${prefix}TitleChanged`, entityType, at, { old: old.title, new: next.title }));
  }
  if (old.note !== next.note) {
    out.push(draft(`${prefix}NoteChanged`, entityType, at, { old: old.note, new: next.note }));
  }
  pushStatus(out, prefix, old.status, next, times);
  pushTrash(out, prefix, old.trashed, next.trashed, at);
  if (
    old.start !== next.start ||
    old.startDate !== next.startDate ||
    old.startBucket !== next.startBucket
  ) {
    // Both lists are judged on the same day: the item's own local date (no wall clock).
    const day = today();
    const oldList = listOf(old, day);
    const newList = listOf(next, day);
    const payload = { old: scheduleOf(old, day), new: scheduleOf(next, day) };
    if (oldList !== newList && newList !== null) {
      out.push(draft(`${prefix}MovedTo${LIST_SUFFIX[newList]}`, entityType, at, payload));
    } else if (oldList === newList && old.startDate !== next.startDate) {
      out.push(draft(`${prefix}Rescheduled`, entityType, at, payload));
    }
  }
  if (old.deadline !== next.deadline) {
    out.push(
      draft(`${prefix}DeadlineChanged`, entityType, at, { old: old.deadline, new: next.deadline }),
    );
  }
  if (prefix === 'Task' && first(old.projectIds) !== first(next.projectIds)) {
    out.push(
      draft('TaskAssignedToProject', entityType, at, {
        old: first(old.projectIds),
        new: first(next.projectIds),
      }),
    );
  }
  if (first(old.areaIds) !== first(next.areaIds)) {
    out.push(
      draft(`${prefix}AssignedToArea`, entityType, at, {
        old: first(old.areaIds),
        new: first(next.areaIds),
      }),
    );
  }
  if (prefix === 'Task' && first(old.headingIds) !== first(next.headingIds)) {
    out.push(
      draft('TaskMovedUnderHeading', entityType, at, {
        old: first(old.headingIds),
        new: first(next.headingIds),
      }),
    );
  }
  if (!sameSet(old.tagIds, next.tagIds)) {
    out.push(draft(`${prefix}TagsChanged`, entityType, at, tagsPayload(old.tagIds, next.tagIds)));
  }
  if (!sameRule(old.recurrence, next.recurrence)) {
    out.push(
      draft(`${prefix}RepeatRuleChanged`, entityType, at, {
        old: old.recurrence,
        new: next.recurrence,
      }),
    );
  }
  return out;
}

function pushStatus(
  out: ChangeDraft[],
  prefix: 'Task' | 'Project' | 'Heading' | 'ChecklistItem',
  oldStatus: number,
  next: { readonly status: number; readonly stopDate: Instant | null },
  times: ItemTimes,
): void {
  const transition = statusTransition(oldStatus, next.status);
  if (transition === null) return;
  const payload = {
    old: statusName(oldStatus),
    new: statusName(next.status),
    stopDate: next.stopDate,
  };
  const entityType = prefix === 'ChecklistItem' ? 'ChecklistItem' : prefix;
  out.push(draft(`${prefix}${transition}`, entityType, times.md ?? times.sp, payload));
}

function pushTrash(
  out: ChangeDraft[],
  prefix: 'Task' | 'Project' | 'Heading',
  old: boolean,
  next: boolean,
  at: Instant | null,
): void {
  if (old === next) return;
  const type = next ? (`${prefix}Trashed` as const) : (`${prefix}Restored` as const);
  out.push(draft(type, prefix, at, { old, new: next }));
}

/** Changes of a checklist item that stays live across an item. */
export function checklistItemChanges(
  old: ChecklistItemEntity,
  next: ChecklistItemEntity,
  times: ItemTimes,
): ChangeDraft[] {
  const out: ChangeDraft[] = [];
  const at = times.md;
  if (old.title !== next.title) {
    out.push(
      draft('ChecklistItemTitleChanged', 'ChecklistItem', at, { old: old.title, new: next.title }),
    );
  }
  pushStatus(out, 'ChecklistItem', old.status, next, times);
  if (first(old.taskIds) !== first(next.taskIds)) {
    out.push(
      draft('ChecklistItemMovedToTask', 'ChecklistItem', at, {
        old: first(old.taskIds),
        new: first(next.taskIds),
      }),
    );
  }
  return out;
}

/** Changes of an area that stays live across an item. */
export function areaChanges(old: AreaEntity, next: AreaEntity, times: ItemTimes): ChangeDraft[] {
  const out: ChangeDraft[] = [];
  if (old.title !== next.title) {
    out.push(draft('AreaRenamed', 'Area', times.md, { old: old.title, new: next.title }));
  }
  if (!sameSet(old.tagIds, next.tagIds)) {
    out.push(draft('AreaTagsChanged', 'Area', times.md, tagsPayload(old.tagIds, next.tagIds)));
  }
  return out;
}

/** Changes of a tag that stays live across an item. */
export function tagChanges(old: TagEntity, next: TagEntity, times: ItemTimes): ChangeDraft[] {
  const out: ChangeDraft[] = [];
  if (old.title !== next.title) {
    out.push(draft('TagRenamed', 'Tag', times.md, { old: old.title, new: next.title }));
  }
  if (old.shortcut !== next.shortcut) {
    out.push(
      draft('TagShortcutChanged', 'Tag', times.md, { old: old.shortcut, new: next.shortcut }),
    );
  }
  if (first(old.parentIds) !== first(next.parentIds)) {
    out.push(
      draft('TagParentChanged', 'Tag', times.md, {
        old: first(old.parentIds),
        new: first(next.parentIds),
      }),
    );
  }
  return out;
}

/** Changes of any entity that stays live across an item (same family before and after). */
export function liveChanges(
  old: Entity,
  next: Entity,
  today: () => CivilDate,
  times: ItemTimes,
): ChangeDraft[] {
  if (old.family === 'task' && next.family === 'task') {
    return taskChanges(old, next, today, times);
  }
  if (old.family === 'checklistItem' && next.family === 'checklistItem') {
    return checklistItemChanges(old, next, times);
  }
  if (old.family === 'area' && next.family === 'area') return areaChanges(old, next, times);
  if (old.family === 'tag' && next.family === 'tag') return tagChanges(old, next, times);
  return [];
}
