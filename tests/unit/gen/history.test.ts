import { beforeAll, describe, expect, it } from 'vitest';
import {
  generatePages,
  HistoryGenerator,
  resolveGenOptions,
  summarizeHistory,
  type GeneratedPage,
  type HistorySummary,
} from '../../../src/gen/index.ts';
import {
  foldPage,
  requireCivilDate,
  type Entity as EngineEntity,
} from '../../../src/engine/index.ts';
import { ACTIONS } from '../../../src/gen/actions/index.ts';
import {
  applyPatches,
  crc32,
  decodePageText,
  groupText,
  isCanonicalId,
  NATIVE_TASK_KEYS,
  type EntityRef,
  type Item,
  type Page,
} from '../../../src/protocol/index.ts';

interface Entity {
  family: string;
  tp: number;
  deleted: boolean;
  template: boolean;
  note: string;
}

/** Everything the 10k-item history is checked for; filled by one fold over all decoded pages. */
interface Census {
  items: number;
  groups: number;
  multiItemGroups: number;
  problems: string[];
  count: Map<string, number>;
}

function bump(census: Census, key: string, by = 1): void {
  census.count.set(key, (census.count.get(key) ?? 0) + by);
}

function get(census: Census, key: string): number {
  return census.count.get(key) ?? 0;
}

const DAY = 86400;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The wire payload `p` of a decoded item's raw event. */
function rawPayload(raw: unknown): Record<string, unknown> {
  if (!isRecord(raw)) return {};
  const p = raw['p'];
  return isRecord(p) ? p : {};
}

/** Folds the decoded history and checks consistency the way a careful reader would. */
function takeCensus(pages: readonly Page[], rawPages: readonly string[]): Census {
  const census: Census = {
    items: 0,
    groups: 0,
    multiItemGroups: 0,
    problems: [],
    count: new Map(),
  };
  const entities = new Map<string, Entity>();
  const kindsById = new Map<string, Set<string>>();
  let emptyTitleCreate: string | null = null;
  const problem = (item: Item, what: string): void => {
    if (census.problems.length < 20)
      census.problems.push(`${item.serverIndex} ${item.ref.raw}: ${what}`);
  };
  const live = (ref: EntityRef, family: string, item: Item, what: string, tp?: number): void => {
    const target = entities.get(ref.id);
    if (
      target === undefined ||
      target.deleted ||
      target.family !== family ||
      (tp !== undefined && target.tp !== tp)
    ) {
      problem(
        item,
        `${what} points at ${ref.raw}, which is not a live ${family}${tp === undefined ? '' : ` tp ${tp}`}`,
      );
    }
  };

  for (const page of pages) {
    for (const group of page.groups) {
      census.groups++;
      census.items += group.items.length;
      if (group.items.length > 1) census.multiItemGroups++;
      const groupKeys = new Set(group.items.map((i) => i.ref.raw));
      if (groupKeys.size !== group.items.length)
        census.problems.push(`${group.serverIndex}: duplicate key`);
      const pendingTitle = emptyTitleCreate;
      emptyTitleCreate = null;
      let completedTask = false;
      let completedChecklist = false;
      const createdTp = new Set<number>();

      for (const item of group.items) {
        const id = item.ref.id;
        const known = entities.get(id);
        bump(census, `kind:${item.kind.kind}`);
        if (item.ref.raw !== 'Settings' && !isCanonicalId(item.ref.raw))
          problem(item, 'non-canonical id');
        const set = kindsById.get(id) ?? new Set<string>();
        set.add(item.kind.kind);
        kindsById.set(id, set);

        if (item.family === 'opaque') {
          bump(census, `settings:${item.action}`);
          if (item.action === 'modify' && known === undefined)
            problem(item, 'settings modified before created');
          if (item.action === 'create')
            entities.set(id, {
              family: 'settings',
              tp: -1,
              deleted: false,
              template: false,
              note: '',
            });
          continue;
        }

        if (item.action === 'create') {
          if (known !== undefined && !known.deleted) problem(item, 'created twice');
          if (known?.deleted === true) bump(census, `resurrection:${item.family}`);
        } else if (known === undefined || known.deleted) {
          problem(
            item,
            `${item.action} of an entity that is ${known === undefined ? 'unknown' : 'deleted'}`,
          );
          continue;
        } else if (item.action === 'delete') {
          bump(census, `t2:${item.family}`);
          known.deleted = true;
          continue;
        }

        switch (item.family) {
          case 'tombstone': {
            const target = item.payload.dloid;
            if (target === undefined) {
              problem(item, 'tombstone without dloid');
              break;
            }
            const victim = entities.get(target.id);
            if (victim === undefined) bump(census, 'tombstone:unknown');
            else if (
              victim.deleted &&
              group.items.some((i) => i.ref.id === target.id && i.action === 'delete')
            ) {
              bump(census, `tombstone+t2:${victim.family}`);
            } else if (victim.deleted) problem(item, 'tombstone of a deleted entity');
            else {
              bump(census, `tombstone:${victim.family}`);
              victim.deleted = true;
            }
            entities.set(id, {
              family: 'tombstone',
              tp: -1,
              deleted: false,
              template: false,
              note: '',
            });
            break;
          }
          case 'area':
            if (item.action === 'create')
              entities.set(id, {
                family: 'area',
                tp: -1,
                deleted: false,
                template: false,
                note: '',
              });
            break;
          case 'tag': {
            const p = item.payload;
            if (item.action === 'create')
              entities.set(id, {
                family: 'tag',
                tp: -1,
                deleted: false,
                template: false,
                note: '',
              });
            for (const ref of p.pn ?? []) {
              live(ref, 'tag', item, 'pn');
              bump(census, 'tag:parent');
            }
            if (typeof p.sh === 'string') bump(census, 'tag:shortcut');
            break;
          }
          case 'checklistItem': {
            const p = item.payload;
            if (item.action === 'create') {
              entities.set(id, {
                family: 'checklistItem',
                tp: -1,
                deleted: false,
                template: false,
                note: '',
              });
              bump(census, `checklist:ix${Math.min(p.ix ?? -1, 3)}`);
            }
            for (const ref of p.ts ?? []) live(ref, 'task', item, 'ts', 0);
            if (p.ss === 3) completedChecklist = true;
            break;
          }
          case 'task': {
            const p = item.payload;
            const raw = { p: rawPayload(item.raw) };
            let entity = known;
            if (item.action === 'create') {
              entity = { family: 'task', tp: p.tp ?? 0, deleted: false, template: false, note: '' };
              entities.set(id, entity);
              createdTp.add(entity.tp);
              bump(census, `create:tp${entity.tp}`);
              const keys = Object.keys(raw.p);
              if (
                keys.length === NATIVE_TASK_KEYS.length &&
                NATIVE_TASK_KEYS.every((k) => keys.includes(k))
              ) {
                bump(census, 'create:native34');
                if (raw.p['md'] !== null) problem(item, 'native create with md set');
              } else bump(census, 'create:sdk');
              if (p.tt === '') {
                bump(census, 'create:emptyTitle');
                emptyTitleCreate = id;
              }
              if (p.rr !== undefined && p.rr !== null) {
                entity.template = true;
                bump(census, 'rr:create');
                if (p.icsd === undefined || p.icsd === null) problem(item, 'template without icsd');
              }
            } else {
              if (p.rr !== undefined && p.rr !== null) bump(census, 'rr:modify');
              if (p.icc !== undefined) bump(census, 'icc:modify');
              if (p.acrd !== undefined && p.acrd !== null) bump(census, 'acrd');
              if (p.tt !== undefined && pendingTitle === id) bump(census, 'emptyTitle:titled');
              if (p.ss === 3) {
                bump(census, 'complete');
                if (p.sp === undefined || p.sp === null) problem(item, 'completed without sp');
                completedTask = true;
              }
              if (p.ss === 2) bump(census, 'cancel');
              if (p.ss === 0) {
                bump(census, 'reopen');
                if (p.sp !== null) problem(item, 'reopened without sp null');
              }
              if (p.tr === true) bump(census, 'trash');
              if (p.tr === false) bump(census, 'putBack');
              if (p.tg !== undefined) bump(census, 'setTags');
              if (p.ti !== undefined) bump(census, 'ti');
              if (p.ato !== undefined) bump(census, 'ato');
              if (p.dds !== undefined && p.dds !== null) bump(census, 'dds');
              if (p.pr !== undefined || p.ar !== undefined || p.agr !== undefined)
                bump(census, 'move');
              if (raw.p['md'] === undefined) problem(item, 'task modify without md');
            }
            if (entity === undefined) break;
            if (p.sb === 1) bump(census, 'sb1');
            if (p.dd !== undefined && p.dd !== null) bump(census, 'dd');
            if (p.st === 2 && p.sr === null) bump(census, 'someday');
            if (p.st === 2 && typeof p.sr === 'string') bump(census, 'upcoming');
            if (p.st === 1 && typeof p.sr === 'string') bump(census, 'today');
            if (p.st === 0 && entity.tp === 0) bump(census, 'inbox');
            if (p.sr !== undefined && p.sr !== p.tir && !entity.template)
              problem(item, 'sr and tir differ');
            if ((p.rt ?? []).length > 0) bump(census, 'rt');
            for (const ref of p.rt ?? []) {
              const template = entities.get(ref.id);
              if (template?.template !== true) problem(item, 'rt does not point at a template');
            }
            for (const ref of p.ar ?? []) live(ref, 'area', item, 'ar');
            for (const ref of p.pr ?? []) live(ref, 'task', item, 'pr', 1);
            for (const ref of p.agr ?? []) live(ref, 'task', item, 'agr', 2);
            for (const ref of p.tg ?? []) live(ref, 'tag', item, 'tg');
            if (entity.tp === 0 && (p.agr ?? []).length > 0) bump(census, 'underHeading');
            if (entity.tp === 0 && (p.pr ?? []).length > 0) bump(census, 'inProject');
            if (entity.tp === 1 && (p.ar ?? []).length > 0) bump(census, 'projectInArea');
            const note = p.nt;
            if (note === null) entity.note = '';
            else if (note !== undefined) {
              if (note.form === 'full') {
                if (note.checksum !== crc32(note.text)) problem(item, 'full note checksum');
                entity.note = note.text;
                if (note.text !== '') bump(census, 'note:full');
                if (/[\u0080-\u{10ffff}]/u.test(note.text)) bump(census, 'note:nonAscii');
                if (/\p{Extended_Pictographic}/u.test(note.text)) bump(census, 'note:emoji');
              } else if (note.form === 'delta') {
                bump(census, 'note:delta');
                if (note.patches.length > 1) bump(census, 'note:multiPatch');
                const result = applyPatches(entity.note, note.patches, { checked: true });
                if (!result.checks.every((c) => c.matches === true))
                  problem(item, 'delta checksum mismatch');
                else bump(census, 'note:deltaVerified');
                entity.note = result.text;
              } else problem(item, `note form ${note.form}`);
            }
            break;
          }
        }
      }
      if (completedTask && completedChecklist) bump(census, 'group:completeWithChecklist');
      if (createdTp.has(1) && createdTp.has(2) && createdTp.has(0))
        bump(census, 'group:projectWithHeadingsAndTodos');
    }
  }
  for (const kinds of kindsById.values()) {
    if (kinds.has('Task6') && kinds.has('Task7')) bump(census, 'mixedKinds');
  }
  // Instants: 6–7 decimals on most; day stamps at UTC midnight.
  for (const text of rawPages) {
    for (const m of text.matchAll(/"(?:cd|sp|dld)":(\d+)(?:\.(\d+))?/g)) {
      const decimals = m[2]?.length ?? 0;
      bump(census, decimals >= 6 ? 'instant:6-7' : 'instant:short');
      if (decimals > 7) census.problems.push(`instant with ${decimals} decimals`);
    }
    for (const m of text.matchAll(/"(?:sr|tir|dd|dds|icsd|acrd)":(\d+(?:\.\d+)?)/g)) {
      if (Number(m[1]) % DAY !== 0) census.problems.push(`day stamp ${m[1]} not at UTC midnight`);
    }
  }
  return census;
}

function generate(
  items: number,
  seed: string | number,
  pageGroups = 500,
): {
  summary: HistorySummary;
  pages: GeneratedPage[];
} {
  const options = resolveGenOptions({ items, seed, pageGroups });
  const summary = summarizeHistory(options);
  return { summary, pages: [...generatePages(options, summary)] };
}

describe('generatePages()', () => {
  let summary: HistorySummary;
  let pages: GeneratedPage[];
  let decoded: Page[];
  let census: Census;

  beforeAll(() => {
    ({ summary, pages } = generate(10_000, 1));
    decoded = pages.map((p) => decodePageText(p.text, { startIndex: p.startIndex }));
    census = takeCensus(
      decoded,
      pages.map((p) => p.text),
    );
  });

  it('produces exactly the requested number of items', () => {
    expect(summary.items).toBe(10_000);
    expect(census.items).toBe(10_000);
    expect(census.groups).toBe(summary.groups);
  });

  it('writes pages that decode without errors or warnings', () => {
    expect(decoded).toHaveLength(Math.ceil(summary.groups / 500));
    const warnings = decoded.flatMap((p) => [
      ...p.warnings,
      ...p.groups.flatMap((g) => g.items.flatMap((i) => i.warnings)),
    ]);
    expect(warnings).toEqual([]);
  });

  it('fills the envelope consistently: head, schema and chained content sizes', () => {
    let start = 0;
    let expectedStart = 0;
    for (const [i, page] of decoded.entries()) {
      expect(page.startIndex).toBe(expectedStart);
      expect(page.currentItemIndex).toBe(summary.groups);
      expect(page.schema).toBe(301);
      expect(page.startTotalContentSize).toBe(start);
      expect(page.latestTotalContentSize).toBe(summary.totalContentSize);
      // The page's items text, minus the commas between groups, is what the sizes count.
      const text = pages[i]?.text ?? '';
      const itemsText = text.slice('{"items":['.length, text.indexOf('],"current-item-index"'));
      const bytes = new TextEncoder().encode(itemsText).length - (page.groups.length - 1);
      expect(page.endTotalContentSize).toBe(start + bytes);
      start = page.endTotalContentSize ?? -1;
      expectedStart += page.groups.length;
    }
    expect(start).toBe(summary.totalContentSize);
  });

  it('keeps the history consistent: no edits of unknown or deleted entities, live references', () => {
    expect(census.problems).toEqual([]);
  });

  it('folds through the engine with only the deliberate anomalies', () => {
    const state = new Map<string, EngineEntity>();
    const codes = new Map<string, number>();
    const context = {
      timeZone: 'Europe/Berlin',
      referenceDate: requireCivilDate('2025-03-01', 'referenceDate'),
    };
    for (const page of decoded) {
      const result = foldPage({ get: (id) => state.get(id) }, page.groups, context);
      for (const [id, entity] of result.entities) state.set(id, entity);
      for (const anomaly of result.anomalies)
        codes.set(anomaly.code, (codes.get(anomaly.code) ?? 0) + 1);
    }
    // Task6/Task7 on one id and tombstones of never-created ids are generated on purpose.
    expect([...codes.keys()].sort()).toEqual(['KIND_VERSION_CHANGE', 'TOMBSTONE_UNKNOWN_TARGET']);
  });

  it('contains every feature of a real account', () => {
    const minimum: Record<string, number> = {
      'kind:Area3': 5,
      'kind:Tag4': 10,
      'kind:Task6': 1000,
      'kind:Task7': 300,
      'kind:ChecklistItem3': 300,
      'kind:Tombstone2': 20,
      'kind:Settings5': 2,
      'settings:create': 1,
      'create:tp0': 1000,
      'create:tp1': 50,
      'create:tp2': 50,
      'create:native34': 1000,
      'create:sdk': 50,
      'create:emptyTitle': 50,
      'emptyTitle:titled': 50,
      'tag:parent': 2,
      'tag:shortcut': 2,
      'checklist:ix0': 50,
      'checklist:ix1': 30,
      'checklist:ix3': 5,
      't2:task': 20,
      't2:checklistItem': 5,
      't2:tag': 1,
      't2:area': 1,
      'tombstone:task': 10,
      'tombstone:checklistItem': 5,
      'tombstone:tag': 1,
      'tombstone:area': 1,
      'tombstone:unknown': 1,
      'note:full': 100,
      'note:nonAscii': 20,
      'note:emoji': 10,
      'note:delta': 200,
      'note:multiPatch': 30,
      'note:deltaVerified': 200,
      'rr:create': 10,
      'rr:modify': 1,
      'icc:modify': 20,
      rt: 20,
      sb1: 50,
      dd: 100,
      today: 200,
      someday: 50,
      upcoming: 100,
      inbox: 300,
      inProject: 200,
      underHeading: 50,
      projectInArea: 10,
      complete: 300,
      cancel: 30,
      reopen: 30,
      trash: 50,
      putBack: 10,
      setTags: 50,
      move: 50,
      ti: 50,
      ato: 10,
      mixedKinds: 100,
      'group:completeWithChecklist': 5,
      'group:projectWithHeadingsAndTodos': 10,
      'instant:6-7': 5000,
      'resurrection:task': 1,
      acrd: 1,
      dds: 1,
      'settings:modify': 5,
    };
    const missing = Object.entries(minimum)
      .filter(([key, min]) => get(census, key) < min)
      .map(([key, min]) => `${key}: ${get(census, key)} < ${min}`);
    expect(missing).toEqual([]);
    expect(census.multiItemGroups).toBeGreaterThan(500);
  });

  it('produces exact item counts for small and odd sizes', () => {
    for (const n of [1, 2, 3, 17, 499, 1001]) {
      const small = generate(n, `small-${n}`, 7);
      const items = small.pages
        .map((p) => decodePageText(p.text, { startIndex: p.startIndex }))
        .reduce((sum, p) => sum + p.groups.reduce((s, g) => s + g.items.length, 0), 0);
      expect(items).toBe(n);
      expect(small.pages.every((p) => p.groups <= 7)).toBe(true);
    }
  });

  it('repeats itself exactly for one seed and differs for another', () => {
    const again = generate(10_000, 1);
    expect(again.pages.map((p) => p.text)).toEqual(pages.map((p) => p.text));
    const other = generate(10_000, 2);
    expect(other.pages[0]?.text).not.toBe(pages[0]?.text);
  });
});

describe('HistoryGenerator', () => {
  it('uses the start date and zone: the first group is on the start day, in the morning', () => {
    const generator = new HistoryGenerator(
      resolveGenOptions({ items: 5, seed: 'z', timeZone: 'Asia/Tokyo', start: '2030-06-01' })
        .history,
    );
    const groups = [...generator.groups()];
    expect(groups.reduce((n, g) => n + g.length, 0)).toBe(5);
    // 2030-06-01 07:00–09:30 in Tokyo (UTC+9) is 2030-05-31 22:00 – 2030-06-01 00:30 UTC.
    const start = Date.UTC(2030, 4, 31, 22) / 1000;
    expect(generator.clock).toBeGreaterThan(start);
    expect(generator.clock).toBeLessThan(start + 86400);
    expect(groupText(groups[0] ?? [])).toMatch(/^\{"Settings":\{"t":0,"e":"Settings5"/);
  });

  it('counts the actions it ran', () => {
    const generator = new HistoryGenerator(resolveGenOptions({ items: 3000, seed: 9 }).history);
    for (const group of generator.groups()) void group;
    expect(generator.actionCounts.get('createTodo')).toBeGreaterThan(100);
    expect(generator.actionCounts.get('deltaNote')).toBeGreaterThan(10);
  });

  it('runs every action of its table in a 20,000-item history', () => {
    const generator = new HistoryGenerator(resolveGenOptions({ items: 20_000, seed: 9 }).history);
    for (const group of generator.groups()) void group;
    const ran = new Set<string>(generator.actionCounts.keys());
    const never = Object.keys(ACTIONS).filter((name) => !ran.has(name));
    expect(never).toEqual([]);
    expect(generator.actionCounts.size).toBe(Object.keys(ACTIONS).length);
  });
});

describe('resolveGenOptions()', () => {
  it.each([
    [{ items: 0, seed: 1 }, '--items'],
    [{ items: 1.5, seed: 1 }, '--items'],
    [{ items: 10, seed: '' }, '--seed'],
    [{ items: 10, seed: 1, pageGroups: 0 }, '--page-groups'],
    [{ items: 10, seed: 1, timeZone: 'Mars/Base' }, '--time-zone'],
    [{ items: 10, seed: 1, start: '2025-02-30' }, '--start'],
  ])('rejects %j with INVALID_OPTION naming %s', (options, name) => {
    expect(() => resolveGenOptions(options)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining(name) }),
    );
  });

  it('fills in the defaults', () => {
    expect(resolveGenOptions({ items: 1, seed: 's' })).toMatchObject({
      pageGroups: 500,
      timeZone: 'Europe/Berlin',
      start: '2025-01-06',
    });
  });
});
