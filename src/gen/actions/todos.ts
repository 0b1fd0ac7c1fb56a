/**
 * To-dos: creating them in the lists the app offers, renaming, scheduling, deadlines, moving,
 * tagging, completing, cancelling, reopening, reordering and reminders.
 */
import { ev, type GenEntry, type GenEvent, type GenGroup } from '../group.ts';
import { checklistCreate, nativeTaskCreate, type Payload } from '../payload-builders.ts';
import { nextOccurrence } from '../recurrence.ts';
import { daySeconds } from '../sim-clock.ts';
import type { ChecklistState, TodoState } from '../state.ts';
import * as text from '../text.ts';
import { EVENING, type World } from '../world.ts';
import { anyTodo, type Action, type Step } from './action.ts';

/** Places a new to-do in one of the lists the app offers. */
function place(w: World, todo: TodoState): void {
  const rng = w.rng;
  const r = rng.float();
  if (r < 0.35) {
    todo.st = 0;
  } else if (r < 0.5) {
    todo.st = 1;
    todo.sr = w.today;
  } else if (r < 0.54) {
    todo.st = 1;
    todo.sr = w.today;
    todo.sb = EVENING;
  } else if (r < 0.64) {
    todo.st = 1;
    w.setArea(todo, w.liveArea());
  } else if (r < 0.8) {
    const project = w.projects.pickWhere(rng, (p) => p.ss === 0);
    todo.st = 1;
    if (project !== null) {
      todo.project = project;
      if (project.headings.length > 0 && rng.chance(0.5)) todo.heading = rng.pick(project.headings);
    }
  } else if (r < 0.86) {
    todo.st = 2;
  } else {
    todo.st = 2;
    todo.sr = w.today + rng.int(1, 60);
  }
  if (rng.chance(0.1)) todo.dd = w.today + rng.int(0, 45);
  if (rng.chance(0.2)) w.setTags(todo, w.pickTags());
  if (rng.chance(0.2)) todo.note = text.noteText(rng);
}

/**
 * A new to-do: a native create with its title (most), a native empty-title create followed by
 * a title modify in the next group, or an SDK-style create with fewer keys; sometimes with its
 * first checklist items in the same group. Always possible (the generator's fallback).
 */
export function newTodoStep(w: World, budget: number): Step {
  const rng = w.rng;
  const todo = w.newTodo(w.taskKind());
  place(w, todo);
  const title = text.todoTitle(rng);
  const style = rng.float();
  let step: Step;
  if (style < 0.15 && budget >= 2) {
    const create = nativeTaskCreate(w.now(), { ...w.todoFields(todo, '', w.todoIx++) });
    const first: GenGroup = [[todo.id, ev(0, todo.kind, create)]];
    w.clock.later();
    step = [first, [w.modify(todo, { tt: title })]];
  } else {
    const native = style >= 0.25;
    const group: [string, GenEvent][] = [
      [todo.id, ev(0, todo.kind, w.todoCreatePayload(todo, title, native, w.todoIx++))],
    ];
    const extra = Math.min(rng.chance(0.1) ? rng.int(1, 4) : 0, budget - 1);
    for (let i = 0; i < extra; i++) {
      const item: ChecklistState = { id: w.id(), ss: 0, ix: i };
      todo.checklist.push(item);
      group.push([
        item.id,
        ev(0, 'ChecklistItem3', checklistCreate(w.now(), text.checklistTitle(rng), todo.id, i)),
      ]);
    }
    step = [group];
  }
  w.todos.add(todo);
  w.retireTodos();
  return step;
}

/** A new to-do (see {@link newTodoStep}). */
export const createTodo: Action = {
  weight: () => 14,
  run: newTodoStep,
};

/** A new title for a to-do. */
export const renameTodo: Action = {
  weight: (w) => 4 * anyTodo(w),
  run: (w, budget) => {
    const todo = w.todos.pick(w.rng);
    if (todo === null || budget < 1) return null;
    return [[w.modify(todo, { tt: text.todoTitle(w.rng) })]];
  },
};

/** Today, This Evening, a later day, Someday, Anytime (spec 6.1 "typical modify payloads"). */
export const schedule: Action = {
  weight: (w) => 9 * anyTodo(w),
  run: (w, budget) => {
    const rng = w.rng;
    const todo = w.openTodo();
    if (todo === null || budget < 1) return null;
    const r = rng.float();
    const p: Payload = {};
    if (r < 0.35) {
      todo.st = 1;
      todo.sr = w.today;
      p.ti = w.todayIx--;
    } else if (r < 0.45) {
      todo.st = 1;
      todo.sr = w.today;
      todo.sb = EVENING;
      p.sb = EVENING;
    } else if (r < 0.7) {
      todo.st = 2;
      todo.sr = w.today + rng.int(1, 90);
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
    return [[w.modify(todo, { ...w.wireSchedule(todo), ...p })]];
  },
};

/** A deadline set, moved or removed, or an overdue one dismissed from Today. */
export const deadline: Action = {
  weight: (w) => 2 * anyTodo(w),
  run: (w, budget) => {
    const rng = w.rng;
    const todo = w.openTodo();
    if (todo === null || budget < 1) return null;
    if (todo.dd !== null && todo.dd < w.today && rng.chance(0.5)) {
      // Dismissing an overdue deadline from Today.
      return [[w.modify(todo, { dds: daySeconds(w.today) })]];
    }
    todo.dd = todo.dd !== null && rng.chance(0.3) ? null : w.today + rng.int(-3, 40);
    return [[w.modify(todo, { dd: daySeconds(todo.dd) })]];
  },
};

/** A to-do moved into a project (or under a heading), an area, or back to the Inbox. */
export const move: Action = {
  weight: (w) => 3 * anyTodo(w),
  run: (w, budget) => {
    const rng = w.rng;
    const todo = w.todos.pickWhere(rng, (t) => !t.tr && t.template === null);
    if (todo === null || budget < 1) return null;
    const r = rng.float();
    const wasInbox = todo.st === 0;
    if (r < 0.5) {
      const project = w.projects.pickWhere(rng, (p) => p.ss === 0);
      if (project === null) return null;
      w.setArea(todo, null);
      todo.project = project;
      todo.heading =
        project.headings.length > 0 && rng.chance(0.4) ? rng.pick(project.headings) : null;
    } else if (r < 0.85) {
      const area = w.liveArea();
      if (area === null) return null;
      w.setArea(todo, area);
      todo.project = null;
      todo.heading = null;
    } else {
      w.setArea(todo, null);
      todo.project = null;
      todo.heading = null;
      todo.st = 0;
      todo.sr = null;
      todo.sb = 0;
      return [[w.modify(todo, { ...w.wireArea(todo), st: 0, sr: null, tir: null, sb: 0 })]];
    }
    const p: Payload = w.wireArea(todo);
    if (wasInbox) {
      todo.st = 1;
      p.st = 1;
    }
    return [[w.modify(todo, p)]];
  },
};

/** New tags for a to-do, or none. */
export const setTags: Action = {
  weight: (w) => 2.5 * anyTodo(w),
  run: (w, budget) => {
    const todo = w.todos.pickWhere(w.rng, (t) => !t.tr);
    if (todo === null || budget < 1) return null;
    w.setTags(todo, w.rng.chance(0.15) ? [] : w.pickTags());
    return [[w.modify(todo, { tg: todo.tags.map((t) => t.id) })]];
  },
};

/** Completes a to-do and its open checklist items in one group (plus the template's bookkeeping). */
export const complete: Action = {
  weight: (w) => 7 * anyTodo(w),
  run: (w, budget) => {
    const todo = w.openTodo();
    if (todo === null) return null;
    const open = todo.checklist.filter((c) => c.ss === 0);
    const template =
      todo.template !== null && todo.template.slot >= 0 && todo.template.rule.tp === 1
        ? todo.template
        : null;
    if (1 + open.length + (template === null ? 0 : 1) > budget) return null;
    const sp = w.now();
    const group: GenEntry[] = [w.modify(todo, { ss: 3, sp })];
    todo.ss = 3;
    for (const item of open) {
      item.ss = 3;
      group.push([item.id, ev(1, 'ChecklistItem3', { ss: 3, sp, md: sp })]);
    }
    if (template !== null) {
      template.next = nextOccurrence(template.rule, w.today);
      group.push(w.modify(template, { acrd: daySeconds(w.today), tir: daySeconds(template.next) }));
    }
    return [group];
  },
};

/** Cancels an open to-do. */
export const cancel: Action = {
  weight: (w) => 0.8 * anyTodo(w),
  run: (w, budget) => {
    const todo = w.openTodo();
    if (todo === null || budget < 1) return null;
    todo.ss = 2;
    return [[w.modify(todo, { ss: 2, sp: w.now() })]];
  },
};

/** Reopens a completed or cancelled to-do. */
export const reopen: Action = {
  weight: (w) => 0.9 * anyTodo(w),
  run: (w, budget) => {
    const todo = w.todos.pickWhere(w.rng, (t) => t.ss !== 0 && !t.tr, 32);
    if (todo === null || budget < 1) return null;
    todo.ss = 0;
    return [[w.modify(todo, { ss: 0, sp: null })]];
  },
};

/** A to-do dragged to another place in Today (`ti`) or in its list (`ix`). */
export const reorder: Action = {
  weight: (w) => 1.5 * anyTodo(w),
  run: (w, budget) => {
    const rng = w.rng;
    const todo = w.todos.pickWhere(rng, (t) => !t.tr);
    if (todo === null || budget < 1) return null;
    const p: Payload =
      todo.sr !== null && todo.sr <= w.today && rng.chance(0.6)
        ? { ti: rng.int(-12000, 400) }
        : { ix: rng.int(-800, 4000) };
    return [[w.modify(todo, p)]];
  },
};

/** A reminder time (`ato`) set on a scheduled to-do, or removed. */
export const reminder: Action = {
  weight: (w) => 0.6 * anyTodo(w),
  run: (w, budget) => {
    const todo = w.todos.pickWhere(w.rng, (t) => t.ss === 0 && !t.tr && t.sr !== null);
    if (todo === null || budget < 1) return null;
    const ato = w.rng.chance(0.2) ? null : w.rng.int(14, 84) * 900;
    return [[w.modify(todo, { ato })]];
  },
};
