/**
 * Rows ↔ engine shapes. Every entity family has one table description: its family columns, how an
 * entity becomes bound arguments, and how a row becomes the same entity again (deep-equal).
 * JSON columns: id lists are always arrays; `extra` always an object; `recurrence`, `rp`, `xx`
 * are SQL NULL for `null`, JSON text otherwise.
 */
import { decodeChange, encodeChange } from '../engine/index.ts';
import type { ChangeRow } from '../engine/index.ts';
import { ANOMALY_CODES } from '../engine/types.ts';
import type {
  Anomaly,
  AreaEntity,
  Change,
  ChecklistItemEntity,
  Deletion,
  Entity,
  EntityFamily,
  RawItemRecord,
  TagEntity,
  TaskEntity,
  TombstoneEntity,
} from '../engine/types.ts';
import type { CivilDate, RecurrenceRule } from '../protocol/types.ts';
import type { Row, SqlArg } from './db.ts';
import { StoreError } from './errors.ts';

/** Columns shared by every entity table, in table order. */
export const COMMON_COLUMNS = [
  'id',
  'legacy_id',
  'kind',
  'created_index',
  'updated_index',
  'deleted_index',
  'deleted_at',
  'deleted_by',
  'deleted_tombstone_id',
  'extra',
] as const;

type Common = Pick<
  Entity,
  'id' | 'legacyId' | 'kind' | 'createdIndex' | 'updatedIndex' | 'deleted' | 'extra'
>;

/** Reads typed values out of one row, failing with `CORRUPT_ROW` and the row's table and id. */
export class RowReader {
  readonly #row: Row;
  readonly #where: string;

  constructor(row: Row, table: string) {
    this.#row = row;
    const id = row['id'] ?? row['seq'];
    this.#where = `${table} row ${JSON.stringify(id)}`;
  }

  /** A TEXT column that must not be NULL (see {@link textOf} for text read as bytes). */
  str(column: string): string {
    const value = textOf(this.#value(column));
    if (typeof value !== 'string') this.#fail(column, 'text', value);
    return value;
  }

  /** A TEXT column or NULL. */
  strOrNull(column: string): string | null {
    const value = textOf(this.#value(column));
    if (value === null) return null;
    if (typeof value !== 'string') this.#fail(column, 'text or NULL', value);
    return value;
  }

  /**
   * A civil date column or NULL. Not re-validated: it was written from a `CivilDate`, and a read
   * must never reject what a write accepted.
   */
  dateOrNull(column: string): CivilDate | null {
    // oxlint-disable-next-line typescript/no-unsafe-type-assertion -- see the doc comment
    return this.strOrNull(column) as CivilDate | null;
  }

  /** A numeric column that must not be NULL. */
  num(column: string): number {
    const value = this.#value(column);
    if (typeof value !== 'number') this.#fail(column, 'a number', value);
    return value;
  }

  /** A numeric column or NULL. */
  numOrNull(column: string): number | null {
    const value = this.#value(column);
    if (value === null) return null;
    if (typeof value !== 'number') this.#fail(column, 'a number or NULL', value);
    return value;
  }

  /** A 0/1 column. */
  bool(column: string): boolean {
    return this.num(column) !== 0;
  }

  /** A JSON text column; SQL NULL reads as `null`. */
  json(column: string): unknown {
    const text = this.strOrNull(column);
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new StoreError('CORRUPT_ROW', `Cannot read ${this.#where}: ${column} is not JSON`, {
        cause: error,
      });
    }
  }

  /** A JSON array of strings. */
  ids(column: string): readonly string[] {
    const value = this.json(column);
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      this.#fail(column, 'a JSON array of strings', value);
    }
    return value;
  }

  /** A JSON object. */
  object(column: string): Readonly<Record<string, unknown>> {
    const value = this.json(column);
    if (!isRecord(value)) this.#fail(column, 'a JSON object', value);
    return value;
  }

  /** A JSON recurrence rule (an object with an `extra` object) or NULL. */
  recurrence(column: string): RecurrenceRule | null {
    const value = this.json(column);
    if (value === null) return null;
    if (!isRecurrenceRule(value)) this.#fail(column, 'a recurrence rule object', value);
    return value;
  }

  /** A TEXT column holding one of `allowed`. */
  oneOf<T extends string>(column: string, allowed: readonly T[]): T {
    const value = this.str(column);
    if (!isOneOf(value, allowed)) this.#fail(column, `one of ${allowed.join(', ')}`, value);
    return value;
  }

  #value(column: string): unknown {
    if (!(column in this.#row)) {
      throw new StoreError('CORRUPT_ROW', `Cannot read ${this.#where}: no column ${column}`);
    }
    return this.#row[column];
  }

  #fail(column: string, expected: string, value: unknown): never {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
    throw new StoreError(
      'CORRUPT_ROW',
      `Cannot read ${this.#where}: ${column} should be ${expected}, got ${shown}`,
    );
  }
}

const utf8 = new TextDecoder();

/**
 * A column value with text read as bytes turned back into text. The native driver of local
 * databases cuts a TEXT value at its first NUL character (libsql 0.5.29), so free-text columns
 * holding one are selected as their UTF-8 bytes ({@link selectColumns}); no column of the schema
 * holds a BLOB, so bytes in a row are always such text.
 */
export function textOf<T>(value: T | ArrayBuffer): T | string {
  return value instanceof ArrayBuffer ? utf8.decode(value) : value;
}

/**
 * Columns that hold text from the wire as it is (titles, notes, shortcuts): the only ones that
 * can hold a NUL character (ids, kinds and dates are validated, JSON escapes it).
 */
export const FREE_TEXT_COLUMNS: ReadonlySet<string> = new Set(['title', 'note', 'shortcut']);

/**
 * The select list of `columns` (qualified by `alias` when given): free-text columns holding a NUL
 * character come as their UTF-8 bytes, which {@link textOf} and {@link RowReader} turn back into
 * the whole text; every other value comes as it is.
 */
export function selectColumns(columns: readonly string[], alias?: string): string {
  return columns
    .map((column) => {
      const ref = alias === undefined ? column : `${alias}.${column}`;
      return FREE_TEXT_COLUMNS.has(column)
        ? `CASE WHEN instr(${ref}, char(0)) > 0 THEN CAST(${ref} AS BLOB) ELSE ${ref} END AS ${column}`
        : ref;
    })
    .join(', ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecurrenceRule(value: unknown): value is RecurrenceRule {
  return isRecord(value) && isRecord(value['extra']);
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

/** JSON text for an id list / object column. */
function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** JSON text, or SQL NULL for `null`/`undefined`. */
function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function bit(value: boolean): number {
  return value ? 1 : 0;
}

function encodeCommon(entity: Entity): SqlArg[] {
  const d = entity.deleted;
  return [
    entity.id,
    entity.legacyId,
    entity.kind,
    entity.createdIndex,
    entity.updatedIndex,
    d === null ? null : d.serverIndex,
    d === null ? null : d.at,
    d === null ? null : d.by,
    d === null ? null : d.tombstoneId,
    jsonText(entity.extra),
  ];
}

function decodeCommon(r: RowReader): Common {
  const deletedIndex = r.numOrNull('deleted_index');
  let deleted: Deletion | null = null;
  if (deletedIndex !== null) {
    deleted = {
      serverIndex: deletedIndex,
      at: r.numOrNull('deleted_at'),
      by: r.oneOf('deleted_by', ['delete', 'tombstone'] as const),
      tombstoneId: r.strOrNull('deleted_tombstone_id'),
    };
  }
  return {
    id: r.str('id'),
    legacyId: r.strOrNull('legacy_id'),
    kind: r.str('kind'),
    createdIndex: r.num('created_index'),
    updatedIndex: r.num('updated_index'),
    deleted,
    extra: r.object('extra'),
  };
}

/** How one entity family is stored. */
export interface EntityTable<E extends Entity = Entity> {
  readonly family: E['family'];
  readonly table: 'tasks' | 'checklist_items' | 'areas' | 'tags' | 'tombstones';
  /** All columns, common ones first, in the order {@link EntityTable.encode} returns values. */
  readonly columns: readonly string[];
  /** Tag links this entity owns (`task`/`area` families only). */
  readonly tagOwner: 'task' | 'area' | null;
  encode(entity: E): SqlArg[];
  decode(row: Row): E;
}

const taskTable: EntityTable<TaskEntity> = {
  family: 'task',
  table: 'tasks',
  tagOwner: 'task',
  columns: [
    ...COMMON_COLUMNS,
    'type',
    'title',
    'note',
    'status',
    'stop_date',
    'start',
    'start_date',
    'today_index_date',
    'deadline',
    'deadline_suppression_date',
    'due_date_offset',
    'created_at',
    'modified_at',
    'sort_index',
    'today_index',
    'start_bucket',
    'trashed',
    'area_ids',
    'project_ids',
    'heading_ids',
    'tag_ids',
    'delegate_ids',
    'template_ids',
    'area_id',
    'project_id',
    'heading_id',
    'recurrence',
    'instance_creation_start_date',
    'instance_creation_paused',
    'instance_creation_count',
    'after_completion_reference_date',
    'alarm_time_offset',
    'last_alarm_interaction',
    'leaves_tombstone',
    'reminder_date',
    'rp',
    'xx',
  ],
  encode: (e) => [
    ...encodeCommon(e),
    e.type,
    e.title,
    e.note,
    e.status,
    e.stopDate,
    e.start,
    e.startDate,
    e.todayIndexDate,
    e.deadline,
    e.deadlineSuppressionDate,
    e.dueDateOffset,
    e.createdAt,
    e.modifiedAt,
    e.index,
    e.todayIndex,
    e.startBucket,
    bit(e.trashed),
    jsonText(e.areaIds),
    jsonText(e.projectIds),
    jsonText(e.headingIds),
    jsonText(e.tagIds),
    jsonText(e.delegateIds),
    jsonText(e.templateIds),
    e.areaIds[0] ?? null,
    e.projectIds[0] ?? null,
    e.headingIds[0] ?? null,
    jsonOrNull(e.recurrence),
    e.instanceCreationStartDate,
    bit(e.instanceCreationPaused),
    e.instanceCreationCount,
    e.afterCompletionReferenceDate,
    e.alarmTimeOffset,
    e.lastAlarmInteraction,
    bit(e.leavesTombstone),
    e.reminderDate,
    jsonOrNull(e.rp),
    jsonOrNull(e.xx),
  ],
  decode(row) {
    const r = new RowReader(row, 'tasks');
    return {
      ...decodeCommon(r),
      family: 'task',
      type: r.num('type'),
      title: r.str('title'),
      note: r.str('note'),
      status: r.num('status'),
      stopDate: r.numOrNull('stop_date'),
      start: r.num('start'),
      startDate: r.dateOrNull('start_date'),
      todayIndexDate: r.dateOrNull('today_index_date'),
      deadline: r.dateOrNull('deadline'),
      deadlineSuppressionDate: r.dateOrNull('deadline_suppression_date'),
      dueDateOffset: r.num('due_date_offset'),
      createdAt: r.numOrNull('created_at'),
      modifiedAt: r.numOrNull('modified_at'),
      index: r.num('sort_index'),
      todayIndex: r.num('today_index'),
      startBucket: r.num('start_bucket'),
      trashed: r.bool('trashed'),
      areaIds: r.ids('area_ids'),
      projectIds: r.ids('project_ids'),
      headingIds: r.ids('heading_ids'),
      tagIds: r.ids('tag_ids'),
      delegateIds: r.ids('delegate_ids'),
      templateIds: r.ids('template_ids'),
      recurrence: r.recurrence('recurrence'),
      instanceCreationStartDate: r.dateOrNull('instance_creation_start_date'),
      instanceCreationPaused: r.bool('instance_creation_paused'),
      instanceCreationCount: r.num('instance_creation_count'),
      afterCompletionReferenceDate: r.dateOrNull('after_completion_reference_date'),
      alarmTimeOffset: r.numOrNull('alarm_time_offset'),
      lastAlarmInteraction: r.numOrNull('last_alarm_interaction'),
      leavesTombstone: r.bool('leaves_tombstone'),
      reminderDate: r.dateOrNull('reminder_date'),
      rp: r.json('rp'),
      xx: r.json('xx'),
    };
  },
};

const checklistItemTable: EntityTable<ChecklistItemEntity> = {
  family: 'checklistItem',
  table: 'checklist_items',
  tagOwner: null,
  columns: [
    ...COMMON_COLUMNS,
    'title',
    'status',
    'stop_date',
    'sort_index',
    'task_ids',
    'task_id',
    'created_at',
    'modified_at',
    'leaves_tombstone',
    'xx',
  ],
  encode: (e) => [
    ...encodeCommon(e),
    e.title,
    e.status,
    e.stopDate,
    e.index,
    jsonText(e.taskIds),
    e.taskIds[0] ?? null,
    e.createdAt,
    e.modifiedAt,
    bit(e.leavesTombstone),
    jsonOrNull(e.xx),
  ],
  decode(row) {
    const r = new RowReader(row, 'checklist_items');
    return {
      ...decodeCommon(r),
      family: 'checklistItem',
      title: r.str('title'),
      status: r.num('status'),
      stopDate: r.numOrNull('stop_date'),
      index: r.num('sort_index'),
      taskIds: r.ids('task_ids'),
      createdAt: r.numOrNull('created_at'),
      modifiedAt: r.numOrNull('modified_at'),
      leavesTombstone: r.bool('leaves_tombstone'),
      xx: r.json('xx'),
    };
  },
};

const areaTable: EntityTable<AreaEntity> = {
  family: 'area',
  table: 'areas',
  tagOwner: 'area',
  columns: [...COMMON_COLUMNS, 'title', 'sort_index', 'tag_ids', 'xx'],
  encode: (e) => [...encodeCommon(e), e.title, e.index, jsonText(e.tagIds), jsonOrNull(e.xx)],
  decode(row) {
    const r = new RowReader(row, 'areas');
    return {
      ...decodeCommon(r),
      family: 'area',
      title: r.str('title'),
      index: r.num('sort_index'),
      tagIds: r.ids('tag_ids'),
      xx: r.json('xx'),
    };
  },
};

const tagTable: EntityTable<TagEntity> = {
  family: 'tag',
  table: 'tags',
  tagOwner: null,
  columns: [...COMMON_COLUMNS, 'title', 'sort_index', 'shortcut', 'parent_ids', 'parent_id', 'xx'],
  encode: (e) => [
    ...encodeCommon(e),
    e.title,
    e.index,
    e.shortcut,
    jsonText(e.parentIds),
    e.parentIds[0] ?? null,
    jsonOrNull(e.xx),
  ],
  decode(row) {
    const r = new RowReader(row, 'tags');
    return {
      ...decodeCommon(r),
      family: 'tag',
      title: r.str('title'),
      index: r.num('sort_index'),
      shortcut: r.strOrNull('shortcut'),
      parentIds: r.ids('parent_ids'),
      xx: r.json('xx'),
    };
  },
};

const tombstoneTable: EntityTable<TombstoneEntity> = {
  family: 'tombstone',
  table: 'tombstones',
  tagOwner: null,
  columns: [...COMMON_COLUMNS, 'target_id', 'target_deleted_at'],
  encode: (e) => [...encodeCommon(e), e.targetId, e.deletedAt],
  decode(row) {
    const r = new RowReader(row, 'tombstones');
    return {
      ...decodeCommon(r),
      family: 'tombstone',
      targetId: r.strOrNull('target_id'),
      deletedAt: r.numOrNull('target_deleted_at'),
    };
  },
};

/** Every entity family's table; a missing family is a compile error. */
export const ENTITY_TABLE_OF: {
  readonly [F in EntityFamily]: EntityTable<Extract<Entity, { family: F }>>;
} = {
  task: taskTable,
  checklistItem: checklistItemTable,
  area: areaTable,
  tag: tagTable,
  tombstone: tombstoneTable,
};

/** The entity tables in read/dump order. */
export const ENTITY_TABLE_LIST: readonly EntityTable[] = [
  taskTable,
  checklistItemTable,
  areaTable,
  tagTable,
  tombstoneTable,
];

/** The table description of an entity's family. */
export function tableOf(entity: Entity): EntityTable {
  return ENTITY_TABLE_OF[entity.family];
}

// ---------------------------------------------------------------------------------------------
// Change log, anomalies, raw items

/** change_log columns written by a commit (seq is assigned by SQLite). */
export const CHANGE_COLUMNS = [
  'server_index',
  'position',
  'ordinal',
  'type',
  'entity_type',
  'entity_id',
  'at',
  'payload',
] as const;

/** A change as change_log values in {@link CHANGE_COLUMNS} order (the engine encodes the payload). */
export function changeToRow(change: Change): SqlArg[] {
  const row = encodeChange(change);
  return [
    row.serverIndex,
    row.position,
    row.ordinal,
    row.type,
    row.entityType,
    row.entityId,
    row.at,
    row.payload,
  ];
}

/** A change_log row as the change that was committed (validated by the engine's decoder). */
export function rowToChange(row: Row): Change {
  const r = new RowReader(row, 'change_log');
  const changeRow: ChangeRow = {
    type: r.str('type'),
    entityType: r.str('entity_type'),
    entityId: r.str('entity_id'),
    serverIndex: r.num('server_index'),
    position: r.num('position'),
    ordinal: r.num('ordinal'),
    at: r.numOrNull('at'),
    payload: r.str('payload'),
  };
  try {
    return decodeChange(changeRow);
  } catch (error) {
    throw new StoreError(
      'CORRUPT_ROW',
      `Cannot read change_log row (server index ${changeRow.serverIndex}, position ${changeRow.position}, ordinal ${changeRow.ordinal}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** anomalies columns written by a commit. */
export const ANOMALY_COLUMNS = [
  'server_index',
  'position',
  'code',
  'entity_id',
  'kind',
  'message',
] as const;

/** An anomaly as anomalies values. */
export function anomalyToRow(anomaly: Anomaly): SqlArg[] {
  return [
    anomaly.serverIndex,
    anomaly.position,
    anomaly.code,
    anomaly.entityId,
    anomaly.kind,
    anomaly.message,
  ];
}

/** An anomalies row as the anomaly that was committed. */
export function rowToAnomaly(row: Row): Anomaly {
  const r = new RowReader(row, 'anomalies');
  return {
    code: r.oneOf('code', ANOMALY_CODES),
    serverIndex: r.num('server_index'),
    position: r.num('position'),
    entityId: r.str('entity_id'),
    kind: r.str('kind'),
    message: r.str('message'),
  };
}

/** raw_items columns written by a commit. */
export const RAW_ITEM_COLUMNS = [
  'server_index',
  'position',
  'item_id',
  'kind',
  'reason',
  'event',
] as const;

/** Every `RawItemRecord.reason`. */
const RAW_ITEM_REASONS: readonly RawItemRecord['reason'][] = [
  'metadata',
  'unknownFamily',
  'familyChange',
];

/** A raw item as raw_items values (the event as JSON text). */
export function rawItemToRow(raw: RawItemRecord): SqlArg[] {
  return [
    raw.serverIndex,
    raw.position,
    raw.itemId,
    raw.kind,
    raw.reason,
    JSON.stringify(raw.event ?? null),
  ];
}

/** A raw_items row as the record that was committed. */
export function rowToRawItem(row: Row): RawItemRecord {
  const r = new RowReader(row, 'raw_items');
  return {
    serverIndex: r.num('server_index'),
    position: r.num('position'),
    itemId: r.str('item_id'),
    kind: r.str('kind'),
    reason: r.oneOf('reason', RAW_ITEM_REASONS),
    event: r.json('event'),
  };
}
