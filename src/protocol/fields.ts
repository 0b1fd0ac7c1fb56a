/**
 * The payload key tables of spec 6.1–6.5 and 9.6, shared by the decoder and the encoder.
 *
 * `null` policy (spec 5.4 and the "Type" columns of spec 6): a key may be `null` only where the
 * spec lists "or null" or a `null` native-create default. Everything else given as `null` is
 * WRONG_TYPE: relationship lists are cleared with `[]`, not `null`; titles are `""`, not `null`.
 *
 * | key(s)                                   | wire type           | decoded as          | null |
 * | ---------------------------------------- | ------------------- | ------------------- | ---- |
 * | tp ss st sb icc (task), ss (checklist)   | integer ≥ 0         | number              | no   |
 * | do ix ti ato                             | integer (any sign)  | number              | ato  |
 * | tt                                       | string              | string              | no   |
 * | nt                                       | string/object       | Note                | yes  |
 * | sp cd md lai (task, checklist), dld      | number (seconds)    | Instant             | yes  |
 * | sr tir dd dds icsd acrd rmd              | number (day stamp)  | CivilDate           | yes  |
 * | tr icp lt                                | boolean             | boolean             | no   |
 * | ar pr agr tg dl rt ts pn                 | array of id strings | EntityRef[]         | no   |
 * | dloid                                    | id string           | EntityRef           | no   |
 * | rr                                       | object              | RecurrenceRule      | yes  |
 * | sh (tag)                                 | string              | string              | yes  |
 * | rp xx                                    | anything            | as on the wire      | yes  |
 * | rr: rrv tp fu fa rc ts                   | integer             | number              | no   |
 * | rr: ia sr ed                             | number (day stamp)  | CivilDate           | yes  |
 * | rr: of                                   | array of {k: int}   | Record<string,int>[]| no   |
 *
 * Integers must be safe integers (OUT_OF_RANGE otherwise); instants must be finite numbers; day
 * stamps must fall in the years 0000–9999.
 */

import type { EntityFamily } from './types.ts';

/** How one payload value is typed. */
export type FieldType =
  | 'int'
  | 'uint'
  | 'string'
  | 'bool'
  | 'instant'
  | 'day'
  | 'ids'
  | 'id'
  | 'note'
  | 'rr'
  | 'offsets'
  | 'any';

/** One known payload key. */
export interface FieldSpec {
  readonly type: FieldType;
  readonly nullable: boolean;
  /** The JSON path of the key inside the item, e.g. `p.sr` (precomputed for messages). */
  readonly path: string;
}

/** Known keys of one payload shape. A Map, so wire keys such as `constructor` never match. */
export type FieldTable = ReadonlyMap<string, FieldSpec>;

function table(prefix: string, entries: Record<string, [FieldType, boolean]>): FieldTable {
  return new Map(
    Object.entries(entries).map(([key, [type, nullable]]) => [
      key,
      { type, nullable, path: `${prefix}.${key}` },
    ]),
  );
}

/** `Task*` payload keys (spec 6.1). */
export const TASK_FIELDS: FieldTable = table('p', {
  tp: ['uint', false],
  tt: ['string', false],
  nt: ['note', true],
  ss: ['uint', false],
  sp: ['instant', true],
  st: ['uint', false],
  sr: ['day', true],
  tir: ['day', true],
  dd: ['day', true],
  dds: ['day', true],
  do: ['int', false],
  cd: ['instant', true],
  md: ['instant', true],
  ix: ['int', false],
  ti: ['int', false],
  sb: ['uint', false],
  tr: ['bool', false],
  ar: ['ids', false],
  pr: ['ids', false],
  agr: ['ids', false],
  tg: ['ids', false],
  dl: ['ids', false],
  rt: ['ids', false],
  rr: ['rr', true],
  icsd: ['day', true],
  icp: ['bool', false],
  icc: ['uint', false],
  acrd: ['day', true],
  ato: ['int', true],
  lai: ['instant', true],
  lt: ['bool', false],
  rmd: ['day', true],
  rp: ['any', true],
  xx: ['any', true],
});

/** `ChecklistItem*` payload keys (spec 6.2). */
export const CHECKLIST_ITEM_FIELDS: FieldTable = table('p', {
  tt: ['string', false],
  ss: ['uint', false],
  sp: ['instant', true],
  ix: ['int', false],
  ts: ['ids', false],
  cd: ['instant', true],
  md: ['instant', true],
  lt: ['bool', false],
  xx: ['any', true],
});

/** `Area*` payload keys (spec 6.3). */
export const AREA_FIELDS: FieldTable = table('p', {
  tt: ['string', false],
  ix: ['int', false],
  tg: ['ids', false],
  xx: ['any', true],
});

/** `Tag*` payload keys (spec 6.4). */
export const TAG_FIELDS: FieldTable = table('p', {
  tt: ['string', false],
  ix: ['int', false],
  sh: ['string', true],
  pn: ['ids', false],
  xx: ['any', true],
});

/** `Tombstone*` payload keys (spec 6.5). */
export const TOMBSTONE_FIELDS: FieldTable = table('p', {
  dloid: ['id', false],
  dld: ['instant', true],
});

/** `rr` keys (spec 9.6). */
export const RECURRENCE_FIELDS: FieldTable = table('p.rr', {
  rrv: ['int', false],
  tp: ['int', false],
  fu: ['int', false],
  fa: ['int', false],
  of: ['offsets', false],
  ia: ['day', true],
  sr: ['day', true],
  ed: ['day', true],
  rc: ['int', false],
  ts: ['int', false],
});

/** The key table of each modelled family. */
export const FIELDS_BY_FAMILY: Readonly<Record<EntityFamily, FieldTable>> = {
  task: TASK_FIELDS,
  checklistItem: CHECKLIST_ITEM_FIELDS,
  area: AREA_FIELDS,
  tag: TAG_FIELDS,
  tombstone: TOMBSTONE_FIELDS,
};
