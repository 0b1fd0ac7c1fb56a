import { describe, expect, it } from 'vitest';

import {
  decodePage,
  decodePageText,
  DecodeError,
  nativeTaskPayload,
} from '../../../src/protocol/index.ts';
import type { Item, Page } from '../../../src/protocol/index.ts';
import { decodeError, decodeEvent, ID, ID2, TAG, page } from './support.ts';
import { newItemContext } from '../../../src/protocol/decode-item.ts';

function payloadOf(item: Item): Record<string, unknown> {
  return { ...item.payload };
}

describe('decodePage() envelope', () => {
  it('reads the envelope fields and keeps unknown keys in extra', () => {
    const decoded = decodePage(
      page([{}], {
        'current-item-index': 43,
        'start-total-content-size': 10,
        'end-total-content-size': 20,
        'latest-total-content-size': 30,
        'new-server-field': { x: 1 },
      }),
      { startIndex: 42 },
    );
    expect(decoded).toEqual({
      startIndex: 42,
      groups: [{ serverIndex: 42, items: [] }],
      currentItemIndex: 43,
      schema: 301,
      startTotalContentSize: 10,
      endTotalContentSize: 20,
      latestTotalContentSize: 30,
      extra: { 'new-server-field': { x: 1 } },
      warnings: [],
    });
  });

  it('reads latest-schema-version when schema is absent, and keeps it in extra otherwise', () => {
    const fallback = decodePage(
      { items: [], 'current-item-index': 0, 'latest-schema-version': 300 },
      { startIndex: 0 },
    );
    expect(fallback.schema).toBe(300);
    expect(fallback.extra).toEqual({});
    const both = decodePage(page([], { 'latest-schema-version': 299 }), { startIndex: 0 });
    expect(both.schema).toBe(301);
    expect(both.extra).toEqual({ 'latest-schema-version': 299 });
  });

  it('reports a missing schema and content sizes as null', () => {
    const decoded = decodePage({ items: [], 'current-item-index': 0 }, { startIndex: 0 });
    expect(decoded.schema).toBeNull();
    expect(decoded.startTotalContentSize).toBeNull();
    expect(decoded.endTotalContentSize).toBeNull();
    expect(decoded.latestTotalContentSize).toBeNull();
    expect(decoded.warnings).toMatchObject([{ code: 'SCHEMA_MISSING', path: 'schema' }]);
  });

  it('accepts a schema up to maxSchema and rejects a newer one', () => {
    expect(decodePage(page([], { schema: 302 }), { startIndex: 0, maxSchema: 302 }).schema).toBe(
      302,
    );
    expect(
      decodeError(() => decodePage(page([], { schema: 302 }), { startIndex: 0 })),
    ).toMatchObject({
      code: 'UNSUPPORTED_SCHEMA',
      location: { path: 'schema' },
    });
  });

  it('numbers groups from startIndex and keeps empty groups as positions', () => {
    const decoded = decodePage(
      page([{}, { [ID]: { t: 1, e: 'Task6', p: { tt: 'x' } } }, {}], { 'current-item-index': 103 }),
      { startIndex: 100 },
    );
    expect(decoded.groups.map((group) => [group.serverIndex, group.items.length])).toEqual([
      [100, 0],
      [101, 1],
      [102, 0],
    ]);
    expect(decoded.groups[1]?.items[0]?.serverIndex).toBe(101);
    expect(decoded.warnings).toEqual([]);
  });

  it('keeps the items of a group in key order with their positions', () => {
    const decoded = decodePage(
      page([
        {
          [ID2]: { t: 0, e: 'ChecklistItem3', p: { tt: 'a', ts: [ID] } },
          [ID]: { t: 1, e: 'Task6', p: { tt: 'b' } },
          Settings: { t: 0, e: 'Settings5', p: {} },
        },
      ]),
      { startIndex: 0 },
    );
    expect(
      decoded.groups[0]?.items.map((item) => [item.position, item.ref.raw, item.family]),
    ).toEqual([
      [0, ID2, 'checklistItem'],
      [1, ID, 'task'],
      [2, 'Settings', 'opaque'],
    ]);
  });

  it('warns when start + groups exceeds current-item-index', () => {
    const decoded = decodePage(page([{}, {}, {}], { 'current-item-index': 4 }), { startIndex: 2 });
    expect(decoded.warnings).toMatchObject([
      { code: 'PAGE_BEYOND_HEAD', path: 'current-item-index' },
    ]);
  });

  it('warns when the head is below the start and when an empty page makes no progress', () => {
    expect(
      decodePage(page([], { 'current-item-index': 3 }), { startIndex: 5 }).warnings,
    ).toMatchObject([{ code: 'HEAD_BEFORE_START' }]);
    expect(
      decodePage(page([], { 'current-item-index': 9 }), { startIndex: 5 }).warnings,
    ).toMatchObject([{ code: 'EMPTY_PAGE_BEFORE_HEAD', path: 'items' }]);
    expect(decodePage(page([], { 'current-item-index': 5 }), { startIndex: 5 }).warnings).toEqual(
      [],
    );
  });

  it('warns about contradicting content sizes', () => {
    const decoded = decodePage(
      page([], {
        'start-total-content-size': 50,
        'end-total-content-size': 40,
        'latest-total-content-size': 30,
      }),
      { startIndex: 0 },
    );
    expect(decoded.warnings.map((w) => w.code)).toEqual([
      'CONTENT_SIZE_INCONSISTENT',
      'CONTENT_SIZE_INCONSISTENT',
    ]);
  });

  it('throws RangeError for a bad startIndex (a programmer mistake)', () => {
    expect(() => decodePage(page([]), { startIndex: -1 })).toThrow(RangeError);
    expect(() => decodePage(page([]), { startIndex: 1.5 })).toThrow(RangeError);
  });
});

describe('decodePageText()', () => {
  it('parses and decodes a page body', () => {
    const decoded = decodePageText(JSON.stringify(page([{ [ID]: { t: 2, e: 'Task6', p: {} } }])), {
      startIndex: 7,
    });
    expect(decoded.groups[0]?.items[0]).toMatchObject({ serverIndex: 7, action: 'delete' });
  });

  it('reports invalid JSON with the location and the character position', () => {
    const error = decodeError(() =>
      decodePageText('{"items": [', { startIndex: 0, location: { fixture: 'inbox', page: 3 } }),
    );
    expect(error.code).toBe('INVALID_JSON');
    expect(error.location).toEqual({ fixture: 'inbox', page: 3 });
    expect(error.message).toMatch(/^Cannot decode fixture "inbox", page 3: invalid JSON/);
    expect(error.reason).toMatch(/^invalid JSON: the text ends early \(11 characters, line 1\)/);
    const positioned = decodeError(() => decodePageText('{"items":\n  x}', { startIndex: 0 }));
    expect(positioned.reason).toMatch(/^invalid JSON at character 12 of 14 \(line 2, column 3\)/);
    expect(positioned.cause).toBeInstanceOf(SyntaxError);
  });
});

describe('decodePage() events', () => {
  it('decodes the three actions', () => {
    expect(decodeEvent({ t: 0, e: 'Task6', p: { tt: 'a' } }).action).toBe('create');
    expect(decodeEvent({ t: 1, e: 'Task6', p: { tt: 'a' } }).action).toBe('modify');
    expect(decodeEvent({ t: 2, e: 'Task6', p: {} }).action).toBe('delete');
  });

  it('accepts a delete whose payload is missing, null or empty', () => {
    for (const event of [
      { t: 2, e: 'Task6' },
      { t: 2, e: 'Task6', p: null },
      { t: 2, e: 'Task6', p: {} },
    ]) {
      const item = decodeEvent(event);
      expect(item).toMatchObject({ action: 'delete', family: 'task', payload: { extra: {} } });
      expect(Object.keys(item.payload)).toEqual(['extra']);
    }
  });

  it('keeps the event as parsed in raw, unknown event keys included', () => {
    const event = { t: 1, e: 'Task6', p: { tt: 'a' }, zz: [1] };
    const item = decodeEvent(event);
    expect(item.raw).toBe(event);
    expect(item.kind).toEqual({
      kind: 'Task6',
      class: 'entity',
      family: 'task',
      version: 6,
      legacy: false,
    });
    expect(item.ref).toEqual({ raw: ID, id: ID, form: 'base58' });
    expect(item.warnings).toEqual([]);
  });

  it('keeps metadata, newer versions and unknown families opaque with the raw payload', () => {
    const settings = decodeEvent(
      { t: 0, e: 'Settings3', p: { ld: 1416697200, grpt: false, li: 0 } },
      'Settings',
    );
    expect(settings).toMatchObject({
      family: 'opaque',
      kind: { class: 'metadata', family: 'settings' },
      payload: { raw: { ld: 1416697200, grpt: false, li: 0 } },
      warnings: [],
    });
    const marker = decodeEvent({ t: 1, e: '-', p: 5 }, 'Settings');
    expect(marker).toMatchObject({
      family: 'opaque',
      payload: { raw: 5 },
      kind: { class: 'metadata' },
    });
    const newer = decodeEvent({ t: 0, e: 'Task8', p: { tt: 42, weird: true } });
    expect(newer).toMatchObject({ family: 'opaque', kind: { class: 'newerVersion', version: 8 } });
    expect(newer.payload).toEqual({ raw: { tt: 42, weird: true } });
    const unknown = decodeEvent({ t: 1, e: 'Widget3' });
    expect(unknown).toMatchObject({ family: 'opaque', kind: { class: 'unknownFamily' } });
    expect(unknown.payload).toEqual({ raw: undefined });
    const command = decodeEvent({
      t: 0,
      e: 'Command',
      p: { tp: 1, cd: 1.5, if: { nt: 'secret' } },
    });
    expect(command).toMatchObject({
      family: 'opaque',
      kind: { class: 'metadata', family: 'command' },
    });
  });
});

describe('decodePage() task payload', () => {
  // [key, wire value, decoded value]
  const KEYS: [string, unknown, unknown][] = [
    ['tp', 1, 1],
    ['tt', 'Pay rent', 'Pay rent'],
    ['tt', '', ''],
    ['ss', 3, 3],
    ['sp', 1378126072.3603289, 1378126072.3603289],
    ['st', 2, 2],
    ['sr', 1377993600, '2013-09-01'],
    ['tir', 1770681600, '2026-02-10'],
    ['dd', 1762041600, '2025-11-02'],
    ['dds', 1700000000.25, '2023-11-14'],
    ['do', 0, 0],
    ['cd', 1762076400.25, 1762076400.25],
    ['md', 1495911948, 1495911948],
    ['ix', -269, -269],
    ['ti', -11332, -11332],
    ['sb', 1, 1],
    ['tr', true, true],
    ['ar', [ID2], [{ raw: ID2, id: ID2, form: 'base58' }]],
    ['pr', [ID2], [{ raw: ID2, id: ID2, form: 'base58' }]],
    ['agr', [], []],
    [
      'tg',
      [TAG, ID2],
      [
        { raw: TAG, id: TAG, form: 'base58' },
        { raw: ID2, id: ID2, form: 'base58' },
      ],
    ],
    ['dl', [], []],
    ['rt', [ID2], [{ raw: ID2, id: ID2, form: 'base58' }]],
    ['icsd', 1762041600, '2025-11-02'],
    ['icp', false, false],
    ['icc', 4, 4],
    ['acrd', 1762041600, '2025-11-02'],
    ['ato', 32400, 32400],
    ['lai', 1762076400.5, 1762076400.5],
    ['lt', false, false],
    ['rmd', 64092211200, '4001-01-01'],
    ['rp', { anything: [1] }, { anything: [1] }],
    ['xx', { _t: 'oo', sn: {} }, { _t: 'oo', sn: {} }],
  ];

  it.each(KEYS)('decodes %s = %j', (key, wire, decoded) => {
    const item = decodeEvent({ t: 1, e: 'Task6', p: { [key]: wire } });
    expect(item.payload).toEqual({ [key]: decoded, extra: {} });
  });

  const NULLABLE = [
    'nt',
    'sp',
    'sr',
    'tir',
    'dd',
    'dds',
    'cd',
    'md',
    'rr',
    'icsd',
    'acrd',
    'ato',
    'lai',
    'rmd',
    'rp',
    'xx',
  ];
  it.each(NULLABLE)('keeps an explicit null for %s', (key) => {
    const item = decodeEvent({ t: 1, e: 'Task7', p: { [key]: null } });
    expect(payloadOf(item)).toEqual({ [key]: null, extra: {} });
  });

  const NOT_NULLABLE = [
    'tp',
    'tt',
    'ss',
    'st',
    'do',
    'ix',
    'ti',
    'sb',
    'tr',
    'ar',
    'pr',
    'agr',
    'tg',
    'dl',
    'rt',
    'icp',
    'icc',
    'lt',
  ];
  it.each(NOT_NULLABLE)('rejects null for %s as WRONG_TYPE', (key) => {
    const error = decodeError(() => decodeEvent({ t: 1, e: 'Task6', p: { [key]: null } }));
    expect(error.code).toBe('WRONG_TYPE');
    expect(error.location.path).toBe(`p.${key}`);
  });

  it('leaves absent keys absent on a sparse modify', () => {
    const item = decodeEvent({ t: 1, e: 'Task6', p: { ss: 3, sp: 1.5, md: 2.5 } });
    expect(item.payload).toEqual({ ss: 3, sp: 1.5, md: 2.5, extra: {} });
    expect('dd' in item.payload).toBe(false);
  });

  it('keeps unknown payload keys in extra', () => {
    const item = decodeEvent({ t: 1, e: 'Task6', p: { tt: 'a', zz: { y: 1 }, __proto__x: 1 } });
    expect(item.payload).toEqual({ tt: 'a', extra: { zz: { y: 1 }, __proto__x: 1 } });
  });

  it('keeps a __proto__ payload key as data in extra', () => {
    const item = decodePageText(
      JSON.stringify(page([{ [ID]: { t: 1, e: 'Task6', p: {} } }])).replace(
        '"p":{}',
        '"p":{"__proto__":{"tt":1}}',
      ),
      { startIndex: 0 },
    ).groups[0]?.items[0];
    const extra = item?.family === 'task' ? item.payload.extra : undefined;
    expect(extra).toHaveProperty('__proto__', { tt: 1 });
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
  });

  it('decodes the 34-key native create of spec 6.1', () => {
    // The writer's create is the spec's example byte for byte (tests/unit/protocol/write.test.ts).
    const p = nativeTaskPayload(1762076400.25, {
      tt: 'Pay rent',
      st: 1,
      sr: 1762041600,
      tir: 1762041600,
    });
    const item = decodeEvent({ t: 0, e: 'Task6', p }, 'Kd5u6PEbkZ7qGDTvY4yYNi');
    expect(item.family).toBe('task');
    expect(item.payload).toMatchObject({
      nt: { form: 'full', text: '', checksum: 0 },
      sr: '2025-11-02',
      tir: '2025-11-02',
      md: null,
      cd: 1762076400.25,
      xx: { _t: 'oo', sn: {} },
      extra: {},
    });
    expect(Object.keys(item.payload)).toHaveLength(35);
  });

  it('rejects wrong types, fractional integers and negative enums', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ sr: '2024-01-01' }, 'WRONG_TYPE', 'p.sr'],
      [{ tt: 5 }, 'WRONG_TYPE', 'p.tt'],
      [{ tr: 0 }, 'WRONG_TYPE', 'p.tr'],
      [{ ix: 1.5 }, 'OUT_OF_RANGE', 'p.ix'],
      [{ ss: -1 }, 'OUT_OF_RANGE', 'p.ss'],
      [{ ix: 2 ** 53 }, 'OUT_OF_RANGE', 'p.ix'],
      [{ sr: 1e15 }, 'OUT_OF_RANGE', 'p.sr'],
      [{ md: '1' }, 'WRONG_TYPE', 'p.md'],
      [{ tg: 'x' }, 'NOT_AN_ARRAY', 'p.tg'],
      [{ tg: [TAG, 1] }, 'WRONG_TYPE', 'p.tg[1]'],
      [{ nt: 5 }, 'WRONG_TYPE', 'p.nt'],
      [{ rr: [] }, 'NOT_AN_OBJECT', 'p.rr'],
    ];
    for (const [p, code, path] of cases) {
      expect(decodeError(() => decodeEvent({ t: 1, e: 'Task6', p })).location.path).toBe(path);
      expect(decodeError(() => decodeEvent({ t: 1, e: 'Task6', p })).code).toBe(code);
    }
  });
});

describe('decodePage() notes', () => {
  const note = (nt: unknown): unknown => decodeEvent({ t: 1, e: 'Task7', p: { nt } }).payload;

  it('decodes every note form', () => {
    expect(note(null)).toEqual({ nt: null, extra: {} });
    expect(note('<note xml:space="preserve">test body pm</note>')).toEqual({
      nt: { form: 'plain', text: '<note xml:space="preserve">test body pm</note>' },
      extra: {},
    });
    expect(note({ _t: 'tx', ch: 907060870, v: 'hello', t: 1 })).toEqual({
      nt: { form: 'full', text: 'hello', checksum: 907060870 },
      extra: {},
    });
    expect(note({ _t: 'tx', v: 'hello', t: 1 })).toEqual({
      nt: { form: 'full', text: 'hello', checksum: null },
      extra: {},
    });
    expect(
      note({
        _t: 'tx',
        t: 2,
        ps: [
          { r: 'Update', p: 26, l: 5, ch: 3672733299 },
          { r: '', p: -3, l: 0 },
        ],
      }),
    ).toEqual({
      nt: {
        form: 'delta',
        patches: [
          { replacement: 'Update', position: 26, length: 5, checksum: 3672733299 },
          { replacement: '', position: -3, length: 0, checksum: null },
        ],
      },
      extra: {},
    });
    expect(note({ _t: 'tx', t: 3, v: 'x' })).toEqual({
      nt: { form: 'unknown', raw: { _t: 'tx', t: 3, v: 'x' } },
      extra: {},
    });
    expect(note({ _t: 'rtf', t: 1, v: 'x' })).toEqual({
      nt: { form: 'unknown', raw: { _t: 'rtf', t: 1, v: 'x' } },
      extra: {},
    });
  });

  it('rejects malformed note objects with INVALID_NOTE and the patch path', () => {
    const cases: [unknown, string, string][] = [
      [{ _t: 'tx', t: 1 }, 'INVALID_NOTE', 'p.nt.v'],
      [{ _t: 'tx', t: 1, v: 'x', ch: -1 }, 'INVALID_NOTE', 'p.nt.ch'],
      [{ _t: 'tx', t: 1, v: 'x', ch: 2 ** 32 }, 'INVALID_NOTE', 'p.nt.ch'],
      [{ _t: 'tx', t: 2 }, 'INVALID_NOTE', 'p.nt.ps'],
      [{ _t: 'tx', t: 2, ps: {} }, 'INVALID_NOTE', 'p.nt.ps'],
      [{ _t: 'tx', t: 2, ps: [1] }, 'INVALID_NOTE', 'p.nt.ps[0]'],
      [{ _t: 'tx', t: 2, ps: [{ p: 0, l: 0 }] }, 'INVALID_NOTE', 'p.nt.ps[0].r'],
      [
        {
          _t: 'tx',
          t: 2,
          ps: [
            { r: '', p: 0, l: 0 },
            { r: '', p: 0.5, l: 0 },
          ],
        },
        'INVALID_NOTE',
        'p.nt.ps[1].p',
      ],
      [{ _t: 'tx', t: 2, ps: [{ r: '', p: 0, l: '1' }] }, 'INVALID_NOTE', 'p.nt.ps[0].l'],
      [
        { _t: 'tx', t: 2, ps: [{ r: '', p: 2 ** 31 + 1, l: 0 }] },
        'NOTE_PATCH_TOO_LARGE',
        'p.nt.ps[0].p',
      ],
      [
        { _t: 'tx', t: 2, ps: [{ r: '', p: 0, l: -(2 ** 40) }] },
        'NOTE_PATCH_TOO_LARGE',
        'p.nt.ps[0].l',
      ],
    ];
    for (const [nt, code, path] of cases) {
      const error = decodeError(() => note(nt));
      expect([error.code, error.location.path]).toEqual([code, path]);
    }
  });

  it('accepts patch offsets of exactly ±2^31 and a 1 MiB replacement, rejects one byte more', () => {
    expect(note({ _t: 'tx', t: 2, ps: [{ r: 'x', p: 2 ** 31, l: -(2 ** 31) }] })).toMatchObject({
      nt: { form: 'delta' },
    });
    expect(note({ _t: 'tx', t: 2, ps: [{ r: 'é'.repeat(512 * 1024), p: 0, l: 0 }] })).toMatchObject(
      {
        nt: { form: 'delta' },
      },
    );
    const error = decodeError(() =>
      note({ _t: 'tx', t: 2, ps: [{ r: `${'é'.repeat(512 * 1024)}x`, p: 0, l: 0 }] }),
    );
    expect([error.code, error.location.path]).toEqual(['NOTE_PATCH_TOO_LARGE', 'p.nt.ps[0].r']);
  });
});

describe('decodePage() recurrence rules', () => {
  it('decodes every rr key with day stamps as civil dates and keeps unknown keys', () => {
    const rr = {
      rrv: 4,
      tp: 0,
      fu: 256,
      fa: 2,
      of: [{ wd: 1 }, { wd: 4, wdo: -1 }],
      ia: 1762128000,
      sr: 1762128000,
      ed: 64092211200,
      rc: 0,
      ts: 0,
      zz: 'kept',
    };
    const item = decodeEvent({ t: 1, e: 'Task6', p: { rr } });
    expect(item.payload).toEqual({
      rr: {
        rrv: 4,
        tp: 0,
        fu: 256,
        fa: 2,
        of: [{ wd: 1 }, { wd: 4, wdo: -1 }],
        ia: '2025-11-03',
        sr: '2025-11-03',
        ed: '4001-01-01',
        rc: 0,
        ts: 0,
        extra: { zz: 'kept' },
      },
      extra: {},
    });
  });

  it('keeps null dates inside rr and rejects malformed offsets', () => {
    expect(decodeEvent({ t: 1, e: 'Task6', p: { rr: { ed: null } } }).payload).toEqual({
      rr: { ed: null, extra: {} },
      extra: {},
    });
    const cases: [unknown, string, string][] = [
      [{ of: {} }, 'NOT_AN_ARRAY', 'p.rr.of'],
      [{ of: [1] }, 'NOT_AN_OBJECT', 'p.rr.of[0]'],
      [{ of: [{ dy: '1' }] }, 'WRONG_TYPE', 'p.rr.of[0].dy'],
      [{ of: [{}, { dy: 0.5 }] }, 'OUT_OF_RANGE', 'p.rr.of[1].dy'],
      [{ fu: null }, 'WRONG_TYPE', 'p.rr.fu'],
      [{ ia: 'x' }, 'WRONG_TYPE', 'p.rr.ia'],
    ];
    for (const [rr, code, path] of cases) {
      const error = decodeError(() => decodeEvent({ t: 1, e: 'Task6', p: { rr } }));
      expect([error.code, error.location.path]).toEqual([code, path]);
    }
  });
});

describe('decodePage() other families', () => {
  it('decodes every checklist item key', () => {
    const item = decodeEvent(
      {
        t: 0,
        e: 'ChecklistItem3',
        p: {
          tt: 'White',
          ss: 0,
          sp: null,
          ix: -3,
          ts: [ID],
          cd: 1.25,
          md: null,
          lt: false,
          xx: { _t: 'oo' },
        },
      },
      ID2,
    );
    expect(item).toMatchObject({ family: 'checklistItem', kind: { legacy: false } });
    expect(item.payload).toEqual({
      tt: 'White',
      ss: 0,
      sp: null,
      ix: -3,
      ts: [{ raw: ID, id: ID, form: 'base58' }],
      cd: 1.25,
      md: null,
      lt: false,
      xx: { _t: 'oo' },
      extra: {},
    });
  });

  it('decodes every area key', () => {
    const item = decodeEvent({
      t: 0,
      e: 'Area3',
      p: { tt: 'Home', ix: 2, tg: [TAG], xx: null, zz: 1 },
    });
    expect(item).toMatchObject({ family: 'area' });
    expect(item.payload).toEqual({
      tt: 'Home',
      ix: 2,
      tg: [{ raw: TAG, id: TAG, form: 'base58' }],
      xx: null,
      extra: { zz: 1 },
    });
  });

  it('decodes every tag key, sh may be null', () => {
    const item = decodeEvent({
      t: 0,
      e: 'Tag4',
      p: { tt: 'High', ix: -1237, sh: '1', pn: [TAG], xx: {} },
    });
    expect(item).toMatchObject({ family: 'tag' });
    expect(item.payload).toEqual({
      tt: 'High',
      ix: -1237,
      sh: '1',
      pn: [{ raw: TAG, id: TAG, form: 'base58' }],
      xx: {},
      extra: {},
    });
    expect(decodeEvent({ t: 1, e: 'Tag4', p: { sh: null } }).payload).toEqual({
      sh: null,
      extra: {},
    });
  });

  it('decodes every tombstone key and requires dloid on create', () => {
    const item = decodeEvent(
      { t: 0, e: 'Tombstone2', p: { dloid: TAG, dld: 1762080000.5 } },
      '3TBG8dXkUNq6ULYvCkxWzh',
    );
    expect(item).toMatchObject({ family: 'tombstone' });
    expect(item.payload).toEqual({
      dloid: { raw: TAG, id: TAG, form: 'base58' },
      dld: 1762080000.5,
      extra: {},
    });
    const error = decodeError(() => decodeEvent({ t: 0, e: 'Tombstone2', p: { dld: 1 } }));
    expect([error.code, error.location.path]).toEqual(['MISSING_FIELD', 'p.dloid']);
    expect(decodeError(() => decodeEvent({ t: 0, e: 'Tombstone2', p: { dloid: null } })).code).toBe(
      'WRONG_TYPE',
    );
  });

  it('maps the legacy dloid of a plain Tombstone', () => {
    const item = decodeEvent(
      {
        t: 0,
        e: 'Tombstone',
        p: { dloid: 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE-20240131', dld: 1 },
      },
      'TOMBSTONE-AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE-20191229',
    );
    expect(item.payload).toMatchObject({
      dloid: { id: 'H8Xu72gj7fooPuYoBMZ5TK', form: 'legacyInstance' },
    });
    expect(item.warnings.map((w) => [w.code, w.path])).toEqual([
      ['LEGACY_ID_MAPPED', ''],
      ['LEGACY_ID_MAPPED', 'p.dloid'],
    ]);
  });
});

describe('decodePage() ids', () => {
  it('maps legacy keys and references in legacy kinds, with warnings', () => {
    const item = decodeEvent(
      {
        t: 0,
        e: 'Task3',
        p: { tg: ['CC-Things-Tag-High', TAG], pr: ['AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE'] },
      },
      '00000006-1111-2222-3333-000000000006',
    );
    expect(item.ref).toEqual({
      raw: '00000006-1111-2222-3333-000000000006',
      id: 'fxsSvCT97pJn3XZ4wp5t4',
      form: 'legacyUuid',
    });
    expect(item.payload).toMatchObject({
      tg: [
        { raw: 'CC-Things-Tag-High', id: 'Vud3WpTsVZYgTvdiyu2Afw', form: 'legacyName' },
        { raw: TAG, id: TAG, form: 'base58' },
      ],
      pr: [{ id: 'LXmxn9gakySzcEjKj1DtgD' }],
    });
    expect(item.warnings.map((w) => [w.code, w.path])).toEqual([
      ['LEGACY_ID_MAPPED', ''],
      ['LEGACY_ID_MAPPED', 'p.tg[0]'],
      ['LEGACY_ID_MAPPED', 'p.pr[0]'],
    ]);
  });

  it('does not map legacy ids in modern kinds but flags them as non-canonical', () => {
    const item = decodeEvent(
      { t: 1, e: 'Task6', p: { tg: ['CC-Things-Tag-High'], ar: ['5oZf9hEoaHJSVh7vQbmTx'] } },
      'AD55F048-9A28-4260-A07B-6BA5C0D39AC9',
    );
    expect(item.ref).toEqual({
      raw: 'AD55F048-9A28-4260-A07B-6BA5C0D39AC9',
      id: 'AD55F048-9A28-4260-A07B-6BA5C0D39AC9',
      form: 'legacyUuid',
    });
    expect(item.payload).toMatchObject({
      tg: [{ id: 'CC-Things-Tag-High', form: 'legacyName' }],
      ar: [{ id: '5oZf9hEoaHJSVh7vQbmTx', form: 'nonCanonicalBase58' }],
    });
    expect(item.warnings.map((w) => [w.code, w.path])).toEqual([
      ['NON_CANONICAL_ID', ''],
      ['NON_CANONICAL_ID', 'p.tg[0]'],
      ['NON_CANONICAL_ID', 'p.ar[0]'],
    ]);
  });

  it('accepts the literal Settings key for settings kinds without a warning', () => {
    expect(decodeEvent({ t: 0, e: 'Settings3', p: {} }, 'Settings').warnings).toEqual([]);
    expect(decodeEvent({ t: 0, e: '-', p: {} }, 'Settings').warnings).toEqual([]);
    expect(decodeEvent({ t: 0, e: 'Command', p: {} }, 'Settings').warnings).toMatchObject([
      { code: 'NON_CANONICAL_ID' },
    ]);
  });

  it('rejects invalid ids by default and warns with invalidIds: warn', () => {
    const inKey = decodeError(() => decodeEvent({ t: 1, e: 'Task6', p: {} }, 'bad id'));
    expect([inKey.code, inKey.location]).toEqual([
      'INVALID_ID',
      { group: 0, serverIndex: 0, item: 'bad id' },
    ]);
    const inRef = decodeError(() => decodeEvent({ t: 1, e: 'Task6', p: { tg: [TAG, ''] } }));
    expect([inRef.code, inRef.location.path]).toEqual(['INVALID_ID', 'p.tg[1]']);
    const warned = decodeEvent({ t: 1, e: 'Task3', p: { tg: [' x'] } }, 'bad id', {
      invalidIds: 'warn',
    });
    expect(warned.ref.form).toBe('invalid');
    expect(warned.warnings.map((w) => [w.code, w.path])).toEqual([
      ['INVALID_ID', ''],
      ['INVALID_ID', 'p.tg[0]'],
    ]);
  });
});

describe('decodePage() on the 2017 upstream tape', async () => {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(
    '/work/shared/upstream-captures/nicolai86/history-items-success.json',
    'utf8',
  );
  const decoded: Page = decodePageText(text, {
    startIndex: 0,
    location: { fixture: 'nicolai86', page: 1 },
  });
  const items = decoded.groups.flatMap((group) => group.items);

  it('decodes five groups with six items and an envelope warning', () => {
    expect(decoded.groups.map((group) => group.items.length)).toEqual([1, 1, 1, 2, 1]);
    expect(decoded.currentItemIndex).toBe(1);
    expect(decoded.schema).toBe(300);
    expect(decoded.startTotalContentSize).toBe(0);
    expect(decoded.endTotalContentSize).toBe(100570);
    expect(decoded.latestTotalContentSize).toBe(100570);
    expect(decoded.warnings.map((w) => w.code)).toEqual(['PAGE_BEYOND_HEAD']);
  });

  it('decodes the Area2 create under its mapped legacy key', () => {
    expect(items[0]).toMatchObject({
      serverIndex: 0,
      family: 'area',
      action: 'create',
      ref: { raw: '4D83724E-19B3-41F7-8EF9-287019A05CB7', form: 'legacyUuid' },
      payload: { ix: 0, tt: 'An Area', tg: [], extra: {} },
    });
    expect(items[0]?.ref.id).toHaveLength(22);
  });

  it('decodes the Task3 create with dates, instants and the mapped High tag', () => {
    expect(items[1]).toMatchObject({
      serverIndex: 1,
      family: 'task',
      kind: { kind: 'Task3', legacy: true, version: 3 },
      payload: {
        tt: 'A task',
        tp: 0,
        ss: 3,
        st: 1,
        sr: '2013-09-01',
        tir: '2013-09-01',
        dd: null,
        dds: null,
        cd: 1378062649.570914,
        md: 1378126072.4035621,
        sp: 1378126072.3603289,
        ti: -11332,
        ix: 0,
        nt: null,
        rr: null,
        icsd: null,
        acrd: null,
        ato: null,
        lai: null,
        tr: false,
        icp: false,
        icc: 0,
        do: 0,
        sb: 0,
        tg: [{ raw: 'CC-Things-Tag-High', id: 'Vud3WpTsVZYgTvdiyu2Afw', form: 'legacyName' }],
        ar: [],
        pr: [],
        agr: [],
        dl: [],
        rt: [],
        extra: {},
      },
    });
  });

  it('decodes the Tag3 create of High with its mapped parent Priority', () => {
    expect(items[2]).toMatchObject({
      family: 'tag',
      ref: { raw: 'CC-Things-Tag-High', id: 'Vud3WpTsVZYgTvdiyu2Afw' },
      payload: {
        tt: 'High',
        ix: 0,
        sh: '1',
        pn: [{ raw: 'CC-Things-Tag-Priority', id: 'EbnTE2BCQfFZTsXiYGG3Ba' }],
      },
    });
  });

  it('decodes the checklist item and the Settings3 metadata side by side in one group', () => {
    expect(items[3]).toMatchObject({
      serverIndex: 3,
      position: 0,
      family: 'checklistItem',
      kind: { kind: 'ChecklistItem', legacy: true, version: 1 },
      payload: {
        tt: 'A TODO',
        ss: 0,
        ix: -269,
        sp: null,
        md: 1495650765.7039521,
        cd: 1495650741.29338,
      },
    });
    expect(items[3]?.payload).toMatchObject({
      ts: [{ raw: 'AD55F048-9A28-4260-A07B-6BA5C0D39AC9', id: items[1]?.ref.id }],
    });
    expect(items[4]).toMatchObject({
      serverIndex: 3,
      position: 1,
      family: 'opaque',
      kind: { kind: 'Settings3', class: 'metadata', family: 'settings' },
      ref: { raw: 'Settings', id: 'Settings' },
      payload: { raw: { ld: 1416697200, grpt: false, li: 0 } },
      warnings: [],
    });
  });

  it('decodes the checklist item modify with ss 3 onto the same mapped id', () => {
    expect(items[5]).toMatchObject({
      serverIndex: 4,
      action: 'modify',
      family: 'checklistItem',
      ref: { id: items[3]?.ref.id },
      payload: { ss: 3, md: 1495911948.8616159, sp: 1495911948.8604441, extra: {} },
    });
  });
});

/** The error of decoding one Task6 update with payload `p`. */
function taskError(p: unknown): DecodeError {
  return decodeError(() => decodeEvent({ t: 1, e: 'Task6', p }));
}

function envelopeOf(envelope: Record<string, unknown>, items: unknown[] = []): Page {
  return decodePage(
    { items, 'current-item-index': 0, schema: 301, ...envelope },
    { startIndex: 0 },
  );
}

describe('decodePageText() positions', () => {
  it('reports an error at the very first character with its position', () => {
    const error = decodeError(() => decodePageText('x', { startIndex: 0 }));
    expect(error.code).toBe('INVALID_JSON');
    expect(error.reason).toMatch(/^invalid JSON at character 0 of 1 \(line 1, column 1\): /);
  });

  it('reports a truncated text as ending early', () => {
    const error = decodeError(() => decodePageText('{"items": [', { startIndex: 0 }));
    expect(error.reason).toMatch(/^invalid JSON: the text ends early \(11 characters, line 1\): /);
  });
});

describe('decodePage() envelope edges', () => {
  it('names the bad startIndex in the RangeError', () => {
    expect(() => decodePage(page([]), { startIndex: -1 })).toThrow(
      'startIndex must be a non-negative integer, got -1',
    );
  });

  it('describes what it got instead of an envelope object', () => {
    const cases: [unknown, string][] = [
      [undefined, 'nothing'],
      [null, 'null'],
      [[1], 'an array'],
      ['abc', 'a string "abc"'],
      [7, 'the number 7'],
      [true, 'the boolean true'],
      [() => 1, 'a function'],
    ];
    for (const [input, described] of cases) {
      const error = decodeError(() => decodePage(input, { startIndex: 0 }));
      expect([error.code, error.reason]).toEqual([
        'NOT_AN_OBJECT',
        `expected the page to be an object, got ${described}`,
      ]);
    }
  });

  it('shortens long strings in descriptions to 40 characters', () => {
    const forty = 'a'.repeat(40);
    expect(decodeError(() => decodePage(forty, { startIndex: 0 })).reason).toBe(
      `expected the page to be an object, got a string "${forty}"`,
    );
    expect(decodeError(() => decodePage(`${forty}bc`, { startIndex: 0 })).reason).toBe(
      `expected the page to be an object, got a string "${forty}…"`,
    );
  });

  it('explains missing and mistyped envelope fields', () => {
    expect(decodeError(() => decodePage({}, { startIndex: 0 })).reason).toBe(
      'the page has no "items"',
    );
    expect(decodeError(() => decodePage({ items: {} }, { startIndex: 0 })).reason).toBe(
      'expected an array, got an object',
    );
    expect(decodeError(() => decodePage({ items: [] }, { startIndex: 0 })).reason).toBe(
      'the page has no "current-item-index"',
    );
    expect(decodeError(() => envelopeOf({ 'current-item-index': '3' })).reason).toBe(
      'expected an integer, got a string "3"',
    );
    expect(decodeError(() => envelopeOf({ 'current-item-index': -2 })).reason).toBe(
      'expected a non-negative integer, got -2',
    );
  });

  it('treats a null schema as missing and falls back to latest-schema-version', () => {
    const nullOnly = envelopeOf({ schema: null });
    expect(nullOnly.schema).toBeNull();
    expect(nullOnly.warnings.map((w) => w.code)).toEqual(['SCHEMA_MISSING']);
    const fallback = envelopeOf({ schema: null, 'latest-schema-version': 200, mode: 'x' });
    expect(fallback.schema).toBe(200);
    expect(fallback.extra).toEqual({ mode: 'x' });
  });

  it('keeps latest-schema-version in extra when schema is present', () => {
    const decoded = envelopeOf({ schema: 301, 'latest-schema-version': 5 });
    expect(decoded.schema).toBe(301);
    expect(decoded.extra).toEqual({ 'latest-schema-version': 5 });
  });

  it('keeps extra keys writable and configurable', () => {
    const decoded = envelopeOf({ note: 'x' });
    expect(Object.getOwnPropertyDescriptor(decoded.extra, 'note')).toEqual({
      value: 'x',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });

  it('names both schema numbers when the schema is too new', () => {
    const error = decodeError(() => envelopeOf({ schema: 302 }));
    expect([error.code, error.location.path, error.reason]).toEqual([
      'UNSUPPORTED_SCHEMA',
      'schema',
      'schema 302 is newer than the newest this version of thingstape understands (301)',
    ]);
  });

  it('reads null content sizes as absent', () => {
    const decoded = envelopeOf({
      'start-total-content-size': null,
      'end-total-content-size': null,
      'latest-total-content-size': null,
    });
    expect([
      decoded.startTotalContentSize,
      decoded.endTotalContentSize,
      decoded.latestTotalContentSize,
    ]).toEqual([null, null, null]);
  });

  it('describes a group that is not an object', () => {
    const error = decodeError(() => decodePage(page([5]), { startIndex: 3 }));
    expect([error.code, error.location, error.reason]).toEqual([
      'NOT_AN_OBJECT',
      { group: 0, serverIndex: 3, path: 'items[0]' },
      'expected a group object, got the number 5',
    ]);
  });

  it('lets errors that are not decode errors pass through unchanged', () => {
    const boom = new Error('boom');
    const group = Object.defineProperty({}, ID, {
      enumerable: true,
      get(): never {
        throw boom;
      },
    });
    expect(() => decodePage(page([group]), { startIndex: 0 })).toThrow(boom);
  });
});

describe('decodePage() envelope warnings', () => {
  function warningsOf(
    envelope: Record<string, unknown>,
    groups = 0,
    startIndex = 0,
  ): readonly unknown[] {
    const items = Array.from({ length: groups }, () => ({}));
    return decodePage({ items, schema: 301, ...envelope }, { startIndex }).warnings;
  }

  it('words and locates the head warnings', () => {
    expect(warningsOf({ 'current-item-index': 3 }, 0, 5)).toEqual([
      {
        code: 'HEAD_BEFORE_START',
        path: 'current-item-index',
        message: 'current-item-index 3 is below start-index 5: the history may have been reset',
      },
    ]);
    expect(warningsOf({ 'current-item-index': 11 }, 2, 10)).toEqual([
      {
        code: 'PAGE_BEYOND_HEAD',
        path: 'current-item-index',
        message: 'start-index 10 + 2 groups = 12 exceeds current-item-index 11',
      },
    ]);
    expect(warningsOf({ 'current-item-index': 4 }, 0, 1)).toEqual([
      {
        code: 'EMPTY_PAGE_BEFORE_HEAD',
        path: 'items',
        message: 'no groups although start-index 1 is below current-item-index 4',
      },
    ]);
    expect(decodePage({ items: [], 'current-item-index': 0 }, { startIndex: 0 }).warnings).toEqual([
      { code: 'SCHEMA_MISSING', path: 'schema', message: 'the page names no schema' },
    ]);
  });

  it('words and locates the content size warnings', () => {
    const head = { 'current-item-index': 0 };
    expect(
      warningsOf({ ...head, 'start-total-content-size': 9, 'end-total-content-size': 4 }),
    ).toEqual([
      {
        code: 'CONTENT_SIZE_INCONSISTENT',
        path: 'end-total-content-size',
        message: 'end-total-content-size 4 is below start-total-content-size 9',
      },
    ]);
    expect(
      warningsOf({ ...head, 'end-total-content-size': 9, 'latest-total-content-size': 4 }),
    ).toEqual([
      {
        code: 'CONTENT_SIZE_INCONSISTENT',
        path: 'end-total-content-size',
        message: 'end-total-content-size 9 exceeds latest-total-content-size 4',
      },
    ]);
  });

  it('compares content sizes only when both are present', () => {
    const head = { 'current-item-index': 0 };
    expect(warningsOf({ ...head, 'start-total-content-size': 5 })).toEqual([]);
    expect(warningsOf({ ...head, 'end-total-content-size': 5 })).toEqual([]);
    expect(warningsOf({ ...head, 'latest-total-content-size': 5 })).toEqual([]);
  });

  it('accepts equal content sizes', () => {
    expect(
      warningsOf({
        'current-item-index': 0,
        'start-total-content-size': 5,
        'end-total-content-size': 5,
        'latest-total-content-size': 5,
      }),
    ).toEqual([]);
  });
});

describe('decodePage() event edges', () => {
  it('explains malformed events', () => {
    const cases: [unknown, string, string | undefined, string][] = [
      [[], 'NOT_AN_OBJECT', undefined, 'expected an event object, got an array'],
      [{ e: 'Task6' }, 'MISSING_FIELD', 't', 'the event has no action "t"'],
      [
        { t: '1', e: 'Task6' },
        'WRONG_TYPE',
        't',
        'expected the action as a number 0, 1 or 2, got a string "1"',
      ],
      [{ t: 1 }, 'MISSING_FIELD', 'e', 'the event has no kind "e"'],
      [{ t: 1, e: 6 }, 'WRONG_TYPE', 'e', 'expected the kind as a string, got the number 6'],
      [{ t: 1, e: 'Task6' }, 'MISSING_FIELD', 'p', 'a modify needs a payload "p"'],
      [{ t: 1, e: 'Task6', p: null }, 'NOT_AN_OBJECT', 'p', 'expected a payload object, got null'],
      [
        { t: 1, e: 'Task6', p: [] },
        'NOT_AN_OBJECT',
        'p',
        'expected a payload object, got an array',
      ],
      [
        { t: 0, e: 'Tombstone2', p: {} },
        'MISSING_FIELD',
        'p.dloid',
        'a tombstone create needs "dloid"',
      ],
    ];
    for (const [event, code, path, reason] of cases) {
      const error = decodeError(() => decodeEvent(event));
      expect([error.code, error.location.path, error.reason]).toEqual([code, path, reason]);
    }
  });

  it('quotes at most 80 characters of an implausible kind', () => {
    const kind = 'Task '.repeat(30);
    const error = decodeError(() => decodeEvent({ t: 1, e: kind, p: {} }));
    expect([error.code, error.reason]).toEqual([
      'INVALID_KIND',
      `not a plausible kind: ${JSON.stringify(kind.slice(0, 80))}`,
    ]);
  });

  it('flags a non-canonical key of a settings kind that is not the Settings key', () => {
    const item = decodeEvent({ t: 0, e: 'Settings3', p: {} }, 'CC-Things-Tag-High');
    expect(item.warnings).toEqual([
      {
        code: 'NON_CANONICAL_ID',
        path: '',
        message: 'the item key "CC-Things-Tag-High" is not canonical Base58 (legacyName)',
      },
    ]);
  });
});

describe('decodePage() id messages', () => {
  it('names the item key or the JSON path of an invalid id', () => {
    const inKey = decodeError(() => decodeEvent({ t: 1, e: 'Task6', p: {} }, 'bad id'));
    expect(inKey.reason).toBe('the item key "bad id" is not an id in any known form');
    const inRef = decodeError(() => decodeEvent({ t: 1, e: 'Task6', p: { tg: [TAG, ''] } }));
    expect(inRef.reason).toBe('p.tg[1] "" is not an id in any known form');
  });

  it('quotes at most 80 characters of an invalid id', () => {
    const raw = `x ${'y'.repeat(100)}`;
    const error = decodeError(() => decodeEvent({ t: 1, e: 'Task6', p: {} }, raw));
    expect(error.reason).toBe(
      `the item key ${JSON.stringify(raw.slice(0, 80))} is not an id in any known form`,
    );
  });

  it('words the legacy-mapping and non-canonical warnings', () => {
    const legacy = decodeEvent({ t: 0, e: 'Task3', p: { tg: ['CC-Things-Tag-High'] } });
    expect(legacy.warnings).toEqual([
      {
        code: 'LEGACY_ID_MAPPED',
        path: 'p.tg[0]',
        message: 'p.tg[0] "CC-Things-Tag-High" (legacyName) mapped to Vud3WpTsVZYgTvdiyu2Afw',
      },
    ]);
    const modern = decodeEvent({ t: 0, e: 'Task6', p: { tg: ['CC-Things-Tag-High'] } });
    expect(modern.warnings).toEqual([
      {
        code: 'NON_CANONICAL_ID',
        path: 'p.tg[0]',
        message: 'p.tg[0] "CC-Things-Tag-High" is not canonical Base58 (legacyName)',
      },
    ]);
  });

  it('starts a fresh item context with no legacy kind and no warnings', () => {
    expect(newItemContext('warn')).toEqual({ legacyKind: false, invalidIds: 'warn', warnings: [] });
  });
});

describe('decodePage() payload value errors', () => {
  it('reports the code, path and reason of each mistyped value', () => {
    const cases: [Record<string, unknown>, string, string, string][] = [
      [
        { tt: null },
        'WRONG_TYPE',
        'p.tt',
        'expected a value of type string (null is not allowed here)',
      ],
      [
        { tp: null },
        'WRONG_TYPE',
        'p.tp',
        'expected a non-negative integer (null is not allowed here)',
      ],
      [{ ix: null }, 'WRONG_TYPE', 'p.ix', 'expected an integer (null is not allowed here)'],
      [{ ix: '3' }, 'WRONG_TYPE', 'p.ix', 'expected an integer, got a string "3"'],
      [{ ix: 1.5 }, 'OUT_OF_RANGE', 'p.ix', 'expected an integer, got 1.5'],
      [{ tp: -1 }, 'OUT_OF_RANGE', 'p.tp', 'expected a non-negative integer, got -1'],
      [{ tt: 5 }, 'WRONG_TYPE', 'p.tt', 'expected a string, got the number 5'],
      [{ tr: 0 }, 'WRONG_TYPE', 'p.tr', 'expected a boolean, got the number 0'],
      [
        { sp: 'now' },
        'WRONG_TYPE',
        'p.sp',
        'expected an instant (seconds, number), got a string "now"',
      ],
      [{ sp: Infinity }, 'OUT_OF_RANGE', 'p.sp', 'expected a finite instant, got Infinity'],
      [{ ar: 'x' }, 'NOT_AN_ARRAY', 'p.ar', 'expected an array of ids, got a string "x"'],
      [{ ar: [TAG, 3] }, 'WRONG_TYPE', 'p.ar[1]', 'expected an id string, got the number 3'],
      [{ sr: '2024' }, 'WRONG_TYPE', 'p.sr', 'expected a day stamp (number), got a string "2024"'],
      [
        { sr: 1e12 },
        'OUT_OF_RANGE',
        'p.sr',
        'day stamp 1000000000000 is outside the years 0000–9999',
      ],
      [
        { nt: 5 },
        'WRONG_TYPE',
        'p.nt',
        'expected a note (string, object or null), got the number 5',
      ],
      [
        { rr: 'daily' },
        'NOT_AN_OBJECT',
        'p.rr',
        'expected a recurrence rule object, got a string "daily"',
      ],
      [
        { rr: { of: {} } },
        'NOT_AN_ARRAY',
        'p.rr.of',
        'expected an array of offsets, got an object',
      ],
      [
        { rr: { of: [1] } },
        'NOT_AN_OBJECT',
        'p.rr.of[0]',
        'expected an offset object, got the number 1',
      ],
      [
        { rr: { of: [{ dy: 'x' }] } },
        'WRONG_TYPE',
        'p.rr.of[0].dy',
        'expected an integer, got a string "x"',
      ],
      [
        { rr: { of: [{ dy: 0.5 }] } },
        'OUT_OF_RANGE',
        'p.rr.of[0].dy',
        'expected an integer, got 0.5',
      ],
    ];
    for (const [p, code, path, reason] of cases) {
      const error = taskError(p);
      expect([error.code, error.location.path, error.reason]).toEqual([code, path, reason]);
    }
  });

  it('rejects a dloid that is not a string', () => {
    const error = decodeError(() => decodeEvent({ t: 0, e: 'Tombstone2', p: { dloid: 7 } }));
    expect([error.code, error.location.path, error.reason]).toEqual([
      'WRONG_TYPE',
      'p.dloid',
      'expected an id string, got the number 7',
    ]);
  });
});

describe('decodePage() note edges', () => {
  it('reports the code, path and reason of each malformed note', () => {
    const tx = { _t: 'tx', t: 2 };
    const patch = { r: 'a', p: 0, l: 0 };
    const cases: [unknown, string, string, string][] = [
      [
        { _t: 'tx', t: 1, v: 3 },
        'INVALID_NOTE',
        'p.nt.v',
        'a full-text note needs a string "v", got the number 3',
      ],
      [tx, 'INVALID_NOTE', 'p.nt.ps', 'a delta note needs "ps"'],
      [{ ...tx, ps: {} }, 'INVALID_NOTE', 'p.nt.ps', 'expected an array of patches, got an object'],
      [{ ...tx, ps: [null] }, 'INVALID_NOTE', 'p.nt.ps[0]', 'expected a patch object, got null'],
      [
        { ...tx, ps: [{ ...patch, r: 1 }] },
        'INVALID_NOTE',
        'p.nt.ps[0].r',
        'expected a replacement string, got the number 1',
      ],
      [
        { ...tx, ps: [{ ...patch, p: '0' }] },
        'INVALID_NOTE',
        'p.nt.ps[0].p',
        'expected an integer, got a string "0"',
      ],
      [
        { ...tx, ps: [{ ...patch, l: 2 ** 32 }] },
        'NOTE_PATCH_TOO_LARGE',
        'p.nt.ps[0].l',
        '4294967296 is beyond ±2^31',
      ],
      [
        { ...tx, ps: [{ ...patch, p: 0.5 }] },
        'INVALID_NOTE',
        'p.nt.ps[0].p',
        'expected an integer, got 0.5',
      ],
      [
        { ...tx, ps: [{ ...patch, ch: -1 }] },
        'INVALID_NOTE',
        'p.nt.ps[0].ch',
        'expected a CRC-32 (unsigned 32-bit integer), got the number -1',
      ],
      [
        { ...tx, ps: [{ ...patch, ch: 1.5 }] },
        'INVALID_NOTE',
        'p.nt.ps[0].ch',
        'expected a CRC-32 (unsigned 32-bit integer), got the number 1.5',
      ],
    ];
    for (const [nt, code, path, reason] of cases) {
      const error = taskError({ nt });
      expect([error.code, error.location.path, error.reason]).toEqual([code, path, reason]);
    }
  });

  it('gives the size of an oversized replacement', () => {
    const r = 'é'.repeat(600_000);
    const error = taskError({ nt: { _t: 'tx', t: 2, ps: [{ r, p: 0, l: 0 }] } });
    expect([error.code, error.location.path, error.reason]).toEqual([
      'NOTE_PATCH_TOO_LARGE',
      'p.nt.ps[0].r',
      'replacement of 1200000 UTF-8 bytes exceeds 1048576',
    ]);
  });

  it('accepts the largest CRC-32', () => {
    const item = decodeEvent({
      t: 1,
      e: 'Task6',
      p: { nt: { _t: 'tx', t: 1, v: '', ch: 0xffffffff } },
    });
    expect(item.payload).toMatchObject({ nt: { form: 'full', text: '', checksum: 0xffffffff } });
  });
});
