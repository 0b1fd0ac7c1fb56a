/**
 * Merging a decoded payload into an entity (spec 5.4): a present key is set, an explicit `null`
 * clears the field (the decoder only lets `null` through for nullable fields), an omitted key
 * leaves the field untouched. References are stored by engine id (after legacy mapping).
 */

import { applyNote, DecodeError } from '../protocol/index.ts';
import type {
  AreaPayload,
  ChecklistItemPayload,
  DecodeWarning,
  EntityRef,
  Note,
  TagPayload,
  TaskPayload,
  TombstonePayload,
} from '../protocol/index.ts';
import type {
  AreaEntity,
  ChecklistItemEntity,
  TagEntity,
  TaskEntity,
  TombstoneEntity,
} from './types.ts';

/** A merged entity and the note observations made while merging. */
export interface Applied<E> {
  readonly entity: E;
  /** Note warnings (`NOTE_CHECKSUM_MISMATCH`, `DELTA_ON_EMPTY_NOTE`, …), paths relative to the item. */
  readonly noteWarnings: readonly DecodeWarning[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function ids(refs: readonly EntityRef[]): readonly string[] {
  return refs.map((ref) => ref.id);
}

function mergeExtra(
  current: Readonly<Record<string, unknown>>,
  extra: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  return Object.keys(extra).length === 0 ? current : { ...current, ...extra };
}

/**
 * The note after `note` is applied to `current`. A delta that splits a UTF-8 character is applied
 * byte-wise anyway and reported (`NOTE_PATCH_INVALID_UTF8`), so one odd edit cannot block the
 * history forever.
 */
export function resolveNote(current: string, note: Note | null): Applied<string> {
  try {
    const result = applyNote(current, note, { checked: true });
    return { entity: result.text, noteWarnings: result.warnings };
  } catch (error) {
    if (!(error instanceof DecodeError) || error.code !== 'NOTE_PATCH_INVALID_UTF8') throw error;
    const result = applyNote(current, note, { checked: false });
    const path = error.location.path ?? 'p.nt';
    return {
      entity: result.text,
      noteWarnings: [
        { code: 'NOTE_PATCH_INVALID_UTF8', path, message: error.reason },
        ...result.warnings,
      ],
    };
  }
}

/** `task` with the keys of `p` merged in. */
export function applyTaskPayload(task: TaskEntity, p: TaskPayload): Applied<TaskEntity> {
  const next: Mutable<TaskEntity> = { ...task };
  let noteWarnings: readonly DecodeWarning[] = [];
  if (p.tp !== undefined) next.type = p.tp;
  if (p.tt !== undefined) next.title = p.tt;
  if (p.nt !== undefined) {
    const note = resolveNote(task.note, p.nt);
    next.note = note.entity;
    noteWarnings = note.noteWarnings;
  }
  if (p.ss !== undefined) next.status = p.ss;
  if (p.sp !== undefined) next.stopDate = p.sp;
  if (p.st !== undefined) next.start = p.st;
  if (p.sr !== undefined) next.startDate = p.sr;
  if (p.tir !== undefined) next.todayIndexDate = p.tir;
  if (p.dd !== undefined) next.deadline = p.dd;
  if (p.dds !== undefined) next.deadlineSuppressionDate = p.dds;
  if (p.do !== undefined) next.dueDateOffset = p.do;
  if (p.cd !== undefined) next.createdAt = p.cd;
  if (p.md !== undefined) next.modifiedAt = p.md;
  if (p.ix !== undefined) next.index = p.ix;
  if (p.ti !== undefined) next.todayIndex = p.ti;
  if (p.sb !== undefined) next.startBucket = p.sb;
  if (p.tr !== undefined) next.trashed = p.tr;
  if (p.ar !== undefined) next.areaIds = ids(p.ar);
  if (p.pr !== undefined) next.projectIds = ids(p.pr);
  if (p.agr !== undefined) next.headingIds = ids(p.agr);
  if (p.tg !== undefined) next.tagIds = ids(p.tg);
  if (p.dl !== undefined) next.delegateIds = ids(p.dl);
  if (p.rt !== undefined) next.templateIds = ids(p.rt);
  if (p.rr !== undefined) next.recurrence = p.rr;
  if (p.icsd !== undefined) next.instanceCreationStartDate = p.icsd;
  if (p.icp !== undefined) next.instanceCreationPaused = p.icp;
  if (p.icc !== undefined) next.instanceCreationCount = p.icc;
  if (p.acrd !== undefined) next.afterCompletionReferenceDate = p.acrd;
  if (p.ato !== undefined) next.alarmTimeOffset = p.ato;
  if (p.lai !== undefined) next.lastAlarmInteraction = p.lai;
  if (p.lt !== undefined) next.leavesTombstone = p.lt;
  if (p.rmd !== undefined) next.reminderDate = p.rmd;
  if ('rp' in p) next.rp = p.rp ?? null;
  if ('xx' in p) next.xx = p.xx ?? null;
  next.extra = mergeExtra(task.extra, p.extra);
  return { entity: next, noteWarnings };
}

/** `item` with the keys of `p` merged in. */
export function applyChecklistItemPayload(
  item: ChecklistItemEntity,
  p: ChecklistItemPayload,
): ChecklistItemEntity {
  const next: Mutable<ChecklistItemEntity> = { ...item };
  if (p.tt !== undefined) next.title = p.tt;
  if (p.ss !== undefined) next.status = p.ss;
  if (p.sp !== undefined) next.stopDate = p.sp;
  if (p.ix !== undefined) next.index = p.ix;
  if (p.ts !== undefined) next.taskIds = ids(p.ts);
  if (p.cd !== undefined) next.createdAt = p.cd;
  if (p.md !== undefined) next.modifiedAt = p.md;
  if (p.lt !== undefined) next.leavesTombstone = p.lt;
  if ('xx' in p) next.xx = p.xx ?? null;
  next.extra = mergeExtra(item.extra, p.extra);
  return next;
}

/** `area` with the keys of `p` merged in. */
export function applyAreaPayload(area: AreaEntity, p: AreaPayload): AreaEntity {
  const next: Mutable<AreaEntity> = { ...area };
  if (p.tt !== undefined) next.title = p.tt;
  if (p.ix !== undefined) next.index = p.ix;
  if (p.tg !== undefined) next.tagIds = ids(p.tg);
  if ('xx' in p) next.xx = p.xx ?? null;
  next.extra = mergeExtra(area.extra, p.extra);
  return next;
}

/** `tag` with the keys of `p` merged in. */
export function applyTagPayload(tag: TagEntity, p: TagPayload): TagEntity {
  const next: Mutable<TagEntity> = { ...tag };
  if (p.tt !== undefined) next.title = p.tt;
  if (p.ix !== undefined) next.index = p.ix;
  if (p.sh !== undefined) next.shortcut = p.sh;
  if (p.pn !== undefined) next.parentIds = ids(p.pn);
  if ('xx' in p) next.xx = p.xx ?? null;
  next.extra = mergeExtra(tag.extra, p.extra);
  return next;
}

/** `tombstone` with the keys of `p` merged in. */
export function applyTombstonePayload(
  tombstone: TombstoneEntity,
  p: TombstonePayload,
): TombstoneEntity {
  const next: Mutable<TombstoneEntity> = { ...tombstone };
  if (p.dloid !== undefined) next.targetId = p.dloid.id;
  if (p.dld !== undefined) next.deletedAt = p.dld;
  next.extra = mergeExtra(tombstone.extra, p.extra);
  return next;
}
