/**
 * The database report's data and page, from fixtures replayed into `:memory:`: every change of an
 * entity with its deletion and resurrection, the lists on chosen dates, anomalies by code, and a
 * page an HTML validator accepts.
 */
import { HtmlValidate } from 'html-validate';
import { afterEach, describe, expect, it } from 'vitest';
import { ANOMALY_MEANINGS } from '../../../src/cli/anomalies.ts';
import type { ChangeOf } from '../../../src/engine/index.ts';
import type { CivilDate } from '../../../src/protocol/index.ts';
import {
  buildDatabaseReport,
  collectDatabaseReport,
  compactPayload,
  renderDatabaseReport,
  type DatabaseReportData,
} from '../../../src/report/index.ts';
import { replayFixture } from '../../../src/replay/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

let store: Store | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

async function reportOf(fixture: string, dates: string[]): Promise<DatabaseReportData> {
  store = await openStore(':memory:');
  await replayFixture({ fixtureDir: `fixtures/synthetic/${fixture}`, store });
  const input = await collectDatabaseReport(store, {
    timeZone: 'UTC',
    dates: dates as CivilDate[],
    dateWhy: 'from the test',
    anomalyMeanings: ANOMALY_MEANINGS,
  });
  return buildDatabaseReport(input);
}

function changesOf(data: DatabaseReportData, id: string): string[] {
  const e = data.entities.id.indexOf(id);
  return data.changes.entity.flatMap((x, i) =>
    x === e ? [data.types[data.changes.type[i] ?? -1] ?? '?'] : [],
  );
}

describe('buildDatabaseReport()', () => {
  it('keeps every change of an entity, its deletion and its resurrection', async () => {
    const data = await reportOf('fold-anomalies', ['2026-03-12']);
    // SSqM… is created, deleted, then created again (resurrected) in this fixture's history.
    const id = 'SSqMsaTZkVrwwcZGCbzAM3';
    expect(changesOf(data, id)).toEqual(['TaskCreated', 'TaskDeleted', 'TaskCreated']);
    const e = data.entities.id.indexOf(id);
    const last = data.changes.entity.lastIndexOf(e);
    expect(data.changes.payload[last]).toMatchObject({ resurrected: true });
    // Every change is on a day of the timeline, and the days are in order.
    expect(data.changes.day.every((d) => d >= 0 && d < data.days.length)).toBe(true);
    expect([...data.days].filter((d) => d !== '')).toEqual(
      [...data.days].filter((d) => d !== '').sort(),
    );
  });

  it('draws each list once per date, as entity positions', async () => {
    const data = await reportOf('scheduling', ['2026-02-01', '2030-01-01']);
    expect(data.lists.dates).toEqual(['2026-02-01', '2030-01-01']);
    const [early, late] = data.lists.views;
    const titles = (rows: readonly number[] | undefined): string[] =>
      (rows ?? []).map((e) => data.entities.title[e] ?? '?');
    // The same stored state judged on two dates: to-dos whose start date has come are in Today.
    expect(titles(early?.today)).toEqual([]);
    expect(titles(late?.today)).toEqual(['Learn the cello', 'Pay rent', 'Read a chapter']);
    expect(titles(late?.someday)).toEqual(titles(early?.someday));
    expect(
      Object.values(late ?? {})
        .flat()
        .every((e) => e >= 0),
    ).toBe(true);
  });

  it('groups anomalies by code, with their meaning and examples linked to entities', async () => {
    const data = await reportOf('fold-anomalies', ['2026-01-01']);
    expect(data.anomalies.length).toBeGreaterThan(1);
    for (const group of data.anomalies) {
      expect(group.meaning).toBe(ANOMALY_MEANINGS[group.code as keyof typeof ANOMALY_MEANINGS]);
      expect(group.examples.length).toBe(Math.min(group.count, 50));
    }
    const total = data.anomalies.reduce((n, a) => n + a.count, 0);
    expect(total).toBe((await store!.status()).tables.find((t) => t.name === 'anomalies')?.rows);
  });
});

describe('compactPayload()', () => {
  it('leaves out a snapshot’s default fields and keeps the rest', () => {
    const change: ChangeOf<'TaskCreated'> = {
      type: 'TaskCreated',
      entityType: 'Task',
      entityId: 'x',
      serverIndex: 0,
      position: 0,
      ordinal: 0,
      at: null,
      payload: {
        resurrected: false,
        snapshot: {
          type: 0,
          title: 'Buy milk',
          note: '',
          status: 0,
          stopDate: null,
          schedule: {
            list: 'evening',
            start: 1,
            startDate: '2025-02-01' as CivilDate,
            startBucket: 1,
          },
          deadline: null,
          trashed: false,
          areaId: null,
          projectId: 'P',
          headingId: null,
          tagIds: [],
          recurrence: null,
          templateId: null,
        },
      },
    };
    expect(compactPayload(change)).toEqual({
      snapshot: {
        title: 'Buy milk',
        schedule: { list: 'evening', startDate: '2025-02-01', evening: true },
        projectId: 'P',
      },
    });
  });
});

describe('compactPayload() of a note change', () => {
  it('keeps the new text and the old text’s length', () => {
    const change: ChangeOf<'TaskNoteChanged'> = {
      type: 'TaskNoteChanged',
      entityType: 'Task',
      entityId: 'x',
      serverIndex: 3,
      position: 0,
      ordinal: 0,
      at: null,
      payload: { old: 'oat', new: 'oat milk' },
    };
    expect(compactPayload(change)).toEqual({ oldLength: 3, new: 'oat milk' });
  });
});

describe('renderDatabaseReport()', () => {
  it('writes a valid page whose script cannot be cut short by the data', async () => {
    const data = await reportOf('notes', ['2026-01-01']);
    const html = renderDatabaseReport(data);
    const result = await new HtmlValidate({
      extends: ['html-validate:recommended'],
    }).validateString(html);
    expect(
      result.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)),
    ).toEqual([]);
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(script).toContain('function changeSummary');
    expect(script.toLowerCase()).not.toContain('</script');
    // The page's script parses as JavaScript on its own.
    // eslint-disable-next-line typescript/no-implied-eval -- compiles the page's script to check its syntax; never runs it
    expect(() => new Function(script)).not.toThrow();
  });
});
