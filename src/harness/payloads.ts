/**
 * Native-shaped write payloads (spec 10.2–10.4), pure: the caller passes ids, instants and the
 * local date. Creates carry the full native key set (`Task6`: 34 keys, `md: null`), modifies only
 * the keys they change plus `md`.
 */
import { civilDateToDayStamp, crc32, isCivilDate } from '../protocol/index.ts';
import type { CivilDate, Instant } from '../protocol/index.ts';

/** One wire event of a commit body: `{t, e, p}`. */
export interface WireWrite {
  readonly t: 0 | 1 | 2;
  readonly e: string;
  readonly p: Readonly<Record<string, unknown>>;
}

/** Where a to-do or project goes: a list name, or a date (`YYYY-MM-DD`: Today if ≤ today, else Upcoming). */
// eslint-disable-next-line @typescript-eslint/no-restricted-types -- `string & {}` keeps the list names as completions
export type When = 'inbox' | 'today' | 'evening' | 'anytime' | 'someday' | (string & {});

/** The `st`/`sr`/`tir`/`sb` fields of a schedule. */
export interface ScheduleFields {
  readonly st: number;
  readonly sr: number | null;
  readonly tir: number | null;
  readonly sb: number;
}

/** Empty extension object of SDK-written creates (spec 6.1 `xx`). */
export function emptyExtension(): { _t: 'oo'; sn: Record<string, never> } {
  return { _t: 'oo', sn: {} };
}

/** A full-text note object with its CRC-32, keys in native order (spec 7.1). */
export function noteObject(text: string): { _t: 'tx'; ch: number; v: string; t: 1 } {
  return { _t: 'tx', ch: crc32(text), v: text, t: 1 };
}

/**
 * The schedule fields of `when` on `today` (spec 10.2): Today `st 1` with `sr = tir = today`,
 * Evening the same with `sb 1`, a later date `st 2` with `sr = tir = date`, Someday `st 2`,
 * Anytime `st 1`, Inbox `st 0`. `contained` (in a project, heading or area) turns Inbox into
 * Anytime: `st 0` contradicts a container.
 */
export function scheduleFields(when: When, today: CivilDate, contained: boolean): ScheduleFields {
  const day = (date: string): number => civilDateToDayStamp(date);
  switch (when) {
    case 'inbox':
      return contained
        ? { st: 1, sr: null, tir: null, sb: 0 }
        : { st: 0, sr: null, tir: null, sb: 0 };
    case 'today':
      return { st: 1, sr: day(today), tir: day(today), sb: 0 };
    case 'evening':
      return { st: 1, sr: day(today), tir: day(today), sb: 1 };
    case 'anytime':
      return { st: 1, sr: null, tir: null, sb: 0 };
    case 'someday':
      return { st: 2, sr: null, tir: null, sb: 0 };
    default: {
      if (!isCivilDate(when)) {
        throw new RangeError(
          `when must be inbox, today, evening, anytime, someday or a date YYYY-MM-DD, got ${JSON.stringify(when)}`,
        );
      }
      return when <= today
        ? { st: 1, sr: day(when), tir: day(when), sb: 0 }
        : { st: 2, sr: day(when), tir: day(when), sb: 0 };
    }
  }
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
  readonly createdAt: Instant;
}

/**
 * A native 34-key `Task6` create (spec 6.1, 10.2): `md: null`, empty note object, `xx` extension,
 * projects and headings with `st 1`.
 */
export function taskCreate(fields: TaskCreateFields): WireWrite {
  const schedule =
    fields.type === 0
      ? fields.schedule
      : { ...fields.schedule, st: Math.max(1, fields.schedule.st) };
  const deadline = fields.deadline ?? null;
  const p = {
    tp: fields.type,
    tt: fields.title,
    nt: noteObject(fields.notes ?? ''),
    ss: 0,
    sp: null,
    st: schedule.st,
    sr: schedule.sr,
    tir: schedule.tir,
    dd: deadline === null ? null : dayStampOf(deadline, 'deadline'),
    dds: null,
    do: 0,
    cd: fields.createdAt,
    md: null,
    ix: fields.index,
    ti: 0,
    sb: schedule.sb,
    tr: false,
    ar: idList(fields.areaId),
    pr: idList(fields.projectId),
    agr: idList(fields.headingId),
    tg: [...(fields.tagIds ?? [])],
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
  return { t: 0, e: 'Task6', p };
}

/** The 34 keys of a native task create, in wire order. */
export const TASK_CREATE_KEYS: readonly string[] = Object.keys(
  taskCreate({
    type: 0,
    title: '',
    schedule: { st: 0, sr: null, tir: null, sb: 0 },
    index: 1,
    createdAt: 0,
  }).p,
);

/** A sparse `Task6` modify: the given keys plus `md` (spec 10.3). */
export function taskModify(
  keys: Readonly<Record<string, unknown>>,
  modifiedAt: Instant,
): WireWrite {
  return { t: 1, e: 'Task6', p: { ...keys, md: modifiedAt } };
}

/** A `ChecklistItem3` create (spec 10.2): `ts: [task]`, `ss 0`, `sp null`, `md null`. */
export function checklistItemCreate(fields: {
  readonly taskId: string;
  readonly title: string;
  readonly index: number;
  readonly createdAt: Instant;
}): WireWrite {
  return {
    t: 0,
    e: 'ChecklistItem3',
    p: {
      tt: fields.title,
      ss: 0,
      sp: null,
      ix: fields.index,
      ts: [fields.taskId],
      cd: fields.createdAt,
      md: null,
      lt: false,
      xx: emptyExtension(),
    },
  };
}

/** A sparse `ChecklistItem3` modify with `md`. */
export function checklistItemModify(
  keys: Readonly<Record<string, unknown>>,
  modifiedAt: Instant,
): WireWrite {
  return { t: 1, e: 'ChecklistItem3', p: { ...keys, md: modifiedAt } };
}

/** An `Area3` create (`Area2` is ignored by the app, spec 10.2). */
export function areaCreate(fields: {
  readonly title: string;
  readonly index: number;
  readonly tagIds?: readonly string[];
}): WireWrite {
  return {
    t: 0,
    e: 'Area3',
    p: { tt: fields.title, ix: fields.index, tg: [...(fields.tagIds ?? [])], xx: emptyExtension() },
  };
}

/** A sparse `Area3` modify (areas carry no `md`). */
export function areaModify(keys: Readonly<Record<string, unknown>>): WireWrite {
  return { t: 1, e: 'Area3', p: { ...keys } };
}

/** A `Tag4` create: `sh null` unless a shortcut is given, `pn: []` or `[parent]`. */
export function tagCreate(fields: {
  readonly title: string;
  readonly index: number;
  readonly shortcut?: string | null;
  readonly parentId?: string | null;
}): WireWrite {
  return {
    t: 0,
    e: 'Tag4',
    p: {
      tt: fields.title,
      ix: fields.index,
      sh: fields.shortcut ?? null,
      pn: idList(fields.parentId),
      xx: emptyExtension(),
    },
  };
}

/** A sparse `Tag4` modify. */
export function tagModify(keys: Readonly<Record<string, unknown>>): WireWrite {
  return { t: 1, e: 'Tag4', p: { ...keys } };
}

/** A `Tombstone2` create: the permanent delete of `targetId` (spec 6.5, 10.4). */
export function tombstoneCreate(targetId: string, deletedAt: Instant): WireWrite {
  return { t: 0, e: 'Tombstone2', p: { dloid: targetId, dld: deletedAt } };
}

function idList(id: string | null | undefined): string[] {
  return id === null || id === undefined ? [] : [id];
}

/** The day stamp of a `YYYY-MM-DD` date; `RangeError` naming `what` for anything else. */
export function dayStampOf(date: string, what: string): number {
  if (!isCivilDate(date))
    throw new RangeError(`${what} must be a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return civilDateToDayStamp(date);
}
