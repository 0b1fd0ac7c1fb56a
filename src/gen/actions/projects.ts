/** Projects (`tp 1`) and their headings (`tp 2`). Projects are completed, never deleted. */
import { ev, type GenEntry, type GenEvent } from '../group.ts';
import { nativeTaskCreate, type Payload } from '../payload-builders.ts';
import type { HeadingState, ProjectState } from '../state.ts';
import * as text from '../text.ts';
import { WORKING_SET, type World } from '../world.ts';
import type { Action } from './action.ts';

function headingPayload(w: World, project: ProjectState, ix: number): Payload {
  return nativeTaskCreate(w.now(), {
    tp: 2,
    tt: text.headingTitle(w.rng),
    st: 1,
    pr: [project.id],
    ix,
  });
}

/** A project with its headings and first to-dos, all in one group. */
export const createProject: Action = {
  weight: (w) => (w.projects.size < 3 ? 30 : 2),
  run: (w, budget) => {
    if (budget < 1) return null;
    const rng = w.rng;
    const headings = Math.min(rng.int(0, 3), budget - 1);
    const todos = Math.min(rng.int(1, 8), budget - 1 - headings);
    const area = rng.chance(0.7) ? w.liveArea() : null;
    const project: ProjectState = {
      id: w.id(),
      kind: w.taskKind(),
      headings: [],
      ss: 0,
      nextIx: 0,
      slot: -1,
    };
    if (area !== null) area.refs++;
    const someday = rng.chance(0.1);
    const title = text.projectTitle(rng);
    const create = nativeTaskCreate(w.now(), {
      tp: 1,
      tt: title,
      st: someday ? 2 : 1,
      ar: area === null ? [] : [area.id],
      ix: w.todoIx++,
    });
    const group: [string, GenEvent][] = [[project.id, ev(0, project.kind, create)]];
    for (let i = 0; i < headings; i++) {
      const heading: HeadingState = { id: w.id(), kind: project.kind };
      project.headings.push(heading);
      group.push([heading.id, ev(0, heading.kind, headingPayload(w, project, project.nextIx++))]);
    }
    for (let i = 0; i < todos; i++) {
      const heading =
        project.headings.length > 0 && rng.chance(0.6) ? rng.pick(project.headings) : null;
      const todo = w.newTodo(project.kind);
      todo.st = 1;
      todo.project = project;
      todo.heading = heading;
      const todoTitle = text.todoTitle(rng);
      group.push([
        todo.id,
        ev(0, todo.kind, w.todoCreatePayload(todo, todoTitle, true, project.nextIx++)),
      ]);
      w.todos.add(todo);
    }
    w.projects.add(project);
    while (w.projects.size > WORKING_SET.projects) {
      const victim = w.projects.pick(rng);
      if (victim !== null) w.projects.remove(victim);
    }
    w.retireTodos();
    return [group];
  },
};

/** A new title for a project. */
export const renameProject: Action = {
  weight: (w) => (w.projects.size > 0 ? 0.3 : 0),
  run: (w, budget) => {
    const project = w.projects.pick(w.rng);
    if (project === null || budget < 1) return null;
    return [[w.modify(project, { tt: text.projectTitle(w.rng) })]];
  },
};

/** A heading added to an open project (at most eight per project). */
export const addHeading: Action = {
  weight: (w) => (w.projects.size > 0 ? 0.5 : 0),
  run: (w, budget) => {
    const project = w.projects.pickWhere(w.rng, (p) => p.ss === 0);
    if (project === null || budget < 1 || project.headings.length >= 8) return null;
    const heading: HeadingState = { id: w.id(), kind: w.taskKind() };
    project.headings.push(heading);
    return [[[heading.id, ev(0, heading.kind, headingPayload(w, project, project.nextIx++))]]];
  },
};

/** Completes a project and its open to-dos of the working set, in one group. */
export const completeProject: Action = {
  weight: (w) => (w.projects.size > 3 ? 0.3 : 0),
  run: (w, budget) => {
    const project = w.projects.pickWhere(w.rng, (p) => p.ss === 0);
    if (project === null) return null;
    const open = w.todos.items.filter((t) => t.project === project && t.ss === 0 && !t.tr);
    if (open.length + 1 > budget) return null;
    const sp = w.now();
    const group: GenEntry[] = [];
    for (const todo of open) {
      todo.ss = 3;
      group.push(w.modify(todo, { ss: 3, sp }));
    }
    project.ss = 3;
    group.push(w.modify(project, { ss: 3, sp }));
    w.projects.remove(project);
    return [group];
  },
};
