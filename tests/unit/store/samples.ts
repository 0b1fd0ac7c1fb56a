/**
 * Sample engine values for store tests: every entity family with every field set to a
 * non-default value, deleted variants, and fold results for pages.
 */
import type {
  Anomaly,
  AreaEntity,
  Change,
  ChecklistItemEntity,
  Entity,
  FoldResult,
  RawItemRecord,
  TagEntity,
  TaskEntity,
  TombstoneEntity,
} from '../../../src/engine/types.ts';
import { isCivilDate } from '../../../src/protocol/dates.ts';
import type { CivilDate, RecurrenceRule } from '../../../src/protocol/types.ts';
import type { PageCommit } from '../../../src/store/types.ts';

/** A civil date literal. */
export function d(text: string): CivilDate {
  if (!isCivilDate(text)) throw new RangeError(`Not a civil date: ${text}`);
  return text;
}

/** A recurrence rule with every field, including unknown keys. */
export const RULE: RecurrenceRule = {
  rrv: 4,
  tp: 0,
  fu: 256,
  fa: 1,
  of: [{ wd: 2 }, { wd: 4 }],
  ia: d('2024-01-01'),
  sr: d('2024-01-02'),
  ed: d('4001-01-01'),
  rc: 0,
  ts: -1,
  extra: { future: [1, { deep: null }] },
};

/** A to-do with every field set (instants with fractions, lists with two ids). */
export function task(id: string, overrides: Partial<TaskEntity> = {}): TaskEntity {
  return {
    family: 'task',
    id,
    legacyId: null,
    kind: 'Task6',
    createdIndex: 1,
    updatedIndex: 2,
    deleted: null,
    extra: { zz: 'unknown key', nested: { a: [1, 2] } },
    type: 0,
    title: `Title of ${id} — with “quotes” and emoji 🐢`,
    note: 'line 1\nline 2',
    status: 3,
    stopDate: 1_700_000_123.456789,
    start: 2,
    startDate: d('2024-05-06'),
    todayIndexDate: d('2024-05-05'),
    deadline: d('2024-06-01'),
    deadlineSuppressionDate: d('2024-06-02'),
    dueDateOffset: 3,
    createdAt: 1_699_000_000.25,
    modifiedAt: 1_700_000_000.125,
    index: -1234,
    todayIndex: 77,
    startBucket: 1,
    trashed: true,
    areaIds: ['area-1', 'area-2'],
    projectIds: ['proj-1'],
    headingIds: ['head-1'],
    tagIds: ['tag-1', 'tag-2'],
    delegateIds: ['dele-1'],
    templateIds: ['tmpl-1'],
    recurrence: RULE,
    instanceCreationStartDate: d('2024-01-03'),
    instanceCreationPaused: true,
    instanceCreationCount: 5,
    afterCompletionReferenceDate: d('2024-01-04'),
    alarmTimeOffset: 32_400,
    lastAlarmInteraction: 1_700_000_001.5,
    leavesTombstone: true,
    reminderDate: d('2024-05-07'),
    rp: { verbatim: [true, 1.5, 'x'] },
    xx: { sn: { a: 1 } },
    ...overrides,
  };
}

/** A to-do with every optional value at its empty form (nulls, empty lists, false). */
export function plainTask(id: string, overrides: Partial<TaskEntity> = {}): TaskEntity {
  return task(id, {
    legacyId: null,
    extra: {},
    note: '',
    status: 0,
    stopDate: null,
    start: 0,
    startDate: null,
    todayIndexDate: null,
    deadline: null,
    deadlineSuppressionDate: null,
    dueDateOffset: 0,
    createdAt: null,
    modifiedAt: null,
    index: 0,
    todayIndex: 0,
    startBucket: 0,
    trashed: false,
    areaIds: [],
    projectIds: [],
    headingIds: [],
    tagIds: [],
    delegateIds: [],
    templateIds: [],
    recurrence: null,
    instanceCreationStartDate: null,
    instanceCreationPaused: false,
    instanceCreationCount: 0,
    afterCompletionReferenceDate: null,
    alarmTimeOffset: null,
    lastAlarmInteraction: null,
    leavesTombstone: false,
    reminderDate: null,
    rp: null,
    xx: null,
    ...overrides,
  });
}

/** A checklist item with every field set. */
export function checklistItem(
  id: string,
  overrides: Partial<ChecklistItemEntity> = {},
): ChecklistItemEntity {
  return {
    family: 'checklistItem',
    id,
    legacyId: 'LEGACY-CHECK-1',
    kind: 'ChecklistItem3',
    createdIndex: 3,
    updatedIndex: 4,
    deleted: null,
    extra: {},
    title: 'Buy milk',
    status: 3,
    stopDate: 1_700_000_002.75,
    index: 2,
    taskIds: ['task-1', 'task-x'],
    createdAt: 1_700_000_000,
    modifiedAt: null,
    leavesTombstone: false,
    xx: null,
    ...overrides,
  };
}

/** An area with every field set. */
export function area(id: string, overrides: Partial<AreaEntity> = {}): AreaEntity {
  return {
    family: 'area',
    id,
    legacyId: null,
    kind: 'Area3',
    createdIndex: 0,
    updatedIndex: 0,
    deleted: null,
    extra: { vis: false },
    title: 'Work',
    index: 9,
    tagIds: ['tag-2'],
    xx: { a: null },
    ...overrides,
  };
}

/** A tag with every field set. */
export function tag(id: string, overrides: Partial<TagEntity> = {}): TagEntity {
  return {
    family: 'tag',
    id,
    legacyId: null,
    kind: 'Tag4',
    createdIndex: 0,
    updatedIndex: 1,
    deleted: null,
    extra: {},
    title: 'Errand',
    index: 1,
    shortcut: 'e',
    parentIds: ['tag-parent'],
    xx: 'odd but kept',
    ...overrides,
  };
}

/** A tombstone with every field set. */
export function tombstone(id: string, overrides: Partial<TombstoneEntity> = {}): TombstoneEntity {
  return {
    family: 'tombstone',
    id,
    legacyId: null,
    kind: 'Tombstone2',
    createdIndex: 5,
    updatedIndex: 5,
    deleted: null,
    extra: {},
    targetId: 'task-dead',
    deletedAt: 1_700_000_003.5,
    ...overrides,
  };
}

/** One entity of each family, with both live and deleted ones and every nullable variant. */
export function everyFamily(): Entity[] {
  return [
    task('task-1'),
    plainTask('task-plain'),
    task('task-project', { type: 1, rp: 0, xx: [1, 2, 3], extra: { nullKept: null } }),
    task('task-heading', { type: 2, legacyId: 'LEGACY-HEAD', recurrence: { extra: {} } }),
    task('task-dead', {
      deleted: { serverIndex: 5, at: 1_700_000_003.5, by: 'tombstone', tombstoneId: 'tomb-1' },
    }),
    task('task-deleted-no-time', {
      deleted: { serverIndex: 4, at: null, by: 'delete', tombstoneId: null },
    }),
    checklistItem('check-1'),
    checklistItem('check-2', { taskIds: [], legacyId: null, xx: { q: 1 } }),
    area('area-1'),
    area('area-2', { tagIds: [], xx: null }),
    tag('tag-1'),
    tag('tag-2', { shortcut: null, parentIds: [] }),
    tombstone('tomb-1'),
    tombstone('tomb-2', { targetId: null, deletedAt: null }),
  ];
}

/** A map of entities by id. */
export function byId(entities: readonly Entity[]): Map<string, Entity> {
  return new Map(entities.map((e) => [e.id, e]));
}

/** A sample change of each payload shape, at `serverIndex`. */
export function sampleChanges(serverIndex: number, entityId = 'task-1'): Change[] {
  return [
    {
      type: 'TaskCreated',
      entityType: 'Task',
      entityId,
      serverIndex,
      position: 0,
      ordinal: 0,
      at: 1_700_000_000.5,
      payload: {
        resurrected: false,
        snapshot: {
          type: 0,
          title: 'T',
          note: '',
          status: 0,
          stopDate: null,
          schedule: { list: 'upcoming', start: 2, startDate: d('2024-05-06'), startBucket: 0 },
          deadline: null,
          trashed: false,
          areaId: null,
          projectId: 'proj-1',
          headingId: null,
          tagIds: ['tag-1'],
          recurrence: RULE,
          templateId: null,
        },
      },
    },
    {
      type: 'TaskTagsChanged',
      entityType: 'Task',
      entityId,
      serverIndex,
      position: 0,
      ordinal: 1,
      at: null,
      payload: { old: ['a'], new: ['a', 'b'], added: ['b'], removed: [] },
    },
    {
      type: 'TaskCompleted',
      entityType: 'Task',
      entityId,
      serverIndex,
      position: 1,
      ordinal: 0,
      at: 1_700_000_010,
      payload: { old: 'open', new: 'completed', stopDate: 1_700_000_010 },
    },
    {
      type: 'UnknownChange',
      entityType: 'Reminder2',
      entityId: 'weird-1',
      serverIndex,
      position: 2,
      ordinal: 0,
      at: null,
      payload: { kind: 'Reminder2', action: 'modify' },
    },
  ];
}

/** A sample anomaly. */
export function sampleAnomaly(serverIndex: number, position = 0): Anomaly {
  return {
    code: 'DANGLING_REFERENCE',
    serverIndex,
    position,
    entityId: 'proj-1',
    kind: 'Task6',
    message: 'pr references an unknown id',
  };
}

/** A sample raw item. */
export function sampleRaw(serverIndex: number, position = 2): RawItemRecord {
  return {
    serverIndex,
    position,
    itemId: 'weird-1',
    kind: 'Reminder2',
    reason: 'unknownFamily',
    event: { t: 1, e: 'Reminder2', p: { z: [1, null, { y: 'x' }] } },
  };
}

/** An empty fold result with the given parts. */
export function fold(parts: Partial<FoldResult> = {}): FoldResult {
  return { entities: new Map(), changes: [], anomalies: [], rawItems: [], ...parts };
}

/** A page commit for [startIndex, endIndex). */
export function page(
  startIndex: number,
  endIndex: number,
  result: FoldResult,
  extra: Partial<PageCommit> = {},
): PageCommit {
  return { startIndex, endIndex, head: 100, schema: 301, result, ...extra };
}

/**
 * A small history as three pages of fold results: creation, edits, deletion (indexes 0..9).
 * Merging them into one page gives the same history.
 */
export function threePages(): FoldResult[] {
  const created = [
    task('task-1', { createdIndex: 0, updatedIndex: 0, tagIds: ['tag-1', 'tag-2'] }),
    plainTask('task-2', { createdIndex: 1, updatedIndex: 1 }),
    area('area-1', { createdIndex: 2, updatedIndex: 2 }),
    tag('tag-1', { createdIndex: 2, updatedIndex: 2 }),
  ];
  const edited = [
    task('task-1', { createdIndex: 0, updatedIndex: 4, title: 'renamed', tagIds: ['tag-2'] }),
    checklistItem('check-1', { createdIndex: 5, updatedIndex: 5 }),
    area('area-1', { createdIndex: 2, updatedIndex: 5, tagIds: ['tag-1', 'tag-3'] }),
  ];
  const deleted = [
    plainTask('task-2', {
      createdIndex: 1,
      updatedIndex: 8,
      deleted: { serverIndex: 8, at: 1_700_000_100, by: 'tombstone', tombstoneId: 'tomb-1' },
    }),
    tombstone('tomb-1', { createdIndex: 8, updatedIndex: 8, targetId: 'task-2' }),
  ];
  return [
    fold({
      entities: byId(created),
      changes: sampleChanges(0),
      anomalies: [sampleAnomaly(1)],
      rawItems: [sampleRaw(2)],
    }),
    fold({
      entities: byId(edited),
      changes: sampleChanges(4, 'task-1'),
      anomalies: [sampleAnomaly(5, 0), sampleAnomaly(5, 1)],
    }),
    fold({
      entities: byId(deleted),
      changes: sampleChanges(8, 'task-2'),
      rawItems: [sampleRaw(9, 0)],
    }),
  ];
}

/** Merges consecutive fold results into one, as if folded as one page. */
export function merge(results: readonly FoldResult[]): FoldResult {
  const entities = new Map<string, Entity>();
  for (const r of results) for (const [id, e] of r.entities) entities.set(id, e);
  return {
    entities,
    changes: results.flatMap((r) => r.changes),
    anomalies: results.flatMap((r) => r.anomalies),
    rawItems: results.flatMap((r) => r.rawItems),
  };
}
