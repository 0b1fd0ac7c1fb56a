/**
 * Deliberate, rare anomalies of real histories (documented in `history-generator.ts`): a deleted to-do
 * created again under its old id, and a tombstone for an id that never existed.
 */
import { ev } from '../group.ts';
import { tombstone } from '../payload-builders.ts';
import * as text from '../text.ts';
import type { Action } from './action.ts';

/** A permanently deleted to-do created again under its old id (`t = 0`). */
export const resurrection: Action = {
  weight: (w) => (w.recentlyDeleted.length > 0 ? 0.04 : 0),
  run: (w, budget) => {
    const entry = w.recentlyDeleted.pop();
    if (entry === undefined || budget < 1) return null;
    const todo = w.newTodo(entry.kind, null, entry.id);
    todo.st = 0;
    w.todos.add(todo);
    w.retireTodos();
    const title = text.todoTitle(w.rng);
    return [[[todo.id, ev(0, todo.kind, w.todoCreatePayload(todo, title, true, w.todoIx++))]]];
  },
};

/** A `Tombstone2` whose `dloid` names an id that never existed (as in the spec's Appendix B). */
export const unknownTombstone: Action = {
  weight: () => 0.03,
  run: (w, budget) => {
    if (budget < 1) return null;
    return [[[w.id(), ev(0, 'Tombstone2', tombstone(w.id(), w.now()))]]];
  },
};
