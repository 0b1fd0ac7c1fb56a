/** Checklist items (`ChecklistItem3`) of to-dos: added, toggled, renamed, deleted. */
import { ev, type GenEvent } from '../group.ts';
import { checklistCreate } from '../payload-builders.ts';
import type { ChecklistState, TodoState } from '../state.ts';
import * as text from '../text.ts';
import type { World } from '../world.ts';
import { anyTodo, type Action } from './action.ts';

/** A random checklist item of a to-do that is not in the Trash, with its to-do. */
function someItem(w: World): [TodoState, ChecklistState] | null {
  const todo = w.todos.pickWhere(w.rng, (t) => !t.tr && t.checklist.length > 0, 32);
  if (todo === null) return null;
  return [todo, w.rng.pick(todo.checklist)];
}

/** One to four items added to a to-do's checklist (at most twelve), in one group. */
export const addChecklist: Action = {
  weight: (w) => 3 * anyTodo(w),
  run: (w, budget) => {
    const rng = w.rng;
    const todo = w.todos.pickWhere(rng, (t) => !t.tr && t.checklist.length < 12);
    if (todo === null) return null;
    const count = Math.min(rng.int(1, 4), budget);
    if (count < 1) return null;
    const group: [string, GenEvent][] = [];
    let ix = todo.checklist.reduce((m, c) => Math.max(m, c.ix + 1), 0);
    for (let i = 0; i < count; i++) {
      const item: ChecklistState = { id: w.id(), ss: 0, ix };
      todo.checklist.push(item);
      group.push([
        item.id,
        ev(0, 'ChecklistItem3', checklistCreate(w.now(), text.checklistTitle(rng), todo.id, ix++)),
      ]);
    }
    // As in the 2017 tape, a settings item sometimes rides along in the same group.
    if (w.settingsCreated && group.length < budget && rng.chance(0.05)) {
      group.push(['Settings', ev(1, 'Settings5', { li: rng.pick([0, 1]) })]);
    }
    return [group];
  },
};

/** A checklist item checked or unchecked. */
export const toggleChecklist: Action = {
  weight: (w) => 3 * anyTodo(w),
  run: (w, budget) => {
    const found = someItem(w);
    if (found === null || budget < 1) return null;
    const [, item] = found;
    const now = w.now();
    item.ss = item.ss === 0 ? 3 : 0;
    const p = { ss: item.ss, sp: item.ss === 0 ? null : now, md: now };
    return [[[item.id, ev(1, 'ChecklistItem3', p)]]];
  },
};

/** A new title for a checklist item. */
export const renameChecklist: Action = {
  weight: (w) => 0.7 * anyTodo(w),
  run: (w, budget) => {
    const found = someItem(w);
    if (found === null || budget < 1) return null;
    const [, item] = found;
    const p = { tt: text.checklistTitle(w.rng), md: w.now() };
    return [[[item.id, ev(1, 'ChecklistItem3', p)]]];
  },
};

/** The permanent delete of one checklist item. */
export const deleteChecklist: Action = {
  weight: (w) => 1 * anyTodo(w),
  run: (w, budget) => {
    const found = someItem(w);
    if (found === null) return null;
    const [todo, item] = found;
    const group = w.deletion(item.id, 'ChecklistItem3', budget);
    if (group === null) return null;
    todo.checklist.splice(todo.checklist.indexOf(item), 1);
    return [group];
  },
};
