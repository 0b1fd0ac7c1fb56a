/**
 * fast-check arbitraries of Things Cloud wire histories, for thingstape's own property tests and
 * for users' suites (`import { wireHistory } from 'thingstape/testing'`).
 *
 * A history is generated as a list of abstract operations (shrinkable: fast-check removes and
 * simplifies operations) and rendered into wire groups `{id: {t, e, p}}`, exactly what a page's
 * `items` array holds, so tests feed it through the real decoder.
 *
 * What the histories contain (spec 4–9): every entity family and action, legacy kinds with legacy
 * ids (UUIDs, recurring-instance ids, names) beside the modern kinds of the same entities, native
 * full creates and sparse creates, sparse modifies with explicit `null`s, notes in every form
 * (plain, full text with right/wrong/no checksum, delta patches with right/wrong/no checksums),
 * `t=2` deletes (also of unknown ids), tombstones of every family (and of tombstones),
 * resurrections, re-creates of live entities, modify-before-create, dangling references, repeating
 * templates and their instances, metadata and unknown kinds, the same id under two families, and
 * empty groups. Id pools are small, so the same entity is touched many times.
 *
 * Never generated: kinds newer than thingstape knows (`Task8`: the sync stops on them by design)
 * and malformed JSON (see the decoder's own corpus tests).
 */

import * as fc from 'fast-check';

import {
  base58Encode,
  civilDateToDayStamp,
  crc32,
  isCivilDate,
  legacyToBase58,
} from '../protocol/index.ts';

// ---------------------------------------------------------------------------------------------
// Wire shapes

/** A wire event `{t, e, p}` (`p` may be absent or `null` on deletes). */
export interface WireEvent {
  readonly t: number;
  readonly e: string;
  readonly p?: unknown;
}

/** A wire group: entity id → event (key order is the order items are applied in). */
export type WireGroup = Readonly<Record<string, WireEvent>>;

/** The body of a `GET …/items?start-index=N` response as generated. */
export interface WirePage {
  readonly items: readonly WireGroup[];
  readonly 'current-item-index': number;
  readonly schema: number;
}

/** A generated history: its groups in server-index order, starting at index 0. */
export interface WireHistory {
  readonly groups: readonly WireGroup[];
}

/** Entity families the generator touches (the modelled ones). */
export const GENERATED_FAMILIES = ['task', 'checklistItem', 'area', 'tag', 'tombstone'] as const;
/** One of {@link GENERATED_FAMILIES}. */
export type GeneratedFamily = (typeof GENERATED_FAMILIES)[number];

// ---------------------------------------------------------------------------------------------
// Id pools

/** One entity of a pool: its engine id and, for legacy entities, the legacy wire id. */
export interface PoolEntity {
  readonly family: GeneratedFamily;
  readonly slot: number;
  /** The id the engine uses (the Base58 mapping of `legacyRaw` when there is one). */
  readonly id: string;
  /** The legacy wire id (UUID, `<UUID>-YYYYMMDD`, or a name) of a legacy entity, else `null`. */
  readonly legacyRaw: string | null;
}

/** How many entities each family's pool holds (small pools: many touches per entity). */
export type PoolSizes = Readonly<Record<GeneratedFamily, number>>;

/** The default pool sizes. */
export const DEFAULT_POOL_SIZES: PoolSizes = {
  task: 5,
  checklistItem: 3,
  area: 2,
  tag: 3,
  tombstone: 3,
};

const FAMILY_CODE: Readonly<Record<GeneratedFamily, number>> = {
  task: 1,
  checklistItem: 2,
  area: 3,
  tag: 4,
  tombstone: 5,
};

/** A canonical Base58 id for (`code`, `n`): distinct inputs give distinct 22-character ids. */
export function canonicalTestId(code: number, n: number): string {
  const bytes = new Uint8Array(16);
  bytes[0] = 0x40 + (code % 64);
  bytes[1] = 0x5a;
  bytes[14] = (n >> 8) & 0xff;
  bytes[15] = n & 0xff;
  return base58Encode(bytes);
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/** The legacy wire id of slot 0 (and task slot 1) of a family; other slots are modern. */
function legacyRawOf(family: GeneratedFamily, slot: number): string | null {
  const uuid = `${hex(FAMILY_CODE[family], 8)}-0000-4000-8000-${hex(slot, 12)}`;
  if (family === 'task' && slot === 1) return `${uuid}-20240115`;
  if (slot !== 0) return null;
  return family === 'tag' ? 'CC-Things-Tag-High' : uuid;
}

/** The entity in `slot` of `family`'s pool. */
export function poolEntity(family: GeneratedFamily, slot: number): PoolEntity {
  const legacyRaw = legacyRawOf(family, slot);
  const id =
    legacyRaw === null ? canonicalTestId(FAMILY_CODE[family], slot) : legacyToBase58(legacyRaw);
  return { family, slot, id, legacyRaw };
}

/** Every entity of every pool. */
export function poolEntities(sizes: PoolSizes = DEFAULT_POOL_SIZES): PoolEntity[] {
  return GENERATED_FAMILIES.flatMap((family) =>
    Array.from({ length: sizes[family] }, (_, slot) => poolEntity(family, slot)),
  );
}

/** Ids that are referenced but never keyed by an item (always dangling). */
export const GHOST_IDS: readonly string[] = [canonicalTestId(9, 1), canonicalTestId(9, 2)];

// ---------------------------------------------------------------------------------------------
// Operations (the shrinkable description of a history)

/** A reference to a pool entity or a ghost id, rendered per item (legacy kinds may use raw ids). */
export type RefSpec =
  | { readonly family: GeneratedFamily; readonly slot: number; readonly raw: boolean }
  | { readonly ghost: number };

/** A note value to render; checksums are computed (or spoiled) against the tracked note text. */
export type NoteSpec =
  | { readonly form: 'plain'; readonly text: string }
  | { readonly form: 'full'; readonly text: string; readonly ch: ChecksumSpec }
  | { readonly form: 'delta'; readonly patches: readonly PatchSpec[] }
  | { readonly form: 'unknown' };

/** Whether a rendered checksum is right, wrong, or absent. */
export type ChecksumSpec = 'right' | 'wrong' | 'none';

/** One delta patch to render: byte position/length (possibly past the end) and replacement. */
export interface PatchSpec {
  readonly r: string;
  readonly p: number;
  readonly l: number;
  readonly ch: ChecksumSpec;
}

/** A payload value: plain JSON, or a reference list / single reference / note to render. */
export type ValueSpec =
  | { readonly refs: readonly RefSpec[] }
  | { readonly ref: RefSpec }
  | { readonly note: NoteSpec | null }
  | { readonly json: unknown };

/** One item of a modelled family. */
export interface EntityOp {
  readonly op: 'entity';
  /** The kind's family. */
  readonly family: GeneratedFamily;
  /** Whose id the item carries: normally `family`'s pool; another family's pool is a family change. */
  readonly pool: GeneratedFamily;
  readonly slot: number;
  readonly action: 0 | 1 | 2;
  /** For a legacy entity: use the legacy kind and raw id (else the modern kind and Base58 id). */
  readonly legacy: boolean;
  /** Which kind version of the family (index into its modern or legacy kind list). */
  readonly version: number;
  /** Payload keys in order; `null` for a delete with a `null` payload, `undefined` for none. */
  readonly payload: readonly (readonly [string, ValueSpec])[] | null | undefined;
  /** Join the previous group (when the ids allow it) instead of starting a new one. */
  readonly join: boolean;
}

/** One metadata or unknown-kind item (kept raw by the engine). */
export interface OpaqueOp {
  readonly op: 'opaque';
  readonly which: 'settings' | 'marker' | 'command' | 'contact' | 'unknown';
  readonly action: 0 | 1 | 2;
  readonly n: number;
  readonly p: unknown;
  readonly join: boolean;
}

/** An empty group `{}`. */
export interface EmptyOp {
  readonly op: 'empty';
}

/** One step of a generated history. */
export type HistoryOp = EntityOp | OpaqueOp | EmptyOp;

// ---------------------------------------------------------------------------------------------
// Value arbitraries

const MODERN_KINDS: Readonly<Record<GeneratedFamily, readonly string[]>> = {
  task: ['Task6', 'Task7'],
  checklistItem: ['ChecklistItem3'],
  area: ['Area3'],
  tag: ['Tag4'],
  tombstone: ['Tombstone2'],
};

const LEGACY_KINDS: Readonly<Record<GeneratedFamily, readonly string[]>> = {
  task: ['Task3', 'Task4', 'Task', 'Task2'],
  checklistItem: ['ChecklistItem', 'ChecklistItem2'],
  area: ['Area2', 'Area'],
  tag: ['Tag3', 'Tag2', 'Tag'],
  tombstone: ['Tombstone'],
};

/** A day stamp (UTC midnight) in late 2025, sometimes with a fraction (readers accept both). */
const dayStamp: fc.Arbitrary<number> = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom(0, 0, 0, 0.25))
  .map(([day, fraction]) => {
    const date = new Date(Date.UTC(2025, 9, 15 + day)).toISOString().slice(0, 10);
    if (!isCivilDate(date)) throw new RangeError(`bad generated date ${date}`);
    return civilDateToDayStamp(date) + fraction;
  });

/** An instant (seconds, fractional) in late 2025. */
const instant: fc.Arbitrary<number> = fc
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

function json<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<ValueSpec> {
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
function fieldArbs(sizes: PoolSizes): Readonly<Record<GeneratedFamily, FieldArbs>> {
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

type PayloadArb = fc.Arbitrary<readonly (readonly [string, ValueSpec])[]>;

function payloadArb(family: GeneratedFamily, action: 0 | 1, arbs: FieldArbs): PayloadArb {
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

/** Options of {@link historyOps} and {@link wireHistory}. */
export interface HistoryOptions {
  /** Most operations (items and empty groups) per history; default 40. */
  readonly maxOps?: number;
  /** Fewest operations; default 0. */
  readonly minOps?: number;
  /** Pool sizes; default {@link DEFAULT_POOL_SIZES}. */
  readonly pools?: PoolSizes;
  /** Include metadata, unknown kinds, family changes and empty groups (default true). */
  readonly oddities?: boolean;
  /** Probability weight (0–10) of an item joining the previous group; default 3. */
  readonly joinWeight?: number;
}

/** One operation. */
export function historyOp(options: HistoryOptions = {}): fc.Arbitrary<HistoryOp> {
  const sizes = options.pools ?? DEFAULT_POOL_SIZES;
  const oddities = options.oddities ?? true;
  const joinWeight = options.joinWeight ?? 3;
  const join = fc.oneof(
    { weight: 10 - joinWeight, arbitrary: fc.constant(false) },
    { weight: joinWeight, arbitrary: fc.constant(true) },
  );
  const arbs = fieldArbs(sizes);
  const payloads = Object.fromEntries(
    GENERATED_FAMILIES.map((family) => [
      family,
      [payloadArb(family, 0, arbs[family]), payloadArb(family, 1, arbs[family])] as const,
    ]),
  ) as Record<GeneratedFamily, readonly [PayloadArb, PayloadArb]>;
  const entity = (family: GeneratedFamily, weight: number) => ({
    weight,
    arbitrary: fc
      .record({
        action: fc.oneof(
          { weight: 3, arbitrary: fc.constant<0 | 1 | 2>(0) },
          { weight: 6, arbitrary: fc.constant<0 | 1 | 2>(1) },
          { weight: 1, arbitrary: fc.constant<0 | 1 | 2>(2) },
        ),
        pool: oddities
          ? fc.oneof(
              { weight: 30, arbitrary: fc.constant(family) },
              { weight: 1, arbitrary: fc.constantFrom(...GENERATED_FAMILIES) },
            )
          : fc.constant(family),
        legacy: fc.boolean(),
        version: fc.nat({ max: 3 }),
        join,
      })
      .chain((head) =>
        fc
          .record({
            slot: fc.nat({ max: sizes[head.pool] - 1 }),
            payload:
              head.action === 2
                ? fc.oneof(
                    { weight: 6, arbitrary: fc.constant([]) },
                    { weight: 2, arbitrary: json(instant).map((md) => [['md', md] as const]) },
                    { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
                  )
                : payloads[family][head.action],
          })
          .map((rest): EntityOp => ({ op: 'entity', family, ...head, ...rest })),
      ),
  });
  const arbitraries: fc.WeightedArbitrary<HistoryOp>[] = [
    entity('task', 10),
    entity('checklistItem', 3),
    entity('area', 2),
    entity('tag', 2),
    entity('tombstone', 3),
  ];
  if (oddities) {
    arbitraries.push(
      {
        weight: 1,
        arbitrary: fc.record({
          op: fc.constant('opaque' as const),
          which: fc.constantFrom('settings', 'marker', 'command', 'contact', 'unknown'),
          action: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
          n: fc.nat({ max: 1 }),
          p: fc.constantFrom<unknown>({}, { ld: 1_416_697_200 }, { tt: 'mail', md: 1_760_500_000 }),
          join,
        }),
      },
      { weight: 1, arbitrary: fc.constant({ op: 'empty' } as const) },
    );
  }
  return fc.oneof(...arbitraries);
}

/** Shrinkable operation lists; render them with {@link renderHistory}. */
export function historyOps(options: HistoryOptions = {}): fc.Arbitrary<readonly HistoryOp[]> {
  return fc.array(historyOp(options), {
    minLength: options.minOps ?? 0,
    maxLength: options.maxOps ?? 40,
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Options of {@link renderHistory}. */
export interface RenderOptions {
  readonly pools?: PoolSizes;
  /**
   * Keep the items of a group independent: no tombstone in a group targets another item of the
   * same group, and no two tombstones of a group target the same entity (the first in key order
   * deletes it, the other is a DELETE_OF_DELETED anomaly); then any order of a group's items must
   * give the same state.
   */
  readonly independentGroups?: boolean;
}

function kindOf(op: EntityOp, legacy: boolean): string {
  const list = legacy ? LEGACY_KINDS[op.family] : MODERN_KINDS[op.family];
  return list[op.version % list.length] ?? list[0] ?? 'Task6';
}

function refWire(ref: RefSpec, legacyKind: boolean, sizes: PoolSizes): string {
  if ('ghost' in ref) return GHOST_IDS[ref.ghost % GHOST_IDS.length] ?? '';
  const target = poolEntity(ref.family, ref.slot % sizes[ref.family]);
  return legacyKind && ref.raw && target.legacyRaw !== null ? target.legacyRaw : target.id;
}

function refId(ref: RefSpec, sizes: PoolSizes): string {
  if ('ghost' in ref) return GHOST_IDS[ref.ghost % GHOST_IDS.length] ?? '';
  return poolEntity(ref.family, ref.slot % sizes[ref.family]).id;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function patchText(current: string, patch: PatchSpec): string {
  const bytes = encoder.encode(current);
  const position = Math.min(patch.p, bytes.length);
  const length = Math.min(patch.l, bytes.length - position);
  const replacement = encoder.encode(patch.r);
  const next = new Uint8Array(bytes.length - length + replacement.length);
  next.set(bytes.subarray(0, position));
  next.set(replacement, position);
  next.set(bytes.subarray(position + length), position + replacement.length);
  return decoder.decode(next);
}

function renderChecksum(spec: ChecksumSpec, textAfter: string): number | undefined {
  if (spec === 'none') return undefined;
  const right = crc32(textAfter);
  return spec === 'right' ? right : (right + 1) >>> 0;
}

/**
 * Renders a note against the note text the generator believes the entity has (tracked without
 * tombstones, so a "right" checksum is occasionally wrong — which the engine must handle too).
 */
function renderNote(spec: NoteSpec | null, current: string): { wire: unknown; text: string } {
  if (spec === null) return { wire: null, text: '' };
  switch (spec.form) {
    case 'plain':
      return { wire: spec.text, text: spec.text };
    case 'full': {
      const ch = renderChecksum(spec.ch, spec.text);
      const wire: Record<string, unknown> = { _t: 'tx', t: 1, v: spec.text };
      if (ch !== undefined) wire['ch'] = ch;
      return { wire, text: spec.text };
    }
    case 'delta': {
      let textNow = current;
      const ps = spec.patches.map((patch) => {
        textNow = patchText(textNow, patch);
        const wire: Record<string, unknown> = { r: patch.r, p: patch.p, l: patch.l };
        const ch = renderChecksum(patch.ch, textNow);
        if (ch !== undefined) wire['ch'] = ch;
        return wire;
      });
      return { wire: { _t: 'tx', t: 2, ps }, text: textNow };
    }
    case 'unknown':
      return { wire: { _t: 'tx', t: 9, v: 'future form' }, text: current };
    default: {
      const never: never = spec;
      throw new TypeError(`unknown note spec ${JSON.stringify(never)}`);
    }
  }
}

const OPAQUE_KINDS = {
  settings: 'Settings3',
  marker: '-',
  command: 'Command',
  contact: 'Contact2',
  unknown: 'Reminder2',
} as const;

/**
 * Renders operations into wire groups. Items join the previous group when asked and when the group
 * holds no item with the same engine id (nor, with `independentGroups`, a tombstone relation or
 * a second tombstone of the same target).
 */
export function renderHistory(ops: readonly HistoryOp[], options: RenderOptions = {}): WireHistory {
  const sizes = options.pools ?? DEFAULT_POOL_SIZES;
  const groups: Record<string, WireEvent>[] = [];
  const notes = new Map<string, string>();
  let current: Record<string, WireEvent> | undefined;
  let currentIds = new Set<string>();
  let currentTargets = new Set<string>();
  const place = (join: boolean, key: string, engineIds: readonly string[], event: WireEvent) => {
    const [ownId = key] = engineIds;
    const targets = engineIds.slice(1);
    const clash =
      current === undefined ||
      !join ||
      key in current ||
      currentIds.has(ownId) ||
      (options.independentGroups === true &&
        (currentTargets.has(ownId) ||
          targets.some((id) => currentIds.has(id) || currentTargets.has(id))));
    if (clash) {
      current = {};
      groups.push(current);
      currentIds = new Set();
      currentTargets = new Set();
    }
    Object.defineProperty(current, key, {
      value: event,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    currentIds.add(ownId);
    for (const id of targets) currentTargets.add(id);
  };
  for (const op of ops) {
    if (op.op === 'empty') {
      current = undefined;
      groups.push({});
      continue;
    }
    if (op.op === 'opaque') {
      const key =
        op.which === 'settings' || op.which === 'marker'
          ? 'Settings'
          : canonicalTestId(10 + ['command', 'contact', 'unknown'].indexOf(op.which), op.n);
      place(op.join, key, [key], { t: op.action, e: OPAQUE_KINDS[op.which], p: op.p });
      continue;
    }
    const target = poolEntity(op.pool, op.slot % sizes[op.pool]);
    const legacy = op.legacy && target.legacyRaw !== null;
    const key = legacy && target.legacyRaw !== null ? target.legacyRaw : target.id;
    const kind = kindOf(op, legacy);
    const event: { t: number; e: string; p?: unknown } = { t: op.action, e: kind };
    const related: string[] = [];
    if (op.payload === null) event.p = null;
    else if (op.payload !== undefined) {
      const p: Record<string, unknown> = {};
      for (const [name, value] of op.payload) {
        if ('refs' in value) p[name] = value.refs.map((ref) => refWire(ref, legacy, sizes));
        else if ('ref' in value) {
          p[name] = refWire(value.ref, legacy, sizes);
          related.push(refId(value.ref, sizes));
        } else if ('note' in value) {
          const base = op.action === 0 ? '' : (notes.get(target.id) ?? '');
          const note = renderNote(value.note, base);
          p[name] = note.wire;
          notes.set(target.id, note.text);
        } else p[name] = value.json;
      }
      event.p = p;
    }
    if (op.action === 0 && !op.payload?.some(([name]) => name === 'nt')) notes.set(target.id, '');
    if (op.action === 2) notes.set(target.id, '');
    place(op.join, key, [target.id, ...related], event);
  }
  return { groups };
}

/** Wire histories: {@link historyOps} rendered with {@link renderHistory}. */
export function wireHistory(
  options: HistoryOptions & RenderOptions = {},
): fc.Arbitrary<WireHistory> {
  return historyOps(options).map((ops) => renderHistory(ops, options));
}

// ---------------------------------------------------------------------------------------------
// Pages, splits, orders

/** A page body holding `groups` of a history whose head is `head`. */
export function wirePage(groups: readonly WireGroup[], head: number): WirePage {
  return { items: groups, 'current-item-index': head, schema: 301 };
}

/**
 * The page boundaries (strictly increasing start indexes after 0) of a history of `n` groups:
 * at most `maxCuts` cuts (default: any number, up to one page per group).
 */
export function pageSplit(n: number, maxCuts = n): fc.Arbitrary<readonly number[]> {
  if (n <= 1) return fc.constant([]);
  return fc
    .uniqueArray(fc.integer({ min: 1, max: n - 1 }), { maxLength: Math.min(n - 1, maxCuts) })
    .map((cuts) => [...cuts].sort((a, b) => a - b));
}

/** The pages of a history cut at `cuts`: `[startIndex, groups]` pairs covering every group. */
export function splitPages(
  groups: readonly WireGroup[],
  cuts: readonly number[],
): { readonly startIndex: number; readonly groups: readonly WireGroup[] }[] {
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < groups.length), groups.length];
  const pages: { startIndex: number; groups: readonly WireGroup[] }[] = [];
  for (let i = 0; i + 1 < bounds.length; i += 1) {
    const start = bounds[i] ?? 0;
    const end = bounds[i + 1] ?? groups.length;
    if (end > start) pages.push({ startIndex: start, groups: groups.slice(start, end) });
  }
  return pages;
}

/** A history with a split of it into pages (at most `maxCuts` cuts, default any). */
export function splitHistory(
  options: HistoryOptions & RenderOptions & { readonly maxCuts?: number } = {},
): fc.Arbitrary<{ readonly history: WireHistory; readonly cuts: readonly number[] }> {
  return wireHistory(options).chain((history) =>
    pageSplit(history.groups.length, options.maxCuts).map((cuts) => ({ history, cuts })),
  );
}

/** A permutation of `0…n-1` (shrinks towards the identity). */
export function permutation(n: number): fc.Arbitrary<readonly number[]> {
  if (n <= 1) return fc.constant(Array.from({ length: n }, (_, i) => i));
  return fc.array(fc.nat({ max: n - 1 }), { minLength: n, maxLength: n }).map((draws) => {
    // Fisher–Yates driven by the draws: all zeros is the identity.
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < n; i += 1) {
      const j = i + ((draws[i] ?? 0) % (n - i));
      const a = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = a;
    }
    return order;
  });
}

/** A group with its keys (items) reordered by `order`. */
export function reorderGroup(group: WireGroup, order: readonly number[]): WireGroup {
  const entries = Object.entries(group);
  const out: Record<string, WireEvent> = {};
  for (const i of order) {
    const entry = entries[i];
    if (entry !== undefined) {
      Object.defineProperty(out, entry[0], {
        value: entry[1],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

/** A permutation of the items inside every group of a history. */
export function groupOrders(history: WireHistory): fc.Arbitrary<WireHistory> {
  return fc
    .tuple(...history.groups.map((group) => permutation(Object.keys(group).length)))
    .map((orders) => ({
      groups: history.groups.map((group, i) => reorderGroup(group, orders[i] ?? [])),
    }));
}

/**
 * An interleaving of several streams that keeps each stream's own order: the merged sequence as
 * `[stream, position]` pairs. Shrinks towards "stream 0 first, then stream 1, …".
 */
export function interleaving(
  lengths: readonly number[],
): fc.Arbitrary<readonly (readonly [number, number])[]> {
  const total = lengths.reduce((sum, n) => sum + n, 0);
  return fc
    .array(fc.nat({ max: Math.max(lengths.length - 1, 0) }), {
      minLength: total,
      maxLength: total,
    })
    .map((draws) => {
      const next = lengths.map(() => 0);
      const out: [number, number][] = [];
      for (const draw of draws) {
        // Take from the drawn stream, or the first non-exhausted one after it.
        for (let k = 0; k < lengths.length; k += 1) {
          const s = (draw + k) % lengths.length;
          const at = next[s] ?? 0;
          if (at < (lengths[s] ?? 0)) {
            out.push([s, at]);
            next[s] = at + 1;
            break;
          }
        }
      }
      return out;
    });
}
