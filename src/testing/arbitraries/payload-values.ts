/** Arbitraries of payload values: dates, instants, texts, notes, references, rules, per family key. */
import * as fc from 'fast-check';

import { civilDateToDayStamp, isCivilDate } from '../../protocol/index.ts';
import { GHOST_IDS, type PoolSizes } from './id-pools.ts';
import type { ChecksumSpec, NoteSpec, RefSpec, ValueSpec } from './op-types.ts';
import type { GeneratedFamily } from './wire-shapes.ts';

/** A day stamp (UTC midnight) in late 2025, sometimes with a fraction (readers accept both). */
const dayStamp: fc.Arbitrary<number> = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom(0, 0, 0, 0.25))
  .map(([day, fraction]) => {
    const date = new Date(Date.UTC(2025, 9, 15 + day)).toISOString().slice(0, 10);
    if (!isCivilDate(date)) throw new RangeError(`bad generated date ${date}`);
    return civilDateToDayStamp(date) + fraction;
  });

/** An instant (seconds, fractional) in late 2025. */
export const instant: fc.Arbitrary<number> = fc
  .integer({ min: 0, max: 40 * 24 })
  .map((hours) => 1_760_486_400 + hours * 3600 + 0.125);

const text: fc.Arbitrary<string> = fc.constantFrom(
  '',
  'a',
  'Buy milk',
  'Call Ada',
  'Ünïcödé ✓',
  'emoji 🐢 here',
);

const noteText: fc.Arbitrary<string> = fc.constantFrom(
  '',
  'x',
  'hello',
  'line 1\nline 2',
  'naïve 🐢',
);

const checksum: fc.Arbitrary<ChecksumSpec> = fc.constantFrom<ChecksumSpec>(
  'right',
  'right',
  'right',
  'wrong',
  'none',
);

const noteSpec: fc.Arbitrary<NoteSpec | null> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: noteText.map((t) => ({ form: 'plain', text: t }) as const) },
  {
    weight: 3,
    arbitrary: fc.record({ form: fc.constant('full'), text: noteText, ch: checksum }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      form: fc.constant('delta'),
      patches: fc.array(
        fc.record({
          r: fc.constantFrom('', 'z', 'abc', 'é', '🐢'),
          p: fc.integer({ min: 0, max: 14 }),
          l: fc.integer({ min: 0, max: 3 }),
          ch: checksum,
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ form: 'unknown' } as const) },
);

function refTo(family: GeneratedFamily, sizes: PoolSizes): fc.Arbitrary<RefSpec> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        family: fc.constant(family),
        slot: fc.nat({ max: sizes[family] - 1 }),
        raw: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ ghost: fc.nat({ max: GHOST_IDS.length - 1 }) }) },
  );
}

function refs(family: GeneratedFamily, sizes: PoolSizes, max = 1): fc.Arbitrary<ValueSpec> {
  return fc.array(refTo(family, sizes), { maxLength: max }).map((list) => ({ refs: list }));
}

/** A plain JSON value for a payload key. */
export function json<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<ValueSpec> {
  return arb.map((value) => ({ json: value }));
}

function nullable<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) });
}

/** A repeating rule `rr` (spec 9.6), sometimes with an unknown key. */
const recurrenceRule: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      rrv: fc.constant(4),
      tp: fc.constantFrom(0, 1),
      fu: fc.constantFrom(16, 256, 8, 4),
      fa: fc.integer({ min: 1, max: 3 }),
      of: fc.constantFrom([{ dy: 0 }], [{ wd: 2 }, { wd: 4 }], [{ dy: 15 }]),
      ia: dayStamp,
      sr: dayStamp,
      ed: fc.constantFrom(64_092_211_200, null),
      rc: fc.constant(0),
      ts: fc.integer({ min: -1, max: 1 }),
      zz: fc.constantFrom('future', 1),
    },
    { requiredKeys: ['fu', 'fa', 'of', 'ia', 'sr', 'ed'] },
  )
  .map((rule) => ({ ...rule }));

const opaqueValue: fc.Arbitrary<unknown> = fc.constantFrom(
  null,
  0,
  'x',
  { a: 1 },
  [1, 'two', null],
  { nested: { b: [true] } },
);

type FieldArbs = Readonly<Record<string, fc.Arbitrary<ValueSpec>>>;

/** The payload key arbitraries of each family (`null` only where the wire allows it). */
export function fieldArbs(sizes: PoolSizes): Readonly<Record<GeneratedFamily, FieldArbs>> {
  const day = json(nullable(dayStamp));
  const time = json(nullable(instant));
  return {
    task: {
      tp: json(fc.constantFrom(0, 0, 0, 1, 2)),
      tt: json(text),
      nt: noteSpec.map((note) => ({ note })),
      ss: json(fc.constantFrom(0, 0, 2, 3)),
      sp: time,
      st: json(fc.constantFrom(0, 1, 2)),
      sr: day,
      tir: day,
      dd: day,
      dds: day,
      do: json(fc.integer({ min: -2, max: 2 })),
      cd: time,
      md: json(
        fc.oneof({ weight: 5, arbitrary: instant }, { weight: 1, arbitrary: fc.constant(null) }),
      ),
      ix: json(fc.integer({ min: -300, max: 300 })),
      ti: json(fc.integer({ min: -20, max: 20 })),
      sb: json(fc.constantFrom(0, 1)),
      tr: json(fc.boolean()),
      ar: refs('area', sizes),
      pr: refs('task', sizes),
      agr: refs('task', sizes),
      tg: refs('tag', sizes, 3),
      dl: fc
        .array(fc.record({ ghost: fc.nat({ max: GHOST_IDS.length - 1 }) }), { maxLength: 1 })
        .map((list) => ({ refs: list })),
      rt: refs('task', sizes),
      rr: json(nullable(recurrenceRule)),
      icsd: day,
      icp: json(fc.boolean()),
      icc: json(fc.nat({ max: 3 })),
      acrd: day,
      ato: json(nullable(fc.integer({ min: 0, max: 86_399 }))),
      lai: time,
      lt: json(fc.boolean()),
      rmd: day,
      rp: json(opaqueValue),
      xx: json(opaqueValue),
      zz9: json(opaqueValue),
    },
    checklistItem: {
      tt: json(text),
      ss: json(fc.constantFrom(0, 0, 2, 3)),
      sp: time,
      ix: json(fc.integer({ min: -50, max: 50 })),
      ts: refs('task', sizes),
      cd: time,
      md: json(instant),
      lt: json(fc.boolean()),
      xx: json(opaqueValue),
    },
    area: {
      tt: json(text),
      ix: json(fc.integer({ min: -50, max: 50 })),
      tg: refs('tag', sizes, 2),
      xx: json(opaqueValue),
      zz9: json(opaqueValue),
    },
    tag: {
      tt: json(text),
      ix: json(fc.integer({ min: -50, max: 50 })),
      sh: json(nullable(fc.constantFrom('h', 'x'))),
      pn: refs('tag', sizes),
      xx: json(opaqueValue),
    },
    tombstone: {
      dloid: fc
        .oneof(
          {
            weight: 4,
            arbitrary: fc.constantFrom<GeneratedFamily>(
              'task',
              'task',
              'checklistItem',
              'area',
              'tag',
            ),
          },
          { weight: 1, arbitrary: fc.constant<GeneratedFamily>('tombstone') },
        )
        .chain((family) => refTo(family, sizes))
        .map((ref) => ({ ref })),
      dld: time,
    },
  };
}

/** Keys a native create sends: every known key of the family (not the unknown `zz9`). */
function nativeKeys(arbs: FieldArbs): string[] {
  return Object.keys(arbs).filter((key) => key !== 'zz9');
}

/** The `[key, value]` pairs of one payload. */
export type PayloadArb = fc.Arbitrary<readonly (readonly [string, ValueSpec])[]>;

/**
 * Payloads of `family` for a create (`action` 0: the native key set or a sparse one) or a sparse
 * modify (1).
 */
export function payloadArb(family: GeneratedFamily, action: 0 | 1, arbs: FieldArbs): PayloadArb {
  const keys = Object.keys(arbs);
  const native = nativeKeys(arbs);
  const required = family === 'tombstone' && action === 0 ? ['dloid'] : [];
  const pick = (chosen: readonly string[]) => {
    const all = [...new Set([...required, ...chosen])];
    return fc.tuple(
      ...all.map((key) => {
        const arb = arbs[key];
        if (arb === undefined) throw new RangeError(`no arbitrary for ${family}.${key}`);
        return arb.map((value) => [key, value] as const);
      }),
    );
  };
  const sparse = fc
    .subarray(keys, { minLength: action === 0 ? 0 : 1, maxLength: Math.min(5, keys.length) })
    .chain((chosen) => pick(chosen));
  if (action === 1) return sparse;
  return fc.oneof({ weight: 1, arbitrary: pick(native) }, { weight: 1, arbitrary: sparse });
}
