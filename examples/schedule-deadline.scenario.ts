#!/usr/bin/env -S node
/**
 * Scheduling: a to-do moves from the Inbox to Upcoming (a later date), gets a deadline, goes to
 * Someday and back to Today. "Today" is the local date in the scenario's zone (Los Angeles, where
 * 05:00 UTC is still the previous evening).
 *
 *   node examples/schedule-deadline.scenario.ts
 */
import { scenario } from 'thingstape/harness';

scenario(
  'reschedule to Upcoming and Someday with a deadline',
  { timeZone: 'America/Los_Angeles', clock: '2026-07-10T05:00:00Z' },
  async (t) => {
    const account = t.account();
    t.assertEquals(t.today, '2026-07-09', 'the local date in Los Angeles');
    const todo = await account.createTodo({ title: 'Renew passport' });
    await t.sync();

    await t.step('schedule it for next week', async () => {
      await account.edit(todo, { when: '2026-07-16' });
      await t.sync();
      t.assertChanges([
        {
          type: 'TaskMovedToUpcoming',
          entityId: todo,
          payload: { old: { list: 'inbox' }, new: { list: 'upcoming', startDate: '2026-07-16' } },
        },
      ]);
      await t.assertList('upcoming', [{ title: 'Renew passport', startDate: '2026-07-16' }]);
    });

    await t.step('give it a deadline', async () => {
      await account.edit(todo, { deadline: '2026-08-01' });
      await t.sync();
      t.assertChanges([{ type: 'TaskDeadlineChanged', payload: { old: null, new: '2026-08-01' } }]);
    });

    await t.step('someday', async () => {
      await account.edit(todo, { when: 'someday' });
      await t.sync();
      t.assertChanges([
        { type: 'TaskMovedToSomeday', payload: { new: { list: 'someday', startDate: null } } },
      ]);
      await t.assertList('someday', [{ title: 'Renew passport', deadline: '2026-08-01' }]);
      await t.assertList('upcoming', []);
    });

    await t.step('this evening', async () => {
      await account.edit(todo, { when: 'evening' });
      await t.sync();
      t.assertChanges([
        {
          type: 'TaskMovedToEvening',
          payload: { new: { list: 'evening', startDate: '2026-07-09' } },
        },
      ]);
      await t.assertList('today', [{ title: 'Renew passport', evening: true }]);
    });

    await t.assertSnapshot(t.changes);
  },
);
