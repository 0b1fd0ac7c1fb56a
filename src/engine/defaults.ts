/**
 * Default entities: what a create that omits keys means (spec 6.1 defaults, 5.4). `st` defaults to
 * 0 (Inbox), the choice spec 6.1 recommends over A's `st = 1`.
 */

import type {
  AreaEntity,
  ChecklistItemEntity,
  Entity,
  EntityFamily,
  TagEntity,
  TaskEntity,
  TombstoneEntity,
} from './types.ts';
import { assertNever } from './assert.ts';

/** Identity and bookkeeping shared by every new entity. */
export interface NewEntityBase {
  readonly id: string;
  readonly legacyId: string | null;
  readonly kind: string;
  readonly createdIndex: number;
  readonly updatedIndex: number;
}

function common(base: NewEntityBase) {
  return {
    id: base.id,
    legacyId: base.legacyId,
    kind: base.kind,
    createdIndex: base.createdIndex,
    updatedIndex: base.updatedIndex,
    deleted: null,
    extra: {},
  } as const;
}

/** A to-do with every field at its default (`tp 0`, `st 0`, empty title). */
export function defaultTask(base: NewEntityBase): TaskEntity {
  return {
    ...common(base),
    family: 'task',
    type: 0,
    title: '',
    note: '',
    status: 0,
    stopDate: null,
    start: 0,
    startDate: null,
    todayIndexDate: null,
    deadline: null,
    deadlineSuppressionDate: null,
    dueDateOffset: 0,
    createdAt: null,
    modifiedAt: null,
    index: 0,
    todayIndex: 0,
    startBucket: 0,
    trashed: false,
    areaIds: [],
    projectIds: [],
    headingIds: [],
    tagIds: [],
    delegateIds: [],
    templateIds: [],
    recurrence: null,
    instanceCreationStartDate: null,
    instanceCreationPaused: false,
    instanceCreationCount: 0,
    afterCompletionReferenceDate: null,
    alarmTimeOffset: null,
    lastAlarmInteraction: null,
    leavesTombstone: false,
    reminderDate: null,
    rp: null,
    xx: null,
  };
}

/** A checklist item with every field at its default. */
export function defaultChecklistItem(base: NewEntityBase): ChecklistItemEntity {
  return {
    ...common(base),
    family: 'checklistItem',
    title: '',
    status: 0,
    stopDate: null,
    index: 0,
    taskIds: [],
    createdAt: null,
    modifiedAt: null,
    leavesTombstone: false,
    xx: null,
  };
}

/** An area with every field at its default. */
export function defaultArea(base: NewEntityBase): AreaEntity {
  return { ...common(base), family: 'area', title: '', index: 0, tagIds: [], xx: null };
}

/** A tag with every field at its default. */
export function defaultTag(base: NewEntityBase): TagEntity {
  return {
    ...common(base),
    family: 'tag',
    title: '',
    index: 0,
    shortcut: null,
    parentIds: [],
    xx: null,
  };
}

/** A tombstone with no target yet. */
export function defaultTombstone(base: NewEntityBase): TombstoneEntity {
  return { ...common(base), family: 'tombstone', targetId: null, deletedAt: null };
}

/** The default entity of a family. */
export function defaultEntity(family: EntityFamily, base: NewEntityBase): Entity {
  switch (family) {
    case 'task':
      return defaultTask(base);
    case 'checklistItem':
      return defaultChecklistItem(base);
    case 'area':
      return defaultArea(base);
    case 'tag':
      return defaultTag(base);
    case 'tombstone':
      return defaultTombstone(base);
    default:
      return assertNever(family, 'entity family');
  }
}
