#!/usr/bin/env -S node
/**
 * Tags: create a tag hierarchy, tag a to-do, rename a tag. The rename is one `TagRenamed`; the
 * to-do keeps its tag ids, so nothing else changes.
 *
 *   node examples/tags-rename.scenario.ts
 */
import { scenario } from 'thingstape/harness';

scenario(
  'tags and a tag rename',
  { timeZone: 'Asia/Tokyo', clock: '2026-05-20T01:00:00Z' },
  async (t) => {
    const account = t.account();
    const work = await account.createTag({ title: 'Work' });
    const urgent = await account.createTag({ title: 'Urgnet', parent: work, shortcut: '1' });
    const todo = await account.createTodo({ title: 'Send the invoice', when: 'anytime' });

    await t.step('tag the to-do', async () => {
      await account.edit(todo, { tags: [urgent] });
      await t.sync();
      t.assertChanges([
        {
          type: 'TagCreated',
          entityId: work,
          payload: { snapshot: { title: 'Work', parentId: null } },
        },
        {
          type: 'TagCreated',
          entityId: urgent,
          payload: { snapshot: { title: 'Urgnet', parentId: work, shortcut: '1' } },
        },
        { type: 'TaskCreated', entityId: todo, payload: { snapshot: { tagIds: [] } } },
        { type: 'TaskTagsChanged', entityId: todo, payload: { added: [urgent], removed: [] } },
      ]);
    });

    await t.step('rename the misspelt tag', async () => {
      await account.rename(urgent, 'Urgent');
      await t.sync();
      t.assertChanges([
        { type: 'TagRenamed', entityId: urgent, payload: { old: 'Urgnet', new: 'Urgent' } },
      ]);
      await t.assertList('anytime', [{ title: 'Send the invoice', tagIds: [urgent] }]);
    });

    await t.step('untag it', async () => {
      await account.edit(todo, { tags: [] });
      await t.sync();
      t.assertChanges([{ type: 'TaskTagsChanged', payload: { added: [], removed: [urgent] } }]);
    });

    await t.assertSnapshot(t.changes);
  },
);
