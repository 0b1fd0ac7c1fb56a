/**
 * Engine state, semantic changes and anomalies. Pure data: the store persists exactly these
 * shapes and reads them back as the same objects.
 *
 * Field names are readable English; the wire key each comes from is given in its comment.
 * Civil dates are `YYYY-MM-DD`, instants are seconds since the epoch (see protocol/types.ts).
 *
 * One idea however long: the fold's contract (its context and lookup in; entities, changes,
 * anomalies and raw items out), mostly field-by-field doc comments; the store, the CLI and users'
 * code read it as one vocabulary.
 */
import type { CivilDate, Instant, RecurrenceRule } from '../protocol/index.ts';
import { assertNever } from './assert.ts';

// ---------------------------------------------------------------------------------------------
// Context

/** What the engine needs from the outside world. No wall clock: both values are parameters. */
export interface EngineContext {
  /** IANA zone of the account owner, e.g. `America/Los_Angeles`. */
  readonly timeZone: string;
  /**
   * The date used when an item carries no time of its own (no `md`): normally the fixture's
   * recorded date or the sync's date, chosen by the caller, never read from a clock here.
   */
  readonly referenceDate: CivilDate;
}

// ---------------------------------------------------------------------------------------------
// Entities

/** Entity families with state (to-dos, projects and headings share the `task` family). */
export type EntityFamily = 'task' | 'checklistItem' | 'area' | 'tag' | 'tombstone';

/** What a user calls the entity; also the `entityType` of its changes. */
export const ENTITY_TYPES = [
  'Task',
  'Project',
  'Heading',
  'ChecklistItem',
  'Area',
  'Tag',
  'Tombstone',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** How an entity was permanently deleted (soft delete: its row stays). */
export interface Deletion {
  /** Server index of the group holding the `t=2` event or the tombstone. */
  readonly serverIndex: number;
  /** The tombstone's `dld`, or the delete event's `md` if any; `null` when the wire gives no time. */
  readonly at: Instant | null;
  /** `delete` for a `t=2` event, `tombstone` for a `Tombstone`/`Tombstone2` whose `dloid` hit it. */
  readonly by: 'delete' | 'tombstone';
  /** The tombstone's id when `by` is `tombstone`. */
  readonly tombstoneId: string | null;
}

interface EntityCommon {
  /** Engine id: the wire id, or its derived Base58 id for legacy ids (spec 8.3). */
  readonly id: string;
  /** The original legacy id when `id` was derived from it, else `null`. */
  readonly legacyId: string | null;
  /** Latest wire kind seen for this entity, e.g. `Task7`. */
  readonly kind: string;
  /** Server index of the item that created (or last resurrected) the entity. */
  readonly createdIndex: number;
  /** Server index of the last item that touched the entity. */
  readonly updatedIndex: number;
  /** `null` while live; set when permanently deleted. A later create resurrects (sets it back to null). */
  readonly deleted: Deletion | null;
  /** Payload keys the decoder did not know, merged over time (a later `null` is kept as `null`). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** `tp`: 0 to-do, 1 project, 2 heading (other numbers are kept as they come). */
export type TaskType = number;

/** A to-do, project or heading (wire family `Task3`…`Task7`). */
export interface TaskEntity extends EntityCommon {
  readonly family: 'task';
  /** `tp` */
  readonly type: TaskType;
  /** `tt` */
  readonly title: string;
  /** `nt`, resolved to text (`''` = no note; plain legacy strings kept verbatim). */
  readonly note: string;
  /** `ss`: 0 open, 2 canceled, 3 completed. */
  readonly status: number;
  /** `sp` */
  readonly stopDate: Instant | null;
  /** `st`: 0 Inbox, 1 started (Anytime/Today), 2 deferred (Someday/Upcoming). */
  readonly start: number;
  /** `sr` */
  readonly startDate: CivilDate | null;
  /** `tir` (reference only, never changes the list) */
  readonly todayIndexDate: CivilDate | null;
  /** `dd` */
  readonly deadline: CivilDate | null;
  /** `dds` */
  readonly deadlineSuppressionDate: CivilDate | null;
  /** `do` */
  readonly dueDateOffset: number;
  /** `cd` */
  readonly createdAt: Instant | null;
  /** `md` */
  readonly modifiedAt: Instant | null;
  /** `ix` */
  readonly index: number;
  /** `ti` */
  readonly todayIndex: number;
  /** `sb`: 1 = This Evening. */
  readonly startBucket: number;
  /** `tr` */
  readonly trashed: boolean;
  /** `ar` (normally 0 or 1 id; all kept) */
  readonly areaIds: readonly string[];
  /** `pr` */
  readonly projectIds: readonly string[];
  /** `agr` */
  readonly headingIds: readonly string[];
  /** `tg` */
  readonly tagIds: readonly string[];
  /** `dl` */
  readonly delegateIds: readonly string[];
  /** `rt`: the repeating template of an instance. */
  readonly templateIds: readonly string[];
  /** `rr`: non-null on repeating templates. */
  readonly recurrence: RecurrenceRule | null;
  /** `icsd` */
  readonly instanceCreationStartDate: CivilDate | null;
  /** `icp` */
  readonly instanceCreationPaused: boolean;
  /** `icc` */
  readonly instanceCreationCount: number;
  /** `acrd` */
  readonly afterCompletionReferenceDate: CivilDate | null;
  /** `ato`: seconds after local midnight. */
  readonly alarmTimeOffset: number | null;
  /** `lai` */
  readonly lastAlarmInteraction: Instant | null;
  /** `lt` */
  readonly leavesTombstone: boolean;
  /** `rmd` */
  readonly reminderDate: CivilDate | null;
  /** `rp`, verbatim (meaning unknown); `null` when absent. */
  readonly rp: unknown;
  /** `xx`, verbatim; `null` when absent. */
  readonly xx: unknown;
}

/** A checklist item (`ChecklistItem`…`ChecklistItem3`). */
export interface ChecklistItemEntity extends EntityCommon {
  readonly family: 'checklistItem';
  /** `tt` */
  readonly title: string;
  /** `ss` */
  readonly status: number;
  /** `sp` */
  readonly stopDate: Instant | null;
  /** `ix` */
  readonly index: number;
  /** `ts`: the owning to-do (one id normally). */
  readonly taskIds: readonly string[];
  /** `cd` */
  readonly createdAt: Instant | null;
  /** `md` */
  readonly modifiedAt: Instant | null;
  /** `lt` */
  readonly leavesTombstone: boolean;
  /** `xx` */
  readonly xx: unknown;
}

/** An area (`Area`…`Area3`). */
export interface AreaEntity extends EntityCommon {
  readonly family: 'area';
  /** `tt` */
  readonly title: string;
  /** `ix` */
  readonly index: number;
  /** `tg` */
  readonly tagIds: readonly string[];
  /** `xx` */
  readonly xx: unknown;
}

/** A tag (`Tag`…`Tag4`). */
export interface TagEntity extends EntityCommon {
  readonly family: 'tag';
  /** `tt` */
  readonly title: string;
  /** `ix` */
  readonly index: number;
  /** `sh` */
  readonly shortcut: string | null;
  /** `pn` */
  readonly parentIds: readonly string[];
  /** `xx` */
  readonly xx: unknown;
}

/** A deletion record (`Tombstone`, `Tombstone2`); itself an entity another tombstone can delete. */
export interface TombstoneEntity extends EntityCommon {
  readonly family: 'tombstone';
  /** `dloid` after legacy mapping; `null` if the wire had none. */
  readonly targetId: string | null;
  /** `dld` */
  readonly deletedAt: Instant | null;
}

export type Entity = TaskEntity | ChecklistItemEntity | AreaEntity | TagEntity | TombstoneEntity;

/** The user-facing type of an entity (`tp` decides for the task family). */
export function entityTypeOf(entity: Entity): EntityType {
  switch (entity.family) {
    case 'task':
      return entity.type === 1 ? 'Project' : entity.type === 2 ? 'Heading' : 'Task';
    case 'checklistItem':
      return 'ChecklistItem';
    case 'area':
      return 'Area';
    case 'tag':
      return 'Tag';
    case 'tombstone':
      return 'Tombstone';
    default:
      return assertNever(entity, 'entity family');
  }
}

// ---------------------------------------------------------------------------------------------
// Lists (views)

/** Where a to-do or project sits by its schedule (spec 9.4); `evening` is Today's evening part. */
export const LISTS = ['inbox', 'today', 'evening', 'anytime', 'someday', 'upcoming'] as const;
export type ListName = (typeof LISTS)[number];

/** The schedule part of a task as change payloads carry it. */
export interface Schedule {
  /** The list by {@link ListName} rules; `null` for an `st` value outside 0–2. */
  readonly list: ListName | null;
  /** `st` */
  readonly start: number;
  /** `sr` */
  readonly startDate: CivilDate | null;
  /** `sb` */
  readonly startBucket: number;
}

// ---------------------------------------------------------------------------------------------
// Changes

/** `ss` named: 0 open, 2 canceled, 3 completed; other values as `status:<n>`. */
export type StatusName = 'open' | 'canceled' | 'completed' | `status:${number}`;

/** A field that changed: old and new value. */
export interface Diff<T> {
  readonly old: T;
  readonly new: T;
}

/** The semantic projection carried by a `…Created` change: enough to rebuild what views show. */
export interface TaskSnapshot {
  readonly type: TaskType;
  readonly title: string;
  readonly note: string;
  readonly status: number;
  readonly stopDate: Instant | null;
  readonly schedule: Schedule;
  readonly deadline: CivilDate | null;
  readonly trashed: boolean;
  readonly areaId: string | null;
  readonly projectId: string | null;
  readonly headingId: string | null;
  readonly tagIds: readonly string[];
  readonly recurrence: RecurrenceRule | null;
  readonly templateId: string | null;
}
export interface ChecklistItemSnapshot {
  readonly title: string;
  readonly status: number;
  readonly taskId: string | null;
}
export interface AreaSnapshot {
  readonly title: string;
  readonly tagIds: readonly string[];
}
export interface TagSnapshot {
  readonly title: string;
  readonly shortcut: string | null;
  readonly parentId: string | null;
}

/** Payload of every `…Deleted` change. */
export interface DeletedPayload {
  readonly by: 'delete' | 'tombstone';
  readonly tombstoneId: string | null;
  readonly at: Instant | null;
  /** The title at deletion, for people reading the log. */
  readonly title: string;
}

/** Payload of status changes. */
export interface StatusPayload extends Diff<StatusName> {
  readonly stopDate: Instant | null;
}

/** Payload of `UnknownChange`: never the private payload text, only what it was. */
export interface UnknownPayload {
  readonly kind: string;
  readonly action: 'create' | 'modify' | 'delete';
}

/**
 * Every change type and its payload. A `Record` keyed by type, so a missing case anywhere a
 * table is built from it is a compile error.
 */
export interface ChangePayloads {
  // to-dos
  TaskCreated: { readonly resurrected: boolean; readonly snapshot: TaskSnapshot };
  TaskDeleted: DeletedPayload;
  TaskTitleChanged: Diff<string>;
  TaskNoteChanged: Diff<string>;
  TaskCompleted: StatusPayload;
  TaskCanceled: StatusPayload;
  TaskUncompleted: StatusPayload;
  TaskUncanceled: StatusPayload;
  TaskTrashed: Diff<boolean>;
  TaskRestored: Diff<boolean>;
  TaskMovedToInbox: Diff<Schedule>;
  TaskMovedToToday: Diff<Schedule>;
  TaskMovedToEvening: Diff<Schedule>;
  TaskMovedToAnytime: Diff<Schedule>;
  TaskMovedToSomeday: Diff<Schedule>;
  TaskMovedToUpcoming: Diff<Schedule>;
  /** Same list, other start date (e.g. rescheduled within Upcoming). */
  TaskRescheduled: Diff<Schedule>;
  TaskDeadlineChanged: Diff<CivilDate | null>;
  TaskAssignedToProject: Diff<string | null>;
  TaskAssignedToArea: Diff<string | null>;
  TaskMovedUnderHeading: Diff<string | null>;
  TaskTagsChanged: Diff<readonly string[]> & {
    readonly added: readonly string[];
    readonly removed: readonly string[];
  };
  TaskRepeatRuleChanged: Diff<RecurrenceRule | null>;
  /** `tp` changed (e.g. a to-do converted into a project); the entity keeps its id. */
  TaskTypeChanged: Diff<TaskType>;
  // projects
  ProjectCreated: { readonly resurrected: boolean; readonly snapshot: TaskSnapshot };
  ProjectDeleted: DeletedPayload;
  ProjectTitleChanged: Diff<string>;
  ProjectNoteChanged: Diff<string>;
  ProjectCompleted: StatusPayload;
  ProjectCanceled: StatusPayload;
  ProjectUncompleted: StatusPayload;
  ProjectUncanceled: StatusPayload;
  ProjectTrashed: Diff<boolean>;
  ProjectRestored: Diff<boolean>;
  ProjectMovedToToday: Diff<Schedule>;
  ProjectMovedToEvening: Diff<Schedule>;
  ProjectMovedToAnytime: Diff<Schedule>;
  ProjectMovedToSomeday: Diff<Schedule>;
  ProjectMovedToUpcoming: Diff<Schedule>;
  ProjectMovedToInbox: Diff<Schedule>;
  ProjectRescheduled: Diff<Schedule>;
  ProjectDeadlineChanged: Diff<CivilDate | null>;
  ProjectAssignedToArea: Diff<string | null>;
  ProjectTagsChanged: Diff<readonly string[]> & {
    readonly added: readonly string[];
    readonly removed: readonly string[];
  };
  ProjectRepeatRuleChanged: Diff<RecurrenceRule | null>;
  ProjectTypeChanged: Diff<TaskType>;
  // headings
  HeadingCreated: { readonly resurrected: boolean; readonly snapshot: TaskSnapshot };
  HeadingDeleted: DeletedPayload;
  HeadingTitleChanged: Diff<string>;
  HeadingNoteChanged: Diff<string>;
  HeadingCompleted: StatusPayload;
  HeadingCanceled: StatusPayload;
  HeadingUncompleted: StatusPayload;
  HeadingUncanceled: StatusPayload;
  HeadingTrashed: Diff<boolean>;
  HeadingRestored: Diff<boolean>;
  HeadingAssignedToProject: Diff<string | null>;
  HeadingTypeChanged: Diff<TaskType>;
  // areas
  AreaCreated: { readonly resurrected: boolean; readonly snapshot: AreaSnapshot };
  AreaDeleted: DeletedPayload;
  AreaRenamed: Diff<string>;
  AreaTagsChanged: Diff<readonly string[]> & {
    readonly added: readonly string[];
    readonly removed: readonly string[];
  };
  // tags
  TagCreated: { readonly resurrected: boolean; readonly snapshot: TagSnapshot };
  TagDeleted: DeletedPayload;
  TagRenamed: Diff<string>;
  TagShortcutChanged: Diff<string | null>;
  TagParentChanged: Diff<string | null>;
  // checklist items
  ChecklistItemCreated: { readonly resurrected: boolean; readonly snapshot: ChecklistItemSnapshot };
  ChecklistItemDeleted: DeletedPayload;
  ChecklistItemTitleChanged: Diff<string>;
  ChecklistItemCompleted: StatusPayload;
  ChecklistItemCanceled: StatusPayload;
  ChecklistItemUncompleted: StatusPayload;
  ChecklistItemUncanceled: StatusPayload;
  ChecklistItemMovedToTask: Diff<string | null>;
  // tombstones (only their deletion is a change: a tombstone's creation shows as its target's
  // `…Deleted`)
  TombstoneDeleted: DeletedPayload;
  // other
  UnknownChange: UnknownPayload;
}

export type ChangeType = keyof ChangePayloads;

/** One semantic change. Discriminated on `type`; `payload` is typed by it. */
export type Change = {
  readonly [T in ChangeType]: {
    readonly type: T;
    /** An {@link EntityType} (`Task`, `Project`, …); for `UnknownChange` the wire kind (e.g. `Reminder2`). */
    readonly entityType: string;
    readonly entityId: string;
    /** Server index of the group holding the item. */
    readonly serverIndex: number;
    /** Position of the item within its group. */
    readonly position: number;
    /**
     * Order of this change among the changes of the same item (0, 1, …); with serverIndex and
     * position it identifies the change (the change log's unique key).
     */
    readonly ordinal: number;
    /** The item's own time: `md`, else `sp`/`dld`/`cd` as fits, else `null`. Never a wall clock. */
    readonly at: Instant | null;
    readonly payload: ChangePayloads[T];
  };
}[ChangeType];

/** A change of one given type. */
export type ChangeOf<T extends ChangeType> = Extract<Change, { readonly type: T }>;

// ---------------------------------------------------------------------------------------------
// Anomalies

/** Odd but legal history data, reported beside the changes (spec 9.1 "flag it"). */
export const ANOMALY_CODES = [
  /** `t=0` for a live entity: replaced (defaults + payload). */
  'RECREATE_LIVE',
  /** `t=1` for an unknown entity: created from defaults + the sparse payload. */
  'MODIFY_BEFORE_CREATE',
  /** `t=1` for a deleted entity: resurrected from the sparse payload. */
  'MODIFY_OF_DELETED',
  /** `t=2` for an unknown entity: remembered as deleted. */
  'DELETE_OF_UNKNOWN',
  /** `t=2` or tombstone for an already deleted entity: nothing changes. */
  'DELETE_OF_DELETED',
  /** Tombstone whose target is unknown: the tombstone is stored, nothing else changes. */
  'TOMBSTONE_UNKNOWN_TARGET',
  /** The same id under another family (e.g. `Task6` then `Area3`): not merged; item kept raw. */
  'FAMILY_CHANGE',
  /** `Task6` ↔ `Task7` (same family): same object, latest kind remembered. */
  'KIND_VERSION_CHANGE',
  /** A delta note whose checksum does not match the computed text. */
  'NOTE_CHECKSUM_MISMATCH',
  /** A delta note for an entity with no note text yet. */
  'DELTA_ON_EMPTY_NOTE',
  /** A note object of unknown form: the note is left unchanged. */
  'UNKNOWN_NOTE_FORM',
  /**
   * A delta note whose patches split a UTF-8 character: applied byte-wise anyway (invalid
   * sequences become U+FFFD) so the history can still move forward.
   */
  'NOTE_PATCH_INVALID_UTF8',
  /** A reference (`ar`, `pr`, `agr`, `ts`, `tg`, `pn`) to an id that is unknown or deleted. */
  'DANGLING_REFERENCE',
  /** An item of a completely unknown kind family: kept raw, `UnknownChange` emitted. */
  'UNKNOWN_KIND',
  /** A decoder warning carried over (non-canonical id, legacy id mapped, …). */
  'DECODE_WARNING',
] as const;
export type AnomalyCode = (typeof ANOMALY_CODES)[number];

export interface Anomaly {
  readonly code: AnomalyCode;
  readonly serverIndex: number;
  readonly position: number;
  /** The entity id concerned (the item's id, or the referenced id for DANGLING_REFERENCE). */
  readonly entityId: string;
  /** The wire kind of the item. */
  readonly kind: string;
  /** Human-readable, without private text (no titles or notes). */
  readonly message: string;
}

// ---------------------------------------------------------------------------------------------
// Fold results

/** An item the engine keeps verbatim instead of folding it into state. */
export interface RawItemRecord {
  readonly serverIndex: number;
  readonly position: number;
  /** The wire id (group key), as received. */
  readonly itemId: string;
  readonly kind: string;
  /** Why it is kept raw. */
  readonly reason: 'metadata' | 'unknownFamily' | 'familyChange';
  /** The wire event `{t, e, p}`, verbatim. */
  readonly event: unknown;
}

/** Previous state of the entities a group touches or references (live or soft-deleted). */
export interface EntityLookup {
  get(id: string): Entity | undefined;
}

/** What folding one group (or one page of groups) produces. */
export interface FoldResult {
  /** Every entity written, in its new state, keyed by id. */
  readonly entities: ReadonlyMap<string, Entity>;
  /** Changes in order (server index, position, ordinal). */
  readonly changes: readonly Change[];
  readonly anomalies: readonly Anomaly[];
  readonly rawItems: readonly RawItemRecord[];
}
