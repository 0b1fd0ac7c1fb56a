/**
 * What every generator action sees: the random source, the simulated clock, the working set of
 * editable entities and the counters the wire needs (`ix`, `ti`), with the helpers that keep
 * references consistent (area and tag reference counts, retiring old entities, forgetting deleted
 * ones). Actions (`actions/`) read and change a `World`; the generator loop (`history-generator.ts`) owns it.
 */
import { newId } from '../protocol/index.ts';
import { ZoneCalendar } from './calendar.ts';
import { ev, type GenEntry, type GenEvent } from './group.ts';
import type { RawNumber, JsonValue } from './json.ts';
import {
  fullNote,
  nativeTaskCreate,
  sdkTaskCreate,
  tombstone,
  type NativeTaskKey,
  type Payload,
} from './payload-builders.ts';
import { Rng } from './prng.ts';
import { daySeconds, SimulatedClock } from './sim-clock.ts';
import {
  Pool,
  type AreaState,
  type ProjectState,
  type TagState,
  type TaskKind,
  type TemplateState,
  type TodoState,
} from './state.ts';

/** Sizes of the working set; entities beyond these retire. */
export const WORKING_SET = {
  todos: 2500,
  projects: 60,
  templates: 25,
  areas: 10,
  tags: 30,
  ephemeralAreas: 3,
  ephemeralTags: 4,
  recentlyDeleted: 32,
} as const;

/** `sb` of a to-do in This Evening. */
export const EVENING = 1;

/** The state of one generated history and the helpers its actions share. */
export class World {
  readonly rng: Rng;
  readonly clock: SimulatedClock;
  /** Whether the `Settings` entity exists yet (its first event is a create). */
  settingsCreated = false;
  readonly areas = new Pool<AreaState>();
  readonly tags = new Pool<TagState>();
  readonly projects = new Pool<ProjectState>();
  readonly todos = new Pool<TodoState>();
  readonly templates = new Pool<TemplateState>();
  /** The latest permanently deleted to-dos, oldest first (for the `resurrection` anomaly). */
  readonly recentlyDeleted: { id: string; kind: TaskKind }[] = [];
  ephemeralAreas = 0;
  ephemeralTags = 0;
  /** Next `ix` of an area, of a tag and of a task. */
  areaIx = 0;
  tagIx = -1237;
  todoIx = 0;
  /** Next `ti` (Today order) of a to-do put in Today; counts down so it lands on top. */
  todayIx = 0;

  /** A world in `timeZone` whose clock starts on `startDay`, drawing from a source seeded `seed`. */
  constructor(seed: string | number, timeZone: string, startDay: number) {
    this.rng = new Rng(seed);
    this.clock = new SimulatedClock(this.rng, new ZoneCalendar(timeZone), startDay);
  }

  /** The simulated local day (days since 1970-01-01). */
  get today(): number {
    return this.clock.today;
  }

  /** The simulated time as the wire writes it. */
  now(): RawNumber {
    return this.clock.now();
  }

  /** A fresh entity id. */
  id(): string {
    return newId(() => this.rng.bytes(16));
  }

  /** The kind of a new task: mostly `Task6`, sometimes `Task7`. */
  taskKind(): TaskKind {
    return this.rng.chance(0.3) ? 'Task7' : 'Task6';
  }

  /** The kind of a modify: usually the entity's own, sometimes the other one (spec 4.3). */
  kindOf(kind: TaskKind): TaskKind {
    if (!this.rng.chance(0.12)) return kind;
    return kind === 'Task6' ? 'Task7' : 'Task6';
  }

  /** A modify of a task with `md` set to now. */
  modify(todo: { id: string; kind: TaskKind }, p: Payload): GenEntry {
    return [todo.id, ev(1, this.kindOf(todo.kind), { ...p, md: this.now() })];
  }

  /** A permanent delete of one object, as a `t = 2` event or as a `Tombstone2`, within `budget`. */
  deletion(id: string, kind: string, budget: number): [string, GenEvent][] | null {
    if (budget < 1) return null;
    return this.rng.chance(0.5)
      ? [[id, ev(2, kind, {})]]
      : [[this.id(), ev(0, 'Tombstone2', tombstone(id, this.now()))]];
  }

  /** Areas that are not ephemeral. */
  nonEphemeralAreas(): number {
    return this.areas.size - this.ephemeralAreas;
  }

  /** Tags that are not ephemeral. */
  nonEphemeralTags(): number {
    return this.tags.size - this.ephemeralTags;
  }

  /** A random area that to-dos may be put in, or `null`. */
  liveArea(): AreaState | null {
    return this.areas.pickWhere(this.rng, (a) => !a.ephemeral);
  }

  /** One to three distinct tags that to-dos may carry. */
  pickTags(): TagState[] {
    const count = this.rng.pick([1, 1, 1, 2, 2, 3]);
    const out: TagState[] = [];
    for (let i = 0; i < count; i++) {
      const tag = this.tags.pickWhere(this.rng, (t) => !t.ephemeral && !out.includes(t));
      if (tag !== null) out.push(tag);
    }
    return out;
  }

  /** A random open to-do that is not in the Trash, or `null`. */
  openTodo(): TodoState | null {
    return this.todos.pickWhere(this.rng, (t) => t.ss === 0 && !t.tr);
  }

  /** Puts `todo` in `area` (or none), keeping the areas' reference counts. */
  setArea(todo: TodoState, area: AreaState | null): void {
    if (todo.area !== null) todo.area.refs--;
    if (area !== null) area.refs++;
    todo.area = area;
  }

  /** Gives `todo` the `tags`, keeping the tags' reference counts. */
  setTags(todo: TodoState, tags: TagState[]): void {
    for (const tag of todo.tags) tag.refs--;
    for (const tag of tags) tag.refs++;
    todo.tags = tags;
  }

  /** A new to-do, not yet in the working set. */
  newTodo(kind: TaskKind, template: TemplateState | null = null, id?: string): TodoState {
    return {
      id: id ?? this.id(),
      kind,
      ss: 0,
      st: 0,
      sr: null,
      sb: 0,
      dd: null,
      tr: false,
      project: null,
      heading: null,
      area: null,
      tags: [],
      note: '',
      checklist: [],
      template,
      slot: -1,
    };
  }

  /** Retires random to-dos while the working set is over its size. */
  retireTodos(): void {
    while (this.todos.size > WORKING_SET.todos) {
      const victim = this.todos.pick(this.rng);
      if (victim === null) return;
      this.todos.remove(victim);
    }
  }

  /** Drops a permanently deleted to-do from the working set and remembers its id. */
  forget(todo: TodoState): void {
    this.todos.remove(todo);
    this.setArea(todo, null);
    this.setTags(todo, []);
    this.recentlyDeleted.push({ id: todo.id, kind: todo.kind });
    if (this.recentlyDeleted.length > WORKING_SET.recentlyDeleted) this.recentlyDeleted.shift();
  }

  /** The container fields of `todo` (`ar`, `pr`, `agr`). */
  wireArea(todo: TodoState): Payload {
    return {
      ar: todo.area === null ? [] : [todo.area.id],
      pr: todo.project === null || todo.heading !== null ? [] : [todo.project.id],
      agr: todo.heading === null ? [] : [todo.heading.id],
    };
  }

  /** The schedule fields of `todo` (`st`, `sr`, `tir`). */
  wireSchedule(todo: TodoState): Payload {
    const sr = daySeconds(todo.sr);
    return { st: todo.st, sr, tir: sr };
  }

  /** The create fields of `todo` with `title` at position `ix`. */
  todoFields(
    todo: TodoState,
    title: string,
    ix: number,
  ): Partial<Record<NativeTaskKey, JsonValue>> {
    const sr = daySeconds(todo.sr);
    const fields: Partial<Record<NativeTaskKey, JsonValue>> = {
      tt: title,
      st: todo.st,
      sr,
      tir: sr,
      dd: daySeconds(todo.dd),
      ix,
      sb: todo.sb,
      ...this.wireArea(todo),
      tg: todo.tags.map((t) => t.id),
    };
    if (todo.template !== null) fields.rt = [todo.template.id];
    if (todo.note !== '') fields.nt = fullNote(todo.note);
    if (todo.sr !== null && todo.sr <= this.today) fields.ti = this.todayIx--;
    return fields;
  }

  /** The create payload of `todo`: native (every key) or SDK-style (fewer keys). */
  todoCreatePayload(todo: TodoState, title: string, native: boolean, ix: number): Payload {
    const fields = this.todoFields(todo, title, ix);
    return native ? nativeTaskCreate(this.now(), fields) : sdkTaskCreate(this.now(), fields);
  }
}
