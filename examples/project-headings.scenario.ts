#!/usr/bin/env -S node
/**
 * A project in an area, with two headings and to-dos under them: the project view groups the
 * to-dos by heading, and moving a to-do under another heading is one change.
 *
 *   node examples/project-headings.scenario.ts
 */
import { scenario } from 'thingstape/harness';

scenario(
  'project with headings and to-dos',
  { timeZone: 'America/New_York', clock: '2026-04-14T13:00:00Z' },
  async (t) => {
    const account = t.account();
    const area = await account.createArea({ title: 'Home' });
    const project = await account.createProject({ title: 'Move flat', area });
    const pack = await account.createHeading(project, 'Pack');
    const admin = await account.createHeading(project, 'Paperwork');
    const boxes = await account.createTodo({ title: 'Buy boxes', heading: pack });
    const lease = await account.createTodo({
      title: 'Sign the lease',
      heading: admin,
      deadline: '2026-04-30',
    });
    const books = await account.createTodo({ title: 'Pack books', project });

    await t.step('sync sees the area, the project, its headings and to-dos', async () => {
      await t.sync();
      t.assertChanges([
        { type: 'AreaCreated', entityId: area, payload: { snapshot: { title: 'Home' } } },
        {
          type: 'ProjectCreated',
          entityId: project,
          payload: { snapshot: { areaId: area, schedule: { list: 'anytime' } } },
        },
        { type: 'HeadingCreated', entityId: pack, payload: { snapshot: { projectId: project } } },
        { type: 'HeadingCreated', entityId: admin },
        {
          type: 'TaskCreated',
          entityId: boxes,
          payload: { snapshot: { headingId: pack, projectId: project } },
        },
        { type: 'TaskCreated', entityId: lease, payload: { snapshot: { deadline: '2026-04-30' } } },
        {
          type: 'TaskCreated',
          entityId: books,
          payload: { snapshot: { projectId: project, headingId: null } },
        },
      ]);
      const view = await t.project(project);
      t.assertEquals(
        view.sections.map((s) => [s.heading?.title ?? null, s.rows.map((r) => r.title)]),
        [
          [null, ['Pack books']],
          ['Pack', ['Buy boxes']],
          ['Paperwork', ['Sign the lease']],
        ],
      );
    });

    await t.step('move a to-do under a heading', async () => {
      await account.edit(books, { heading: pack });
      await t.sync();
      t.assertChanges([
        { type: 'TaskMovedUnderHeading', entityId: books, payload: { old: null, new: pack } },
      ]);
      const view = await t.project(project);
      t.assertEquals(
        view.sections.map((s) => s.rows.map((r) => r.title)),
        [[], ['Buy boxes', 'Pack books'], ['Sign the lease']],
      );
    });

    await t.assertSnapshot(await t.project(project));
  },
);
