/**
 * `thingstape replay` of every committed fixture succeeds, and running it again on the same
 * database continues from the stored cursor and applies nothing twice.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedFixtures, runCli } from '../support/cli.ts';
import { parseLines, parseSummary, tempDbs } from './helpers.ts';

const fixtures = await committedFixtures();
const nextDb = tempDbs('thingstape-replay-all-');

interface ManifestCounts {
  readonly first: number;
  readonly head: number;
  readonly pages: number;
}

async function manifestCounts(dir: string): Promise<ManifestCounts> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
    pages: { startIndex: number; groups: number }[];
  };
  const first = manifest.pages[0]?.startIndex ?? 0;
  const last = manifest.pages.at(-1);
  return {
    first,
    head: last === undefined ? 0 : last.startIndex + last.groups,
    pages: manifest.pages.length,
  };
}

describe('thingstape replay <every committed fixture>', () => {
  it('finds the synthetic, upstream and realistic fixtures', () => {
    const paths = fixtures.map((f) => f.path);
    expect(paths).toContain('fixtures/synthetic/multi-page');
    expect(paths).toContain('fixtures/upstream/nicolai86-items');
    expect(paths).toContain('fixtures/realistic/account-5k');
    expect(paths.length).toBeGreaterThanOrEqual(21);
  });

  it.each(fixtures.map((f) => [f.path, f] as const))(
    'replays %s to its head, then finds nothing new on a second run',
    async (_, fixture) => {
      const counts = await manifestCounts(fixture.dir);
      const db = await nextDb();

      const first = await runCli(['replay', fixture.path, '--db', db, '--json']);
      expect(first.stderr).toMatch(
        new RegExp(
          `^Replayed fixture "${fixture.name}" into ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${counts.pages} page\\(s\\), \\d+ item\\(s\\), \\d+ change\\(s\\), \\d+ anomal(y|ies)[^;]*; cursor ${counts.head} of ${counts.head}\\. Zone [\\w/+-]+, reference date \\d{4}-\\d{2}-\\d{2}\\.\\n$`,
        ),
      );
      expect(first.code).toBe(0);
      const changes = parseLines(first.stdout);
      const reported = Number(/(\d+) change\(s\)/.exec(first.stderr)?.[1]);
      expect(changes.length).toBe(reported);
      expect(parseSummary(first.stdout)).toMatchObject({
        type: 'summary',
        fixture: fixture.name,
        db,
        pages: counts.pages,
        changes: reported,
        cursor: counts.head,
        head: counts.head,
        complete: true,
        interrupted: false,
      });
      for (const change of changes) {
        expect(change['serverIndex']).toBeGreaterThanOrEqual(counts.first);
        expect(change['serverIndex']).toBeLessThan(counts.head);
      }
      const dumpBefore = (await runCli(['dump', '--db', db])).stdout;

      const again = await runCli(['replay', fixture.path, '--db', db]);
      expect(again).toEqual({
        code: 0,
        stdout: `Nothing new in fixture "${fixture.name}": the database is at cursor ${counts.head} of ${counts.head}.\n`,
        stderr: '',
      });
      const againJson = await runCli(['replay', fixture.path, '--db', db, '--json']);
      expect(againJson).toMatchObject({
        code: 0,
        stderr: `Nothing new in fixture "${fixture.name}": the database is at cursor ${counts.head} of ${counts.head}.\n`,
      });
      expect(parseLines(againJson.stdout)).toEqual([]);
      expect(parseSummary(againJson.stdout)).toMatchObject({ pages: 0, changes: 0, anomalies: 0 });
      const dumpAfter = (await runCli(['dump', '--db', db])).stdout;
      expect(dumpAfter).toBe(dumpBefore);
      expect(JSON.parse(dumpAfter)).toMatchObject({
        syncState: { cursor: counts.head, head: counts.head },
      });
    },
  );
});
