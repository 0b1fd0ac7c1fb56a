/**
 * The synthetic history generator: a deterministic stream of realistic Things Cloud groups.
 *
 * A simulated user works through sessions on a simulated clock (seconds between edits, hours
 * between sessions, nights skipped, a rare absence of days) and does what people do in Things:
 * areas, tags with parents and shortcuts, projects with headings, to-dos everywhere, notes (full
 * and delta), checklists, deadlines, Today / This Evening / Upcoming / Someday, repeating
 * templates and their instances, completions, cancellations, reopenings, trash and put-back,
 * permanent deletes (`t = 2` and `Tombstone2`), native empty-title creates followed by a title
 * modify, Task7 events mixed with Task6 on one id, and a `Settings5` item now and then.
 *
 * Consistency: modifies target existing entities, references point at existing containers and
 * deleted entities are never edited again, with two deliberate, rare anomalies:
 * - `resurrection`: a permanently deleted to-do is created again under its old id (t = 0);
 * - `unknownTombstone`: a `Tombstone2` whose `dloid` names an id that never existed (as in the
 *   spec's Appendix B).
 *
 * Memory stays bounded: only a capped working set of entities is editable; older ones retire
 * (they stay in the history, the generator stops touching them).
 */
import { newId } from '../protocol/index.ts';
import { crc32, utf8ByteLength } from '../protocol/index.ts';
import { ZoneCalendar } from './calendar.ts';
import { RawNumber, toJson, type JsonValue } from './json.ts';
import {
  areaCreate,
  checklistCreate,
  deltaNote,
  fullNote,
  nativeTaskCreate,
  sdkTaskCreate,
  tagCreate,
  tombstone,
  type NativeTaskKey,
  type Payload,
  type WirePatch,
} from './payloads.ts';
import { Rng } from './prng.ts';
import { nextOccurrence, randomRule, ruleToWire } from './recurrence.ts';
import {
  Pool,
  type AreaState,
  type ChecklistState,
  type HeadingState,
  type ProjectState,
  type TagState,
  type TaskKind,
  type TemplateState,
  type TodoState,
} from './state.ts';
import * as text from './text.ts';

/** One generated event `{t, e, p}`. */
export interface GenEvent {
  readonly t: 0 | 1 | 2;
  readonly e: string;
  readonly p: Payload;
}

/** One generated group: entity id → event, in key order. */
export type GenGroup = readonly (readonly [string, GenEvent])[];

/** Settings of one generated history (already validated, see `resolveGenOptions`). */
export interface HistorySettings {
  /** Exact number of items (entity events) to generate. */
  readonly items: number;
  readonly seed: string | number;
  /** IANA zone of the simulated user. */
  readonly timeZone: string;
  /** First local day of the history, as days since 1970-01-01. */
  readonly startDay: number;
}

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

const MAX_NOTE_BYTES = 900;
const EVENING = 1;

/** Names of the generator's actions (the `action` a test or a statistic can count). */
export type ActionName =
  | 'settings'
  | 'createArea'
  | 'createEphemeralArea'
  | 'renameArea'
  | 'deleteArea'
  | 'createTag'
  | 'createEphemeralTag'
  | 'deleteTag'
  | 'createProject'
  | 'renameProject'
  | 'addHeading'
  | 'completeProject'
  | 'createTodo'
  | 'renameTodo'
  | 'schedule'
  | 'deadline'
  | 'move'
  | 'setTags'
  | 'fullNote'
  | 'deltaNote'
  | 'complete'
  | 'cancel'
  | 'reopen'
  | 'trash'
  | 'putBack'
  | 'deleteTodo'
  | 'addChecklist'
  | 'toggleChecklist'
  | 'renameChecklist'
  | 'deleteChecklist'
  | 'reorder'
  | 'reminder'
  | 'createTemplate'
  | 'convertToRepeating'
  | 'spawnInstance'
  | 'changeRule'
  | 'pauseTemplate'
  | 'resurrection'
  | 'unknownTombstone';

type Step = GenGroup[];

interface Action {
  readonly name: ActionName;
  readonly weight: () => number;
  readonly run: (budget: number) => Step | null;
}

function ev(t: 0 | 1 | 2, e: string, p: Payload): GenEvent {
  return { t, e, p };
}

function itemCount(step: Step): number {
  let n = 0;
  for (const group of step) n += group.length;
  return n;
}

/** Compact JSON text of one group, exactly as it appears inside a page's `items`. */
export function groupToJson(group: GenGroup): string {
  let out = '{';
  for (let i = 0; i < group.length; i++) {
    const entry = group[i];
    if (entry === undefined) continue;
    const [id, event] = entry;
    if (i > 0) out += ',';
    out += `${JSON.stringify(id)}:{"t":${event.t},"e":${JSON.stringify(event.e)},"p":${toJson(event.p)}}`;
  }
  return out + '}';
}

/**
 * Generates one history. Iterate {@link groups} once; afterwards {@link clock} is the simulated
 * time of the last group. Deterministic: the same settings give the same groups, always.
 */
export class HistoryGenerator {
  readonly settings: HistorySettings;
  readonly #rng: Rng;
  readonly #calendar: ZoneCalendar;
  readonly #actions: readonly Action[];
  readonly #fallbackAction: Action = {
    name: 'createTodo',
    weight: () => 1,
    run: (budget) => this.#createTodo(budget),
  };
  #sec = 0;
  #frac = 1;
  #today = 0;
  #nowText: RawNumber = new RawNumber('0.1');
  #settingsCreated = false;
  readonly #areas = new Pool<AreaState>();
  readonly #tags = new Pool<TagState>();
  readonly #projects = new Pool<ProjectState>();
  readonly #todos = new Pool<TodoState>();
  readonly #templates = new Pool<TemplateState>();
  readonly #recentlyDeleted: { id: string; kind: TaskKind }[] = [];
  #ephemeralAreas = 0;
  #ephemeralTags = 0;
  #areaIx = 0;
  #tagIx = -1237;
  #todoIx = 0;
  #todayIx = 0;
  #counts = new Map<ActionName, number>();

  /** Prepares a generator; nothing is generated until {@link groups} is iterated. */
  constructor(settings: HistorySettings) {
    this.settings = settings;
    this.#rng = new Rng(settings.seed);
    this.#calendar = new ZoneCalendar(settings.timeZone);
    this.#sec = this.#calendar.instantOf(settings.startDay, 7 * 3600 + this.#rng.int(0, 5400));
    this.#frac = this.#rng.int(1, 9_999_999);
    this.#today = settings.startDay;
    this.#actions = this.#actionTable();
  }

  /** Simulated time of the latest group (seconds since the epoch). */
  get clock(): number {
    return this.#sec + this.#frac / 1e7;
  }

  /** How often each action ran so far. */
  get actionCounts(): ReadonlyMap<ActionName, number> {
    return this.#counts;
  }

  /** The groups of the history, in order; exactly `settings.items` items in total. */
  *groups(): Generator<GenGroup, void, undefined> {
    let left = this.settings.items;
    while (left > 0) {
      this.#step();
      let step: Step | null = null;
      for (let attempt = 0; attempt < 4 && step === null; attempt++) {
        const action = this.#pickAction();
        step = action.run(left);
        if (step !== null) this.#count(action.name);
      }
      if (step === null) {
        step = this.#createTodo(1);
        this.#count('createTodo');
      }
      const size = itemCount(step);
      if (size > left || size === 0 || step === null) {
        throw new Error(`generator bug: a step of ${size} items with ${left} left`);
      }
      for (const group of step) yield group;
      left -= size;
    }
  }

  #count(name: ActionName): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1);
  }

  // -------------------------------------------------------------------------------------------
  // Clock

  #advance(seconds: number): void {
    const ticks = Math.floor(seconds * 1e7) + this.#rng.int(1, 99_999);
    this.#sec += Math.floor(ticks / 1e7);
    this.#frac += ticks % 1e7;
    if (this.#frac >= 1e7) {
      this.#frac -= 1e7;
      this.#sec += 1;
    }
    if (this.#frac === 0) this.#frac = 1;
    this.#nowText = new RawNumber(
      `${this.#sec}.${String(this.#frac).padStart(7, '0').replace(/0+$/, '')}`,
    );
  }

  /** Moves the clock to the next group: seconds within a session, longer between sessions. */
  #step(): void {
    const rng = this.#rng;
    const r = rng.float();
    if (r < 0.001) this.#advance(86400 * (1 + rng.float() * 3));
    else if (r < 0.08) this.#advance(300 + rng.exponential(2400));
    else this.#advance(1 + rng.exponential(30));
    let local = this.#calendar.localTime(this.#sec);
    if (local.secondOfDay >= 23 * 3600 || local.secondOfDay < 7 * 3600) {
      const day = local.secondOfDay >= 23 * 3600 ? local.days + 1 : local.days;
      const morning = this.#calendar.instantOf(day, 7 * 3600 + rng.int(0, 9000));
      if (morning > this.#sec) {
        this.#sec = morning;
        this.#advance(rng.float());
      }
      local = this.#calendar.localTime(this.#sec);
    }
    this.#today = local.days;
  }

  /** A few seconds later (between the groups of one step). */
  #later(): void {
    this.#advance(2 + this.#rng.exponential(8));
  }

  #now(): RawNumber {
    return this.#nowText;
  }

  #day(days: number | null): number | null {
    return days === null ? null : days * 86400;
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  #id(): string {
    return newId(() => this.#rng.bytes(16));
  }

  #taskKind(): TaskKind {
    return this.#rng.chance(0.3) ? 'Task7' : 'Task6';
  }

  /** The kind of a modify: usually the entity's own, sometimes the other one (spec 4.3). */
  #kindOf(kind: TaskKind): TaskKind {
    if (!this.#rng.chance(0.12)) return kind;
    return kind === 'Task6' ? 'Task7' : 'Task6';
  }

  #modify(todo: { id: string; kind: TaskKind }, p: Payload): readonly [string, GenEvent] {
    return [todo.id, ev(1, this.#kindOf(todo.kind), { ...p, md: this.#now() })];
  }

  #setArea(todo: TodoState, area: AreaState | null): void {
    if (todo.area !== null) todo.area.refs--;
    if (area !== null) area.refs++;
    todo.area = area;
  }

  #setTags(todo: TodoState, tags: TagState[]): void {
    for (const tag of todo.tags) tag.refs--;
    for (const tag of tags) tag.refs++;
    todo.tags = tags;
  }

  #pickTags(): TagState[] {
    const count = this.#rng.pick([1, 1, 1, 2, 2, 3]);
    const out: TagState[] = [];
    for (let i = 0; i < count; i++) {
      const tag = this.#tags.pickWhere(this.#rng, (t) => !t.ephemeral && !out.includes(t));
      if (tag !== null) out.push(tag);
    }
    return out;
  }

  #liveArea(): AreaState | null {
    return this.#areas.pickWhere(this.#rng, (a) => !a.ephemeral);
  }

  #openTodo(): TodoState | null {
    return this.#todos.pickWhere(this.#rng, (t) => t.ss === 0 && !t.tr);
  }

  #retireTodos(): void {
    while (this.#todos.size > WORKING_SET.todos) {
      const victim = this.#todos.pick(this.#rng);
      if (victim === null) return;
      this.#todos.remove(victim);
    }
  }

  #wireArea(todo: TodoState): Payload {
    return {
      ar: todo.area === null ? [] : [todo.area.id],
      pr: todo.project === null || todo.heading !== null ? [] : [todo.project.id],
      agr: todo.heading === null ? [] : [todo.heading.id],
    };
  }

  #wireSchedule(todo: TodoState): Payload {
    const sr = this.#day(todo.sr);
    return { st: todo.st, sr, tir: sr };
  }

  // -------------------------------------------------------------------------------------------
  // Action table

  #pickAction(): Action {
    let total = 0;
    const weights: number[] = [];
    for (const action of this.#actions) {
      const w = Math.max(0, action.weight());
      weights.push(w);
      total += w;
    }
    let r = this.#rng.float() * total;
    let chosen: Action | undefined;
    this.#actions.forEach((action, i) => {
      if (chosen !== undefined) return;
      r -= weights[i] ?? 0;
      if (r < 0) chosen = action;
    });
    return chosen ?? this.#fallbackAction;
  }

  #actionTable(): Action[] {
    const todos = (): number => (this.#todos.size > 0 ? 1 : 0);
    const a = (
      name: ActionName,
      weight: () => number,
      run: (budget: number) => Step | null,
    ): Action => ({
      name,
      weight,
      run,
    });
    return [
      a(
        'settings',
        () => (this.#settingsCreated ? 0.25 : 1000),
        (b) => this.#settings(b),
      ),
      a(
        'createArea',
        () =>
          this.#nonEphemeralAreas() < 2
            ? 200
            : this.#nonEphemeralAreas() < WORKING_SET.areas
              ? 0.3
              : 0,
        (b) => this.#createArea(b, false),
      ),
      a(
        'createEphemeralArea',
        () => (this.#ephemeralAreas < WORKING_SET.ephemeralAreas ? 0.35 : 0),
        (b) => this.#createArea(b, true),
      ),
      a(
        'renameArea',
        () => (this.#areas.size > 0 ? 0.15 : 0),
        (b) => this.#renameArea(b),
      ),
      a(
        'deleteArea',
        () => (this.#ephemeralAreas > 0 ? 0.4 : 0),
        (b) => this.#deleteArea(b),
      ),
      a(
        'createTag',
        () =>
          this.#nonEphemeralTags() < 4
            ? 100
            : this.#nonEphemeralTags() < WORKING_SET.tags
              ? 0.5
              : 0,
        (b) => this.#createTag(b, false),
      ),
      a(
        'createEphemeralTag',
        () => (this.#ephemeralTags < WORKING_SET.ephemeralTags ? 0.4 : 0),
        (b) => this.#createTag(b, true),
      ),
      a(
        'deleteTag',
        () => (this.#ephemeralTags > 0 ? 0.45 : 0),
        (b) => this.#deleteTag(b),
      ),
      a(
        'createProject',
        () => (this.#projects.size < 3 ? 30 : 2),
        (b) => this.#createProject(b),
      ),
      a(
        'renameProject',
        () => (this.#projects.size > 0 ? 0.3 : 0),
        (b) => this.#renameProject(b),
      ),
      a(
        'addHeading',
        () => (this.#projects.size > 0 ? 0.5 : 0),
        (b) => this.#addHeading(b),
      ),
      a(
        'completeProject',
        () => (this.#projects.size > 3 ? 0.3 : 0),
        (b) => this.#completeProject(b),
      ),
      a(
        'createTodo',
        () => 14,
        (b) => this.#createTodo(b),
      ),
      a(
        'renameTodo',
        () => 4 * todos(),
        (b) => this.#renameTodo(b),
      ),
      a(
        'schedule',
        () => 9 * todos(),
        (b) => this.#schedule(b),
      ),
      a(
        'deadline',
        () => 2 * todos(),
        (b) => this.#deadline(b),
      ),
      a(
        'move',
        () => 3 * todos(),
        (b) => this.#move(b),
      ),
      a(
        'setTags',
        () => 2.5 * todos(),
        (b) => this.#setTagsAction(b),
      ),
      a(
        'fullNote',
        () => 2.5 * todos(),
        (b) => this.#fullNote(b),
      ),
      a(
        'deltaNote',
        () => 5 * todos(),
        (b) => this.#deltaNote(b),
      ),
      a(
        'complete',
        () => 7 * todos(),
        (b) => this.#complete(b),
      ),
      a(
        'cancel',
        () => 0.8 * todos(),
        (b) => this.#cancel(b),
      ),
      a(
        'reopen',
        () => 0.9 * todos(),
        (b) => this.#reopen(b),
      ),
      a(
        'trash',
        () => 1.6 * todos(),
        (b) => this.#trash(b),
      ),
      a(
        'putBack',
        () => 0.7 * todos(),
        (b) => this.#putBack(b),
      ),
      a(
        'deleteTodo',
        () => 1.6 * todos(),
        (b) => this.#deleteTodo(b),
      ),
      a(
        'addChecklist',
        () => 3 * todos(),
        (b) => this.#addChecklist(b),
      ),
      a(
        'toggleChecklist',
        () => 3 * todos(),
        (b) => this.#toggleChecklist(b),
      ),
      a(
        'renameChecklist',
        () => 0.7 * todos(),
        (b) => this.#renameChecklist(b),
      ),
      a(
        'deleteChecklist',
        () => 1 * todos(),
        (b) => this.#deleteChecklist(b),
      ),
      a(
        'reorder',
        () => 1.5 * todos(),
        (b) => this.#reorder(b),
      ),
      a(
        'reminder',
        () => 0.6 * todos(),
        (b) => this.#reminder(b),
      ),
      a(
        'createTemplate',
        () => (this.#templates.size < 6 ? 1.2 : 0.35),
        (b) => this.#createTemplate(b),
      ),
      a(
        'convertToRepeating',
        () => 0.2 * todos(),
        (b) => this.#convertToRepeating(b),
      ),
      a(
        'spawnInstance',
        () => (this.#dueTemplate() !== null ? 6 : 0),
        (b) => this.#spawnInstance(b),
      ),
      a(
        'changeRule',
        () => (this.#templates.size > 0 ? 0.2 : 0),
        (b) => this.#changeRule(b),
      ),
      a(
        'pauseTemplate',
        () => (this.#templates.size > 0 ? 0.12 : 0),
        (b) => this.#pauseTemplate(b),
      ),
      a(
        'resurrection',
        () => (this.#recentlyDeleted.length > 0 ? 0.04 : 0),
        (b) => this.#resurrection(b),
      ),
      a(
        'unknownTombstone',
        () => 0.03,
        (b) => this.#unknownTombstone(b),
      ),
    ];
  }

  #nonEphemeralAreas(): number {
    return this.#areas.size - this.#ephemeralAreas;
  }

  #nonEphemeralTags(): number {
    return this.#tags.size - this.#ephemeralTags;
  }

  // -------------------------------------------------------------------------------------------
  // Settings, areas, tags

  #settings(budget: number): Step | null {
    if (budget < 1) return null;
    if (!this.#settingsCreated) {
      this.#settingsCreated = true;
      const midnight = this.#calendar.instantOf(this.#today, 0);
      return [[['Settings', ev(0, 'Settings5', { ld: midnight, li: 0, grpt: false })]]];
    }
    const rng = this.#rng;
    const p: Payload = rng.chance(0.5)
      ? { li: rng.pick([0, 1, 7, 30]) }
      : rng.chance(0.5)
        ? { grpt: rng.chance(0.5) }
        : { ld: this.#calendar.instantOf(this.#today, 0) };
    return [[['Settings', ev(1, 'Settings5', p)]]];
  }

  #createArea(budget: number, ephemeral: boolean): Step | null {
    if (budget < 1) return null;
    const area: AreaState = { id: this.#id(), refs: 0, ephemeral, slot: -1 };
    this.#areas.add(area);
    if (ephemeral) this.#ephemeralAreas++;
    const title = ephemeral ? `Archive ${this.#rng.int(2019, 2024)}` : text.areaTitle(this.#rng);
    return [[[area.id, ev(0, 'Area3', areaCreate(title, this.#areaIx++))]]];
  }

  #renameArea(budget: number): Step | null {
    const area = this.#areas.pick(this.#rng);
    if (area === null || budget < 1) return null;
    // Native area renames sometimes come without `md` (spec 6.1, "md is normally present").
    return [[[area.id, ev(1, 'Area3', { tt: text.areaTitle(this.#rng) })]]];
  }

  /** Deletes an area nothing points at: `t = 2`, a tombstone, or both in one group. */
  #deleteArea(budget: number): Step | null {
    const area = this.#areas.pickWhere(this.#rng, (x) => x.refs === 0, 32);
    if (area === null) return null;
    const group = this.#deletion(area.id, 'Area3', budget);
    if (group === null) return null;
    this.#areas.remove(area);
    if (area.ephemeral) this.#ephemeralAreas--;
    return [group];
  }

  #createTag(budget: number, ephemeral: boolean): Step | null {
    if (budget < 1) return null;
    const rng = this.#rng;
    const parent =
      !ephemeral && rng.chance(0.35)
        ? this.#tags.pickWhere(rng, (t) => !t.ephemeral && t.parent === null)
        : null;
    const tag: TagState = { id: this.#id(), refs: 0, ephemeral, parent, slot: -1 };
    if (parent !== null) parent.refs++;
    this.#tags.add(tag);
    if (ephemeral) this.#ephemeralTags++;
    const sh = !ephemeral && rng.chance(0.25) ? String(rng.int(1, 9)) : null;
    const ix = rng.chance(0.3) ? -1237 : this.#tagIx++;
    const title = ephemeral ? `tmp-${rng.int(1, 999)}` : text.tagTitle(rng);
    return [
      [[tag.id, ev(0, 'Tag4', tagCreate(title, ix, sh, parent === null ? null : parent.id))]],
    ];
  }

  #deleteTag(budget: number): Step | null {
    const tag = this.#tags.pickWhere(this.#rng, (x) => x.refs === 0, 32);
    if (tag === null) return null;
    const group = this.#deletion(tag.id, 'Tag4', budget);
    if (group === null) return null;
    this.#tags.remove(tag);
    if (tag.ephemeral) this.#ephemeralTags--;
    if (tag.parent !== null) tag.parent.refs--;
    return [group];
  }

  /** A permanent delete of one object, as a `t = 2` event or as a `Tombstone2`, within `budget`. */
  #deletion(id: string, kind: string, budget: number): [string, GenEvent][] | null {
    if (budget < 1) return null;
    return this.#rng.chance(0.5)
      ? [[id, ev(2, kind, {})]]
      : [[this.#id(), ev(0, 'Tombstone2', tombstone(id, this.#now()))]];
  }

  // -------------------------------------------------------------------------------------------
  // Projects and headings

  #projectPayload(
    project: ProjectState,
    area: AreaState | null,
    title: string,
    st: number,
  ): Payload {
    return nativeTaskCreate(this.#now(), {
      tp: 1,
      tt: title,
      st,
      ar: area === null ? [] : [area.id],
      ix: this.#todoIx++,
    });
  }

  #headingPayload(project: ProjectState, ix: number): Payload {
    return nativeTaskCreate(this.#now(), {
      tp: 2,
      tt: text.headingTitle(this.#rng),
      st: 1,
      pr: [project.id],
      ix,
    });
  }

  /** A project with its headings and first to-dos, all in one group. */
  #createProject(budget: number): Step | null {
    if (budget < 1) return null;
    const rng = this.#rng;
    const headings = Math.min(rng.int(0, 3), budget - 1);
    const todos = Math.min(rng.int(1, 8), budget - 1 - headings);
    const area = rng.chance(0.7) ? this.#liveArea() : null;
    const project: ProjectState = {
      id: this.#id(),
      kind: this.#taskKind(),
      headings: [],
      ss: 0,
      nextIx: 0,
      slot: -1,
    };
    if (area !== null) area.refs++;
    const someday = rng.chance(0.1);
    const group: [string, GenEvent][] = [
      [
        project.id,
        ev(
          0,
          project.kind,
          this.#projectPayload(project, area, text.projectTitle(rng), someday ? 2 : 1),
        ),
      ],
    ];
    for (let i = 0; i < headings; i++) {
      const heading: HeadingState = { id: this.#id(), kind: project.kind };
      project.headings.push(heading);
      group.push([
        heading.id,
        ev(0, heading.kind, this.#headingPayload(project, project.nextIx++)),
      ]);
    }
    for (let i = 0; i < todos; i++) {
      const heading =
        project.headings.length > 0 && rng.chance(0.6) ? rng.pick(project.headings) : null;
      const todo = this.#newTodo(project.kind);
      todo.st = 1;
      todo.project = project;
      todo.heading = heading;
      group.push([
        todo.id,
        ev(
          0,
          todo.kind,
          this.#todoCreatePayload(todo, text.todoTitle(rng), true, project.nextIx++),
        ),
      ]);
      this.#todos.add(todo);
    }
    this.#projects.add(project);
    while (this.#projects.size > WORKING_SET.projects) {
      const victim = this.#projects.pick(rng);
      if (victim !== null) this.#projects.remove(victim);
    }
    this.#retireTodos();
    return [group];
  }

  #renameProject(budget: number): Step | null {
    const project = this.#projects.pick(this.#rng);
    if (project === null || budget < 1) return null;
    return [[this.#modify(project, { tt: text.projectTitle(this.#rng) })]];
  }

  #addHeading(budget: number): Step | null {
    const project = this.#projects.pickWhere(this.#rng, (p) => p.ss === 0);
    if (project === null || budget < 1 || project.headings.length >= 8) return null;
    const heading: HeadingState = { id: this.#id(), kind: this.#taskKind() };
    project.headings.push(heading);
    return [[[heading.id, ev(0, heading.kind, this.#headingPayload(project, project.nextIx++))]]];
  }

  /** Completes a project and its open to-dos of the working set, in one group. */
  #completeProject(budget: number): Step | null {
    const project = this.#projects.pickWhere(this.#rng, (p) => p.ss === 0);
    if (project === null) return null;
    const open = this.#todos.items.filter((t) => t.project === project && t.ss === 0 && !t.tr);
    if (open.length + 1 > budget) return null;
    const sp = this.#now();
    const group: (readonly [string, GenEvent])[] = [];
    for (const todo of open) {
      todo.ss = 3;
      group.push(this.#modify(todo, { ss: 3, sp }));
    }
    project.ss = 3;
    group.push(this.#modify(project, { ss: 3, sp }));
    this.#projects.remove(project);
    return [group];
  }

  // -------------------------------------------------------------------------------------------
  // To-dos

  #newTodo(kind: TaskKind, template: TemplateState | null = null, id?: string): TodoState {
    return {
      id: id ?? this.#id(),
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

  #todoFields(
    todo: TodoState,
    title: string,
    ix: number,
  ): Partial<Record<NativeTaskKey, JsonValue>> {
    const sr = this.#day(todo.sr);
    const fields: Partial<Record<NativeTaskKey, JsonValue>> = {
      tt: title,
      st: todo.st,
      sr,
      tir: sr,
      dd: this.#day(todo.dd),
      ix,
      sb: todo.sb,
      ...this.#wireArea(todo),
      tg: todo.tags.map((t) => t.id),
    };
    if (todo.template !== null) fields.rt = [todo.template.id];
    if (todo.note !== '') fields.nt = fullNote(todo.note);
    if (todo.sr !== null && todo.sr <= this.#today) fields.ti = this.#todayIx--;
    return fields;
  }

  #todoCreatePayload(todo: TodoState, title: string, native: boolean, ix: number): Payload {
    const fields = this.#todoFields(todo, title, ix);
    return native ? nativeTaskCreate(this.#now(), fields) : sdkTaskCreate(this.#now(), fields);
  }

  /** Places a new to-do in one of the lists the app offers. */
  #place(todo: TodoState): void {
    const rng = this.#rng;
    const r = rng.float();
    if (r < 0.35) {
      todo.st = 0;
    } else if (r < 0.5) {
      todo.st = 1;
      todo.sr = this.#today;
    } else if (r < 0.54) {
      todo.st = 1;
      todo.sr = this.#today;
      todo.sb = EVENING;
    } else if (r < 0.64) {
      todo.st = 1;
      this.#setArea(todo, this.#liveArea());
    } else if (r < 0.8) {
      const project = this.#projects.pickWhere(rng, (p) => p.ss === 0);
      todo.st = 1;
      if (project !== null) {
        todo.project = project;
        if (project.headings.length > 0 && rng.chance(0.5))
          todo.heading = rng.pick(project.headings);
      }
    } else if (r < 0.86) {
      todo.st = 2;
    } else {
      todo.st = 2;
      todo.sr = this.#today + rng.int(1, 60);
    }
    if (rng.chance(0.1)) todo.dd = this.#today + rng.int(0, 45);
    if (rng.chance(0.2)) this.#setTags(todo, this.#pickTags());
    if (rng.chance(0.2)) todo.note = text.noteText(rng);
  }

  /**
   * A new to-do: a native create with its title (most), a native empty-title create followed by
   * a title modify in the next group, or an SDK-style create with fewer keys; sometimes with its
   * first checklist items in the same group.
   */
  #createTodo(budget: number): Step {
    const rng = this.#rng;
    const todo = this.#newTodo(this.#taskKind());
    this.#place(todo);
    const title = text.todoTitle(rng);
    const style = rng.float();
    let step: Step;
    if (style < 0.15 && budget >= 2) {
      const create = nativeTaskCreate(this.#now(), {
        ...this.#todoFields(todo, '', this.#todoIx++),
      });
      const first: GenGroup = [[todo.id, ev(0, todo.kind, create)]];
      this.#later();
      step = [first, [this.#modify(todo, { tt: title })]];
    } else {
      const native = style >= 0.25;
      const group: [string, GenEvent][] = [
        [todo.id, ev(0, todo.kind, this.#todoCreatePayload(todo, title, native, this.#todoIx++))],
      ];
      const extra = Math.min(rng.chance(0.1) ? rng.int(1, 4) : 0, budget - 1);
      for (let i = 0; i < extra; i++) {
        const item: ChecklistState = { id: this.#id(), ss: 0, ix: i };
        todo.checklist.push(item);
        group.push([
          item.id,
          ev(
            0,
            'ChecklistItem3',
            checklistCreate(this.#now(), text.checklistTitle(rng), todo.id, i),
          ),
        ]);
      }
      step = [group];
    }
    this.#todos.add(todo);
    this.#retireTodos();
    return step;
  }

  #renameTodo(budget: number): Step | null {
    const todo = this.#todos.pick(this.#rng);
    if (todo === null || budget < 1) return null;
    return [[this.#modify(todo, { tt: text.todoTitle(this.#rng) })]];
  }

  /** Today, This Evening, a later day, Someday, Anytime (spec 6.1 "typical modify payloads"). */
  #schedule(budget: number): Step | null {
    const rng = this.#rng;
    const todo = this.#openTodo();
    if (todo === null || budget < 1) return null;
    const r = rng.float();
    const p: Payload = {};
    if (r < 0.35) {
      todo.st = 1;
      todo.sr = this.#today;
      p.ti = this.#todayIx--;
    } else if (r < 0.45) {
      todo.st = 1;
      todo.sr = this.#today;
      todo.sb = EVENING;
      p.sb = EVENING;
    } else if (r < 0.7) {
      todo.st = 2;
      todo.sr = this.#today + rng.int(1, 90);
    } else if (r < 0.82) {
      todo.st = 2;
      todo.sr = null;
    } else {
      todo.st = 1;
      todo.sr = null;
    }
    if (todo.sb === EVENING && p.sb === undefined) {
      todo.sb = 0;
      p.sb = 0;
    }
    return [[this.#modify(todo, { ...this.#wireSchedule(todo), ...p })]];
  }

  #deadline(budget: number): Step | null {
    const rng = this.#rng;
    const todo = this.#openTodo();
    if (todo === null || budget < 1) return null;
    if (todo.dd !== null && todo.dd < this.#today && rng.chance(0.5)) {
      // Dismissing an overdue deadline from Today.
      return [[this.#modify(todo, { dds: this.#day(this.#today) })]];
    }
    todo.dd = todo.dd !== null && rng.chance(0.3) ? null : this.#today + rng.int(-3, 40);
    return [[this.#modify(todo, { dd: this.#day(todo.dd) })]];
  }

  #move(budget: number): Step | null {
    const rng = this.#rng;
    const todo = this.#todos.pickWhere(rng, (t) => !t.tr && t.template === null);
    if (todo === null || budget < 1) return null;
    const r = rng.float();
    const wasInbox = todo.st === 0;
    if (r < 0.5) {
      const project = this.#projects.pickWhere(rng, (p) => p.ss === 0);
      if (project === null) return null;
      this.#setArea(todo, null);
      todo.project = project;
      todo.heading =
        project.headings.length > 0 && rng.chance(0.4) ? rng.pick(project.headings) : null;
    } else if (r < 0.85) {
      const area = this.#liveArea();
      if (area === null) return null;
      this.#setArea(todo, area);
      todo.project = null;
      todo.heading = null;
    } else {
      this.#setArea(todo, null);
      todo.project = null;
      todo.heading = null;
      todo.st = 0;
      todo.sr = null;
      todo.sb = 0;
      return [[this.#modify(todo, { ...this.#wireArea(todo), st: 0, sr: null, tir: null, sb: 0 })]];
    }
    const p: Payload = this.#wireArea(todo);
    if (wasInbox) {
      todo.st = 1;
      p.st = 1;
    }
    return [[this.#modify(todo, p)]];
  }

  #setTagsAction(budget: number): Step | null {
    const todo = this.#todos.pickWhere(this.#rng, (t) => !t.tr);
    if (todo === null || budget < 1) return null;
    this.#setTags(todo, this.#rng.chance(0.15) ? [] : this.#pickTags());
    return [[this.#modify(todo, { tg: todo.tags.map((t) => t.id) })]];
  }

  #fullNote(budget: number): Step | null {
    const rng = this.#rng;
    const todo = this.#todos.pickWhere(rng, (t) => !t.tr);
    if (todo === null || budget < 1) return null;
    if (todo.note !== '' && rng.chance(0.1)) {
      todo.note = '';
      return [[this.#modify(todo, { nt: rng.chance(0.5) ? null : fullNote('') })]];
    }
    todo.note = text.noteText(rng);
    return [[this.#modify(todo, { nt: fullNote(todo.note) })]];
  }

  /** A native delta edit (spec 7.3): 1–3 patches, UTF-8 byte offsets, `ch` after each patch. */
  #deltaNote(budget: number): Step | null {
    const rng = this.#rng;
    // Native apps send deltas only to edit an existing note; a new note is a full text.
    const todo = this.#todos.pickWhere(rng, (t) => !t.tr && t.note !== '', 32);
    if (todo === null || budget < 1) return null;
    const patches: WirePatch[] = [];
    const count = rng.pick([1, 1, 1, 2, 3]);
    let note = todo.note;
    for (let i = 0; i < count; i++) {
      const [next, patch] = this.#patch(note);
      note = next;
      patches.push(patch);
    }
    todo.note = note;
    return [[this.#modify(todo, { nt: deltaNote(patches) })]];
  }

  #boundary(s: string): number {
    let i = this.#rng.int(0, s.length);
    // Never split a surrogate pair (a patch must not cut a UTF-8 character).
    if (i > 0 && i < s.length) {
      const c = s.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff) i--;
    }
    return i;
  }

  #patch(note: string): [string, WirePatch] {
    const rng = this.#rng;
    const bytes = utf8ByteLength(note);
    const r = rng.float();
    let start: number;
    let end: number;
    let replacement: string;
    if (note === '' || (r < 0.35 && bytes < MAX_NOTE_BYTES)) {
      start = note.length;
      end = note.length;
      replacement = note === '' ? text.sentence(rng) : `\n${text.sentence(rng)}`;
    } else if (r < 0.6 && bytes < MAX_NOTE_BYTES) {
      start = this.#boundary(note);
      end = start;
      replacement = ` ${text.word(rng)}`;
    } else {
      const a = this.#boundary(note);
      const b = this.#boundary(note);
      start = Math.min(a, b);
      end = Math.min(Math.max(a, b), start + 40);
      if (end < note.length) {
        const c = note.charCodeAt(end);
        if (c >= 0xdc00 && c <= 0xdfff) end--;
      }
      replacement = bytes >= MAX_NOTE_BYTES || rng.chance(0.3) ? '' : text.word(rng);
    }
    const next = note.slice(0, start) + replacement + note.slice(end);
    const patch: WirePatch = {
      r: replacement,
      p: utf8ByteLength(note.slice(0, start)),
      l: utf8ByteLength(note.slice(start, end)),
      ch: crc32(next),
    };
    return [next, patch];
  }

  /** Completes a to-do and its open checklist items in one group (plus the template's bookkeeping). */
  #complete(budget: number): Step | null {
    const todo = this.#openTodo();
    if (todo === null) return null;
    const open = todo.checklist.filter((c) => c.ss === 0);
    const template =
      todo.template !== null && todo.template.slot >= 0 && todo.template.rule.tp === 1
        ? todo.template
        : null;
    if (1 + open.length + (template === null ? 0 : 1) > budget) return null;
    const sp = this.#now();
    const group: (readonly [string, GenEvent])[] = [this.#modify(todo, { ss: 3, sp })];
    todo.ss = 3;
    for (const item of open) {
      item.ss = 3;
      group.push([item.id, ev(1, 'ChecklistItem3', { ss: 3, sp, md: sp })]);
    }
    if (template !== null) {
      template.next = nextOccurrence(template.rule, this.#today);
      group.push(
        this.#modify(template, { acrd: this.#day(this.#today), tir: this.#day(template.next) }),
      );
    }
    return [group];
  }

  #cancel(budget: number): Step | null {
    const todo = this.#openTodo();
    if (todo === null || budget < 1) return null;
    todo.ss = 2;
    return [[this.#modify(todo, { ss: 2, sp: this.#now() })]];
  }

  #reopen(budget: number): Step | null {
    const todo = this.#todos.pickWhere(this.#rng, (t) => t.ss !== 0 && !t.tr, 32);
    if (todo === null || budget < 1) return null;
    todo.ss = 0;
    return [[this.#modify(todo, { ss: 0, sp: null })]];
  }

  #trash(budget: number): Step | null {
    const todo = this.#todos.pickWhere(this.#rng, (t) => !t.tr);
    if (todo === null || budget < 1) return null;
    todo.tr = true;
    return [[this.#modify(todo, { tr: true })]];
  }

  #putBack(budget: number): Step | null {
    const todo = this.#todos.pickWhere(this.#rng, (t) => t.tr, 48);
    if (todo === null || budget < 1) return null;
    todo.tr = false;
    return [[this.#modify(todo, { tr: false })]];
  }

  /** The permanent delete of a to-do and its checklist items, mostly from the Trash. */
  #deleteTodo(budget: number): Step | null {
    const todo = this.#todos.pickWhere(this.#rng, (t) => t.tr, 48) ?? this.#todos.pick(this.#rng);
    if (todo === null) return null;
    const objects: [string, string][] = [
      [todo.id, todo.kind],
      ...todo.checklist.map((c): [string, string] => [c.id, 'ChecklistItem3']),
    ];
    if (objects.length > budget) return null;
    // All `t = 2`, all tombstones, or mixed: the to-do by `t = 2`, its checklist by tombstones.
    // Each object is deleted exactly once.
    const r = this.#rng.float();
    const group = objects.map(([id, kind], i): [string, GenEvent] =>
      r < 0.45 || (r >= 0.85 && i === 0)
        ? [id, ev(2, kind, {})]
        : [this.#id(), ev(0, 'Tombstone2', tombstone(id, this.#now()))],
    );
    this.#forget(todo);
    return [group];
  }

  #forget(todo: TodoState): void {
    this.#todos.remove(todo);
    this.#setArea(todo, null);
    this.#setTags(todo, []);
    this.#recentlyDeleted.push({ id: todo.id, kind: todo.kind });
    if (this.#recentlyDeleted.length > WORKING_SET.recentlyDeleted) this.#recentlyDeleted.shift();
  }

  // -------------------------------------------------------------------------------------------
  // Checklists

  #addChecklist(budget: number): Step | null {
    const rng = this.#rng;
    const todo = this.#todos.pickWhere(rng, (t) => !t.tr && t.checklist.length < 12);
    if (todo === null) return null;
    const count = Math.min(rng.int(1, 4), budget);
    if (count < 1) return null;
    const group: [string, GenEvent][] = [];
    let ix = todo.checklist.reduce((m, c) => Math.max(m, c.ix + 1), 0);
    for (let i = 0; i < count; i++) {
      const item: ChecklistState = { id: this.#id(), ss: 0, ix };
      todo.checklist.push(item);
      group.push([
        item.id,
        ev(
          0,
          'ChecklistItem3',
          checklistCreate(this.#now(), text.checklistTitle(rng), todo.id, ix++),
        ),
      ]);
    }
    // As in the 2017 tape, a settings item sometimes rides along in the same group.
    if (this.#settingsCreated && group.length < budget && rng.chance(0.05)) {
      group.push(['Settings', ev(1, 'Settings5', { li: rng.pick([0, 1]) })]);
    }
    return [group];
  }

  #checklistItem(): [TodoState, ChecklistState] | null {
    const todo = this.#todos.pickWhere(this.#rng, (t) => !t.tr && t.checklist.length > 0, 32);
    if (todo === null) return null;
    return [todo, this.#rng.pick(todo.checklist)];
  }

  #toggleChecklist(budget: number): Step | null {
    const found = this.#checklistItem();
    if (found === null || budget < 1) return null;
    const [, item] = found;
    const now = this.#now();
    item.ss = item.ss === 0 ? 3 : 0;
    return [
      [
        [
          item.id,
          ev(1, 'ChecklistItem3', { ss: item.ss, sp: item.ss === 0 ? null : now, md: now }),
        ],
      ],
    ];
  }

  #renameChecklist(budget: number): Step | null {
    const found = this.#checklistItem();
    if (found === null || budget < 1) return null;
    const [, item] = found;
    return [
      [[item.id, ev(1, 'ChecklistItem3', { tt: text.checklistTitle(this.#rng), md: this.#now() })]],
    ];
  }

  #deleteChecklist(budget: number): Step | null {
    const found = this.#checklistItem();
    if (found === null) return null;
    const [todo, item] = found;
    const group = this.#deletion(item.id, 'ChecklistItem3', budget);
    if (group === null) return null;
    todo.checklist.splice(todo.checklist.indexOf(item), 1);
    return [group];
  }

  #reorder(budget: number): Step | null {
    const rng = this.#rng;
    const todo = this.#todos.pickWhere(rng, (t) => !t.tr);
    if (todo === null || budget < 1) return null;
    const p: Payload =
      todo.sr !== null && todo.sr <= this.#today && rng.chance(0.6)
        ? { ti: rng.int(-12000, 400) }
        : { ix: rng.int(-800, 4000) };
    return [[this.#modify(todo, p)]];
  }

  #reminder(budget: number): Step | null {
    const todo = this.#todos.pickWhere(this.#rng, (t) => t.ss === 0 && !t.tr && t.sr !== null);
    if (todo === null || budget < 1) return null;
    const ato = this.#rng.chance(0.2) ? null : this.#rng.int(14, 84) * 900;
    return [[this.#modify(todo, { ato })]];
  }

  // -------------------------------------------------------------------------------------------
  // Repeating to-dos (spec 9.6)

  #newTemplate(title: string, project: ProjectState | null): [TemplateState, Payload] {
    const rule = randomRule(this.#rng, this.#today);
    const template: TemplateState = {
      id: this.#id(),
      kind: this.#taskKind(),
      title,
      rule,
      next: rule.ia,
      icc: 0,
      paused: false,
      project,
      slot: -1,
    };
    const payload = nativeTaskCreate(this.#now(), {
      tt: title,
      st: 1,
      tir: this.#day(rule.ia),
      pr: project === null ? [] : [project.id],
      ix: this.#todoIx++,
      rr: ruleToWire(rule),
      icsd: this.#day(rule.ia),
    });
    return [template, payload];
  }

  #addTemplate(template: TemplateState): void {
    this.#templates.add(template);
    while (this.#templates.size > WORKING_SET.templates) {
      const victim = this.#templates.pick(this.#rng);
      if (victim !== null) this.#templates.remove(victim);
    }
  }

  #createTemplate(budget: number): Step | null {
    if (budget < 1) return null;
    const project = this.#rng.chance(0.2)
      ? this.#projects.pickWhere(this.#rng, (p) => p.ss === 0)
      : null;
    const [template, payload] = this.#newTemplate(text.templateTitle(this.#rng), project);
    this.#addTemplate(template);
    return [[[template.id, ev(0, template.kind, payload)]]];
  }

  /** As in M's probe: delete the original, create the template and its first instance, one group. */
  #convertToRepeating(budget: number): Step | null {
    const todo = this.#todos.pickWhere(
      this.#rng,
      (t) => t.ss === 0 && !t.tr && t.template === null && t.checklist.length === 0,
    );
    if (todo === null || budget < 3) return null;
    const [template, payload] = this.#newTemplate(text.todoTitle(this.#rng), null);
    this.#forget(todo);
    this.#addTemplate(template);
    template.next = this.#today;
    const [instance, bookkeeping] = this.#instance(template);
    // One id appears once per group: the template's bookkeeping is folded into its create.
    return [
      [
        [todo.id, ev(2, todo.kind, {})],
        [template.id, ev(0, template.kind, { ...payload, ...bookkeeping })],
        instance,
      ],
    ];
  }

  #dueTemplate(): TemplateState | null {
    return this.#templates.find((t) => !t.paused && t.next !== null && t.next <= this.#today);
  }

  /** The instance create and the template's bookkeeping (`icc`, next `tir`). */
  #instance(template: TemplateState): [readonly [string, GenEvent], Payload] {
    const day = template.next ?? this.#today;
    const instance = this.#newTodo(this.#taskKind(), template);
    instance.st = 1;
    instance.sr = day;
    instance.project = template.project;
    this.#todos.add(instance);
    this.#retireTodos();
    template.icc++;
    const rule = template.rule;
    let next: number | null =
      rule.tp === 1 ? null : nextOccurrence(rule, Math.max(day, this.#today));
    const finished =
      (rule.rc > 0 && template.icc >= rule.rc) ||
      (next !== null && rule.ed !== null && next > rule.ed);
    if (finished) next = null;
    template.next = next;
    const modify: Payload = { icc: template.icc };
    if (next !== null) modify.tir = this.#day(next);
    if (finished) this.#templates.remove(template);
    return [
      [
        instance.id,
        ev(
          0,
          instance.kind,
          this.#todoCreatePayload(instance, template.title, true, this.#todoIx++),
        ),
      ],
      modify,
    ];
  }

  #spawnInstance(budget: number): Step | null {
    const template = this.#dueTemplate();
    if (template === null || budget < 2) return null;
    const [instance, bookkeeping] = this.#instance(template);
    return [[instance, this.#modify(template, bookkeeping)]];
  }

  #changeRule(budget: number): Step | null {
    const template = this.#templates.pick(this.#rng);
    if (template === null || budget < 1) return null;
    template.rule = randomRule(this.#rng, this.#today);
    template.next = template.rule.ia;
    return [
      [this.#modify(template, { rr: ruleToWire(template.rule), tir: this.#day(template.next) })],
    ];
  }

  #pauseTemplate(budget: number): Step | null {
    const template = this.#templates.pick(this.#rng);
    if (template === null || budget < 1) return null;
    template.paused = !template.paused;
    return [[this.#modify(template, { icp: template.paused })]];
  }

  // -------------------------------------------------------------------------------------------
  // Deliberate anomalies (rare, documented in the module comment)

  /** A deleted to-do created again under its old id. */
  #resurrection(budget: number): Step | null {
    const entry = this.#recentlyDeleted.pop();
    if (entry === undefined || budget < 1) return null;
    const todo = this.#newTodo(entry.kind, null, entry.id);
    todo.st = 0;
    this.#todos.add(todo);
    this.#retireTodos();
    return [
      [
        [
          todo.id,
          ev(
            0,
            todo.kind,
            this.#todoCreatePayload(todo, text.todoTitle(this.#rng), true, this.#todoIx++),
          ),
        ],
      ],
    ];
  }

  /** A tombstone for an id that never existed. */
  #unknownTombstone(budget: number): Step | null {
    if (budget < 1) return null;
    return [[[this.#id(), ev(0, 'Tombstone2', tombstone(this.#id(), this.#now()))]]];
  }
}
