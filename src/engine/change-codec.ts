/**
 * The change payload codec: changes are stored as canonical JSON and read back, validated, as the
 * same typed objects (round trip identical). A table keyed by every change type makes a missing
 * decoder a compile error.
 */

import { isCivilDate } from '../protocol/index.ts';
import type { CivilDate, RecurrenceRule } from '../protocol/index.ts';
import { canonicalJson } from './canonical.ts';
import { EngineError } from './errors.ts';
import type {
  AreaSnapshot,
  Change,
  ChangePayloads,
  ChangeType,
  ChecklistItemSnapshot,
  DeletedPayload,
  Diff,
  ListName,
  Schedule,
  StatusName,
  StatusPayload,
  TagSnapshot,
  TaskSnapshot,
  UnknownPayload,
} from './types.ts';
import { LISTS } from './types.ts';

/**
 * A stored change row, as the change log holds it: the fields of a {@link Change} in its order,
 * its type as text and its payload as JSON text.
 */
export type ChangeRow = Readonly<
  Omit<Change, 'type' | 'payload'> & { readonly type: string; readonly payload: string }
>;

/** The payload of `change` as canonical JSON (keys sorted at every depth). */
export function encodeChangePayload(change: Change): string {
  return canonicalJson(change.payload);
}

/** Reads a value at a path; throws EngineError INVALID_CHANGE_PAYLOAD when it has the wrong shape. */
type Reader<T> = (value: unknown, path: string) => T;

class PayloadShapeError extends Error {
  readonly path: string;
  constructor(path: string, expected: string, value: unknown) {
    super(`${path} must be ${expected}, got ${describe(value)}`);
    this.path = path;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'nothing';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const string: Reader<string> = (value, path) => {
  if (typeof value !== 'string') throw new PayloadShapeError(path, 'a string', value);
  return value;
};

const boolean: Reader<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new PayloadShapeError(path, 'a boolean', value);
  return value;
};

const number: Reader<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new PayloadShapeError(path, 'a finite number', value);
  }
  return value;
};

const civilDate: Reader<CivilDate> = (value, path) => {
  if (typeof value !== 'string' || !isCivilDate(value)) {
    throw new PayloadShapeError(path, 'a date YYYY-MM-DD', value);
  }
  return value;
};

function nullable<T>(read: Reader<T>): Reader<T | null> {
  return (value, path) => (value === null ? null : read(value, path));
}

function arrayOf<T>(read: Reader<T>): Reader<readonly T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new PayloadShapeError(path, 'an array', value);
    return value.map((element: unknown, i) => read(element, `${path}[${i}]`));
  };
}

function record(value: unknown, path: string): Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PayloadShapeError(path, 'an object', value);
  }
  return value as Readonly<Record<string, unknown>>;
}

type Shape<T> = { readonly [K in keyof T]-?: Reader<T[K]> };

/** An object with exactly the keys of `shape` (others are ignored), each read by its reader. */
function object<T>(shape: Shape<T>): Reader<T> {
  return (value, path) => {
    const source = record(value, path);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      if (!Object.hasOwn(source, key))
        throw new PayloadShapeError(`${path}.${key}`, 'present', undefined);
      out[key] = shape[key](source[key], `${path}.${key}`);
    }
    return out as T;
  };
}

function diff<T>(read: Reader<T>): Reader<Diff<T>> {
  return object<Diff<T>>({ old: read, new: read });
}

const statusName: Reader<StatusName> = (value, path) => {
  if (value === 'open' || value === 'canceled' || value === 'completed') return value;
  if (typeof value === 'string' && /^status:-?\d+$/.test(value)) return value as StatusName;
  throw new PayloadShapeError(path, 'a status name', value);
};

const listName: Reader<ListName> = (value, path) => {
  const found = LISTS.find((list) => list === value);
  if (found === undefined) throw new PayloadShapeError(path, 'a list name', value);
  return found;
};

const schedule = object<Schedule>({
  list: nullable(listName),
  start: number,
  startDate: nullable(civilDate),
  startBucket: number,
});

const selector: Reader<Readonly<Record<string, number>>> = (value, path) => {
  const source = record(value, path);
  return Object.fromEntries(
    Object.keys(source).map((key) => [key, number(source[key], `${path}.${key}`)]),
  );
};

const RULE_NUMBERS = ['rrv', 'tp', 'fu', 'fa', 'rc', 'ts'] as const;
const RULE_DATES = ['ia', 'sr', 'ed'] as const;

const recurrenceRule: Reader<RecurrenceRule> = (value, path) => {
  const source = record(value, path);
  const out: Record<string, unknown> = { extra: record(source.extra, `${path}.extra`) };
  for (const key of RULE_NUMBERS) {
    if (Object.hasOwn(source, key)) out[key] = number(source[key], `${path}.${key}`);
  }
  for (const key of RULE_DATES) {
    if (Object.hasOwn(source, key)) out[key] = nullable(civilDate)(source[key], `${path}.${key}`);
  }
  if (Object.hasOwn(source, 'of')) out.of = arrayOf(selector)(source.of, `${path}.of`);
  return out as unknown as RecurrenceRule;
};

const ids = arrayOf(string);

const taskSnapshot = object<TaskSnapshot>({
  type: number,
  title: string,
  note: string,
  status: number,
  stopDate: nullable(number),
  schedule,
  deadline: nullable(civilDate),
  trashed: boolean,
  areaId: nullable(string),
  projectId: nullable(string),
  headingId: nullable(string),
  tagIds: ids,
  recurrence: nullable(recurrenceRule),
  templateId: nullable(string),
});

const checklistItemSnapshot = object<ChecklistItemSnapshot>({
  title: string,
  status: number,
  taskId: nullable(string),
});

const areaSnapshot = object<AreaSnapshot>({ title: string, tagIds: ids });

const tagSnapshot = object<TagSnapshot>({
  title: string,
  shortcut: nullable(string),
  parentId: nullable(string),
});

function created<S>(snapshot: Reader<S>) {
  return object<{ readonly resurrected: boolean; readonly snapshot: S }>({
    resurrected: boolean,
    snapshot,
  });
}

const deleted = object<DeletedPayload>({
  by: (value, path) => {
    if (value === 'delete' || value === 'tombstone') return value;
    throw new PayloadShapeError(path, '"delete" or "tombstone"', value);
  },
  tombstoneId: nullable(string),
  at: nullable(number),
  title: string,
});

const status = object<StatusPayload>({
  old: statusName,
  new: statusName,
  stopDate: nullable(number),
});

const tags = object<ChangePayloads['TaskTagsChanged']>({
  old: ids,
  new: ids,
  added: ids,
  removed: ids,
});

const unknownPayload = object<UnknownPayload>({
  kind: string,
  action: (value, path) => {
    if (value === 'create' || value === 'modify' || value === 'delete') return value;
    throw new PayloadShapeError(path, 'an action name', value);
  },
});

const text = diff(string);
const flag = diff(boolean);
const moved = diff(schedule);
const date = diff(nullable(civilDate));
const reference = diff(nullable(string));
const rule = diff(nullable(recurrenceRule));
const taskType = diff(number);

/** The payload reader of every change type. */
const PAYLOAD_READERS: { readonly [T in ChangeType]: Reader<ChangePayloads[T]> } = {
  TaskCreated: created(taskSnapshot),
  TaskDeleted: deleted,
  TaskTitleChanged: text,
  TaskNoteChanged: text,
  TaskCompleted: status,
  TaskCanceled: status,
  TaskUncompleted: status,
  TaskUncanceled: status,
  TaskTrashed: flag,
  TaskRestored: flag,
  TaskMovedToInbox: moved,
  TaskMovedToToday: moved,
  TaskMovedToEvening: moved,
  TaskMovedToAnytime: moved,
  TaskMovedToSomeday: moved,
  TaskMovedToUpcoming: moved,
  TaskRescheduled: moved,
  TaskDeadlineChanged: date,
  TaskAssignedToProject: reference,
  TaskAssignedToArea: reference,
  TaskMovedUnderHeading: reference,
  TaskTagsChanged: tags,
  TaskRepeatRuleChanged: rule,
  TaskTypeChanged: taskType,
  ProjectCreated: created(taskSnapshot),
  ProjectDeleted: deleted,
  ProjectTitleChanged: text,
  ProjectNoteChanged: text,
  ProjectCompleted: status,
  ProjectCanceled: status,
  ProjectUncompleted: status,
  ProjectUncanceled: status,
  ProjectTrashed: flag,
  ProjectRestored: flag,
  ProjectMovedToToday: moved,
  ProjectMovedToEvening: moved,
  ProjectMovedToAnytime: moved,
  ProjectMovedToSomeday: moved,
  ProjectMovedToUpcoming: moved,
  ProjectMovedToInbox: moved,
  ProjectRescheduled: moved,
  ProjectDeadlineChanged: date,
  ProjectAssignedToArea: reference,
  ProjectTagsChanged: tags,
  ProjectRepeatRuleChanged: rule,
  ProjectTypeChanged: taskType,
  HeadingCreated: created(taskSnapshot),
  HeadingDeleted: deleted,
  HeadingTitleChanged: text,
  HeadingNoteChanged: text,
  HeadingCompleted: status,
  HeadingCanceled: status,
  HeadingUncompleted: status,
  HeadingUncanceled: status,
  HeadingTrashed: flag,
  HeadingRestored: flag,
  HeadingAssignedToProject: reference,
  HeadingTypeChanged: taskType,
  AreaCreated: created(areaSnapshot),
  AreaDeleted: deleted,
  AreaRenamed: text,
  AreaTagsChanged: tags,
  TagCreated: created(tagSnapshot),
  TagDeleted: deleted,
  TagRenamed: text,
  TagShortcutChanged: reference,
  TagParentChanged: reference,
  ChecklistItemCreated: created(checklistItemSnapshot),
  ChecklistItemDeleted: deleted,
  ChecklistItemTitleChanged: text,
  ChecklistItemCompleted: status,
  ChecklistItemCanceled: status,
  ChecklistItemUncompleted: status,
  ChecklistItemUncanceled: status,
  ChecklistItemMovedToTask: reference,
  TombstoneDeleted: deleted,
  UnknownChange: unknownPayload,
};

/** Every change type, in the order of {@link ChangePayloads}. */
export const CHANGE_TYPES: readonly ChangeType[] = Object.keys(PAYLOAD_READERS) as ChangeType[];

/** True when `type` is a change type this thingstape knows. */
export function isChangeType(type: string): type is ChangeType {
  return Object.hasOwn(PAYLOAD_READERS, type);
}

function describeRow(row: ChangeRow): string {
  return `change ${row.type} of "${row.entityId}" (server index ${row.serverIndex}, position ${row.position}, ordinal ${row.ordinal})`;
}

/**
 * A stored change row read back as the typed {@link Change} it was written from. Throws
 * EngineError UNKNOWN_CHANGE_TYPE for an unknown `type` and INVALID_CHANGE_PAYLOAD for a payload
 * (or row field) of the wrong shape.
 */
export function decodeChange(row: ChangeRow): Change {
  if (!isChangeType(row.type)) {
    throw new EngineError(
      'UNKNOWN_CHANGE_TYPE',
      `Cannot read ${describeRow(row)}: unknown change type; was the log written by a newer thingstape?`,
    );
  }
  const numbers = [row.serverIndex, row.position, row.ordinal];
  if (numbers.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    throw new EngineError(
      'INVALID_CHANGE_PAYLOAD',
      `Cannot read ${describeRow(row)}: server index, position and ordinal must be non-negative integers`,
    );
  }
  if (row.at !== null && (typeof row.at !== 'number' || !Number.isFinite(row.at))) {
    throw new EngineError(
      'INVALID_CHANGE_PAYLOAD',
      `Cannot read ${describeRow(row)}: "at" must be a finite number or null`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.payload);
  } catch (error) {
    throw new EngineError(
      'INVALID_CHANGE_PAYLOAD',
      `Cannot read ${describeRow(row)}: the payload is not valid JSON`,
      error,
    );
  }
  let payload: unknown;
  try {
    payload = PAYLOAD_READERS[row.type](parsed, 'payload');
  } catch (error) {
    if (!(error instanceof PayloadShapeError)) throw error;
    throw new EngineError(
      'INVALID_CHANGE_PAYLOAD',
      `Cannot read ${describeRow(row)}: ${error.message}`,
      error,
    );
  }
  return {
    type: row.type,
    entityType: row.entityType,
    entityId: row.entityId,
    serverIndex: row.serverIndex,
    position: row.position,
    ordinal: row.ordinal,
    at: row.at,
    payload,
  } as Change;
}

/** The stored row of a change (payload as canonical JSON). */
export function encodeChange(change: Change): ChangeRow {
  return {
    type: change.type,
    entityType: change.entityType,
    entityId: change.entityId,
    serverIndex: change.serverIndex,
    position: change.position,
    ordinal: change.ordinal,
    at: change.at,
    payload: encodeChangePayload(change),
  };
}
