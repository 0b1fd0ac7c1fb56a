/** The Trash and permanent deletes of to-dos. */
import { ev, type GenEvent } from '../group.ts';
import { tombstone } from '../payload-builders.ts';
import { anyTodo, type Action } from './action.ts';

/** A to-do moved to the Trash. */
export const trash: Action = {
  weight: (w) => 1.6 * anyTodo(w),
  run: (w, budget) => {
    const todo = w.todos.pickWhere(w.rng, (t) => !t.tr);
    if (todo === null || budget < 1) return null;
    todo.tr = true;
    return [[w.modify(todo, { tr: true })]];
  },
};

/** A to-do put back from the Trash. */
export const putBack: Action = {
  weight: (w) => 0.7 * anyTodo(w),
  run: (w, budget) => {
    const todo = w.todos.pickWhere(w.rng, (t) => t.tr, 48);
    if (todo === null || budget < 1) return null;
    todo.tr = false;
    return [[w.modify(todo, { tr: false })]];
  },
};

/** The permanent delete of a to-do and its checklist items, mostly from the Trash. */
export const deleteTodo: Action = {
  weight: (w) => 1.6 * anyTodo(w),
  run: (w, budget) => {
    const todo = w.todos.pickWhere(w.rng, (t) => t.tr, 48) ?? w.todos.pick(w.rng);
    if (todo === null) return null;
    const objects: [string, string][] = [
      [todo.id, todo.kind],
      ...todo.checklist.map((c): [string, string] => [c.id, 'ChecklistItem3']),
    ];
    if (objects.length > budget) return null;
    // All `t = 2`, all tombstones, or mixed: the to-do by `t = 2`, its checklist by tombstones.
    // Each object is deleted exactly once.
    const r = w.rng.float();
    const group = objects.map(([id, kind], i): [string, GenEvent] =>
      r < 0.45 || (r >= 0.85 && i === 0)
        ? [id, ev(2, kind, {})]
        : [w.id(), ev(0, 'Tombstone2', tombstone(id, w.now()))],
    );
    w.forget(todo);
    return [group];
  },
};
