/**
 * A scenario that fails on purpose, for the html report's tests and screenshots: the script now
 * creates "Buy oat milk" where its cassette recorded "Buy milk", so the commit request has no
 * recording and the report shows it beside the nearest recorded one, field by field.
 *
 *   npx thingstape run tests/report --reporter html --output report/
 */
import { scenario } from 'thingstape/harness';

scenario(
  'create a to-do in Today, then complete it',
  { timeZone: 'Europe/Berlin', clock: '2026-03-02T08:30:00Z' },
  async (t) => {
    const account = t.account();
    await t.step('create it in Today', async () => {
      await account.createTodo({ title: 'Buy oat milk', when: 'today', notes: '2 litres, oat' });
      await t.sync();
    });
  },
);
