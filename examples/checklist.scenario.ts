#!/usr/bin/env -S node
/**
 * Checklist items: created with their to-do in one commit, one added later, one checked off and
 * one renamed; the to-do itself does not change.
 *
 *   node examples/checklist.scenario.ts
 */
import { scenario } from 'thingstape/harness';

scenario(
  'checklist items',
  { clock: '2026-08-03T07:45:00Z', timeZone: 'Europe/London' },
  async (t) => {
    const account = t.account();
    const todo = await account.createTodo({
      title: 'Pack for the trip',
      when: 'today',
      checklist: ['Passport', 'Charger'],
    });
    await t.sync();
    t.assertChanges([
      { type: 'TaskCreated', entityId: todo },
      {
        type: 'ChecklistItemCreated',
        payload: { snapshot: { title: 'Passport', taskId: todo, status: 0 } },
      },
      { type: 'ChecklistItemCreated', payload: { snapshot: { title: 'Charger', taskId: todo } } },
    ]);
    const [passport] = t.changes
      .filter((c) => c.type === 'ChecklistItemCreated')
      .map((c) => c.entityId);
    if (passport === undefined) throw new Error('no checklist item');

    await t.step('add one, check one off, rename one', async () => {
      const towel = await account.createChecklistItem(todo, 'Towl');
      await account.complete(passport);
      await account.rename(towel, 'Towel');
      await t.sync();
      t.assertChanges([
        { type: 'ChecklistItemCreated', entityId: towel, payload: { snapshot: { title: 'Towl' } } },
        {
          type: 'ChecklistItemCompleted',
          entityId: passport,
          payload: { old: 'open', new: 'completed' },
        },
        {
          type: 'ChecklistItemTitleChanged',
          entityId: towel,
          payload: { old: 'Towl', new: 'Towel' },
        },
      ]);
      await t.assertList('today', [{ id: todo, status: 'open' }]);
    });

    const items = (await t.entities()).filter((e) => e.family === 'checklistItem');
    await t.assertSnapshot(items.map((e) => ({ id: e.id, kind: e.kind })));
  },
);
