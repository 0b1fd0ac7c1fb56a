#!/usr/bin/env -S node
/**
 * Trash and put back, then delete permanently: `tr` is a reversible flag (TaskTrashed,
 * TaskRestored), a `Tombstone2` is not (TaskDeleted, the row stays soft-deleted). A second to-do
 * is deleted with a `t = 2` event instead, the other form of permanent deletion.
 *
 *   node examples/trash-restore-delete.scenario.ts
 */
import { scenario } from 'thingstape/harness';

scenario(
  'trash and put back, then delete permanently',
  { clock: '2026-06-01T10:00:00Z' },
  async (t) => {
    const account = t.account();
    const todo = await account.createTodo({ title: 'Old idea' });
    const other = await account.createTodo({ title: 'Duplicate' });
    await t.sync();
    await t.assertList('inbox', ['Old idea', 'Duplicate']);

    await t.step('trash it', async () => {
      await account.trash(todo);
      await t.sync();
      t.assertChanges([
        { type: 'TaskTrashed', entityId: todo, payload: { old: false, new: true } },
      ]);
      await t.assertList('trash', ['Old idea']);
      await t.assertList('inbox', ['Duplicate']);
    });

    await t.step('put it back', async () => {
      await account.restore(todo);
      await t.sync();
      t.assertChanges([{ type: 'TaskRestored', entityId: todo }]);
      await t.assertList('trash', []);
    });

    await t.step('delete it permanently with a tombstone', async () => {
      const tombstone = await account.delete(todo);
      await t.sync();
      t.assertChanges([
        {
          type: 'TaskDeleted',
          entityId: todo,
          payload: { by: 'tombstone', tombstoneId: tombstone, title: 'Old idea' },
        },
      ]);
      const row = (await t.entities()).find((e) => e.id === todo);
      t.assert(
        row !== undefined && row.deleted !== null,
        'the deleted to-do keeps its row (soft delete)',
      );
    });

    await t.step('delete the other one with a delete event', async () => {
      await account.delete(other, { by: 'event' });
      await t.sync();
      t.assertChanges([
        { type: 'TaskDeleted', entityId: other, payload: { by: 'delete', tombstoneId: null } },
      ]);
      await t.assertList('inbox', []);
    });
  },
);
