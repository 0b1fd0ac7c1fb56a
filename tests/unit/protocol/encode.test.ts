import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodePage,
  encodeItem,
  encodeNote,
  encodePage,
  isCivilDate,
  nativeTaskPayload,
} from '../../../src/protocol/index.ts';
import type { CivilDate, Item, Page } from '../../../src/protocol/index.ts';
import { deepEqual } from '../../../src/protocol/encode.ts';

const ID = 'M9CrKBjvpDP2D7uEsCtwyg';
const ID2 = 'ELjLmgnpNCnKAgZQYHm1wp';
const TAG = 'Kd5u6PEbkZ7qGDTvY4yYNi';

const upstream: unknown = JSON.parse(
  readFileSync('/work/shared/upstream-captures/nicolai86/history-items-success.json', 'utf8'),
);

/** decode → encode → decode; returns both pages and the encoded body. */
function roundTrip(wire: unknown, startIndex = 0): { first: Page; second: Page; encoded: unknown } {
  const first = decodePage(wire, { startIndex, invalidIds: 'warn' });
  const encoded = encodePage(first);
  const second = decodePage(encoded, { startIndex, invalidIds: 'warn' });
  return { first, second, encoded };
}

function civil(date: string): CivilDate {
  if (!isCivilDate(date)) throw new Error(`not a date: ${date}`);
  return date;
}

function firstItem(page: Page): Item {
  const item = page.groups[0]?.items[0];
  if (item === undefined) throw new Error('no item');
  return item;
}

const HAND_PAGES: [string, Record<string, unknown>][] = [
  [
    'the minimal page of spec 1',
    {
      items: [
        { [ID]: { t: 0, e: 'Task6', p: { tt: 'Buy milk', st: 0, ss: 0, tp: 0 } } },
        {
          [ID]: { t: 1, e: 'Task6', p: { tt: 'Buy oat milk', md: 1762000000.125 } },
          [ID2]: { t: 0, e: 'ChecklistItem3', p: { tt: 'Check price', ts: [ID], ss: 0, ix: 0 } },
        },
      ],
      'current-item-index': 2,
      schema: 301,
      'start-total-content-size': 0,
      'end-total-content-size': 412,
      'latest-total-content-size': 412,
    },
  ],
  [
    'a native create with every task key, a recurrence rule and unknown keys everywhere',
    {
      items: [
        {
          Kd5u6PEbkZ7qGDTvY4yYNi: {
            t: 0,
            e: 'Task7',
            p: {
              ...nativeTaskPayload(1762076400.25, {
                tt: 'Pay rent',
                st: 1,
                sr: 1762041600,
                tir: 1762041600,
                tg: [ID2],
                rr: {
                  rrv: 4,
                  tp: 0,
                  fu: 256,
                  fa: 2,
                  of: [{ wd: 1 }, { wd: 4 }],
                  ia: 1762128000,
                  sr: 1762128000,
                  ed: 64092211200,
                  rc: 0,
                  ts: 0,
                  future: [1],
                },
                ato: 32400,
                xx: { _t: 'oo', sn: { a: 1 } },
              }),
              zz: 'kept',
            },
            extraEventKey: true,
          },
        },
      ],
      'current-item-index': 1,
      schema: 301,
      'server-extra': 'kept',
    },
  ],
  [
    'every note form',
    {
      items: [
        { [ID]: { t: 1, e: 'Task6', p: { nt: null } } },
        { [ID]: { t: 1, e: 'Task6', p: { nt: '<note xml:space="preserve">x</note>' } } },
        { [ID]: { t: 1, e: 'Task6', p: { nt: { _t: 'tx', ch: 907060870, v: 'hello', t: 1 } } } },
        { [ID]: { t: 1, e: 'Task6', p: { nt: { _t: 'tx', v: 'hello', t: 1 } } } },
        {
          [ID]: {
            t: 1,
            e: 'Task7',
            p: {
              nt: {
                _t: 'tx',
                t: 2,
                ps: [
                  { r: 'Update', p: 26, l: 5, ch: 3672733299 },
                  { r: '', p: -1, l: 0 },
                ],
              },
            },
          },
        },
        { [ID]: { t: 1, e: 'Task7', p: { nt: { _t: 'tx', t: 9, data: [1, 2] } } } },
      ],
      'current-item-index': 6,
      schema: 301,
    },
  ],
  [
    'deletes with missing, null and empty payloads, tombstones and opaque kinds',
    {
      items: [
        {
          [ID]: { t: 2, e: 'Task6' },
          [ID2]: { t: 2, e: 'Area3', p: null },
          [TAG]: { t: 2, e: 'Tag4', p: {} },
        },
        {
          '3TBG8dXkUNq6ULYvCkxWzh': { t: 0, e: 'Tombstone2', p: { dloid: ID, dld: 1762080000.5 } },
        },
        {
          Settings: { t: 0, e: 'Settings5', p: { ld: 1416697200 } },
          [ID]: { t: 1, e: 'Task8', p: [1] },
        },
        { [ID2]: { t: 1, e: 'Widget' }, [TAG]: { t: 0, e: 'Command3', p: { tp: 1, if: {} } } },
        {},
      ],
      'current-item-index': 5,
      schema: 301,
    },
  ],
  [
    'fractional and non-midnight day stamps, ch: null and legacy ids',
    {
      items: [
        {
          'AD55F048-9A28-4260-A07B-6BA5C0D39AC9': {
            t: 0,
            e: 'Task3',
            p: {
              sr: 1700000000.25,
              dd: 1377993600,
              tg: ['CC-Things-Tag-High'],
              nt: { _t: 'tx', t: 1, v: 'x', ch: null },
            },
          },
        },
        {
          'CC-Things-Tag-High': {
            t: 0,
            e: 'Tag3',
            p: { tt: 'High', sh: '1', pn: ['CC-Things-Tag-Priority'] },
          },
        },
      ],
      'latest-schema-version': 300,
      'current-item-index': 2,
    },
  ],
  [
    'a page of non-canonical and invalid ids (decoded with invalidIds: warn)',
    {
      items: [{ 'bad id': { t: 1, e: 'Task6', p: { tg: ['5oZf9hEoaHJSVh7vQbmTx', ''] } } }],
      'current-item-index': 0,
      schema: 300,
    },
  ],
];

describe('encodePage()', () => {
  it('reproduces the 2017 upstream tape exactly', () => {
    const { first, second, encoded } = roundTrip(upstream);
    expect(encoded).toEqual(upstream);
    expect(second).toEqual(first);
  });

  it.each(HAND_PAGES)('round-trips %s', (_name, wire) => {
    const { first, second, encoded } = roundTrip(wire, 17);
    expect(second).toEqual(first);
    // The decoded page came from the wire, so encoding gives the same wire back, schema key aside.
    const expected = { ...wire };
    if ('latest-schema-version' in expected && !('schema' in expected)) {
      expected['schema'] = expected['latest-schema-version'];
      delete expected['latest-schema-version'];
    }
    expect(encoded).toEqual(expected);
  });

  it('omits null envelope values and keeps extra keys', () => {
    const page = decodePage({ items: [], 'current-item-index': 0, 'x-y': [1] }, { startIndex: 0 });
    expect(encodePage(page)).toEqual({ items: [], 'current-item-index': 0, 'x-y': [1] });
  });
});

describe('encodeItem()', () => {
  it('builds the canonical wire form from typed fields when there is no raw event', () => {
    const decoded = decodeOne({
      t: 1,
      e: 'Task6',
      p: { sr: 1700000000.25, tg: [TAG], nt: { _t: 'tx', t: 1, v: 'x', ch: null } },
    });
    const generated = { ...decoded, raw: undefined };
    expect(encodeItem(generated)).toEqual({
      id: ID,
      event: { t: 1, e: 'Task6', p: { sr: 1699920000, tg: [TAG], nt: { _t: 'tx', v: 'x', t: 1 } } },
    });
    const again = decodeOne(encodeItem(generated).event);
    expect(again.payload).toEqual(decoded.payload);
  });

  it('writes changed typed values instead of the stale raw ones', () => {
    const decoded = decodeOne({ t: 1, e: 'Task6', p: { sr: 1700000000.25, tt: 'old' } });
    if (decoded.family !== 'task') throw new Error('expected a task');
    const changed: Item = {
      ...decoded,
      payload: { ...decoded.payload, sr: civil('2024-02-29'), tt: 'new' },
    };
    expect(encodeItem(changed).event).toEqual({
      t: 1,
      e: 'Task6',
      p: { sr: 1709164800, tt: 'new' },
    });
  });

  it('writes an empty payload for a generated delete', () => {
    const decoded = decodeOne({ t: 2, e: 'Task6' });
    expect(encodeItem({ ...decoded, raw: undefined }).event).toEqual({ t: 2, e: 'Task6', p: {} });
    expect(encodeItem(decoded).event).toEqual({ t: 2, e: 'Task6' });
  });

  it('throws TypeError for payload values of the wrong shape', () => {
    const decoded = decodeOne({ t: 1, e: 'Task6', p: { sr: 1700000000 } });
    // oxlint-disable-next-line typescript/no-unsafe-type-assertion -- deliberately ill-typed
    const broken = {
      ...decoded,
      raw: undefined,
      payload: { sr: 1700000000, extra: {} },
    } as unknown as Item;
    expect(() => encodeItem(broken)).toThrow(TypeError);
    // oxlint-disable-next-line typescript/no-unsafe-type-assertion -- deliberately ill-typed
    const unknownKey = {
      ...decoded,
      raw: undefined,
      payload: { nope: 1, extra: {} },
    } as unknown as Item;
    expect(() => encodeItem(unknownKey)).toThrow(/not a key of this payload type/);
  });
});

describe('encodeNote()', () => {
  it('writes each form in the writer key order', () => {
    expect(JSON.stringify(encodeNote({ form: 'full', text: '', checksum: 0 }))).toBe(
      '{"_t":"tx","ch":0,"v":"","t":1}',
    );
    expect(encodeNote({ form: 'plain', text: 'a' })).toBe('a');
    expect(
      encodeNote({
        form: 'delta',
        patches: [{ replacement: 'r', position: 1, length: 2, checksum: 3 }],
      }),
    ).toEqual({
      _t: 'tx',
      t: 2,
      ps: [{ r: 'r', p: 1, l: 2, ch: 3 }],
    });
    expect(encodeNote({ form: 'unknown', raw: { a: 1 } })).toEqual({ a: 1 });
  });
});

/** The one item of a page holding `event` under `key`. */
function decodeOne(event: unknown, key = ID): Item {
  return firstItem(
    decodePage(
      { items: [{ [key]: event }], 'current-item-index': 1, schema: 301 },
      { startIndex: 0 },
    ),
  );
}

/** An item with a deliberately ill-typed payload (what a careless caller could build). */
function withPayload(item: Item, payload: unknown): Item {
  // oxlint-disable-next-line typescript/no-unsafe-type-assertion -- deliberately ill-typed
  return { ...item, raw: undefined, payload } as unknown as Item;
}

describe('encodeItem() edges', () => {
  it('writes no "p" key for an opaque item that had no payload', () => {
    const item = decodeOne({ t: 1, e: 'Command3' });
    expect(item.family).toBe('opaque');
    expect(Object.keys(encodeItem(item).event)).toEqual(['t', 'e']);
  });

  it('writes the payload of a delete that gained fields, not its null raw payload', () => {
    const decoded = decodeOne({ t: 2, e: 'Task6', p: null });
    if (decoded.family !== 'task') throw new Error('expected a task');
    expect(encodeItem(decoded).event).toEqual({ t: 2, e: 'Task6', p: null });
    const titled: Item = { ...decoded, payload: { ...decoded.payload, tt: 'x' } };
    expect(encodeItem(titled).event).toEqual({ t: 2, e: 'Task6', p: { tt: 'x' } });
    const extended: Item = { ...decoded, payload: { ...decoded.payload, extra: { zz: 1 } } };
    expect(encodeItem(extended).event).toEqual({ t: 2, e: 'Task6', p: { zz: 1 } });
  });

  it('writes a payload for a modify even when its raw event had none', () => {
    const decoded = decodeOne({ t: 2, e: 'Task6' });
    const modify: Item = { ...decoded, action: 'modify' };
    expect(encodeItem(modify).event).toEqual({ t: 1, e: 'Task6', p: {} });
  });

  it('takes action and kind from the item and only unknown event keys from raw', () => {
    const decoded = decodeOne({ t: 1, e: 'Task6', p: { tt: 'old' }, x: 1 });
    if (decoded.family !== 'task') throw new Error('expected a task');
    const changed: Item = {
      ...decoded,
      action: 'create',
      kind: { ...decoded.kind, kind: 'Task7', version: 7 },
      payload: { ...decoded.payload, tt: 'new' },
    };
    expect(encodeItem(changed).event).toEqual({ t: 0, e: 'Task7', p: { tt: 'new' }, x: 1 });
  });

  it('ignores a raw payload value that does not decode', () => {
    const decoded = decodeOne({ t: 1, e: 'Task6', p: { tt: 'x' } });
    const stale: Item = { ...decoded, raw: { t: 1, e: 'Task6', p: { tt: 5 } } };
    expect(encodeItem(stale).event).toEqual({ t: 1, e: 'Task6', p: { tt: 'x' } });
  });

  it('copies recurrence offsets instead of sharing them', () => {
    const decoded = decodeOne({ t: 1, e: 'Task6', p: { rr: { tp: 0, of: [{ dy: 1 }] } } });
    const event = encodeItem({ ...decoded, raw: undefined }).event;
    expect(event).toEqual({ t: 1, e: 'Task6', p: { rr: { tp: 0, of: [{ dy: 1 }] } } });
    const wireOf: unknown = Reflect.get(Object(Reflect.get(Object(event['p']), 'rr')), 'of');
    const typedOf: unknown = Reflect.get(Object(Reflect.get(decoded.payload, 'rr')), 'of');
    expect(wireOf).not.toBe(typedOf);
  });

  it('throws TypeError naming the path for values of the wrong shape', () => {
    const item = decodeOne({ t: 1, e: 'Task6', p: {} });
    const cases: [Record<string, unknown>, string][] = [
      [{ sr: 1700000000 }, 'Cannot encode p.sr: not a decoded day value'],
      [{ nt: { form: 'bogus' } }, 'Cannot encode p.nt: not a decoded note value'],
      [{ tg: [{ raw: 5 }] }, 'Cannot encode p.tg: not a decoded ids value'],
      [{ rr: { of: 'x', extra: {} } }, 'Cannot encode p.rr.of: not a decoded offsets value'],
      [{ rr: { of: [5], extra: {} } }, 'Cannot encode p.rr.of: not a decoded offsets value'],
    ];
    for (const [payload, message] of cases) {
      expect(() => encodeItem(withPayload(item, { ...payload, extra: {} }))).toThrow(
        new TypeError(message),
      );
    }
  });

  it('throws TypeError naming the missing extra of a top-level payload', () => {
    const item = decodeOne({ t: 1, e: 'Task6', p: {} });
    expect(() => encodeItem(withPayload(item, { tt: 'a title' }))).toThrow(
      new TypeError('Cannot encode a payload without an "extra" object'),
    );
  });

  it('throws TypeError for a recurrence rule without extra', () => {
    const item = decodeOne({ t: 1, e: 'Task6', p: {} });
    expect(() => encodeItem(withPayload(item, { rr: { tp: 0 }, extra: {} }))).toThrow(
      new TypeError('Cannot encode a payload without an "extra" object'),
    );
  });

  it('encodes refs by their raw string', () => {
    const item = decodeOne({ t: 1, e: 'Task6', p: { tg: [TAG] } });
    expect(encodeItem({ ...item, raw: undefined }).event).toEqual({
      t: 1,
      e: 'Task6',
      p: { tg: [TAG] },
    });
  });
});

describe('encodeNote() edges', () => {
  it('omits ch from a delta patch without checksum', () => {
    const encoded = encodeNote({
      form: 'delta',
      patches: [{ replacement: 'a', position: 0, length: 1, checksum: null }],
    });
    expect(encoded).toStrictEqual({ _t: 'tx', t: 2, ps: [{ r: 'a', p: 0, l: 1 }] });
  });
});

describe('deepEqual()', () => {
  it('compares arrays by length and every element', () => {
    expect(deepEqual([1, 2], [1, 2])).toBe(true);
    expect(deepEqual([1], [1, 2])).toBe(false);
    expect(deepEqual([1, 2], [1])).toBe(false);
    expect(deepEqual([1, 2], [1, 3])).toBe(false);
  });

  it('never equates an array with an array-like object', () => {
    expect(deepEqual([1], { 0: 1, length: 1 })).toBe(false);
    expect(deepEqual({ 0: 1, length: 1 }, [1])).toBe(false);
  });

  it('never equates an object with a primitive', () => {
    expect(deepEqual({}, 5)).toBe(false);
    expect(deepEqual(5, {})).toBe(false);
    expect(deepEqual({ a: [1] }, { a: [1] })).toBe(true);
  });
});
