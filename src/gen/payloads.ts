/**
 * Payload builders in the shapes the native apps write (spec 6): the 34-key native task create,
 * checklist item, area, tag, tombstone and settings payloads, and note objects (spec 7).
 */
import { crc32 } from '../protocol/index.ts';
import type { JsonValue, RawNumber } from './json.ts';

/** The 34 keys of a native `Task6`/`Task7` create, in the order of the spec's example. */
export const NATIVE_TASK_KEYS = [
  'tp',
  'tt',
  'nt',
  'ss',
  'sp',
  'st',
  'sr',
  'tir',
  'dd',
  'dds',
  'do',
  'cd',
  'md',
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
  'rr',
  'icsd',
  'icp',
  'icc',
  'acrd',
  'ato',
  'lai',
  'lt',
  'rmd',
  'rp',
  'xx',
] as const;
/** One key of a native task create. */
export type NativeTaskKey = (typeof NATIVE_TASK_KEYS)[number];

/** A JSON object under construction. */
export type Payload = Record<string, JsonValue>;

/** The extension object SDK-era and native creates carry. */
export function emptyExtension(): JsonValue {
  return { _t: 'oo', sn: {} };
}

/** A full-text note object `{"_t":"tx","ch":…,"v":…,"t":1}` with the CRC-32 of `text`. */
export function fullNote(text: string): JsonValue {
  return { _t: 'tx', ch: crc32(text), v: text, t: 1 };
}

/** One delta patch as on the wire. */
export interface WirePatch {
  readonly r: string;
  readonly p: number;
  readonly l: number;
  readonly ch: number;
}

/** A delta note object `{"_t":"tx","t":2,"ps":[…]}`. */
export function deltaNote(patches: readonly WirePatch[]): JsonValue {
  return { _t: 'tx', t: 2, ps: patches.map((x) => ({ r: x.r, p: x.p, l: x.l, ch: x.ch })) };
}

/**
 * A native task create: all 34 keys, defaults as the 2026 apps write them (`md: null`, empty
 * note object, `[]` relationships), overridden by `fields`.
 */
export function nativeTaskCreate(
  cd: RawNumber,
  fields: Partial<Record<NativeTaskKey, JsonValue>>,
): Payload {
  const p: Payload = {
    tp: 0,
    tt: '',
    nt: fullNote(''),
    ss: 0,
    sp: null,
    st: 0,
    sr: null,
    tir: null,
    dd: null,
    dds: null,
    do: 0,
    cd,
    md: null,
    ix: 0,
    ti: 0,
    sb: 0,
    tr: false,
    ar: [],
    pr: [],
    agr: [],
    tg: [],
    dl: [],
    rt: [],
    rr: null,
    icsd: null,
    icp: false,
    icc: 0,
    acrd: null,
    ato: null,
    lai: null,
    lt: false,
    rmd: null,
    rp: null,
    xx: emptyExtension(),
  };
  for (const key of NATIVE_TASK_KEYS) {
    const value = fields[key];
    if (value !== undefined) p[key] = value;
  }
  return p;
}

/** An SDK-style task create: fewer keys, `md` set (spec 5.4: readers treat missing keys as defaults). */
export function sdkTaskCreate(
  cd: RawNumber,
  fields: Partial<Record<NativeTaskKey, JsonValue>>,
): Payload {
  const p: Payload = {
    tp: 0,
    tt: '',
    st: 0,
    ss: 0,
    sr: null,
    tir: null,
    dd: null,
    ar: [],
    pr: [],
    agr: [],
    tg: [],
    ix: 0,
    cd,
    md: cd,
    xx: emptyExtension(),
  };
  for (const key of NATIVE_TASK_KEYS) {
    const value = fields[key];
    if (value !== undefined) p[key] = value;
  }
  return p;
}

/** A native `ChecklistItem3` create. */
export function checklistCreate(cd: RawNumber, title: string, task: string, ix: number): Payload {
  return {
    tt: title,
    ss: 0,
    sp: null,
    ix,
    ts: [task],
    md: null,
    cd,
    lt: false,
    xx: emptyExtension(),
  };
}

/** An `Area3` create. */
export function areaCreate(title: string, ix: number): Payload {
  return { tt: title, ix, tg: [], xx: emptyExtension() };
}

/** A `Tag4` create. */
export function tagCreate(
  title: string,
  ix: number,
  sh: string | null,
  parent: string | null,
): Payload {
  return { tt: title, ix, sh, pn: parent === null ? [] : [parent], xx: emptyExtension() };
}

/** A `Tombstone2` payload. */
export function tombstone(target: string, dld: RawNumber): Payload {
  return { dloid: target, dld };
}
