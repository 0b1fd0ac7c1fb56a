import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  DecodeError,
  decodePage,
  decodePageText,
  encodePage,
} from '../../../src/protocol/index.ts';
import type { DecodeOptions } from '../../../src/protocol/index.ts';
import { jsonErrorOffset } from '../../../src/protocol/json-position.ts';

const ID = 'M9CrKBjvpDP2D7uEsCtwyg';
const IDS = [
  ID,
  'ELjLmgnpNCnKAgZQYHm1wp',
  'Kd5u6PEbkZ7qGDTvY4yYNi',
  '1737v7rGkNoNixupi9fJyE',
  'unSkqeiqBPiJGw2SY4Bt9',
];
const KINDS = [
  'Task',
  'Task3',
  'Task6',
  'Task7',
  'Task8',
  'ChecklistItem',
  'ChecklistItem3',
  'Area2',
  'Area3',
  'Tag3',
  'Tag4',
  'Tombstone',
  'Tombstone2',
  'Settings3',
  '-',
  'Command',
  'Contact2',
  'Widget',
];
const PAYLOAD_KEYS = [
  'tp',
  'tt',
  'nt',
  'ss',
  'sp',
  'st',
  'sr',
  'tir',
  'dd',
  'do',
  'cd',
  'md',
  'ix',
  'ti',
  'tr',
  'ar',
  'pr',
  'tg',
  'rr',
  'ato',
  'ts',
  'sh',
  'pn',
  'dloid',
  'dld',
  'xx',
];

/** Runs the decoder; returns the thrown error when it is anything but a DecodeError. */
function decodeSafely(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (!(error instanceof DecodeError)) return error;
  }
  return undefined;
}

const options: DecodeOptions = { startIndex: 3 };
const anyValue = fc.oneof(fc.jsonValue(), fc.anything());
const key = fc.oneof(
  fc.constantFrom(...IDS, 'Settings', 'CC-Things-Tag-High', '', 'bad id', '__proto__'),
  fc.string(),
);
const wrapPage = (items: unknown): Record<string, unknown> => ({
  items,
  'current-item-index': 1,
  schema: 301,
});

/** An event with a known kind and a payload whose keys are known but whose values are random. */
const nearlyValidEvent = fc.record({
  t: fc.oneof(fc.constantFrom(0, 1, 2), anyValue),
  e: fc.oneof(fc.constantFrom(...KINDS), fc.string()),
  p: fc.oneof(fc.dictionary(fc.constantFrom(...PAYLOAD_KEYS), anyValue), anyValue),
});

describe('decodePage() robustness', () => {
  it('throws only DecodeError for any value as the page', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(decodeSafely(() => decodePage(value, options))).toBeUndefined();
      }),
    );
  });

  it('throws only DecodeError for any groups', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 4 }), (groups) => {
        expect(decodeSafely(() => decodePage(wrapPage(groups), options))).toBeUndefined();
      }),
    );
  });

  it('throws only DecodeError for any event', () => {
    fc.assert(
      fc.property(key, anyValue, (id, event) => {
        expect(
          decodeSafely(() => decodePage(wrapPage([{ [id]: event }]), options)),
        ).toBeUndefined();
      }),
    );
  });

  it('throws only DecodeError for events with known kinds and keys but random values', () => {
    fc.assert(
      fc.property(
        key,
        nearlyValidEvent,
        fc.constantFrom<'error' | 'warn'>('error', 'warn'),
        (id, event, invalidIds) => {
          const page = wrapPage([{ [id]: event }]);
          expect(decodeSafely(() => decodePage(page, { ...options, invalidIds }))).toBeUndefined();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('throws only DecodeError for any note or recurrence rule', () => {
    fc.assert(
      fc.property(anyValue, anyValue, (nt, rr) => {
        const page = wrapPage([
          { [ID]: { t: 1, e: 'Task7', p: { nt } } },
          { [ID]: { t: 1, e: 'Task6', p: { rr } } },
        ]);
        expect(decodeSafely(() => decodePage(page, options))).toBeUndefined();
      }),
    );
  });

  it('throws only DecodeError for any text, truncated and corrupted JSON included', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 3 }), (text, cut, insert) => {
        const at = cut % (text.length + 1);
        const corrupted = text.slice(0, at) + insert + text.slice(at);
        expect(decodeSafely(() => decodePageText(text, options))).toBeUndefined();
        expect(decodeSafely(() => decodePageText(corrupted, options))).toBeUndefined();
        expect(decodeSafely(() => decodePageText(text.slice(0, at), options))).toBeUndefined();
      }),
    );
  });

  it('round-trips decodable pages through encodePage', () => {
    const event = fc.record({ t: fc.constantFrom(0, 1, 2), e: fc.constantFrom(...KINDS) });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        const wire = wrapPage(
          events.map((item, index) => ({
            [IDS[index % IDS.length] ?? ID]: {
              ...item,
              p: item.e.startsWith('Tombstone') ? { dloid: ID } : {},
            },
          })),
        );
        const first = decodePage(wire, options);
        expect(decodePage(encodePage(first), options)).toEqual(first);
      }),
    );
  });

  it('decodes a 20,000-item page to the last item', () => {
    const items = Array.from({ length: 20_000 }, (_, index) => ({
      [IDS[index % IDS.length] ?? ID]: {
        t: index % 3 === 0 ? 0 : 1,
        e: 'Task6',
        p: {
          tt: `Task ${index}`,
          ss: 0,
          sr: 1762041600,
          tg: [ID],
          nt: { _t: 'tx', ch: 0, v: '', t: 1 },
          md: 1762000000.5,
        },
      },
    }));
    const text = JSON.stringify({ items, 'current-item-index': 20_000, schema: 301 });
    // Speed is measured by the benchmarks (make bench), never asserted here.
    const page = decodePageText(text, { startIndex: 0 });
    expect(page.groups).toHaveLength(20_000);
    expect(page.groups[19_999]?.serverIndex).toBe(19_999);
    expect(page.groups[19_999]?.items[0]).toMatchObject({
      family: 'task',
      payload: { tt: 'Task 19999', sr: '2025-11-02' },
    });
  });
});

describe('jsonErrorOffset()', () => {
  it('returns -1 for valid JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(jsonErrorOffset(text)).toBe(-1);
      }),
    );
  });

  it('finds an offset inside the text exactly when JSON.parse fails', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 2 }), (text, cut, insert) => {
        const at = cut % (text.length + 1);
        const corrupted = text.slice(0, at) + insert + text.slice(at);
        let valid = true;
        try {
          JSON.parse(corrupted);
        } catch {
          valid = false;
        }
        const offset = jsonErrorOffset(corrupted);
        expect(offset === -1).toBe(valid);
        expect(offset).toBeLessThanOrEqual(corrupted.length);
      }),
      { numRuns: 1000 },
    );
  });
});
