/**
 * Task, project and heading writes (spec 6.1, 10.2, 10.3): the 34-key native create, the shorter
 * SDK-era create, the typed create a script asks for, and the sparse modify.
 */
import {
  emptyExtension,
  modifyEvent,
  NEW_OBJECT_KINDS,
  type WireEvent,
  type WireNumber,
  type WirePayload,
} from './event.ts';
import type { WireValue } from './json-text.ts';
import { fullNote } from './note-objects.ts';
import { dayStampOf, type ScheduleFields } from './schedule.ts';

/** The 34 keys of a native `Task6`/`Task7` create, in the order of the spec's example (6.1). */
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

/** Values for some keys of a task create; the others keep their defaults. */
export type TaskKeys = Partial<Record<NativeTaskKey, WireValue>>;

/** Overwrites the keys of `p` that `keys` sets, in native key order (new keys go last). */
function overlay(p: WirePayload, keys: TaskKeys): WirePayload {
  for (const key of NATIVE_TASK_KEYS) {
    const value = keys[key];
    if (value !== undefined) p[key] = value;
  }
  return p;
}

/**
 * The payload of a native task create: all 34 keys, defaults as the 2026 apps write them
 * (`md: null`, empty note object, `[]` relationships), overridden by `keys`.
 */
export function nativeTaskPayload(createdAt: WireNumber, keys: TaskKeys): WirePayload {
  return overlay(
    {
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
      cd: createdAt,
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
    },
    keys,
  );
}

/**
 * The payload of an SDK-era task create: 15 keys with `md` = `cd`, then the keys `keys` adds, in
 * native key order (spec 5.4: readers treat missing keys as defaults).
 */
export function sdkTaskPayload(createdAt: WireNumber, keys: TaskKeys): WirePayload {
  return overlay(
    {
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
      cd: createdAt,
      md: createdAt,
      xx: emptyExtension(),
    },
    keys,
  );
}

/** What a to-do, project or heading create sets; everything else takes the native default. */
export interface TaskCreateFields {
  /** 0 to-do, 1 project, 2 heading. */
  readonly type: 0 | 1 | 2;
  readonly title: string;
  readonly notes?: string;
  readonly schedule: ScheduleFields;
  /** `YYYY-MM-DD` or `null`. */
  readonly deadline?: string | null;
  readonly areaId?: string | null;
  readonly projectId?: string | null;
  readonly headingId?: string | null;
  readonly tagIds?: readonly string[];
  /** Sort index; the harness writes ≥ 1 (spec 10.2 on `ix ≤ 0`). */
  readonly index: number;
  /** `cd`: the creation instant. */
  readonly createdAt: WireNumber;
}

/**
 * A native 34-key `Task6` create (spec 6.1, 10.2): `md: null`, note object with its checksum,
 * `xx` extension, projects and headings with `st ≥ 1`.
 */
export function taskCreate(fields: TaskCreateFields): WireEvent {
  const schedule =
    fields.type === 0
      ? fields.schedule
      : { ...fields.schedule, st: Math.max(1, fields.schedule.st) };
  const deadline = fields.deadline ?? null;
  const p = nativeTaskPayload(fields.createdAt, {
    tp: fields.type,
    tt: fields.title,
    nt: fullNote(fields.notes ?? ''),
    st: schedule.st,
    sr: schedule.sr,
    tir: schedule.tir,
    dd: deadline === null ? null : dayStampOf(deadline, 'deadline'),
    ix: fields.index,
    sb: schedule.sb,
    ar: idList(fields.areaId),
    pr: idList(fields.projectId),
    agr: idList(fields.headingId),
    tg: [...(fields.tagIds ?? [])],
  });
  return { t: 0, e: NEW_OBJECT_KINDS.task, p };
}

/** A sparse `Task6` modify: the given keys plus `md` (spec 10.3). */
export function taskModify<P extends object>(
  keys: P,
  modifiedAt: WireNumber,
): WireEvent<P & { md?: WireNumber }> {
  return modifyEvent(NEW_OBJECT_KINDS.task, keys, modifiedAt);
}

/** `[id]`, or `[]` for none: the shape of the `ar`/`pr`/`agr`/`ts`/`pn` relationships. */
export function idList(id: string | null | undefined): string[] {
  return id === null || id === undefined ? [] : [id];
}
