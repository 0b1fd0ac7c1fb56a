/** Repeating to-dos (spec 9.6): templates, their instances and rule changes. */
import { ev, type GenEntry } from '../group.ts';
import { nativeTaskCreate, type Payload } from '../payload-builders.ts';
import { nextOccurrence, randomRule, ruleToWire } from '../recurrence.ts';
import { daySeconds } from '../sim-clock.ts';
import type { ProjectState, TemplateState } from '../state.ts';
import * as text from '../text.ts';
import { WORKING_SET, type World } from '../world.ts';
import { anyTodo, type Action } from './action.ts';

/** A new template with a random rule, and its create payload. */
function newTemplate(
  w: World,
  title: string,
  project: ProjectState | null,
): [TemplateState, Payload] {
  const rule = randomRule(w.rng, w.today);
  const template: TemplateState = {
    id: w.id(),
    kind: w.taskKind(),
    title,
    rule,
    next: rule.ia,
    icc: 0,
    paused: false,
    project,
    slot: -1,
  };
  const payload = nativeTaskCreate(w.now(), {
    tt: title,
    st: 1,
    tir: daySeconds(rule.ia),
    pr: project === null ? [] : [project.id],
    ix: w.todoIx++,
    rr: ruleToWire(rule),
    icsd: daySeconds(rule.ia),
  });
  return [template, payload];
}

function addTemplate(w: World, template: TemplateState): void {
  w.templates.add(template);
  while (w.templates.size > WORKING_SET.templates) {
    const victim = w.templates.pick(w.rng);
    if (victim !== null) w.templates.remove(victim);
  }
}

function dueTemplate(w: World): TemplateState | null {
  return w.templates.find((t) => !t.paused && t.next !== null && t.next <= w.today);
}

/** The instance create and the template's bookkeeping (`icc`, next `tir`). */
function instance(w: World, template: TemplateState): [GenEntry, Payload] {
  const day = template.next ?? w.today;
  const todo = w.newTodo(w.taskKind(), template);
  todo.st = 1;
  todo.sr = day;
  todo.project = template.project;
  w.todos.add(todo);
  w.retireTodos();
  template.icc++;
  const rule = template.rule;
  let next: number | null = rule.tp === 1 ? null : nextOccurrence(rule, Math.max(day, w.today));
  const finished =
    (rule.rc > 0 && template.icc >= rule.rc) ||
    (next !== null && rule.ed !== null && next > rule.ed);
  if (finished) next = null;
  template.next = next;
  const modify: Payload = { icc: template.icc };
  if (next !== null) modify.tir = daySeconds(next);
  if (finished) w.templates.remove(template);
  const create = w.todoCreatePayload(todo, template.title, true, w.todoIx++);
  return [[todo.id, ev(0, todo.kind, create)], modify];
}

/** A new repeating template, sometimes in a project. */
export const createTemplate: Action = {
  weight: (w) => (w.templates.size < 6 ? 1.2 : 0.35),
  run: (w, budget) => {
    if (budget < 1) return null;
    const project = w.rng.chance(0.2) ? w.projects.pickWhere(w.rng, (p) => p.ss === 0) : null;
    const [template, payload] = newTemplate(w, text.templateTitle(w.rng), project);
    addTemplate(w, template);
    return [[[template.id, ev(0, template.kind, payload)]]];
  },
};

/** As in M's probe: delete the original, create the template and its first instance, one group. */
export const convertToRepeating: Action = {
  weight: (w) => 0.2 * anyTodo(w),
  run: (w, budget) => {
    const todo = w.todos.pickWhere(
      w.rng,
      (t) => t.ss === 0 && !t.tr && t.template === null && t.checklist.length === 0,
    );
    if (todo === null || budget < 3) return null;
    const [template, payload] = newTemplate(w, text.todoTitle(w.rng), null);
    w.forget(todo);
    addTemplate(w, template);
    template.next = w.today;
    const [first, bookkeeping] = instance(w, template);
    // One id appears once per group: the template's bookkeeping is folded into its create.
    return [
      [
        [todo.id, ev(2, todo.kind, {})],
        [template.id, ev(0, template.kind, { ...payload, ...bookkeeping })],
        first,
      ],
    ];
  },
};

/** The next instance of a template that is due, with the template's bookkeeping. */
export const spawnInstance: Action = {
  weight: (w) => (dueTemplate(w) !== null ? 6 : 0),
  run: (w, budget) => {
    const template = dueTemplate(w);
    if (template === null || budget < 2) return null;
    const [created, bookkeeping] = instance(w, template);
    return [[created, w.modify(template, bookkeeping)]];
  },
};

/** A new rule for a template. */
export const changeRule: Action = {
  weight: (w) => (w.templates.size > 0 ? 0.2 : 0),
  run: (w, budget) => {
    const template = w.templates.pick(w.rng);
    if (template === null || budget < 1) return null;
    template.rule = randomRule(w.rng, w.today);
    template.next = template.rule.ia;
    const p = { rr: ruleToWire(template.rule), tir: daySeconds(template.next) };
    return [[w.modify(template, p)]];
  },
};

/** A template paused or resumed. */
export const pauseTemplate: Action = {
  weight: (w) => (w.templates.size > 0 ? 0.12 : 0),
  run: (w, budget) => {
    const template = w.templates.pick(w.rng);
    if (template === null || budget < 1) return null;
    template.paused = !template.paused;
    return [[w.modify(template, { icp: template.paused })]];
  },
};
