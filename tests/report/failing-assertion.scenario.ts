/**
 * A scenario that fails on purpose, for the html report's tests and screenshots: it replays its
 * cassette exactly, but expects the to-do to be canceled where the engine reports it completed,
 * and expects it still in Today. The report shows each expected change and list beside the actual
 * one.
 *
 *   npx thingstape run tests/report --reporter html --output report/
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
      await t.sync();
      t.assertChanges([{ type: 'TaskCreated', entityId: todo }]);
      await t.assertList('today', ['Buy milk']);
    });

    await t.step('complete it', async () => {
      await account.complete(todo);
      await t.sync();
      t.assertChanges([{ type: 'TaskCanceled', entityId: todo, payload: { new: 'canceled' } }]);
    });
  },
);
