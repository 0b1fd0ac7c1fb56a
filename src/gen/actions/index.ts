/**
 * Every action of the simulated user, in one table. The table's keys are the action names
 * (`ActionName`); adding an action is one entry here and its module beside this file.
 *
 * The order of the entries is part of the output: the generator draws one number and walks the
 * table in this order, subtracting weights, so moving an entry changes every history. Add new
 * actions at the end.
 */
import type { Action } from './action.ts';
import * as anomalies from './anomalies.ts';
import * as areas from './areas.ts';
import * as checklists from './checklists.ts';
import * as notes from './note-edits.ts';
import * as projects from './projects.ts';
import * as repeating from './repeating.ts';
import { settings } from './settings.ts';
import * as tags from './tags.ts';
import * as todos from './todos.ts';
import * as trash from './trash.ts';

export { itemCount, type Action, type Step } from './action.ts';
export { newTodoStep } from './todos.ts';

/** The generator's actions by name, in drawing order. */
export const ACTIONS = {
  settings,
  createArea: areas.createArea,
  createEphemeralArea: areas.createEphemeralArea,
  renameArea: areas.renameArea,
  deleteArea: areas.deleteArea,
  createTag: tags.createTag,
  createEphemeralTag: tags.createEphemeralTag,
  deleteTag: tags.deleteTag,
  createProject: projects.createProject,
  renameProject: projects.renameProject,
  addHeading: projects.addHeading,
  completeProject: projects.completeProject,
  createTodo: todos.createTodo,
  renameTodo: todos.renameTodo,
  schedule: todos.schedule,
  deadline: todos.deadline,
  move: todos.move,
  setTags: todos.setTags,
  fullNote: notes.fullNote,
  deltaNote: notes.deltaNote,
  complete: todos.complete,
  cancel: todos.cancel,
  reopen: todos.reopen,
  trash: trash.trash,
  putBack: trash.putBack,
  deleteTodo: trash.deleteTodo,
  addChecklist: checklists.addChecklist,
  toggleChecklist: checklists.toggleChecklist,
  renameChecklist: checklists.renameChecklist,
  deleteChecklist: checklists.deleteChecklist,
  reorder: todos.reorder,
  reminder: todos.reminder,
  createTemplate: repeating.createTemplate,
  convertToRepeating: repeating.convertToRepeating,
  spawnInstance: repeating.spawnInstance,
  changeRule: repeating.changeRule,
  pauseTemplate: repeating.pauseTemplate,
  resurrection: anomalies.resurrection,
  unknownTombstone: anomalies.unknownTombstone,
} as const satisfies Record<string, Action>;

/** Names of the generator's actions (the `action` a test or a statistic can count). */
export type ActionName = keyof typeof ACTIONS;
