/**
 * The README's main job: the committed realistic fixture (fixtures/realistic/account-5k) is what
 * `thingstape gen` makes from its recorded arguments, and replaying it into the default database
 * of a fresh directory gives a sane change stream and non-empty everyday views.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, spawnCli } from '../support/cli.ts';
import { parseLines, tempDbs, tempDirForFile } from './helpers.ts';

const FIXTURE = join(REPO, 'fixtures', 'realistic', 'account-5k');
const work = tempDirForFile('thingstape-realistic-');
const nextDb = tempDbs('thingstape-realistic-db-');

describe('fixtures/realistic/account-5k', () => {
  it('is exactly what thingstape gen makes from the arguments its manifest records', async () => {
    const manifest = JSON.parse(await readFile(join(FIXTURE, 'manifest.json'), 'utf8')) as {
      timeZone: string;
      source: { generator: string; items: number; seed: number; pageGroups: number; start: string };
    };
    expect(manifest.source).toMatchObject({
      generator: 'thingstape gen',
      items: 5000,
      seed: 2026,
      pageGroups: 400,
      start: '2025-01-06',
    });
    expect(manifest.timeZone).toBe('Europe/Berlin');
    const again = join(await work.path(), 'account-5k');
    const gen = await runCli([
      'gen',
      again,
      '--items',
      String(manifest.source.items),
      '--seed',
      String(manifest.source.seed),
      '--page-groups',
      String(manifest.source.pageGroups),
      '--time-zone',
      manifest.timeZone,
      '--start',
      manifest.source.start,
    ]);
    expect(gen.code).toBe(0);
    const files = (await readdir(join(FIXTURE, 'pages'))).sort();
    expect(files.length).toBe(10);
    expect((await readdir(join(again, 'pages'))).sort()).toEqual(files);
    for (const file of ['manifest.json', ...files.map((f) => `pages/${f}`)]) {
      const committed = await readFile(join(FIXTURE, file));
      const regenerated = await readFile(join(again, file));
      expect({ file, same: committed.equals(regenerated) }).toEqual({ file, same: true });
    }
  });

  it('passes fixture verify without errors or warnings', async () => {
    const run = await runCli(['fixture', 'verify', 'fixtures/realistic', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      issues: unknown[];
      counts: { fixtures: number; pages: number; groups: number; items: number };
    };
    expect(report.issues).toEqual([]);
    expect(report.counts).toMatchObject({ fixtures: 1, pages: 10, groups: 3745, items: 5000 });
  });

  it('replays with a sane change stream: every kind of change, no order anomalies', async () => {
    const db = await nextDb();
    const run = await runCli(['replay', 'fixtures/realistic/account-5k', '--db', db, '--json']);
    expect(run.code).toBe(0);
    const changes = parseLines(run.stdout);
    // About one change per item: creates, edits, moves, completions, deletes.
    expect(changes.length).toBeGreaterThan(4000);
    expect(changes.length).toBeLessThan(6000);
    const types = new Map<string, number>();
    for (const change of changes) {
      const type = change['type'] as string;
      types.set(type, (types.get(type) ?? 0) + 1);
    }
    for (const type of [
      'TaskCreated',
      'ProjectCreated',
      'HeadingCreated',
      'AreaCreated',
      'TagCreated',
      'ChecklistItemCreated',
      'TaskCompleted',
      'TaskCanceled',
      'TaskTitleChanged',
      'TaskNoteChanged',
      'TaskMovedToToday',
      'TaskMovedToEvening',
      'TaskMovedToUpcoming',
      'TaskMovedToSomeday',
      'TaskMovedToAnytime',
      'TaskMovedToInbox',
      'TaskDeadlineChanged',
      'TaskTagsChanged',
      'TaskAssignedToProject',
      'TaskAssignedToArea',
      'TaskMovedUnderHeading',
      'TaskTrashed',
      'TaskRestored',
      'TaskDeleted',
      'TaskRepeatRuleChanged',
      'ChecklistItemCompleted',
      'TagDeleted',
      'AreaDeleted',
    ]) {
      expect({ type, seen: (types.get(type) ?? 0) > 0 }).toEqual({ type, seen: true });
    }
    expect(types.has('UnknownChange')).toBe(false);
    // A generated history is consistent: only kind version changes (Task6/Task7) and one
    // tombstone for an object that never existed are anomalies.
    expect(run.stderr).toMatch(
      /, 410 anomalies \(KIND_VERSION_CHANGE 409, TOMBSTONE_UNKNOWN_TARGET 1\); cursor 3745 of 3745\. /,
    );
  });
});

describe('the main job in a fresh directory (default database)', () => {
  it('replays into file:thingstape.db and shows non-empty Today, Upcoming and Logbook', async () => {
    const cwd = await work.path();
    const replay = await spawnCli(['replay', FIXTURE], { cwd });
    expect(replay.code).toBe(0);
    const lines = replay.stdout.split('\n');
    // The last line says what the anomalies in the summary are, and how to see them.
    expect(lines.at(-2)).toBe(
      'Anomalies are odd but legal data the engine handled without loss; list them with --anomalies, and see what each code means with "thingstape help anomalies".',
    );
    expect(lines.at(-3)).toMatch(
      /^Replayed fixture "account-5k" into file:\/\S*\/thingstape\.db: 10 page\(s\), 5000 item\(s\), \d+ change\(s\), 410 anomalies .*; cursor 3745 of 3745\. Zone Europe\/Berlin, reference date 2025-02-01\.$/,
    );
    expect(await readdir(cwd)).toContain('thingstape.db');
    const today = await spawnCli(['list', 'today'], { cwd });
    expect(today.code).toBe(0);
    expect(today.stdout.split('\n')[0]).toBe(
      "today — 186 item(s), as of 2025-02-01 in Europe/Berlin (the fixture's recorded date (2025-02-01T18:30:56.964Z); pass --today to choose another)",
    );
    // The other views in-process, on the same database (named absolutely: a relative file: URL
    // resolves against the process's directory, not CliIo.cwd).
    const db = pathToFileURL(join(cwd, 'thingstape.db')).href;
    for (const [view, min] of [
      ['upcoming', 50],
      ['logbook', 100],
      ['evening', 10],
      ['inbox', 10],
    ] as const) {
      const run = await runCli(['list', view, '--json', '--db', db]);
      expect(run.code).toBe(0);
      const { rows } = JSON.parse(run.stdout) as { rows: unknown[] };
      expect({ view, atLeast: rows.length >= min }).toEqual({
        view,
        atLeast: true,
      });
    }
  });
});
