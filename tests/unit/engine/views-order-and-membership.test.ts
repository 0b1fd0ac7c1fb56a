/**
 * Edge rules of the list views: date boundaries, orders and tie-breaks, what each list admits
 * (type, status, container) and how dangling or mistyped references resolve.
 */
import { describe, expect, it } from 'vitest';
import {
  anytimeView,
  areaView,
  inboxView,
  indexEntities,
  logbookView,
  projectView,
  searchView,
  somedayView,
  tagView,
  todayView,
  trashView,
  upcomingView,
} from '../../../src/engine/index.ts';
import type { Entity } from '../../../src/engine/index.ts';
import { civil, day, MemoryState, nativeTask, testId } from './support.ts';
import type { WireGroup } from './support.ts';

const TODAY = { today: civil('2025-11-03') };

/** Ids by name, allocated on first use. */
const ids = new Map<string, string>();
function id(name: string): string {
  let value = ids.get(name);
  if (value === undefined) {
    value = testId(500 + ids.size);
    ids.set(name, value);
  }
  return value;
}
const nameOf = (value: string) => [...ids].find(([, v]) => v === value)?.[0] ?? value;
const names = (rows: readonly { id: string }[]) => rows.map((r) => nameOf(r.id));
/** The names sorted by their ids (the tie-break order). */
const byIdOrder = (...list: string[]) => [...list].sort((a, b) => (id(a) < id(b) ? -1 : 1));

function task(name: string, p: Record<string, unknown>): WireGroup {
  return { [id(name)]: { t: 0, e: 'Task6', p: nativeTask({ tt: name, ...p }) } };
}
function area(name: string, p: Record<string, unknown> = {}): WireGroup {
  return { [id(name)]: { t: 0, e: 'Area3', p: { tt: name, ...p } } };
}
function tag(name: string, p: Record<string, unknown> = {}): WireGroup {
  return { [id(name)]: { t: 0, e: 'Tag4', p: { tt: name, ...p } } };
}
function deleted(name: string, e: string): WireGroup {
  return { [id(name)]: { t: 2, e, p: {} } };
}

/** Folds the groups (one server index each) and returns every entity, deleted ones included. */
function build(...groups: WireGroup[]): Entity[] {
  const state = new MemoryState();
  state.fold(1, groups);
  return [...state.entities.values()];
}

describe('indexEntities()', () => {
  it('sorts live entities by family and keeps deleted ones only in byId', () => {
    const entities = build(
      task('todo', { st: 1 }),
      area('area'),
      tag('tag'),
      { [id('item')]: { t: 0, e: 'ChecklistItem3', p: { tt: 'item', ts: [id('todo')] } } },
      { [id('tomb')]: { t: 0, e: 'Tombstone2', p: { dloid: id('gone'), dld: 9 } } },
      area('deletedArea'),
      deleted('deletedArea', 'Area3'),
    );
    const index = indexEntities(entities);
    expect(index.tasks.map((e) => e.id)).toEqual([id('todo')]);
    expect(index.checklistItems.map((e) => e.id)).toEqual([id('item')]);
    expect(index.areas.map((e) => e.id)).toEqual([id('area')]);
    expect(index.tags.map((e) => e.id)).toEqual([id('tag')]);
    expect(index.byId.has(id('deletedArea'))).toBe(true);
    expect(index.byId.has(id('tomb'))).toBe(true);
  });
});

describe('todayView()', () => {
  it('admits a deadline on today itself but not one tomorrow', () => {
    const entities = build(
      task('dueToday', { st: 1, dd: day('2025-11-03') }),
      task('dueTomorrow', { st: 1, dd: day('2025-11-04') }),
      task('inboxOverdue', { st: 0, dd: day('2025-11-01'), ti: 1 }),
    );
    expect(names(todayView(entities, TODAY))).toEqual(['dueToday', 'inboxOverdue']);
  });

  it('brings only to-dos into Today by deadline, never projects', () => {
    const entities = build(
      task('overdueProject', { tp: 1, st: 1, dd: day('2025-11-01') }),
      task('overdueTodo', { st: 1, dd: day('2025-11-01') }),
    );
    expect(names(todayView(entities, TODAY))).toEqual(['overdueTodo']);
  });

  it('ignores the deadline of an Inbox to-do that carries a start date', () => {
    // st 0 with a (stale) sr: neither scheduled nor undated, so no route into Today.
    const entities = build(
      task('inboxWithDate', { st: 0, sr: day('2025-11-01'), dd: day('2025-11-01') }),
      task('inboxPastDate', { st: 0, sr: day('2025-11-01') }),
    );
    expect(todayView(entities, TODAY)).toEqual([]);
    expect(names(inboxView(entities, TODAY))).toEqual(['inboxWithDate', 'inboxPastDate']);
  });

  it('orders Today rows with equal ti by id', () => {
    const order = byIdOrder('t1', 't2', 't3', 't4');
    const entities = build(
      ...order.toReversed().map((name) => task(name, { st: 1, sr: day('2025-11-03'), ti: 4 })),
    );
    expect(names(todayView(entities, TODAY))).toEqual(order);
  });
});

describe('rows', () => {
  it('marks an evening item as evening in every list it shows in', () => {
    const entities = build(task('tonight', { st: 1, sr: day('2025-11-03'), sb: 1 }));
    expect(anytimeView(entities, TODAY)).toMatchObject([{ list: 'evening', evening: true }]);
  });

  it('types heading rows as headings', () => {
    const entities = build(task('h', { tp: 2, st: 1, tr: true }));
    expect(trashView(entities, TODAY)).toMatchObject([{ type: 'heading' }]);
  });

  it('takes the area of the project when the to-do has none', () => {
    const entities = build(
      area('area'),
      task('project', { tp: 1, st: 1, ar: [id('area')] }),
      task('todo', { st: 1, pr: [id('project')] }),
    );
    const row = anytimeView(entities, TODAY).find((r) => r.id === id('todo'));
    expect(row).toMatchObject({ projectId: id('project'), areaId: id('area') });
  });

  it('resolves references to unknown, deleted or mistyped entities to no container', () => {
    const entities = build(
      task('project', { tp: 1, st: 1 }),
      task('heading', { tp: 2, st: 1, pr: [id('project')] }),
      area('deletedArea'),
      deleted('deletedArea', 'Area3'),
      task('unknownRefs', { st: 1, pr: [id('nowhere')], agr: [id('nothing')], ar: [id('none')] }),
      task('inDeletedArea', { st: 1, ar: [id('deletedArea')] }),
      task('projectAsHeading', { st: 1, agr: [id('project')] }),
      task('headingAsProject', { st: 1, pr: [id('heading')] }),
      task('projectAsArea', { st: 1, ar: [id('project')] }),
    );
    const rows = anytimeView(entities, TODAY).filter((r) => r.type === 'to-do');
    expect(rows.map((r) => [nameOf(r.id), r.projectId, r.headingId, r.areaId])).toEqual([
      ['unknownRefs', null, null, null],
      ['inDeletedArea', null, null, null],
      ['projectAsHeading', null, null, null],
      ['headingAsProject', null, null, null],
      ['projectAsArea', null, null, null],
    ]);
  });

  it('gives a project no parent project, even when its pr is set', () => {
    const entities = build(
      task('outer', { tp: 1, st: 1, tr: true }),
      task('inner', { tp: 1, st: 1, pr: [id('outer')] }),
    );
    expect(anytimeView(entities, TODAY)).toMatchObject([{ type: 'project', projectId: null }]);
  });
});

describe('list membership', () => {
  it('keeps projects out of the Inbox', () => {
    const entities = build(task('project', { tp: 1, st: 0 }), task('todo', { st: 0 }));
    expect(names(inboxView(entities, TODAY))).toEqual(['todo']);
  });

  it('keeps headings and closed items out of Upcoming, Someday and Anytime', () => {
    const entities = build(
      task('futureHeading', { tp: 2, st: 2, sr: day('2025-11-10') }),
      task('futureCanceled', { st: 2, sr: day('2025-11-10'), ss: 2, sp: 5 }),
      task('future', { st: 2, sr: day('2025-11-10') }),
      task('somedayHeading', { tp: 2, st: 2 }),
      task('somedayDone', { st: 2, ss: 3, sp: 5 }),
      task('someday', { st: 2 }),
      task('anytime', { st: 1 }),
    );
    expect(names(upcomingView(entities, TODAY))).toEqual(['future']);
    expect(names(somedayView(entities, TODAY))).toEqual(['someday']);
    expect(names(anytimeView(entities, TODAY))).toEqual(['anytime']);
  });

  it('orders Upcoming by start date, then ix, then id', () => {
    const [tieFirst = '', tieSecond = ''] = byIdOrder('soonA', 'soonC');
    const entities = build(
      task('late', { st: 2, sr: day('2025-11-20'), ix: 1 }),
      task('soonB', { st: 2, sr: day('2025-11-05'), ix: 3 }),
      task('mid', { st: 2, sr: day('2025-11-10'), ix: 0 }),
      task(tieSecond, { st: 2, sr: day('2025-11-05'), ix: 2 }),
      task('tomorrow', { st: 2, sr: day('2025-11-04'), ix: 9 }),
      task(tieFirst, { st: 2, sr: day('2025-11-05'), ix: 2 }),
    );
    expect(names(upcomingView(entities, TODAY))).toEqual([
      'tomorrow',
      tieFirst,
      tieSecond,
      'soonB',
      'mid',
      'late',
    ]);
  });

  it('keeps same-day Upcoming items in ix order whatever order they were created in', () => {
    const entities = build(
      task('dayFirst', { st: 2, sr: day('2025-11-05'), ix: 1 }),
      task('daySecond', { st: 2, sr: day('2025-11-05'), ix: 2 }),
      task('dayThird', { st: 2, sr: day('2025-11-05'), ix: 3 }),
    );
    expect(names(upcomingView(entities, TODAY))).toEqual(['dayFirst', 'daySecond', 'dayThird']);
  });

  it('orders equal ix by id in the index-ordered lists', () => {
    const tied = byIdOrder('i1', 'i2', 'i3');
    const [first = '', second = '', third = ''] = tied;
    const entities = build(
      task(third, { st: 1, ix: 1 }),
      task(second, { st: 1, ix: 1 }),
      task('i0', { st: 1, ix: 0 }),
      task(first, { st: 1, ix: 1 }),
    );
    expect(names(anytimeView(entities, TODAY))).toEqual(['i0', ...tied]);
  });
});

describe('logbookView()', () => {
  it('leaves out what is closed inside a trashed project or heading, not inside a live one', () => {
    const entities = build(
      task('trashedProject', { tp: 1, st: 1, tr: true }),
      task('liveProject', { tp: 1, st: 1 }),
      task('trashedHeading', { tp: 2, st: 1, pr: [id('liveProject')], tr: true }),
      task('liveHeading', { tp: 2, st: 1, pr: [id('liveProject')] }),
      task('inTrashedProject', { st: 1, ss: 3, sp: 40, pr: [id('trashedProject')] }),
      task('inTrashedHeading', { st: 1, ss: 3, sp: 30, agr: [id('trashedHeading')] }),
      task('inLiveHeading', { st: 1, ss: 3, sp: 20, agr: [id('liveHeading')] }),
      task('inLiveProject', { st: 1, ss: 2, sp: 10, pr: [id('liveProject')] }),
    );
    expect(names(logbookView(entities, TODAY))).toEqual(['inLiveHeading', 'inLiveProject']);
  });
});

describe('projectView()', () => {
  it('lists only its own headings, by ix, and takes to-dos under a foreign heading as loose', () => {
    const entities = build(
      task('project', { tp: 1, st: 1 }),
      task('other', { tp: 1, st: 1 }),
      task('second', { tp: 2, st: 1, pr: [id('project')], ix: 2 }),
      task('first', { tp: 2, st: 1, pr: [id('project')], ix: 1 }),
      task('foreign', { tp: 2, st: 1, pr: [id('other')], ix: 0 }),
      task('strayTodo', { st: 1, pr: [id('project')], agr: [id('foreign')] }),
      task('underFirst', { st: 1, agr: [id('first')] }),
    );
    const view = projectView(entities, id('project'), TODAY);
    expect(view.sections.map((s) => [s.heading && nameOf(s.heading.id), names(s.rows)])).toEqual([
      [null, ['strayTodo']],
      ['first', ['underFirst']],
      ['second', []],
    ]);
  });
});

describe('areaView()', () => {
  it('is empty for an unknown or deleted area, even when to-dos still point to it', () => {
    const entities = build(
      area('gone'),
      deleted('gone', 'Area3'),
      task('orphan', { st: 1, ar: [id('gone')] }),
    );
    expect(areaView(entities, id('gone'), TODAY)).toEqual([]);
    expect(areaView(entities, id('unknownArea'), TODAY)).toEqual([]);
  });

  it('lists projects and loose open to-dos, not closed ones, headings or to-dos in a project', () => {
    const entities = build(
      area('area'),
      task('project', { tp: 1, st: 1, ar: [id('area')], ix: 0 }),
      task('inProject', { st: 1, ar: [id('area')], pr: [id('project')], ix: 1 }),
      task('heading', { tp: 2, st: 1, ar: [id('area')], pr: [id('project')], ix: 2 }),
      task('canceled', { st: 1, ar: [id('area')], ss: 2, sp: 3, ix: 3 }),
      task('loose', { st: 1, ar: [id('area')], ix: 4 }),
    );
    expect(names(areaView(entities, id('area'), TODAY))).toEqual(['project', 'loose']);
  });
});

describe('tagView()', () => {
  it('follows sub-tags to any depth, whatever the order tags were created in', () => {
    const entities = build(
      tag('grandchild', { pn: [id('child')] }),
      tag('child', { pn: [id('root')] }),
      tag('root'),
      tag('unrelated', { pn: [] }),
      task('deep', { st: 1, tg: [id('grandchild')], ix: 0 }),
      task('elsewhere', { st: 1, tg: [id('unrelated')], ix: 1 }),
      task('closed', { st: 1, tg: [id('root')], ss: 3, sp: 1, ix: 2 }),
      task('heading', { tp: 2, st: 1, tg: [id('root')], ix: 3 }),
    );
    expect(names(tagView(entities, id('root'), TODAY))).toEqual(['deep']);
  });
});

describe('searchView()', () => {
  it('finds a to-do by the title of one of its checklist items', () => {
    const entities = build(task('todo', { st: 1 }), {
      [id('item')]: { t: 0, e: 'ChecklistItem3', p: { tt: 'Needle here', ts: [id('todo')] } },
    });
    expect(names(searchView(entities, 'needle', TODAY))).toEqual(['todo']);
  });
});
