/**
 * Views through the CLI (`thingstape list … --json`) on replayed fixtures, judged in zones east
 * and west of UTC and around midnight: the realistic fixture was recorded at 18:30 UTC, which is
 * already the next day in Tokyo (03:30) and on Kiritimati (08:30), but not in Los Angeles (10:30)
 * or Pago Pago (07:30).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { tempDbs } from './helpers.ts';

const nextDb = tempDbs('thingstape-views-');
/** The views whose content depends on the date. */
const DATED_VIEWS = ['today', 'upcoming'];

interface Row {
  readonly id: string;
  readonly title: string;
  readonly type: string;
  readonly list: string | null;
  readonly startDate: string | null;
  readonly deadline: string | null;
  readonly evening: boolean;
  readonly status: string;
  readonly trashed: boolean;
}

let realistic = '';
let scheduling = '';

beforeAll(async () => {
  realistic = await nextDb();
  scheduling = await nextDb();
  for (const [path, db] of [
    ['fixtures/realistic/account-5k', realistic],
    ['fixtures/synthetic/scheduling', scheduling],
  ] as const) {
    const run = await runCli(['replay', path, '--db', db, '--json']);
    if (run.code !== 0) throw new Error(`replay ${path} failed: ${run.stderr}`);
  }
});

async function list(db: string, ...args: string[]): Promise<Row[]> {
  const run = await runCli(['list', ...args, '--db', db, '--json']);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return (JSON.parse(run.stdout) as { rows: Row[] }).rows;
}

const ids = (rows: readonly Row[]): string[] => rows.map((row) => row.id);

describe('thingstape list at the recorded instant, by zone', () => {
  it.each([
    ['Pacific/Kiritimati', '2025-02-02'],
    ['Asia/Tokyo', '2025-02-02'],
    ['America/Los_Angeles', '2025-02-01'],
    ['Pacific/Pago_Pago', '2025-02-01'],
  ])('judges the dated views in %s at the local date %s', async (tz, date) => {
    const header = await runCli(['list', 'today', '--tz', tz, '--db', realistic]);
    expect(header.stdout.split('\n')[0]).toMatch(
      new RegExp(
        `^today — \\d+ item\\(s\\), as of ${date} in ${tz} \\(the fixture's recorded date \\(2025-02-01T18:30:56\\.964Z\\); pass --today to choose another\\)$`,
      ),
    );
    for (const view of DATED_VIEWS) {
      const byZone = await list(realistic, view, '--tz', tz);
      const byDate = await list(realistic, view, '--today', date);
      expect({ view, rows: byZone }).toEqual({ view, rows: byDate });
    }
  });

  it('moves tomorrow’s to-dos and deadlines into Today east of UTC only', async () => {
    const west = await list(realistic, 'today', '--tz', 'America/Los_Angeles');
    const east = await list(realistic, 'today', '--tz', 'Asia/Tokyo');
    const westUpcoming = await list(realistic, 'upcoming', '--tz', 'America/Los_Angeles');
    const eastUpcoming = await list(realistic, 'upcoming', '--tz', 'Asia/Tokyo');
    const westIds = new Set(ids(west));
    const eastOnly = east.filter((row) => !westIds.has(row.id));
    // Nothing leaves Today when the day turns; what joins it is due on the new day.
    expect(ids(west).filter((id) => !ids(east).includes(id))).toEqual([]);
    expect(eastOnly.length).toBeGreaterThan(0);
    for (const row of eastOnly) {
      expect(row.startDate === '2025-02-02' || row.deadline === '2025-02-02').toBe(true);
    }
    // The scheduled ones are exactly what Upcoming showed for 2 February in the west.
    expect(ids(westUpcoming.filter((row) => row.startDate === '2025-02-02')).sort()).toEqual(
      ids(eastOnly.filter((row) => row.startDate === '2025-02-02')).sort(),
    );
    expect(eastUpcoming.every((row) => (row.startDate ?? '') > '2025-02-02')).toBe(true);
    expect(westUpcoming.every((row) => (row.startDate ?? '') > '2025-02-01')).toBe(true);
  });

  it('keeps Today to open, untrashed items scheduled or due by the day, with This Evening inside', async () => {
    for (const [tz, date] of [
      ['Pacific/Kiritimati', '2025-02-02'],
      ['Pacific/Pago_Pago', '2025-02-01'],
    ] as const) {
      const today = await list(realistic, 'today', '--tz', tz);
      const evening = await list(realistic, 'evening', '--tz', tz);
      expect(today.length).toBeGreaterThan(100);
      for (const row of today) {
        expect(row).toMatchObject({ status: 'open', trashed: false });
        const scheduled = row.startDate !== null && row.startDate <= date;
        const overdue = row.startDate === null && row.deadline !== null && row.deadline <= date;
        expect({ row, scheduledOrOverdue: scheduled || overdue }).toEqual({
          row,
          scheduledOrOverdue: true,
        });
      }
      // Overdue deadlines without a start date show in Today (spec 9.4).
      expect(today.filter((row) => row.startDate === null).length).toBeGreaterThan(0);
      expect(evening.length).toBeGreaterThan(0);
      expect(evening.every((row) => row.evening)).toBe(true);
      expect(ids(today)).toEqual(expect.arrayContaining(ids(evening)));
    }
  });

  it('ignores --tz when --today names the civil date', async () => {
    for (const view of ['today', 'upcoming', 'evening']) {
      const east = await list(
        realistic,
        view,
        '--today',
        '2025-02-01',
        '--tz',
        'Pacific/Kiritimati',
      );
      const west = await list(
        realistic,
        view,
        '--today',
        '2025-02-01',
        '--tz',
        'Pacific/Pago_Pago',
      );
      expect(east).toEqual(west);
    }
  });
});

describe('thingstape list on the scheduling fixture (recorded 2026-02-11T01:30Z)', () => {
  const titles = (rows: readonly Row[]): string[] => rows.map((row) => row.title);

  it.each([
    ['America/Los_Angeles', '2026-02-10'],
    ['Pacific/Pago_Pago', '2026-02-10'],
    ['Asia/Tokyo', '2026-02-11'],
    ['Pacific/Kiritimati', '2026-02-11'],
  ])('shows the exact lists in %s (local date %s)', async (tz, date) => {
    const header = await runCli(['list', 'inbox', '--tz', tz, '--db', scheduling]);
    expect(header.stdout).toBe(
      `inbox — 0 item(s), as of ${date} in ${tz} (the fixture's recorded date (2026-02-11T01:30:00Z); pass --today to choose another)\n`,
    );
    expect(titles(await list(scheduling, 'today', '--tz', tz))).toEqual([
      'Learn the cello',
      'Pay rent',
      'Read a chapter',
    ]);
    expect(await list(scheduling, 'evening', '--tz', tz)).toEqual([
      expect.objectContaining({
        id: 'LpCYXFMvkpg15kxanrBZAT',
        title: 'Read a chapter',
        type: 'to-do',
        evening: true,
        startDate: '2026-02-10',
      }),
    ]);
    expect(await list(scheduling, 'upcoming', '--tz', tz)).toEqual([]);
    expect(titles(await list(scheduling, 'someday', '--tz', tz))).toEqual(['Sort photos']);
    expect(titles(await list(scheduling, 'anytime', '--tz', tz)).sort()).toEqual([
      'Dentist',
      'Learn the cello',
      'Pay rent',
      'Read a chapter',
      'Renew passport',
      'Return library book',
    ]);
    expect(await list(scheduling, 'logbook', '--tz', tz)).toEqual([]);
    expect(await list(scheduling, 'trash', '--tz', tz)).toEqual([]);
  });

  it('keeps a dismissed overdue deadline (dds) out of Today on every later day', async () => {
    for (const date of ['2026-02-10', '2026-02-11', '2026-03-01']) {
      const today = await list(scheduling, 'today', '--today', date);
      expect(ids(today)).not.toContain('CMdJ2RJt5yYnmmr8oDxV6V');
    }
  });

  it('lists the scheduled to-dos in Upcoming before their day and in Today from it', async () => {
    const before = await list(scheduling, 'today', '--today', '2026-02-09');
    expect(ids(before)).not.toContain('V4zhio9pMsuYcTZNRWTG7t');
    const on = await list(scheduling, 'today', '--today', '2026-02-10');
    expect(ids(on)).toContain('V4zhio9pMsuYcTZNRWTG7t');
  });
});
