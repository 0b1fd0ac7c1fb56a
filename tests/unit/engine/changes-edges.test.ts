import { describe, expect, it } from 'vitest';
import {
  resolveNote,
  applyChecklistItemPayload,
  applyTagPayload,
} from '../../../src/engine/apply.ts';
import {
  checklistItemChanges,
  liveChanges,
  statusName,
  taskChanges,
} from '../../../src/engine/changes.ts';
import type { ItemTimes } from '../../../src/engine/changes.ts';
import { defaultEntity } from '../../../src/engine/defaults.ts';
import type {
  ChecklistItemEntity,
  Entity,
  EntityFamily,
  TagEntity,
  TaskEntity,
} from '../../../src/engine/types.ts';
import type { ChecklistItemPayload, TagPayload } from '../../../src/protocol/index.ts';
import { at, civil, testId } from './support.ts';

const MD = at('2025-11-02T10:00:00Z');
const TIMES: ItemTimes = { md: MD, sp: null };
const TODAY = () => civil('2025-11-02');

function base(n: number) {
  return { id: testId(n), legacyId: null, kind: 'x', createdIndex: 1, updatedIndex: 1 };
}

function entity(family: EntityFamily, n: number): Entity {
  const e = defaultEntity(family, base(n));
  return family === 'tombstone' ? e : ({ ...e, title: `${family} ${n}` } as Entity);
}

function task(overrides: Partial<TaskEntity> = {}): TaskEntity {
  return { ...(defaultEntity('task', base(1)) as TaskEntity), ...overrides };
}

describe('statusName()', () => {
  it('names an unknown status by its number', () => {
    expect(statusName(1)).toBe('status:1');
    expect(statusName(7)).toBe('status:7');
  });
});

describe('taskChanges()', () => {
  it('lists removed tags in sorted order whatever order the entity held them in', () => {
    const old = task({ tagIds: ['zz', 'mm', 'aa'] });
    const next = task({ tagIds: [] });
    const changes = taskChanges(old, next, TODAY, TIMES);
    expect(changes.map((c) => c.type)).toEqual(['TaskTagsChanged']);
    expect(changes[0]?.payload).toMatchObject({ added: [], removed: ['aa', 'mm', 'zz'] });
  });

  it('reports no reschedule when only the evening bucket changes and the list stays the same', () => {
    // Anytime without a start date stays Anytime whatever the bucket says.
    const old = task({ start: 1, startDate: null, startBucket: 0 });
    const next = task({ start: 1, startDate: null, startBucket: 1 });
    expect(taskChanges(old, next, TODAY, TIMES)).toEqual([]);
  });

  it('does not report TaskAssignedToProject when a project changes its project reference', () => {
    const old = task({ type: 1, projectIds: [] });
    const next = task({ type: 1, projectIds: [testId(9)] });
    expect(taskChanges(old, next, TODAY, TIMES).map((c) => c.type)).toEqual([]);
  });
});

describe('checklistItemChanges()', () => {
  it('tags a checklist item status change with the ChecklistItem entity type', () => {
    const old = defaultEntity('checklistItem', base(2)) as ChecklistItemEntity;
    const next: ChecklistItemEntity = { ...old, status: 3, stopDate: MD };
    const changes = checklistItemChanges(old, next, TIMES);
    expect(changes.map((c) => [c.type, c.entityType])).toEqual([
      ['ChecklistItemCompleted', 'ChecklistItem'],
    ]);
  });
});

describe('liveChanges()', () => {
  const families: EntityFamily[] = ['task', 'checklistItem', 'area', 'tag', 'tombstone'];
  const pairs = families.flatMap((a) =>
    families.filter((b) => b !== a).map((b) => [a, b] as const),
  );
  it.each(pairs)('reports nothing when the family changes from %s to %s', (a, b) => {
    expect(liveChanges(entity(a, 3), entity(b, 4), TODAY, TIMES)).toEqual([]);
  });
});

describe('resolveNote()', () => {
  it('reports a patch that splits a UTF-8 character at the path of that patch', () => {
    const result = resolveNote('éa', {
      form: 'delta',
      patches: [{ replacement: 'x', position: 1, length: 0, checksum: null }],
    });
    expect(result.noteWarnings.map((w) => [w.code, w.path])).toEqual([
      ['NOTE_PATCH_INVALID_UTF8', 'p.nt.ps[0]'],
    ]);
  });
});

describe('applyChecklistItemPayload()', () => {
  it('keeps xx when the payload omits it', () => {
    const item = {
      ...(defaultEntity('checklistItem', base(5)) as ChecklistItemEntity),
      xx: { k: 1 },
    };
    const payload: ChecklistItemPayload = { tt: 'renamed', extra: {} };
    expect(applyChecklistItemPayload(item, payload)).toMatchObject({
      title: 'renamed',
      xx: { k: 1 },
    });
  });
});

describe('applyTagPayload()', () => {
  it('keeps xx when the payload omits it', () => {
    const tag: TagEntity = { ...(defaultEntity('tag', base(6)) as TagEntity), xx: { k: 1 } };
    const payload: TagPayload = { tt: 'renamed', extra: {} };
    expect(applyTagPayload(tag, payload)).toMatchObject({ title: 'renamed', xx: { k: 1 } });
  });

  it('stores a present xx verbatim', () => {
    const tag = defaultEntity('tag', base(7)) as TagEntity;
    const payload: TagPayload = { xx: { sn: 2 }, extra: {} };
    expect(applyTagPayload(tag, payload).xx).toEqual({ sn: 2 });
  });
});

describe('defaultEntity()', () => {
  it('gives a new area no tags', () => {
    expect(defaultEntity('area', base(8))).toMatchObject({ family: 'area', tagIds: [] });
  });
});
