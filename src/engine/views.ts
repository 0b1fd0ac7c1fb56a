/**
 * Views (spec 9.4, the app's own definitions as things.py reads them) as pure rules over
 * entities. "today" is a parameter: callers compute it with {@link todayIn} from a zone and an
 * instant they choose.
 *
 * Rules shared by every view:
 * - only live entities (not soft-deleted); not trashed (except Trash); not repeating templates
 *   (`rr` set); open only (`ss 0`, except Logbook);
 * - a to-do whose effective project is trashed or closed (completed/canceled), or whose heading
 *   is trashed or closed, is hidden from the lists (Trash and Logbook excepted);
 * - dangling references (to unknown or deleted entities) are treated as no container: a to-do of
 *   a permanently deleted project shows as a loose to-do;
 * - effective project = `pr[0]` when it resolves to a live project, else the `pr[0]` of the live
 *   heading in `agr[0]`; area = `ar[0]`, else the effective project's area;
 * - Inbox lists to-dos only; Today, Upcoming, Anytime, Someday and Logbook list to-dos and
 *   projects (as the app does); Trash also lists headings; headings appear elsewhere only as the
 *   section titles of a project view;
 * - Upcoming is exactly `st 2` and `sr > today`; a to-do with `st 1` and a future `sr` (unusual)
 *   stays in Anytime, as {@link listOf} says too;
 * - container effects of the app (a to-do inside a Someday project) are not modelled.
 * Sorting is stable: Today by `ti`, Upcoming by `sr`, Logbook by newest `sp`, the rest by `ix`;
 * ties by id.
 */

import type { CivilDate, Instant } from '../protocol/index.ts';
import { statusName } from './changes.ts';
import { listOf } from './lists.ts';
import type {
  AreaEntity,
  ChecklistItemEntity,
  Entity,
  ListName,
  StatusName,
  TagEntity,
  TaskEntity,
} from './types.ts';

export { listOf, scheduleOf } from './lists.ts';
export { localDate, todayIn } from './dates.ts';

/** Options every view takes. */
export interface ViewOptions {
  /** The user's local date (see {@link todayIn}). */
  readonly today: CivilDate;
}

/** One row of a view. */
export interface ViewRow {
  readonly id: string;
  readonly title: string;
  readonly type: 'to-do' | 'project' | 'heading';
  /** The schedule list by {@link listOf} (`null` for an unknown `st`). */
  readonly list: ListName | null;
  readonly startDate: CivilDate | null;
  readonly deadline: CivilDate | null;
  /** True when the row is in Today's "This Evening" part. */
  readonly evening: boolean;
  /** Effective project (dangling references resolved to `null`). */
  readonly projectId: string | null;
  /** Effective area (own, else the project's). */
  readonly areaId: string | null;
  readonly headingId: string | null;
  readonly tagIds: readonly string[];
  readonly status: StatusName;
  readonly stopDate: Instant | null;
  readonly trashed: boolean;
}

/** Entities indexed for views; build once with {@link indexEntities} and reuse. */
export interface EntityIndex {
  readonly byId: ReadonlyMap<string, Entity>;
  readonly tasks: readonly TaskEntity[];
  readonly checklistItems: readonly ChecklistItemEntity[];
  readonly areas: readonly AreaEntity[];
  readonly tags: readonly TagEntity[];
}

/** What views accept: any collection of entities (live and deleted), or a prepared index. */
export type ViewSource = Iterable<Entity> | EntityIndex;

/** Indexes a collection of entities for views. */
export function indexEntities(entities: Iterable<Entity>): EntityIndex {
  const byId = new Map<string, Entity>();
  const tasks: TaskEntity[] = [];
  const checklistItems: ChecklistItemEntity[] = [];
  const areas: AreaEntity[] = [];
  const tags: TagEntity[] = [];
  for (const entity of entities) {
    byId.set(entity.id, entity);
    if (entity.deleted !== null) continue;
    if (entity.family === 'task') tasks.push(entity);
    else if (entity.family === 'checklistItem') checklistItems.push(entity);
    else if (entity.family === 'area') areas.push(entity);
    else if (entity.family === 'tag') tags.push(entity);
  }
  return { byId, tasks, checklistItems, areas, tags };
}

function isIndex(source: ViewSource): source is EntityIndex {
  return 'byId' in source && 'tasks' in source;
}

function toIndex(source: ViewSource): EntityIndex {
  return isIndex(source) ? source : indexEntities(source);
}

function liveTask(index: EntityIndex, id: string | undefined, type: number): TaskEntity | null {
  if (id === undefined) return null;
  const entity = index.byId.get(id);
  if (entity === undefined || entity.deleted !== null || entity.family !== 'task') return null;
  return entity.type === type ? entity : null;
}

function liveArea(index: EntityIndex, id: string | undefined): AreaEntity | null {
  if (id === undefined) return null;
  const entity = index.byId.get(id);
  return entity !== undefined && entity.deleted === null && entity.family === 'area'
    ? entity
    : null;
}

/** The live heading of a task, or `null` (dangling, none, or not a heading). */
export function headingOf(index: EntityIndex, task: TaskEntity): TaskEntity | null {
  return liveTask(index, task.headingIds[0], 2);
}

/** Effective project: `pr[0]` when live, else the live heading's `pr[0]`, else `null`. */
export function projectOf(index: EntityIndex, task: TaskEntity): TaskEntity | null {
  if (task.type === 1) return null;
  const own = liveTask(index, task.projectIds[0], 1);
  if (own !== null) return own;
  const heading = headingOf(index, task);
  return heading === null ? null : liveTask(index, heading.projectIds[0], 1);
}

/** Effective area: `ar[0]` when live, else the effective project's area. */
export function areaOf(index: EntityIndex, task: TaskEntity): AreaEntity | null {
  const own = liveArea(index, task.areaIds[0]);
  if (own !== null) return own;
  const project = projectOf(index, task);
  return project === null ? null : liveArea(index, project.areaIds[0]);
}

function isClosed(task: TaskEntity): boolean {
  return task.status !== 0;
}

/** True when the task's project or heading is trashed or closed (hides it from lists). */
function hiddenByContainer(index: EntityIndex, task: TaskEntity): boolean {
  const project = projectOf(index, task);
  if (project !== null && (project.trashed || isClosed(project))) return true;
  const heading = headingOf(index, task);
  return heading !== null && (heading.trashed || isClosed(heading));
}

function isTemplate(task: TaskEntity): boolean {
  return task.recurrence !== null;
}

/** Open, untrashed, non-template, not hidden by a container. */
function isActive(index: EntityIndex, task: TaskEntity): boolean {
  return task.status === 0 && !task.trashed && !isTemplate(task) && !hiddenByContainer(index, task);
}

function rowType(task: TaskEntity): ViewRow['type'] {
  return task.type === 1 ? 'project' : task.type === 2 ? 'heading' : 'to-do';
}

/** The row of a task in a view. */
export function rowOf(index: EntityIndex, task: TaskEntity, options: ViewOptions): ViewRow {
  const list = listOf(task, options.today);
  return {
    id: task.id,
    title: task.title,
    type: rowType(task),
    list,
    startDate: task.startDate,
    deadline: task.deadline,
    evening: list === 'evening',
    projectId: projectOf(index, task)?.id ?? null,
    areaId: areaOf(index, task)?.id ?? null,
    headingId: headingOf(index, task)?.id ?? null,
    tagIds: task.tagIds,
    status: statusName(task.status),
    stopDate: task.stopDate,
    trashed: task.trashed,
  };
}

function compareIds(a: TaskEntity, b: TaskEntity): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function byIndex(a: TaskEntity, b: TaskEntity): number {
  return a.index - b.index || compareIds(a, b);
}

function byTodayIndex(a: TaskEntity, b: TaskEntity): number {
  return a.todayIndex - b.todayIndex || compareIds(a, b);
}

function rows(
  index: EntityIndex,
  tasks: readonly TaskEntity[],
  options: ViewOptions,
  order: (a: TaskEntity, b: TaskEntity) => number,
): ViewRow[] {
  return [...tasks].sort(order).map((task) => rowOf(index, task, options));
}

const isTodoOrProject = (task: TaskEntity): boolean => task.type === 0 || task.type === 1;
const isTodo = (task: TaskEntity): boolean => task.type === 0;

/** Inbox: open to-dos with `st 0`. */
export function inboxView(source: ViewSource, options: ViewOptions): ViewRow[] {
  const index = toIndex(source);
  const tasks = index.tasks.filter((t) => isTodo(t) && isActive(index, t) && t.start === 0);
  return rows(index, tasks, options, byIndex);
}

/** True when a task is in Today (either part) on `today` (spec 9.4). */
function inToday(task: TaskEntity, today: CivilDate): boolean {
  if ((task.start === 1 || task.start === 2) && task.startDate !== null) {
    return task.startDate <= today;
  }
  return (
    task.type === 0 &&
    task.startDate === null &&
    task.deadline !== null &&
    task.deadline <= today &&
    task.deadlineSuppressionDate === null
  );
}

/**
 * Today: `st 1|2` with `sr ≤ today`, plus to-dos without `sr` whose deadline has passed or is
 * today (`dd ≤ today`, `dds` null). The day part first, then This Evening (`sb 1`), each by `ti`.
 */
export function todayView(source: ViewSource, options: ViewOptions): ViewRow[] {
  const index = toIndex(source);
  const tasks = index.tasks.filter(
    (t) => isTodoOrProject(t) && isActive(index, t) && inToday(t, options.today),
  );
  const day = tasks.filter((t) => t.startBucket !== 1);
  const evening = tasks.filter((t) => t.startBucket === 1);
  return [
    ...rows(index, day, options, byTodayIndex),
    ...rows(index, evening, options, byTodayIndex).map((row) => ({ ...row, evening: true })),
  ];
}

/** This Evening: the rows of Today with `sb 1`. */
export function eveningView(source: ViewSource, options: ViewOptions): ViewRow[] {
  return todayView(source, options).filter((row) => row.evening);
}

/** Upcoming: `st 2` with `sr > today`, by date, then `ix`. */
export function upcomingView(source: ViewSource, options: ViewOptions): ViewRow[] {
  const index = toIndex(source);
  const tasks = index.tasks.filter(
    (t) =>
      isTodoOrProject(t) &&
      isActive(index, t) &&
      t.start === 2 &&
      t.startDate !== null &&
      t.startDate > options.today,
  );
  return rows(index, tasks, options, (a, b) => {
    const da = a.startDate ?? '';
    const db = b.startDate ?? '';
    return da < db ? -1 : da > db ? 1 : byIndex(a, b);
  });
}

/** Anytime: `st 1` (today's items included, as in the app). */
export function anytimeView(source: ViewSource, options: ViewOptions): ViewRow[] {
  const index = toIndex(source);
  const tasks = index.tasks.filter(
    (t) => isTodoOrProject(t) && isActive(index, t) && t.start === 1,
  );
  return rows(index, tasks, options, byIndex);
}

/** Someday: `st 2` without `sr`. */
export function somedayView(source: ViewSource, options: ViewOptions): ViewRow[] {
  const index = toIndex(source);
  const tasks = index.tasks.filter(
    (t) => isTodoOrProject(t) && isActive(index, t) && t.start === 2 && t.startDate === null,
  );
  return rows(index, tasks, options, byIndex);
}

/** Logbook: completed and canceled to-dos and projects (`ss 2|3`), newest `sp` first. */
export function logbookView(source: ViewSource, options: ViewOptions): ViewRow[] {
  const index = toIndex(source);
  const tasks = index.tasks.filter(
    (t) =>
      isTodoOrProject(t) &&
      (t.status === 2 || t.status === 3) &&
      !t.trashed &&
      !isTemplate(t) &&
      !trashedContainer(index, t),
  );
  return rows(index, tasks, options, (a, b) => {
    const sa = a.stopDate ?? Number.NEGATIVE_INFINITY;
    const sb = b.stopDate ?? Number.NEGATIVE_INFINITY;
    return sb - sa || compareIds(a, b);
  });
}

function trashedContainer(index: EntityIndex, task: TaskEntity): boolean {
  return projectOf(index, task)?.trashed === true || headingOf(index, task)?.trashed === true;
}

/** Trash: trashed to-dos, projects and headings (`tr true`), any status, templates excluded. */
export function trashView(source: ViewSource, options: ViewOptions): ViewRow[] {
  const index = toIndex(source);
  const tasks = index.tasks.filter((t) => t.trashed && !isTemplate(t));
  return rows(index, tasks, options, byIndex);
}

/** A project view: its open to-dos, loose ones first, then one section per open heading. */
export interface ProjectView {
  /** The project's row, or `null` when it is unknown or deleted (then there are no sections). */
  readonly project: ViewRow | null;
  readonly sections: readonly {
    /** `null` for the to-dos under no (live, open) heading of this project. */
    readonly heading: ViewRow | null;
    readonly rows: readonly ViewRow[];
  }[];
}

/** The open to-dos whose effective project is `projectId`, grouped by heading (by `ix`). */
export function projectView(
  source: ViewSource,
  projectId: string,
  options: ViewOptions,
): ProjectView {
  const index = toIndex(source);
  const project = liveTask(index, projectId, 1);
  if (project === null) return { project: null, sections: [] };
  const headings = index.tasks
    .filter(
      (t) =>
        t.type === 2 &&
        t.projectIds[0] === projectId &&
        !t.trashed &&
        t.status === 0 &&
        !isTemplate(t),
    )
    .sort(byIndex);
  const todos = index.tasks.filter(
    (t) =>
      t.type === 0 &&
      t.status === 0 &&
      !t.trashed &&
      !isTemplate(t) &&
      projectOf(index, t)?.id === projectId,
  );
  // Under a heading of another project (or none): loose. Under a closed or trashed heading of
  // this project: hidden, as the app archives the heading with its to-dos.
  const loose = todos.filter((t) => {
    const heading = headingOf(index, t);
    return heading === null || heading.projectIds[0] !== projectId;
  });
  const sections = [
    { heading: null, rows: rows(index, loose, options, byIndex) },
    ...headings.map((heading) => ({
      heading: rowOf(index, heading, options),
      rows: rows(
        index,
        todos.filter((t) => t.headingIds[0] === heading.id),
        options,
        byIndex,
      ),
    })),
  ];
  return { project: rowOf(index, project, options), sections };
}

/**
 * An area view: its open projects and the open to-dos directly in it (not inside a project), by
 * `ix`.
 */
export function areaView(source: ViewSource, areaId: string, options: ViewOptions): ViewRow[] {
  const index = toIndex(source);
  if (liveArea(index, areaId) === null) return [];
  const tasks = index.tasks.filter(
    (t) =>
      isTodoOrProject(t) &&
      isActive(index, t) &&
      t.areaIds[0] === areaId &&
      (t.type === 1 || projectOf(index, t) === null),
  );
  return rows(index, tasks, options, byIndex);
}

/** The tag and all its descendants (via `pn`), cycles ignored. */
export function tagWithDescendants(index: EntityIndex, tagId: string): Set<string> {
  const result = new Set<string>([tagId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const tag of index.tags) {
      const parent = tag.parentIds[0];
      if (parent !== undefined && result.has(parent) && !result.has(tag.id)) {
        result.add(tag.id);
        grew = true;
      }
    }
  }
  return result;
}

/**
 * A tag view: open to-dos and projects tagged with the tag or one of its sub-tags (`pn`),
 * directly or inherited from their project or area (spec 9.3), by `ix`.
 */
export function tagView(source: ViewSource, tagId: string, options: ViewOptions): ViewRow[] {
  const index = toIndex(source);
  const wanted = tagWithDescendants(index, tagId);
  const tasks = index.tasks.filter((t) => {
    if (!isTodoOrProject(t) || !isActive(index, t)) return false;
    const tags = [
      ...t.tagIds,
      ...(projectOf(index, t)?.tagIds ?? []),
      ...(areaOf(index, t)?.tagIds ?? []),
    ];
    return tags.some((id) => wanted.has(id));
  });
  return rows(index, tasks, options, byIndex);
}

/**
 * Search: open to-dos and projects whose title, note or a live checklist item's title contains
 * `text`, case-insensitively (an empty text matches nothing), by `ix`.
 */
export function searchView(source: ViewSource, text: string, options: ViewOptions): ViewRow[] {
  const index = toIndex(source);
  const needle = text.toLowerCase();
  if (needle === '') return [];
  const checklistHits = new Set<string>();
  for (const item of index.checklistItems) {
    const taskId = item.taskIds[0];
    if (taskId !== undefined && item.title.toLowerCase().includes(needle)) {
      checklistHits.add(taskId);
    }
  }
  const tasks = index.tasks.filter(
    (t) =>
      isTodoOrProject(t) &&
      isActive(index, t) &&
      (t.title.toLowerCase().includes(needle) ||
        t.note.toLowerCase().includes(needle) ||
        checklistHits.has(t.id)),
  );
  return rows(index, tasks, options, byIndex);
}

/** The views callable by list name (what `thingstape list <name>` shows). */
export const LIST_VIEWS = {
  inbox: inboxView,
  today: todayView,
  evening: eveningView,
  upcoming: upcomingView,
  anytime: anytimeView,
  someday: somedayView,
  logbook: logbookView,
  trash: trashView,
} as const satisfies Record<string, (source: ViewSource, options: ViewOptions) => ViewRow[]>;

/** A name of {@link LIST_VIEWS}. */
export type ListViewName = keyof typeof LIST_VIEWS;
