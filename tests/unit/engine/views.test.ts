import { describe, expect, it } from 'vitest';
import {
  anytimeView,
  areaView,
  eveningView,
  inboxView,
  indexEntities,
  listOf,
  logbookView,
  projectView,
  searchView,
  somedayView,
  tagView,
  todayIn,
  todayView,
  trashView,
  upcomingView,
} from '../../../src/engine/index.ts';
import { at, day, MemoryState, nativeTask, testId, civil } from './support.ts';

const id = (name: Name) => testId(100 + NAMES.indexOf(name));
const NAMES = [
  'inbox',
  'today',
  'evening',
  'pastSomeday',
  'overdue',
  'suppressed',
  'upcoming',
  'someday',
  'canceled',
  'completed',
  'template',
  'trashedProject',
  'childOfTrashed',
  'deletedProject',
  'childOfDeleted',
  'project',
  'heading',
  'underHeading',
  'loose',
  'tagParent',
  'tagChild',
  'tagged',
  'area',
  'inArea',
  'checklist',
  'noted',
  'doneProject',
  'childOfDone',
  'trashedTodo',
  'closedHeading',
  'underClosedHeading',
] as const;
type Name = (typeof NAMES)[number];

function task(name: Name, p: Record<string, unknown>) {
  return { [id(name)]: { t: 0, e: 'Task6', p: nativeTask({ tt: name, ...p }) } };
}

function build() {
  const state = new MemoryState();
  state.fold(1, [
    {
      ...task('inbox', { st: 0, ix: 1 }),
      ...task('today', { st: 1, sr: day('2025-11-03'), ti: 2 }),
      ...task('evening', { st: 1, sr: day('2025-11-03'), sb: 1, ti: 1 }),
      ...task('pastSomeday', { st: 2, sr: day('2025-10-30'), ti: 1 }),
      ...task('overdue', { st: 1, dd: day('2025-11-01'), ti: 0 }),
      ...task('suppressed', { st: 1, dd: day('2025-11-01'), dds: day('2025-11-01') }),
      ...task('upcoming', { st: 2, sr: day('2025-11-10') }),
      ...task('someday', { st: 2 }),
      ...task('canceled', { st: 1, ss: 2, sp: 100 }),
      ...task('completed', { st: 1, ss: 3, sp: 200 }),
      ...task('template', { st: 1, sr: day('2025-11-03'), rr: { rrv: 4, tp: 0, fu: 16, fa: 1 } }),
      ...task('trashedProject', { tp: 1, st: 1, tr: true }),
      ...task('childOfTrashed', { st: 1, pr: [id('trashedProject')] }),
      ...task('deletedProject', { tp: 1, st: 1 }),
      ...task('childOfDeleted', { st: 1, pr: [id('deletedProject')], ix: 5 }),
      ...task('project', { tp: 1, st: 1, ar: [id('area')], ix: 2 }),
      ...task('heading', { tp: 2, st: 1, pr: [id('project')] }),
      ...task('underHeading', { st: 1, agr: [id('heading')] }),
      ...task('loose', { st: 1, pr: [id('project')] }),
      ...task('tagged', { st: 1, tg: [id('tagChild')] }),
      ...task('inArea', { st: 1, ar: [id('area')], ix: 1 }),
      ...task('checklist', { st: 1 }),
      ...task('noted', { st: 1, nt: { _t: 'tx', t: 1, ch: 0, v: 'Call the PLUMBER' } }),
      ...task('doneProject', { tp: 1, st: 1, ss: 3, sp: 50 }),
      ...task('childOfDone', { st: 1, pr: [id('doneProject')] }),
      ...task('trashedTodo', { st: 0, tr: true }),
      ...task('closedHeading', { tp: 2, st: 1, pr: [id('project')], ss: 3, sp: 10 }),
      ...task('underClosedHeading', { st: 1, pr: [id('project')], agr: [id('closedHeading')] }),
      [id('tagParent')]: { t: 0, e: 'Tag4', p: { tt: 'Home' } },
      [id('tagChild')]: { t: 0, e: 'Tag4', p: { tt: 'Kitchen', pn: [id('tagParent')] } },
      [id('area')]: { t: 0, e: 'Area3', p: { tt: 'Life' } },
      [testId(99)]: {
        t: 0,
        e: 'ChecklistItem3',
        p: { tt: 'Buy a Plumbing wrench', ts: [id('checklist')] },
      },
    },
    { [id('deletedProject')]: { t: 2, e: 'Task6', p: {} } },
  ]);
  return [...state.entities.values()];
}

const NAME_OF = new Map<string, string>(NAMES.map((name) => [id(name), name]));
const names = (rows: readonly { id: string }[]) => rows.map((r) => NAME_OF.get(r.id) ?? r.id);
const ENTITIES = build();
const EARLY = { today: civil('2025-11-02') };
const LATE = { today: civil('2025-11-03') };

describe('views', () => {
  it('lists to-dos with st 0 in the Inbox, trashed ones excluded', () => {
    expect(names(inboxView(ENTITIES, LATE))).toEqual(['inbox']);
  });

  it('builds Today from sr ≤ today, past-dated st 2 items and overdue deadlines, evening last', () => {
    expect(names(todayView(ENTITIES, LATE))).toEqual([
      'overdue',
      'pastSomeday',
      'today',
      'evening',
    ]);
    expect(todayView(ENTITIES, LATE).map((r) => r.evening)).toEqual([false, false, false, true]);
    expect(names(eveningView(ENTITIES, LATE))).toEqual(['evening']);
    expect(names(todayView(ENTITIES, EARLY))).toEqual(['overdue', 'pastSomeday']);
  });

  it('computes Today for the local date in zones east and west of UTC around midnight', () => {
    const instant = at('2025-11-02T23:30:00Z');
    const expected: Record<string, string[]> = {
      'Pacific/Kiritimati': ['overdue', 'pastSomeday', 'today', 'evening'],
      'Asia/Tokyo': ['overdue', 'pastSomeday', 'today', 'evening'],
      'Europe/Berlin': ['overdue', 'pastSomeday', 'today', 'evening'],
      UTC: ['overdue', 'pastSomeday'],
      'America/New_York': ['overdue', 'pastSomeday'],
      'America/Los_Angeles': ['overdue', 'pastSomeday'],
      'Pacific/Pago_Pago': ['overdue', 'pastSomeday'],
    };
    for (const [zone, rows] of Object.entries(expected)) {
      expect([zone, names(todayView(ENTITIES, { today: todayIn(zone, instant) }))]).toEqual([
        zone,
        rows,
      ]);
    }
    // An hour and a half later it is the 3rd in New York but still the 2nd in Los Angeles.
    const later = at('2025-11-03T05:00:00Z');
    expect(names(todayView(ENTITIES, { today: todayIn('America/New_York', later) }))).toContain(
      'today',
    );
    expect(
      names(todayView(ENTITIES, { today: todayIn('America/Los_Angeles', later) })),
    ).not.toContain('today');
  });

  it('lists st 2 future items in Upcoming by date, templates excluded', () => {
    expect(names(upcomingView(ENTITIES, EARLY))).toEqual(['upcoming']);
    expect(upcomingView(ENTITIES, { today: civil('2025-11-10') })).toEqual([]);
  });

  it('lists st 1 items in Anytime (today included), hiding canceled, templates and children of trashed or done projects', () => {
    const anytime = names(anytimeView(ENTITIES, LATE));
    expect(anytime).toEqual(
      expect.arrayContaining([
        'today',
        'evening',
        'overdue',
        'suppressed',
        'loose',
        'underHeading',
        'childOfDeleted',
        'project',
      ]),
    );
    for (const hidden of [
      'canceled',
      'completed',
      'template',
      'childOfTrashed',
      'trashedProject',
      'childOfDone',
      'doneProject',
      'heading',
      'underClosedHeading',
      'closedHeading',
    ]) {
      expect(anytime).not.toContain(hidden);
    }
  });

  it('treats a dangling project as no project', () => {
    const row = anytimeView(ENTITIES, LATE).find((r) => r.id === id('childOfDeleted'));
    expect(row).toMatchObject({ projectId: null, areaId: null, type: 'to-do', list: 'anytime' });
  });

  it('lists st 2 undated items in Someday', () => {
    expect(names(somedayView(ENTITIES, LATE))).toEqual(['someday']);
  });

  it('lists completed and canceled items in the Logbook, newest first', () => {
    expect(names(logbookView(ENTITIES, LATE))).toEqual(['completed', 'canceled', 'doneProject']);
    expect(logbookView(ENTITIES, LATE).map((r) => r.status)).toEqual([
      'completed',
      'canceled',
      'completed',
    ]);
  });

  it('lists trashed items in the Trash only', () => {
    expect(names(trashView(ENTITIES, LATE)).sort()).toEqual(
      ['trashedProject', 'trashedTodo'].sort(),
    );
  });

  it('groups a project by heading, hiding the to-dos of closed headings', () => {
    const view = projectView(ENTITIES, id('project'), LATE);
    expect(view.project).toMatchObject({ id: id('project'), type: 'project', areaId: id('area') });
    expect(view.sections.map((s) => [s.heading?.id ?? null, names(s.rows)])).toEqual([
      [null, ['loose']],
      [id('heading'), ['underHeading']],
    ]);
    expect(view.sections[1]?.rows[0]).toMatchObject({
      projectId: id('project'),
      headingId: id('heading'),
    });
    expect(projectView(ENTITIES, id('deletedProject'), LATE)).toEqual({
      project: null,
      sections: [],
    });
  });

  it('lists an area: its projects and loose to-dos', () => {
    expect(names(areaView(ENTITIES, id('area'), LATE))).toEqual(['inArea', 'project']);
  });

  it('lists a tag with its sub-tags', () => {
    expect(names(tagView(ENTITIES, id('tagParent'), LATE))).toEqual(['tagged']);
    expect(names(tagView(ENTITIES, id('tagChild'), LATE))).toEqual(['tagged']);
  });

  it('searches titles, notes and checklist items case-insensitively', () => {
    expect(names(searchView(ENTITIES, 'plumb', LATE)).sort()).toEqual(['checklist', 'noted']);
    expect(names(searchView(ENTITIES, 'PASTSOMEDAY', LATE))).toEqual(['pastSomeday']);
    expect(searchView(ENTITIES, 'canceled', LATE)).toEqual([]);
    expect(searchView(ENTITIES, '', LATE)).toEqual([]);
  });

  it('accepts a prepared index and leaves deleted entities out', () => {
    const index = indexEntities(ENTITIES);
    expect(index.tasks.some((t) => t.id === id('deletedProject'))).toBe(false);
    expect(names(inboxView(index, LATE))).toEqual(['inbox']);
  });
});

describe('listOf()', () => {
  const today = civil('2025-11-03');
  const of = (start: number, startDate: string | null, startBucket = 0) =>
    listOf({ start, startDate: startDate === null ? null : civil(startDate), startBucket }, today);
  it('follows st, sr and sb', () => {
    expect([
      of(0, '2025-11-01'),
      of(1, null),
      of(1, '2025-11-03'),
      of(1, '2025-11-03', 1),
      of(2, '2025-11-02'),
      of(2, '2025-11-04'),
      of(1, '2025-11-04'),
      of(2, null),
      of(7, null),
    ]).toEqual([
      'inbox',
      'anytime',
      'today',
      'evening',
      'today',
      'upcoming',
      'anytime', // st 1 with a future sr: Anytime, as the views show it
      'someday',
      null,
    ]);
  });
});
