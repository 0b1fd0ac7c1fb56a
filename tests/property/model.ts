/**
 * The reference model: a plain fold of decoded items into a Map of entities and a list of changes,
 * written from the spec (4.1, 5.4, 6, 7, 9.1, 11.5) and the decisions of docs/decisions, not from
 * src/engine (nothing of the engine is imported but its types). It is deliberately naive: one
 * `switch` per item, payload keys copied by a table, differences read field by field.
 *
 * What it does not re-derive: which list a schedule is in (spec 9.4 depends on "today", and on
 * rules the lead is still writing down). It reports a `Schedule` candidate whenever `st`, `sr` or
 * `sb` change; the properties check that the engine's list moves are among those candidates.
 */
import type { Change, Deletion, Entity, TaskEntity } from '../../src/engine/types.ts';
import { applyNote, DecodeError } from '../../src/protocol/index.ts';
import type { EntityRef, Group, Item, Note } from '../../src/protocol/index.ts';

/** A change as the model knows it: the engine's {@link Change} without `ordinal`, lists masked. */
export interface ModelChange {
  readonly type: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly serverIndex: number;
  readonly position: number;
  readonly at: number | null;
  readonly payload: unknown;
}

/** The model's state: entities by id (soft-deleted ones included), changes, raw items. */
export interface ModelState {
  readonly entities: Map<string, Entity>;
  readonly changes: ModelChange[];
  /** `serverIndex:position:reason` of every item kept raw. */
  readonly raw: string[];
}

/** A fresh, empty model. */
export function emptyModel(): ModelState {
  return { entities: new Map(), changes: [], raw: [] };
}

type Family = Entity['family'];
type Mutable = Record<string, unknown>;

/** Payload key → entity field, per family (spec 6.1–6.5). Refs become id lists. */
const FIELDS: Readonly<Record<Family, Readonly<Record<string, string>>>> = {
  task: {
    tp: 'type',
    tt: 'title',
    ss: 'status',
    sp: 'stopDate',
    st: 'start',
    sr: 'startDate',
    tir: 'todayIndexDate',
    dd: 'deadline',
    dds: 'deadlineSuppressionDate',
    do: 'dueDateOffset',
    cd: 'createdAt',
    md: 'modifiedAt',
    ix: 'index',
    ti: 'todayIndex',
    sb: 'startBucket',
    tr: 'trashed',
    ar: 'areaIds',
    pr: 'projectIds',
    agr: 'headingIds',
    tg: 'tagIds',
    dl: 'delegateIds',
    rt: 'templateIds',
    rr: 'recurrence',
    icsd: 'instanceCreationStartDate',
    icp: 'instanceCreationPaused',
    icc: 'instanceCreationCount',
    acrd: 'afterCompletionReferenceDate',
    ato: 'alarmTimeOffset',
    lai: 'lastAlarmInteraction',
    lt: 'leavesTombstone',
    rmd: 'reminderDate',
    rp: 'rp',
    xx: 'xx',
  },
  checklistItem: {
    tt: 'title',
    ss: 'status',
    sp: 'stopDate',
    ix: 'index',
    ts: 'taskIds',
    cd: 'createdAt',
    md: 'modifiedAt',
    lt: 'leavesTombstone',
    xx: 'xx',
  },
  area: { tt: 'title', ix: 'index', tg: 'tagIds', xx: 'xx' },
  tag: { tt: 'title', ix: 'index', sh: 'shortcut', pn: 'parentIds', xx: 'xx' },
  tombstone: { dloid: 'targetId', dld: 'deletedAt' },
};

/** Keys holding id lists (spec 5.3 "relationship lists"). */
const REF_LISTS: ReadonlySet<string> = new Set(['ar', 'pr', 'agr', 'tg', 'dl', 'rt', 'ts', 'pn']);

/** Defaults of a create that omits keys (spec 6.1; `st` 0 as the spec recommends). */
const DEFAULTS: Readonly<Record<Family, Readonly<Mutable>>> = {
  task: {
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
  },
  checklistItem: {
    title: '',
    status: 0,
    stopDate: null,
    index: 0,
    taskIds: [],
    createdAt: null,
    modifiedAt: null,
    leavesTombstone: false,
    xx: null,
  },
  area: { title: '', index: 0, tagIds: [], xx: null },
  tag: { title: '', index: 0, shortcut: null, parentIds: [], xx: null },
  tombstone: { targetId: null, deletedAt: null },
};

function fresh(item: Item & { family: Family }, legacyId: string | null): Entity {
  return {
    family: item.family,
    id: item.ref.id,
    legacyId,
    kind: item.kind.kind,
    createdIndex: item.serverIndex,
    updatedIndex: item.serverIndex,
    deleted: null,
    extra: {},
    ...DEFAULTS[item.family],
  } as unknown as Entity;
}

function noteText(current: string, note: Note | null): string {
  try {
    return applyNote(current, note, { checked: true }).text;
  } catch (error) {
    // Spec 7.3: a patch that splits a character is applied byte-wise (engine decision).
    if (error instanceof DecodeError) return applyNote(current, note, { checked: false }).text;
    throw error;
  }
}

/** Merges a payload into an entity: present keys set, `null` clears, omitted keys stay. */
function merge(entity: Entity, item: Item & { family: Family }): Entity {
  const next: Mutable = { ...entity };
  const payload = item.payload as unknown as Mutable;
  const table = FIELDS[item.family];
  for (const [key, value] of Object.entries(payload)) {
    if (key === 'extra') continue;
    if (key === 'nt') {
      next['note'] = noteText(String(next['note']), value as Note | null);
      continue;
    }
    const field = table[key];
    if (field === undefined) throw new Error(`model: no field for ${item.family}.${key}`);
    if (REF_LISTS.has(key)) next[field] = (value as EntityRef[]).map((ref) => ref.id);
    else if (key === 'dloid') next[field] = (value as EntityRef).id;
    else next[field] = value ?? null;
  }
  const extra = (payload['extra'] ?? {}) as Mutable;
  if (Object.keys(extra).length > 0) next['extra'] = { ...entity.extra, ...extra };
  return next as unknown as Entity;
}

// ---------------------------------------------------------------------------------------------
// Changes (spec 11.5, names and payloads of src/engine/types.ts ChangePayloads)

function typeName(entity: Entity): string {
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
      return unreachable(entity);
  }
}

function unreachable(value: never): never {
  throw new TypeError(`unexpected entity ${JSON.stringify(value)}`);
}

const first = (ids: readonly string[]): string | null => ids[0] ?? null;

/** Canonical JSON (sorted keys) for comparing rules. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Mutable).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function statusName(status: number): string {
  return status === 0
    ? 'open'
    : status === 2
      ? 'canceled'
      : status === 3
        ? 'completed'
        : `status:${status}`;
}

/** The schedule part without its list (the model does not compute lists). */
export function scheduleFields(task: TaskEntity) {
  return { start: task.start, startDate: task.startDate, startBucket: task.startBucket };
}

function snapshot(entity: Entity): unknown {
  switch (entity.family) {
    case 'task':
      return {
        type: entity.type,
        title: entity.title,
        note: entity.note,
        status: entity.status,
        stopDate: entity.stopDate,
        schedule: scheduleFields(entity),
        deadline: entity.deadline,
        trashed: entity.trashed,
        areaId: first(entity.areaIds),
        projectId: first(entity.projectIds),
        headingId: first(entity.headingIds),
        tagIds: entity.tagIds,
        recurrence: entity.recurrence,
        templateId: first(entity.templateIds),
      };
    case 'checklistItem':
      return { title: entity.title, status: entity.status, taskId: first(entity.taskIds) };
    case 'area':
      return { title: entity.title, tagIds: entity.tagIds };
    case 'tag':
      return { title: entity.title, shortcut: entity.shortcut, parentId: first(entity.parentIds) };
    case 'tombstone':
      return null;
    default:
      return unreachable(entity);
  }
}

function tagDiff(old: readonly string[], now: readonly string[]) {
  return {
    old,
    new: now,
    added: [...new Set(now)].filter((id) => !old.includes(id)).sort(),
    removed: [...new Set(old)].filter((id) => !now.includes(id)).sort(),
  };
}

/** Changes of an entity that stays live: one per differing semantic field, in spec order. */
function liveDiff(
  old: Entity,
  now: Entity,
  md: number | null,
  sp: number | null,
): [string, number | null, unknown][] {
  const out: [string, number | null, unknown][] = [];
  const name = typeName(now);
  const push = (suffix: string, payload: unknown, at = md) =>
    out.push([name + suffix, at, payload]);
  const diff = <T>(suffix: string, a: T, b: T) => {
    if (a !== b) push(suffix, { old: a, new: b });
  };
  const status = (a: { status: number }, b: { status: number; stopDate: number | null }) => {
    if (a.status === b.status) return;
    const verb =
      b.status === 3
        ? 'Completed'
        : b.status === 2
          ? 'Canceled'
          : a.status === 3
            ? 'Uncompleted'
            : a.status === 2
              ? 'Uncanceled'
              : null;
    if (verb !== null) {
      push(
        verb,
        { old: statusName(a.status), new: statusName(b.status), stopDate: b.stopDate },
        md ?? sp,
      );
    }
  };
  if (old.family === 'task' && now.family === 'task') {
    diff('TypeChanged', old.type, now.type);
    diff('TitleChanged', old.title, now.title);
    diff('NoteChanged', old.note, now.note);
    status(old, now);
    if (old.trashed !== now.trashed)
      push(now.trashed ? 'Trashed' : 'Restored', { old: old.trashed, new: now.trashed });
    if (name === 'Heading') {
      diff('AssignedToProject', first(old.projectIds), first(now.projectIds));
      return out;
    }
    if (canonical(scheduleFields(old)) !== canonical(scheduleFields(now))) {
      push('Schedule', { old: scheduleFields(old), new: scheduleFields(now) });
    }
    diff('DeadlineChanged', old.deadline, now.deadline);
    if (name === 'Task') diff('AssignedToProject', first(old.projectIds), first(now.projectIds));
    diff('AssignedToArea', first(old.areaIds), first(now.areaIds));
    if (name === 'Task') diff('MovedUnderHeading', first(old.headingIds), first(now.headingIds));
    if (!sameSet(old.tagIds, now.tagIds)) push('TagsChanged', tagDiff(old.tagIds, now.tagIds));
    if (canonical(old.recurrence) !== canonical(now.recurrence)) {
      push('RepeatRuleChanged', { old: old.recurrence, new: now.recurrence });
    }
  } else if (old.family === 'checklistItem' && now.family === 'checklistItem') {
    diff('TitleChanged', old.title, now.title);
    status(old, now);
    diff('MovedToTask', first(old.taskIds), first(now.taskIds));
  } else if (old.family === 'area' && now.family === 'area') {
    diff('Renamed', old.title, now.title);
    if (!sameSet(old.tagIds, now.tagIds)) push('TagsChanged', tagDiff(old.tagIds, now.tagIds));
  } else if (old.family === 'tag' && now.family === 'tag') {
    diff('Renamed', old.title, now.title);
    diff('ShortcutChanged', old.shortcut, now.shortcut);
    diff('ParentChanged', first(old.parentIds), first(now.parentIds));
  }
  return out;
}

function num(payload: unknown, key: string): number | null {
  if (payload === null || typeof payload !== 'object' || !(key in payload)) return null;
  const value = (payload as Mutable)[key];
  return typeof value === 'number' ? value : null;
}

// ---------------------------------------------------------------------------------------------
// The fold

/** Folds one decoded group into the model (items in the order given). */
export function modelGroup(state: ModelState, group: Group): void {
  for (const item of group.items) modelItem(state, item);
}

/** Folds one decoded item into the model. */
export function modelItem(state: ModelState, item: Item): void {
  const { entities, changes } = state;
  const emit = (
    entity: Entity | string,
    type: string,
    entityType: string,
    at: number | null,
    payload: unknown,
  ) =>
    changes.push({
      type,
      entityType,
      entityId: typeof entity === 'string' ? entity : entity.id,
      serverIndex: item.serverIndex,
      position: item.position,
      at,
      payload,
    });
  if (item.family === 'opaque') {
    if (item.kind.class === 'metadata')
      state.raw.push(`${item.serverIndex}:${item.position}:metadata`);
    else {
      state.raw.push(`${item.serverIndex}:${item.position}:unknownFamily`);
      const p =
        item.raw !== null && typeof item.raw === 'object' ? (item.raw as Mutable)['p'] : undefined;
      emit(item.ref.id, 'UnknownChange', item.kind.kind, num(p, 'md'), {
        kind: item.kind.kind,
        action: item.action,
      });
    }
    return;
  }
  const id = item.ref.id;
  const old = entities.get(id);
  if (old !== undefined && old.family !== item.family) {
    state.raw.push(`${item.serverIndex}:${item.position}:familyChange`);
    return;
  }
  const legacyId = item.ref.raw !== id ? item.ref.raw : (old?.legacyId ?? null);
  const md = num(item.payload, 'md');
  const kill = (target: Entity, deletion: Deletion) => {
    entities.set(target.id, { ...target, updatedIndex: item.serverIndex, deleted: deletion });
    const title = target.family === 'tombstone' ? '' : target.title;
    emit(target, `${typeName(target)}Deleted`, typeName(target), deletion.at, {
      by: deletion.by,
      tombstoneId: deletion.tombstoneId,
      at: deletion.at,
      title,
    });
  };
  if (item.action === 'delete') {
    const deletion: Deletion = {
      serverIndex: item.serverIndex,
      at: md,
      by: 'delete',
      tombstoneId: null,
    };
    if (old === undefined) entities.set(id, { ...fresh(item, legacyId), deleted: deletion });
    else if (old.deleted === null) {
      kill({ ...old, kind: item.kind.kind, legacyId }, deletion);
    }
    return;
  }
  const live = old !== undefined && old.deleted === null;
  // A modify of a live entity merges; anything else starts from defaults (spec 9.1).
  const base =
    item.action === 'modify' && live
      ? old
      : { ...fresh(item, null), createdIndex: live ? old.createdIndex : item.serverIndex };
  const now = {
    ...merge(base, item),
    kind: item.kind.kind,
    legacyId,
    updatedIndex: item.serverIndex,
    deleted: null,
  } as Entity;
  entities.set(id, now);
  if (!live) {
    if (now.family !== 'tombstone') {
      emit(now, `${typeName(now)}Created`, typeName(now), md ?? num(item.payload, 'cd'), {
        resurrected: old !== undefined,
        snapshot: snapshot(now),
      });
    }
  } else {
    const sp = num(item.payload, 'sp');
    for (const [type, at, payload] of liveDiff(old, now, md, sp))
      emit(now, type, typeName(now), at, payload);
  }
  // A tombstone deletes its target when created, or when a modify names a target (engine decision).
  if (now.family === 'tombstone' && (item.action === 'create' || 'dloid' in item.payload)) {
    const target = now.targetId === null ? undefined : entities.get(now.targetId);
    if (target !== undefined && target.deleted === null) {
      kill(target, {
        serverIndex: item.serverIndex,
        at: now.deletedAt,
        by: 'tombstone',
        tombstoneId: now.id,
      });
    }
  }
}

/** A state folded from decoded groups. */
export function modelFold(groups: readonly Group[], state: ModelState = emptyModel()): ModelState {
  for (const group of groups) modelGroup(state, group);
  return state;
}

// ---------------------------------------------------------------------------------------------
// Comparing with the engine

/** True for the engine's list moves (`…MovedToToday`, `…Rescheduled`, …; not `MovedUnderHeading`). */
export function isScheduleChange(type: string): boolean {
  return /^(Task|Project)(MovedTo(Inbox|Today|Evening|Anytime|Someday|Upcoming)|Rescheduled)$/.test(
    type,
  );
}

/** An engine change in the model's terms: no ordinal, lists masked out of schedules. */
export function toModelChange(change: Change): ModelChange {
  const mask = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(mask);
    const out: Mutable = {};
    for (const [k, v] of Object.entries(value as Mutable)) {
      if (k === 'list' && 'startBucket' in (value as Mutable)) continue;
      out[k] =
        k === 'recurrence' || k === 'old' || k === 'new' || k === 'snapshot' || k === 'schedule'
          ? mask(v)
          : v;
    }
    return out;
  };
  return {
    type: isScheduleChange(change.type) ? `${change.entityType}Schedule` : change.type,
    entityType: change.entityType,
    entityId: change.entityId,
    serverIndex: change.serverIndex,
    position: change.position,
    at: change.at,
    payload: mask(change.payload),
  };
}

/**
 * Engine changes against model changes: identical apart from list moves, where the engine emits a
 * move only when the list (which the model does not compute) or the date changed. Returns the
 * first difference, or `null`.
 */
export function compareChanges(
  engine: readonly Change[],
  model: readonly ModelChange[],
): string | null {
  const mine = engine.map(toModelChange);
  const key = (c: ModelChange) => `${c.serverIndex}:${c.position}:${c.entityId}`;
  let j = 0;
  for (let i = 0; i < model.length; i += 1) {
    const expected = model[i];
    const actual = mine[j];
    if (expected === undefined) break;
    if (actual !== undefined && canonical(actual) === canonical(expected)) {
      j += 1;
      continue;
    }
    // A schedule candidate the engine may skip (same list, same date).
    if (expected.type.endsWith('Schedule')) continue;
    return `change ${i} differs:\n  engine: ${canonical(actual)}\n  model:  ${canonical(expected)}`;
  }
  if (j < mine.length) return `engine has extra change ${j}: ${canonical(mine[j])}`;
  // An item whose `st` moved into or out of Inbox (0) between st 0/1/2 must produce a move.
  for (const c of model) {
    if (!c.type.endsWith('Schedule')) continue;
    const p = c.payload as { old: { start: number }; new: { start: number } };
    const valid = (st: number) => st === 0 || st === 1 || st === 2;
    if (valid(p.old.start) && valid(p.new.start) && (p.old.start === 0) !== (p.new.start === 0)) {
      if (!mine.some((m) => key(m) === key(c) && m.type === c.type)) {
        return `engine has no list move for ${key(c)} (st ${p.old.start} → ${p.new.start})`;
      }
    }
  }
  return null;
}
