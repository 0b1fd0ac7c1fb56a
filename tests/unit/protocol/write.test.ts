import { describe, expect, it } from 'vitest';
import {
  areaCreate,
  areaModify,
  checklistItemCreate,
  checklistItemModify,
  decodePageText,
  deleteEvent,
  deltaNote,
  fullNote,
  groupText,
  jsonText,
  NATIVE_TASK_KEYS,
  nativeTaskPayload,
  pageBodyText,
  RawNumber,
  scheduleFields,
  sdkTaskPayload,
  tagCreate,
  tagModify,
  taskCreate,
  taskModify,
  tombstoneCreate,
  type CivilDate,
} from '../../../src/protocol/index.ts';
import { ID, ID2, TAG } from './support.ts';

const TODAY = '2025-11-02' as CivilDate;

/** The native-shaped create of spec 6.1 ("Pay rent"), as the spec prints it. */
const SPEC_6_1_CREATE = `{
  "tp": 0, "tt": "Pay rent", "nt": {"_t": "tx", "ch": 0, "v": "", "t": 1},
  "ss": 0, "sp": null, "st": 1, "sr": 1762041600, "tir": 1762041600,
  "dd": null, "dds": null, "do": 0, "cd": 1762076400.25, "md": null,
  "ix": 0, "ti": 0, "sb": 0, "tr": false,
  "ar": [], "pr": [], "agr": [], "tg": [], "dl": [], "rt": [], "rr": null,
  "icsd": null, "icp": false, "icc": 0, "acrd": null, "ato": null,
  "lai": null, "lt": false, "rmd": null, "rp": null,
  "xx": {"_t": "oo", "sn": {}}
}`;

describe('nativeTaskPayload()', () => {
  it('writes the spec 6.1 example byte for byte, keys in native order', () => {
    const p = nativeTaskPayload(1762076400.25, {
      tt: 'Pay rent',
      st: 1,
      sr: 1762041600,
      tir: 1762041600,
    });
    expect(jsonText(p)).toBe(JSON.stringify(JSON.parse(SPEC_6_1_CREATE)));
    expect(Object.keys(p)).toEqual([...NATIVE_TASK_KEYS]);
  });

  it('keeps the native order whatever order the overrides come in', () => {
    const p = nativeTaskPayload(new RawNumber('1736150412.4716659'), { xx: null, tp: 1, cd: 5 });
    expect(Object.keys(p)).toEqual([...NATIVE_TASK_KEYS]);
    expect(jsonText(p)).toMatch(/^\{"tp":1,.*"cd":5,.*"xx":null\}$/);
  });
});

describe('sdkTaskPayload()', () => {
  it('writes 15 keys with md = cd, and appends added keys in native order', () => {
    const cd = new RawNumber('1736150412.4716659');
    expect(Object.keys(sdkTaskPayload(cd, {}))).toEqual(
      'tp tt st ss sr tir dd ar pr agr tg ix cd md xx'.split(' '),
    );
    const p = sdkTaskPayload(cd, { sb: 1, nt: fullNote('x'), tt: 'T' });
    expect(Object.keys(p).slice(-2)).toEqual(['nt', 'sb']);
    expect(jsonText(p)).toContain('"cd":1736150412.4716659,"md":1736150412.4716659');
  });
});

describe('taskCreate()', () => {
  it('writes the 34 native keys with md null and a checksummed empty note', () => {
    const event = taskCreate({
      type: 0,
      title: 'Pay rent',
      schedule: scheduleFields('today', TODAY, false),
      index: 0,
      createdAt: 1762076400.25,
    });
    expect(event).toMatchObject({ t: 0, e: 'Task6' });
    expect(jsonText(event.p)).toBe(JSON.stringify(JSON.parse(SPEC_6_1_CREATE)));
  });

  it('maps containers, tags, notes and a deadline to their keys', () => {
    const p = taskCreate({
      type: 0,
      title: 'x',
      notes: 'hello',
      schedule: scheduleFields('evening', TODAY, true),
      deadline: '2025-11-05',
      areaId: ID,
      projectId: null,
      headingId: ID2,
      tagIds: [TAG],
      index: 3,
      createdAt: 1,
    }).p;
    expect(p).toMatchObject({
      nt: { _t: 'tx', ch: 907060870, v: 'hello', t: 1 },
      st: 1,
      sb: 1,
      dd: 1762300800,
      ar: [ID],
      pr: [],
      agr: [ID2],
      tg: [TAG],
      ix: 3,
    });
    const soon = {
      type: 0,
      title: '',
      schedule: scheduleFields('inbox', TODAY, false),
      deadline: 'soon',
      index: 1,
      createdAt: 1,
    } as const;
    expect(() => taskCreate(soon)).toThrow(/deadline must be a date YYYY-MM-DD, got "soon"/);
  });

  it('gives projects and headings st 1 even when asked for the Inbox', () => {
    const p = taskCreate({
      type: 2,
      title: 'H',
      schedule: { st: 0, sr: null, tir: null, sb: 0 },
      index: 1,
      createdAt: 1,
    }).p;
    expect(p['st']).toBe(1);
  });
});

describe('scheduleFields()', () => {
  it('follows spec 10.2 for every list and a date', () => {
    expect(scheduleFields('inbox', TODAY, false)).toEqual({ st: 0, sr: null, tir: null, sb: 0 });
    expect(scheduleFields('inbox', TODAY, true)).toEqual({ st: 1, sr: null, tir: null, sb: 0 });
    expect(scheduleFields('evening', TODAY, false)).toEqual({
      st: 1,
      sr: 1762041600,
      tir: 1762041600,
      sb: 1,
    });
    expect(scheduleFields('someday', TODAY, false)).toEqual({ st: 2, sr: null, tir: null, sb: 0 });
    expect(scheduleFields('2025-11-05', TODAY, false)).toEqual({
      st: 2,
      sr: 1762300800,
      tir: 1762300800,
      sb: 0,
    });
    expect(scheduleFields('2025-11-01', TODAY, false).st).toBe(1);
    expect(() => scheduleFields('tomorrow', TODAY, false)).toThrow(RangeError);
  });
});

describe('fullNote() and deltaNote()', () => {
  it('checksums the full text with CRC-32 of its UTF-8 bytes, keys in native order', () => {
    expect(jsonText(fullNote('hello'))).toBe('{"_t":"tx","ch":907060870,"v":"hello","t":1}');
  });

  it('writes patches as r, p, l, ch and drops anything else', () => {
    const patch = { r: 'Update', p: 26, l: 5, ch: 3672733299, extra: 1 };
    expect(jsonText(deltaNote([patch]))).toBe(
      '{"_t":"tx","t":2,"ps":[{"r":"Update","p":26,"l":5,"ch":3672733299}]}',
    );
  });
});

describe('the other entity kinds', () => {
  it('writes a ChecklistItem3 create with md null before cd, as the recorded native create', () => {
    const event = checklistItemCreate({ taskId: ID, title: 'x', index: 0, createdAt: 5 });
    expect(event).toMatchObject({ t: 0, e: 'ChecklistItem3' });
    expect(jsonText(event.p)).toBe(
      `{"tt":"x","ss":0,"sp":null,"ix":0,"ts":["${ID}"],"md":null,"cd":5,"lt":false,"xx":{"_t":"oo","sn":{}}}`,
    );
  });

  it('writes Area3, Tag4 and Tombstone2 creates', () => {
    expect(areaCreate({ title: 'Home', index: 2 })).toEqual({
      t: 0,
      e: 'Area3',
      p: { tt: 'Home', ix: 2, tg: [], xx: { _t: 'oo', sn: {} } },
    });
    expect(jsonText(tagCreate({ title: 'Errand', index: -1237, parentId: TAG }).p)).toBe(
      `{"tt":"Errand","ix":-1237,"sh":null,"pn":["${TAG}"],"xx":{"_t":"oo","sn":{}}}`,
    );
    expect(tagCreate({ title: 'High', index: 0, shortcut: '1' }).p).toMatchObject({
      sh: '1',
      pn: [],
    });
    expect(tombstoneCreate(ID, 9)).toEqual({ t: 0, e: 'Tombstone2', p: { dloid: ID, dld: 9 } });
  });

  it('writes sparse modifies with md last for tasks and checklist items, none for areas and tags', () => {
    expect(taskModify({ tt: 'a' }, 7)).toEqual({ t: 1, e: 'Task6', p: { tt: 'a', md: 7 } });
    expect(Object.keys(taskModify({ md: 1, tr: true }, 7).p)).toEqual(['md', 'tr']);
    expect(checklistItemModify({ ss: 3, sp: 7 }, 7)).toEqual({
      t: 1,
      e: 'ChecklistItem3',
      p: { ss: 3, sp: 7, md: 7 },
    });
    expect(areaModify({ tt: 'b' })).toEqual({ t: 1, e: 'Area3', p: { tt: 'b' } });
    expect(tagModify({ sh: null })).toEqual({ t: 1, e: 'Tag4', p: { sh: null } });
    expect(deleteEvent('Area3')).toEqual({ t: 2, e: 'Area3', p: {} });
  });
});

describe('jsonText()', () => {
  it('writes raw numbers verbatim and refuses numbers JSON cannot hold', () => {
    expect(jsonText([new RawNumber('1736150412.4716659'), 0.1, -0, 'é"'])).toBe(
      '[1736150412.4716659,0.1,0,"é\\""]',
    );
    expect(() => jsonText({ a: Number.NaN })).toThrow(RangeError);
    expect(() => jsonText(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('groupText() and pageBodyText()', () => {
  it('writes a page that the decoder reads back, envelope and groups as given', () => {
    const first = groupText([
      [
        ID,
        taskCreate({
          type: 0,
          title: 'T',
          schedule: scheduleFields('inbox', TODAY, false),
          index: 1,
          createdAt: new RawNumber('1762076400.25'),
        }),
      ],
      [ID2, checklistItemCreate({ taskId: ID, title: 'C', index: 0, createdAt: 1762076400.5 })],
    ]);
    const second = groupText([[TAG, deleteEvent('Tag4')]]);
    expect(second).toBe(`{"${TAG}":{"t":2,"e":"Tag4","p":{}}}`);
    const text = pageBodyText([first, second], {
      head: 42,
      schema: 301,
      startSize: 10,
      endSize: 20,
      latestSize: 30,
    });
    expect(text).toBe(
      `{"items":[${first},${second}],"current-item-index":42,"schema":301,` +
        '"start-total-content-size":10,"end-total-content-size":20,"latest-total-content-size":30}',
    );
    const page = decodePageText(text, { startIndex: 40 });
    expect(page).toMatchObject({
      currentItemIndex: 42,
      schema: 301,
      startTotalContentSize: 10,
      endTotalContentSize: 20,
      latestTotalContentSize: 30,
    });
    expect(page.groups.map((g) => g.items.map((i) => [i.ref.raw, i.action, i.kind.kind]))).toEqual([
      [
        [ID, 'create', 'Task6'],
        [ID2, 'create', 'ChecklistItem3'],
      ],
      [[TAG, 'delete', 'Tag4']],
    ]);
    expect(page.groups[0]?.items[0]?.payload).toMatchObject({ cd: 1762076400.25, tt: 'T' });
  });

  it('writes an empty page with no groups', () => {
    expect(
      pageBodyText([], { head: 0, schema: 301, startSize: 0, endSize: 0, latestSize: 0 }),
    ).toBe(
      '{"items":[],"current-item-index":0,"schema":301,"start-total-content-size":0,"end-total-content-size":0,"latest-total-content-size":0}',
    );
  });
});
