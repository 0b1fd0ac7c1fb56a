/**
 * The scenario's account: a small typed client for the writes a script needs, producing native
 * payloads (spec 10) and committing each through the Things Cloud client on the last known head.
 */
import type { ScenarioClock, SeededIds } from './clock.ts';
import {
  areaCreate,
  areaModify,
  checklistItemCreate,
  checklistItemModify,
  dayStampOf,
  noteObject,
  scheduleFields,
  tagCreate,
  tagModify,
  taskCreate,
  taskModify,
  tombstoneCreate,
  type WireWrite,
  type When,
} from './payloads.ts';

/** An entity id (22-character canonical Base58 for everything the account creates). */
export type Id = string;

/** A new to-do. */
export interface TodoInput {
  readonly title: string;
  readonly notes?: string;
  /** Default `inbox`, or `anytime` inside a project, heading or area. */
  readonly when?: When;
  readonly deadline?: string | null;
  readonly project?: Id;
  readonly heading?: Id;
  readonly area?: Id;
  readonly tags?: readonly Id[];
  /** Checklist items, created in the same commit. */
  readonly checklist?: readonly string[];
}

/** A new project. */
export interface ProjectInput {
  readonly title: string;
  readonly notes?: string;
  /** Default `anytime` (`inbox` is not a place for projects). */
  readonly when?: Exclude<When, 'inbox'>;
  readonly deadline?: string | null;
  readonly area?: Id;
  readonly tags?: readonly Id[];
}

/** Changes to a to-do, project or heading; absent fields stay as they are. */
export interface TaskEdit {
  readonly title?: string;
  readonly notes?: string;
  /** Where it goes; `inbox` also takes it out of its project, heading and area. */
  readonly when?: When;
  readonly deadline?: string | null;
  /** The whole tag list. */
  readonly tags?: readonly Id[];
  /** Move into a project (clears heading and area); `null` takes it out. */
  readonly project?: Id | null;
  /** Move under a heading (sets its project too, clears the area). */
  readonly heading?: Id | null;
  /** Move into an area (clears project and heading). */
  readonly area?: Id | null;
}

type Family = 'task' | 'checklistItem' | 'area' | 'tag';

interface Known {
  readonly family: Family;
  /** `st` as last written (tasks). */
  st?: number;
  /** A heading's project. */
  project?: Id | null;
  /** Checklist items created for a to-do (the next item's `ix`). */
  checklist?: number;
}

/** Commits one group (entity id → event) on the last known head; returns the new group's index. */
export type CommitGroup = (group: Readonly<Record<Id, WireWrite>>) => Promise<number>;

/**
 * Writes like the native app would. Each call is one commit (a create with its checklist items is
 * one group), its instants taken from the scenario clock and its ids from the scenario's seed, so
 * record and replay send the same bytes. Entities the account did not create are treated as tasks.
 */
export class ScenarioAccount {
  readonly #commit: CommitGroup;
  readonly #clock: ScenarioClock;
  readonly #ids: SeededIds;
  readonly #known = new Map<Id, Known>();
  readonly #created: Id[] = [];
  #index = 0;

  constructor(commit: CommitGroup, clock: ScenarioClock, ids: SeededIds) {
    this.#commit = commit;
    this.#clock = clock;
    this.#ids = ids;
  }

  /** Every id this account created, in creation order. */
  get createdIds(): readonly Id[] {
    return this.#created;
  }

  /** Commits a raw group (entity id → `{t, e, p}`) as it is; returns the group's server index. */
  commit(group: Readonly<Record<Id, WireWrite>>): Promise<number> {
    return this.#commit(group);
  }

  /** Creates a to-do (and its checklist items) in one commit. */
  async createTodo(input: TodoInput): Promise<Id> {
    const id = this.#newId('task');
    const headingProject =
      input.heading === undefined ? undefined : this.#known.get(input.heading)?.project;
    const projectId = input.project ?? headingProject ?? null;
    const contained = projectId !== null || input.heading !== undefined || input.area !== undefined;
    const when = input.when ?? (contained ? 'anytime' : 'inbox');
    const schedule = scheduleFields(when, this.#clock.today, contained);
    const now = this.#clock.tick();
    const group: Record<Id, WireWrite> = {
      [id]: taskCreate({
        type: 0,
        title: input.title,
        schedule,
        deadline: input.deadline ?? null,
        projectId,
        headingId: input.heading ?? null,
        areaId: projectId === null && input.heading === undefined ? (input.area ?? null) : null,
        tagIds: input.tags ?? [],
        index: this.#nextIndex(),
        createdAt: now,
        ...(input.notes === undefined ? {} : { notes: input.notes }),
      }),
    };
    const checklist = input.checklist ?? [];
    checklist.forEach((title, i) => {
      group[this.#newId('checklistItem')] = checklistItemCreate({
        taskId: id,
        title,
        index: i,
        createdAt: now,
      });
    });
    this.#remember(id, { family: 'task', st: schedule.st, checklist: checklist.length });
    await this.#commit(group);
    return id;
  }

  /** Creates a project (`tp 1`, `st 1` or `st 2`). */
  async createProject(input: ProjectInput): Promise<Id> {
    const id = this.#newId('task');
    const schedule = scheduleFields(input.when ?? 'anytime', this.#clock.today, true);
    await this.#commit({
      [id]: taskCreate({
        type: 1,
        title: input.title,
        schedule,
        deadline: input.deadline ?? null,
        areaId: input.area ?? null,
        tagIds: input.tags ?? [],
        index: this.#nextIndex(),
        createdAt: this.#clock.tick(),
        ...(input.notes === undefined ? {} : { notes: input.notes }),
      }),
    });
    this.#remember(id, { family: 'task', st: schedule.st });
    return id;
  }

  /** Creates a heading in `project` (`tp 2`, `st 1`, `pr: [project]`). */
  async createHeading(project: Id, title: string): Promise<Id> {
    const id = this.#newId('task');
    await this.#commit({
      [id]: taskCreate({
        type: 2,
        title,
        schedule: { st: 1, sr: null, tir: null, sb: 0 },
        projectId: project,
        index: this.#nextIndex(),
        createdAt: this.#clock.tick(),
      }),
    });
    this.#remember(id, { family: 'task', st: 1, project });
    return id;
  }

  /** Creates an area (`Area3`). */
  async createArea(input: { readonly title: string; readonly tags?: readonly Id[] }): Promise<Id> {
    const id = this.#newId('area');
    this.#clock.tick();
    await this.#commit({
      [id]: areaCreate({ title: input.title, index: this.#nextIndex(), tagIds: input.tags ?? [] }),
    });
    return id;
  }

  /** Creates a tag (`Tag4`). */
  async createTag(input: {
    readonly title: string;
    readonly parent?: Id;
    readonly shortcut?: string;
  }): Promise<Id> {
    const id = this.#newId('tag');
    this.#clock.tick();
    await this.#commit({
      [id]: tagCreate({
        title: input.title,
        index: this.#nextIndex(),
        shortcut: input.shortcut ?? null,
        parentId: input.parent ?? null,
      }),
    });
    return id;
  }

  /** Adds a checklist item (`ChecklistItem3`) at the end of `todo`'s checklist (`ix` 0…n). */
  async createChecklistItem(todo: Id, title: string): Promise<Id> {
    const known = this.#known.get(todo);
    const index = known?.checklist ?? 0;
    if (known !== undefined) known.checklist = index + 1;
    const id = this.#newId('checklistItem');
    await this.#commit({
      [id]: checklistItemCreate({ taskId: todo, title, index, createdAt: this.#clock.tick() }),
    });
    return id;
  }

  /** Edits a to-do, project or heading: only the changed keys plus `md` (spec 10.3). */
  async edit(id: Id, changes: TaskEdit): Promise<void> {
    const known = this.#known.get(id);
    const keys: Record<string, unknown> = {};
    if (changes.title !== undefined) keys['tt'] = changes.title;
    if (changes.notes !== undefined) keys['nt'] = noteObject(changes.notes);
    if (changes.deadline !== undefined) {
      keys['dd'] = changes.deadline === null ? null : dayStampOf(changes.deadline, 'deadline');
    }
    if (changes.tags !== undefined) keys['tg'] = [...changes.tags];
    let moved = false;
    if (changes.heading !== undefined) {
      keys['agr'] = changes.heading === null ? [] : [changes.heading];
      const project =
        changes.heading === null ? undefined : this.#known.get(changes.heading)?.project;
      if (project !== undefined && project !== null) keys['pr'] = [project];
      keys['ar'] = [];
      moved = changes.heading !== null;
    }
    if (changes.project !== undefined) {
      keys['pr'] = changes.project === null ? [] : [changes.project];
      if (changes.heading === undefined) keys['agr'] = [];
      keys['ar'] = [];
      moved = moved || changes.project !== null;
    }
    if (changes.area !== undefined) {
      keys['ar'] = changes.area === null ? [] : [changes.area];
      keys['pr'] = [];
      keys['agr'] = [];
      moved = moved || changes.area !== null;
    }
    if (changes.when === 'inbox' && !moved) {
      // The Inbox holds no container: st 0 beside a project or area shows the to-do in both
      // places (spec 10.2, pitfall 9), so moving to the Inbox also takes it out of them.
      Object.assign(keys, { ar: [], pr: [], agr: [] });
    }
    if (changes.when !== undefined) {
      const schedule = scheduleFields(changes.when, this.#clock.today, moved);
      Object.assign(keys, { st: schedule.st, sr: schedule.sr, tir: schedule.tir, sb: schedule.sb });
      if (known !== undefined) known.st = schedule.st;
    } else if (moved && known?.st === 0) {
      // Out of the Inbox into a container: st 1 (spec 10.3).
      keys['st'] = 1;
      known.st = 1;
    }
    await this.#commit({ [id]: taskModify(keys, this.#clock.tick()) });
  }

  /** Renames a to-do, project, heading, checklist item, area or tag. */
  async rename(id: Id, title: string): Promise<void> {
    switch (this.#familyOf(id)) {
      case 'area':
        await this.#commit({ [id]: areaModify({ tt: title }) });
        return;
      case 'tag':
        await this.#commit({ [id]: tagModify({ tt: title }) });
        return;
      case 'checklistItem':
        await this.#commit({ [id]: checklistItemModify({ tt: title }, this.#clock.tick()) });
        return;
      case 'task':
        await this.edit(id, { title });
        return;
    }
  }

  /** Changes a tag's parent or keyboard shortcut. */
  async editTag(
    id: Id,
    changes: { readonly parent?: Id | null; readonly shortcut?: string | null },
  ): Promise<void> {
    const keys: Record<string, unknown> = {};
    if (changes.parent !== undefined) keys['pn'] = changes.parent === null ? [] : [changes.parent];
    if (changes.shortcut !== undefined) keys['sh'] = changes.shortcut;
    await this.#commit({ [id]: tagModify(keys) });
  }

  /** Sets an area's tags (the whole list). */
  async setAreaTags(id: Id, tags: readonly Id[]): Promise<void> {
    await this.#commit({ [id]: areaModify({ tg: [...tags] }) });
  }

  /** Completes a to-do, project, heading or checklist item (`ss 3`, `sp` now). */
  complete(id: Id): Promise<void> {
    return this.#status(id, 3);
  }

  /** Cancels a to-do, project, heading or checklist item (`ss 2`, `sp` now). */
  cancel(id: Id): Promise<void> {
    return this.#status(id, 2);
  }

  /** Re-opens it (`ss 0`, `sp null`, never `sp 0`). */
  reopen(id: Id): Promise<void> {
    return this.#status(id, 0);
  }

  /** Moves a to-do, project or heading to the Trash (`tr true`). */
  async trash(id: Id): Promise<void> {
    await this.#commit({ [id]: taskModify({ tr: true }, this.#clock.tick()) });
  }

  /** Puts it back from the Trash (`tr false`). */
  async restore(id: Id): Promise<void> {
    await this.#commit({ [id]: taskModify({ tr: false }, this.#clock.tick()) });
  }

  /**
   * Deletes permanently: a `Tombstone2` with a fresh id and `dloid` = `id` (default), or with
   * `{ by: 'event' }` a `t = 2` event on the entity itself (spec 10.4). Returns the tombstone's id
   * (or `id` itself for an event).
   */
  async delete(id: Id, options: { readonly by?: 'tombstone' | 'event' } = {}): Promise<Id> {
    if (options.by === 'event') {
      this.#clock.tick();
      await this.#commit({ [id]: { t: 2, e: KIND_OF[this.#familyOf(id)], p: {} } });
      return id;
    }
    const tombstone = this.#ids.next();
    this.#created.push(tombstone);
    await this.#commit({ [tombstone]: tombstoneCreate(id, this.#clock.tick()) });
    return tombstone;
  }

  async #status(id: Id, status: 0 | 2 | 3): Promise<void> {
    const now = this.#clock.tick();
    const keys = { ss: status, sp: status === 0 ? null : now };
    const write =
      this.#familyOf(id) === 'checklistItem'
        ? checklistItemModify(keys, now)
        : taskModify(keys, now);
    await this.#commit({ [id]: write });
  }

  #familyOf(id: Id): Family {
    return this.#known.get(id)?.family ?? 'task';
  }

  #newId(family: Family): Id {
    const id = this.#ids.next();
    this.#created.push(id);
    if (family !== 'task') this.#remember(id, { family });
    return id;
  }

  #remember(id: Id, known: Known): void {
    this.#known.set(id, known);
  }

  #nextIndex(): number {
    this.#index += 1;
    return this.#index;
  }
}

const KIND_OF: Record<Family, string> = {
  task: 'Task6',
  checklistItem: 'ChecklistItem3',
  area: 'Area3',
  tag: 'Tag4',
};
