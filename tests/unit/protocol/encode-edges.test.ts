import { describe, expect, it } from 'vitest';

import { decodePage, encodeItem, encodeNote } from '../../../src/protocol/index.ts';
import type { Item } from '../../../src/protocol/index.ts';
import { deepEqual } from '../../../src/protocol/encode.ts';

const ID = 'M9CrKBjvpDP2D7uEsCtwyg';
const TAG = 'Kd5u6PEbkZ7qGDTvY4yYNi';

function decodeOne(event: unknown, key = ID): Item {
  const page = decodePage(
    { items: [{ [key]: event }], 'current-item-index': 1, schema: 301 },
    { startIndex: 0 },
  );
  const item = page.groups[0]?.items[0];
  if (item === undefined) throw new Error('no item decoded');
  return item;
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
