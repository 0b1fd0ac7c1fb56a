#!/usr/bin/env -S node
/**
 * Create a to-do in Today, then complete it: the engine reports TaskCreated, then TaskCompleted,
 * and the to-do moves from Today to the Logbook.
 *
 *   node examples/today-complete.scenario.ts              # replay the cassette
 *   npx thingstape run examples/today-complete.scenario.ts
 */
import { scenario } from 'thingstape/harness';

scenario(
  'create a to-do in Today, then complete it',
  { timeZone: 'Europe/Berlin', clock: '2026-03-02T08:30:00Z' },
  async (t) => {
    const account = t.account();
    let todo = '';

    await t.step('create it in Today', async () => {
      todo = await account.createTodo({ title: 'Buy milk', when: 'today', notes: '2 litres, oat' });
      const changes = await t.sync();
      t.assertChanges(
        [
          {
            type: 'TaskCreated',
            entityId: todo,
            payload: {
              snapshot: { title: 'Buy milk', note: '2 litres, oat', schedule: { list: 'today' } },
            },
          },
        ],
        { changes },
      );
      await t.assertList('today', [{ id: todo, title: 'Buy milk', status: 'open' }]);
    });

    await t.step('complete it', async () => {
      await account.complete(todo);
      await t.sync();
      t.assertChanges([
        { type: 'TaskCompleted', entityId: todo, payload: { old: 'open', new: 'completed' } },
      ]);
      await t.assertList('today', []);
      await t.assertList('logbook', [{ title: 'Buy milk', status: 'completed' }]);
    });

    await t.assertSnapshot(await t.list('logbook'));
  },
);
