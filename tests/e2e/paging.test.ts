/**
 * Replaying a fixture in one run, and page by page across separate CLI processes
 * (`--max-pages 1` repeatedly on the same `file:` database), gives byte-identical `dump` output
 * and the same change lines.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, spawnCli } from '../support/cli.ts';
import { changeText, tempDbs, tempDirForFile } from './helpers.ts';

const nextDb = tempDbs('thingstape-paging-');
const work = tempDirForFile('thingstape-paging-fixture-');
let generated = '';

beforeAll(async () => {
  generated = join(await work.path(), 'generated-3p');
  const gen = await runCli([
    'gen',
    generated,
    '--items',
    '200',
    '--seed',
    'e2e-paging',
    '--page-groups',
    '60',
    '--time-zone',
    'America/Los_Angeles',
  ]);
  if (gen.code !== 0) throw new Error(`thingstape gen failed: ${gen.stderr}`);
});

async function pageEnds(dir: string): Promise<number[]> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
    pages: { startIndex: number; groups: number }[];
  };
  return manifest.pages.map((page) => page.startIndex + page.groups);
}

/** Replays `dir` one page per process and returns the change lines and the final dump. */
async function replayPageByPage(
  dir: string,
  name: string,
): Promise<{ changes: string; dump: string; runs: number }> {
  const db = await nextDb();
  const ends = await pageEnds(dir);
  const head = ends.at(-1) ?? 0;
  let changes = '';
  for (const [i, end] of ends.entries()) {
    const run = await spawnCli(['replay', dir, '--db', db, '--max-pages', '1', '--json']);
    expect(run.code).toBe(0);
    const last = i === ends.length - 1;
    expect(run.stderr).toMatch(
      new RegExp(
        `^Replayed fixture "${name}" into ${db}: 1 page\\(s\\), .*; cursor ${end} of ${head}${last ? '' : ' \\(stopped by --max-pages\\)'}\\. Zone `,
      ),
    );
    changes += changeText(run.stdout);
  }
  const again = await runCli(['replay', dir, '--db', db, '--max-pages', '1']);
  expect(again.stdout).toBe(
    `Nothing new in fixture "${name}": the database is at cursor ${head} of ${head}.\n`,
  );
  const dump = await runCli(['dump', '--db', db]);
  expect(dump.code).toBe(0);
  return { changes, dump: dump.stdout, runs: ends.length };
}

async function replayInOneRun(dir: string): Promise<{ changes: string; dump: string }> {
  const db = await nextDb();
  const run = await runCli(['replay', dir, '--db', db, '--json']);
  expect(run.code).toBe(0);
  const dump = await runCli(['dump', '--db', db]);
  return { changes: changeText(run.stdout), dump: dump.stdout };
}

describe('replay page by page across processes', () => {
  it('gives the same dump and changes as one run, for multi-page and a generated fixture', async () => {
    const multiPage = join(REPO, 'fixtures', 'synthetic', 'multi-page');
    // The two fixtures run side by side: each is a chain of separate processes on its own file.
    const [multiSteps, generatedSteps] = await Promise.all([
      replayPageByPage(multiPage, 'multi-page'),
      replayPageByPage(generated, 'generated-3p'),
    ]);
    expect(multiSteps.runs).toBe(4);
    expect(generatedSteps.runs).toBe(3);

    const multiWhole = await replayInOneRun(multiPage);
    expect(multiSteps.dump).toBe(multiWhole.dump);
    expect(multiSteps.changes).toBe(multiWhole.changes);
    expect(multiWhole.changes.split('\n').length - 1).toBe(15);

    const generatedWhole = await replayInOneRun(generated);
    expect(generatedSteps.dump).toBe(generatedWhole.dump);
    expect(generatedSteps.changes).toBe(generatedWhole.changes);
    expect(JSON.parse(generatedWhole.dump)).toMatchObject({
      syncState: { cursor: 157, head: 157 },
    });
  });

  it('prints each stopped run with the page it reached (in-process, cursor by cursor)', async () => {
    const db = await nextDb();
    const fixture = 'fixtures/synthetic/multi-page';
    const cursors: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const run = await runCli(['replay', fixture, '--db', db, '--max-pages', '1']);
      expect(run.code).toBe(0);
      cursors.push(run.stdout.split('\n').at(-2) ?? '');
    }
    expect(cursors.map((line) => /cursor (\d+) of (\d+)/.exec(line)?.slice(1).join('/'))).toEqual([
      '5/15',
      '9/15',
      '13/15',
      '15/15',
      '15/15',
    ]);
    expect(cursors[4]).toBe(
      'Nothing new in fixture "multi-page": the database is at cursor 15 of 15.',
    );
  });
});
