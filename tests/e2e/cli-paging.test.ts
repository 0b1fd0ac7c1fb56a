import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.ts';
import { parseLines, parseRecords, tempDbs } from './helpers.ts';

const db = tempDbs('thingstape-cli-paging-');
const SCHEDULING = join(REPO, 'fixtures', 'synthetic', 'scheduling');

describe('replay --summary', () => {
  it('prints counts per change type and the summary instead of every change', async () => {
    const url = await db();
    const full = await runCli(['replay', SCHEDULING, '--db', `${url}-full`, '--json']);
    const counts = new Map<string, number>();
    for (const line of parseLines(full.stdout)) {
      const type = String(line['type']);
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    const run = await runCli(['replay', SCHEDULING, '--db', url, '--summary']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^change\s+count$/);
    const table = new Map(
      lines.slice(1, -1).map((line) => {
        const [type = '', n = ''] = line.split(/\s+/);
        return [type, Number(n)] as const;
      }),
    );
    expect(table).toEqual(counts);
    expect(lines.at(-1)).toMatch(/^Replayed fixture "scheduling"/);
  });

  it('composes with --json: only the summary object, with the counts per change type', async () => {
    const url = await db();
    const full = await runCli(['replay', SCHEDULING, '--db', `${url}-full`, '--json']);
    const counts: Record<string, number> = {};
    for (const line of parseLines(full.stdout)) {
      const type = String(line['type']);
      counts[type] = (counts[type] ?? 0) + 1;
    }
    const run = await runCli(['replay', SCHEDULING, '--db', url, '--json', '--summary']);
    expect(run.code).toBe(0);
    const records = parseRecords(run.stdout);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      type: 'summary',
      fixture: 'scheduling',
      changes: parseLines(full.stdout).length,
      changesByType: counts,
    });
  });
});

describe('changes --last and list --limit/--offset', () => {
  it('shows the newest changes and pages through a list', async () => {
    const url = await db();
    expect((await runCli(['replay', SCHEDULING, '--db', url])).code).toBe(0);
    const all = parseLines((await runCli(['changes', '--db', url, '--json'])).stdout);
    const last = parseLines(
      (await runCli(['changes', '--db', url, '--json', '--last', '3'])).stdout,
    );
    expect(last).toEqual(all.slice(-3));
    const both = await runCli(['changes', '--db', url, '--limit', '2', '--last', '2']);
    expect(both.code).toBe(2);

    const everything = (
      JSON.parse((await runCli(['list', 'today', '--db', url, '--json'])).stdout) as {
        rows: unknown[];
      }
    ).rows;
    expect(everything.length).toBeGreaterThanOrEqual(3);
    const page = (
      JSON.parse(
        (await runCli(['list', 'today', '--db', url, '--json', '--offset', '1', '--limit', '2']))
          .stdout,
      ) as { rows: unknown[] }
    ).rows;
    expect(page).toEqual(everything.slice(1, 3));
    const human = await runCli(['list', 'today', '--db', url, '--limit', '1']);
    expect(human.stdout.split('\n')[0]).toContain(
      `today — ${everything.length} item(s), showing 1–1,`,
    );
  });
});
