/**
 * Golden snapshots of `replay --json` (the change lines, without the closing summary) and of `dump` for every fixture in
 * fixtures/synthetic and fixtures/upstream, through the public surface: fixture → msw → HTTP
 * client → sync → libSQL → CLI output. `UPDATE_GOLDEN=1 npx vitest run tests/e2e/golden.test.ts`
 * rewrites them; review the diff against the spec before committing.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedFixtures, REPO, runCli } from '../support/cli.ts';
import { changeText, parseLines, parseSummary, tempDbs } from './helpers.ts';

const GOLDEN = join(REPO, 'tests', 'golden');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const fixtures = (await committedFixtures()).filter(
  (f) => f.path.startsWith('fixtures/synthetic/') || f.path.startsWith('fixtures/upstream/'),
);
const nextDb = tempDbs('thingstape-golden-');

async function checkGolden(file: string, actual: string): Promise<void> {
  const path = join(GOLDEN, file);
  if (UPDATE) {
    await mkdir(GOLDEN, { recursive: true });
    await writeFile(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = await readFile(path, 'utf8');
  } catch {
    throw new Error(
      `No golden file tests/golden/${file}; run UPDATE_GOLDEN=1 npx vitest run tests/e2e/golden.test.ts and review it`,
    );
  }
  // The file name is part of the compared value so a failure says which golden differs.
  expect({ golden: `tests/golden/${file} (UPDATE_GOLDEN=1 rewrites it)`, text: actual }).toEqual({
    golden: `tests/golden/${file} (UPDATE_GOLDEN=1 rewrites it)`,
    text: expected,
  });
}

describe('golden snapshots of replay and dump', () => {
  it('covers every synthetic and upstream fixture, and nothing else', async () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    const names = fixtures.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    if (UPDATE) return;
    const goldens = (await readdir(GOLDEN)).sort();
    const expected = names.flatMap((name) => [`${name}.changes.jsonl`, `${name}.dump.json`]).sort();
    expect(goldens).toEqual(expected);
  });

  it.each(fixtures.map((f) => [f.path, f] as const))(
    'matches the golden files of %s',
    async (_, fixture) => {
      const db = await nextDb();
      const replay = await runCli(['replay', fixture.path, '--db', db, '--json']);
      expect(replay.stderr).toMatch(new RegExp(`^Replayed fixture "${fixture.name}" into `));
      expect(replay.code).toBe(0);
      const dump = await runCli(['dump', '--db', db]);
      expect(dump.code).toBe(0);
      expect(dump.stderr).toBe('');
      // The change log reads back as the same objects the replay printed.
      const changes = await runCli(['changes', '--db', db, '--json']);
      expect(parseLines(changes.stdout)).toEqual(parseLines(replay.stdout));
      // The stream ends with its summary (it names the temporary database: not in the golden file).
      expect(parseSummary(replay.stdout)).toMatchObject({
        changes: parseLines(replay.stdout).length,
        complete: true,
      });
      await checkGolden(`${fixture.name}.changes.jsonl`, changeText(replay.stdout));
      await checkGolden(`${fixture.name}.dump.json`, dump.stdout);
    },
  );
});
