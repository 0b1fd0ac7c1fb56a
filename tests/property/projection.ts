/**
 * The semantic projection of state that the change log carries (the snapshot fields of
 * src/engine/types.ts: TaskSnapshot, ChecklistItemSnapshot, AreaSnapshot, TagSnapshot), built two
 * ways: by folding the changes in order over an empty state, and from stored live entities.
 *
 * Left out because no change reports them (so no log could rebuild them): `stopDate` without a
 * status change, the template link `rt`, and the exact schedule (a move inside the same list emits
 * nothing); Inbox membership (`st 0` or not) is kept. Fields a type hides (a heading has no area,
 * tags, deadline or schedule changes) are compared only while the entity kept the type it was
 * created with.
 */
import type { Change, Entity } from '../../src/engine/types.ts';

/** One entity as the change log describes it. */
export interface Projected {
  readonly view: Record<string, unknown> & { id: string };
  /** The `tp` changed since the last `…Created`: only fields common to every type compare. */
  readonly typeChanged: boolean;
}

function statusNumber(name: unknown): number {
  if (name === 'open') return 0;
  if (name === 'canceled') return 2;
  if (name === 'completed') return 3;
  return Number(String(name).replace('status:', ''));
}

const tags = (ids: readonly string[]): string[] => [...new Set(ids)].sort();

function taskView(
  id: string,
  s: {
    type: number;
    title: string;
    note: string;
    status: number;
    trashed: boolean;
    inInbox: boolean;
    deadline: string | null;
    projectId: string | null;
    areaId: string | null;
    headingId: string | null;
    tagIds: readonly string[];
    recurrence: unknown;
  },
  typeChanged: boolean,
): Record<string, unknown> & { id: string } {
  const common = {
    id,
    family: 'task',
    type: s.type,
    title: s.title,
    note: s.note,
    status: s.status,
    trashed: s.trashed,
  };
  if (typeChanged) return common;
  if (s.type === 2) return { ...common, projectId: s.projectId };
  const shared = {
    ...common,
    inInbox: s.inInbox,
    deadline: s.deadline,
    areaId: s.areaId,
    tagIds: tags(s.tagIds),
    recurrence: s.recurrence,
  };
  if (s.type === 1) return shared;
  return { ...shared, projectId: s.projectId, headingId: s.headingId };
}

function viewOf(
  entity: Entity,
  typeChanged: boolean,
): (Record<string, unknown> & { id: string }) | null {
  switch (entity.family) {
    case 'task':
      return taskView(
        entity.id,
        {
          type: entity.type,
          title: entity.title,
          note: entity.note,
          status: entity.status,
          trashed: entity.trashed,
          inInbox: entity.start === 0,
          deadline: entity.deadline,
          projectId: entity.projectIds[0] ?? null,
          areaId: entity.areaIds[0] ?? null,
          headingId: entity.headingIds[0] ?? null,
          tagIds: entity.tagIds,
          recurrence: entity.recurrence,
        },
        typeChanged,
      );
    case 'checklistItem':
      return {
        id: entity.id,
        family: 'checklistItem',
        title: entity.title,
        status: entity.status,
        taskId: entity.taskIds[0] ?? null,
      };
    case 'area':
      return { id: entity.id, family: 'area', title: entity.title, tagIds: tags(entity.tagIds) };
    case 'tag':
      return {
        id: entity.id,
        family: 'tag',
        title: entity.title,
        shortcut: entity.shortcut,
        parentId: entity.parentIds[0] ?? null,
      };
    case 'tombstone':
      return null;
    default: {
      const never: never = entity;
      throw new TypeError(`unexpected entity ${JSON.stringify(never)}`);
    }
  }
}

/** The projection of live entities (tombstones have none), sorted by id. */
export function projectState(
  live: readonly Entity[],
  fromChanges: ReadonlyMap<string, Projected>,
): unknown[] {
  const out: (Record<string, unknown> & { id: string })[] = [];
  for (const entity of live) {
    const view = viewOf(entity, fromChanges.get(entity.id)?.typeChanged ?? false);
    if (view !== null) out.push(view);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

interface Working {
  s: Parameters<typeof taskView>[1] & Record<string, unknown>;
  family: string;
  typeChanged: boolean;
}

/**
 * Folds changes in order into projections of the live entities, and reports ill-formed sequences:
 * a change of an entity that is not live, a `…Created` of a live entity, a non-resurrecting
 * `…Created` of an entity seen before, anything but a resurrecting `…Created` after a `…Deleted`.
 */
export function projectChanges(changes: readonly Change[]): {
  projection: Map<string, Projected>;
  problems: string[];
} {
  const live = new Map<string, Working>();
  const seen = new Set<string>();
  const deleted = new Set<string>();
  const problems: string[] = [];
  for (const change of changes) {
    const id = change.entityId;
    const where = `${change.type} of ${id} at ${change.serverIndex}:${change.position}`;
    if (change.type === 'UnknownChange') continue;
    if (change.type.endsWith('Created')) {
      const payload = change.payload as unknown as {
        resurrected: boolean;
        snapshot: Record<string, unknown>;
      };
      if (live.has(id)) problems.push(`${where}: created while live`);
      if (!payload.resurrected && seen.has(id)) problems.push(`${where}: not marked resurrected`);
      if (payload.resurrected && seen.has(id) && !deleted.has(id)) {
        problems.push(`${where}: resurrected without a deletion`);
      }
      const snap = payload.snapshot;
      const schedule = snap['schedule'] as { start: number } | undefined;
      const family =
        change.entityType === 'ChecklistItem'
          ? 'checklistItem'
          : change.entityType === 'Area'
            ? 'area'
            : change.entityType === 'Tag'
              ? 'tag'
              : 'task';
      live.set(id, {
        family,
        typeChanged: false,
        s: {
          ...snap,
          type: Number(snap['type'] ?? 0),
          title: typeof snap['title'] === 'string' ? snap['title'] : '',
          note: typeof snap['note'] === 'string' ? snap['note'] : '',
          status: Number(snap['status'] ?? 0),
          trashed: snap['trashed'] === true,
          inInbox: schedule?.start === 0,
          deadline: (snap['deadline'] ?? null) as string | null,
          projectId: (snap['projectId'] ?? null) as string | null,
          areaId: (snap['areaId'] ?? null) as string | null,
          headingId: (snap['headingId'] ?? null) as string | null,
          tagIds: (snap['tagIds'] ?? []) as string[],
          recurrence: snap['recurrence'] ?? null,
        },
      });
      seen.add(id);
      deleted.delete(id);
      continue;
    }
    if (change.type.endsWith('Deleted')) {
      if (change.type !== 'TombstoneDeleted' && !live.has(id))
        problems.push(`${where}: deleted while not live`);
      live.delete(id);
      seen.add(id);
      deleted.add(id);
      continue;
    }
    const w = live.get(id);
    if (w === undefined) {
      problems.push(`${where}: change of an entity that is not live`);
      continue;
    }
    const p = change.payload as { old: unknown; new: unknown };
    const verb = change.type.replace(/^(Task|Project|Heading|ChecklistItem|Area|Tag)/, '');
    switch (verb) {
      case 'TypeChanged':
        w.s.type = Number(p.new);
        w.typeChanged = true;
        break;
      case 'TitleChanged':
      case 'Renamed':
        w.s.title = String(p.new);
        break;
      case 'NoteChanged':
        w.s.note = String(p.new);
        break;
      case 'Completed':
      case 'Canceled':
      case 'Uncompleted':
      case 'Uncanceled':
        w.s.status = statusNumber(p.new);
        break;
      case 'Trashed':
      case 'Restored':
        w.s.trashed = p.new === true;
        break;
      case 'DeadlineChanged':
        w.s.deadline = p.new as string | null;
        break;
      case 'AssignedToProject':
        w.s.projectId = p.new as string | null;
        break;
      case 'AssignedToArea':
        w.s.areaId = p.new as string | null;
        break;
      case 'MovedUnderHeading':
        w.s.headingId = p.new as string | null;
        break;
      case 'TagsChanged':
        w.s.tagIds = p.new as string[];
        break;
      case 'RepeatRuleChanged':
        w.s.recurrence = p.new;
        break;
      case 'MovedToTask':
        w.s['taskId'] = p.new;
        break;
      case 'ShortcutChanged':
        w.s['shortcut'] = p.new;
        break;
      case 'ParentChanged':
        w.s['parentId'] = p.new;
        break;
      default:
        if (/^(MovedTo|Rescheduled)/.test(verb)) {
          w.s.inInbox = (p.new as { start: number }).start === 0;
        } else problems.push(`${where}: unknown change type`);
    }
  }
  const projection = new Map<string, Projected>();
  for (const [id, w] of live) {
    let view: Record<string, unknown> & { id: string };
    if (w.family === 'task') view = taskView(id, w.s, w.typeChanged);
    else if (w.family === 'checklistItem')
      view = {
        id,
        family: w.family,
        title: w.s.title,
        status: w.s.status,
        taskId: w.s['taskId'] ?? null,
      };
    else if (w.family === 'area')
      view = { id, family: w.family, title: w.s.title, tagIds: tags(w.s.tagIds) };
    else
      view = {
        id,
        family: w.family,
        title: w.s.title,
        shortcut: w.s['shortcut'] ?? null,
        parentId: w.s['parentId'] ?? null,
      };
    projection.set(id, { view, typeChanged: w.typeChanged });
  }
  return { projection, problems };
}
