/**
 * Helpers shared by the write guard's tests (guard*.test.ts): the clock they write at, stored
 * to-dos for a guard state, and clean native creates and modifies from the wire writer.
 */
import {
  scheduleFields,
  taskCreate,
  taskModify,
  type CivilDate,
  type GuardEntity,
} from '../../../src/protocol/index.ts';

/** The time the tests write at: 2026-01-01T12:00:00.5Z. */
export const NOW = 1_767_268_800.5;
/** 2026-01-01 as a day stamp. */
export const DAY = 1_767_225_600;
/** 2026-01-01. */
export const TODAY = '2026-01-01' as CivilDate;

/** A stored live to-do (Anytime, `ix` 1) with `fields` over it; other keys as the state omits them. */
export function storedTask(fields: Partial<GuardEntity> = {}): GuardEntity {
  return { family: 'task', kind: 'Task6', deleted: null, type: 0, start: 1, index: 1, ...fields };
}

/** The container lists of a stored task in no area, project or heading. */
export const NO_CONTAINERS = { areaIds: [], projectIds: [], headingIds: [] } as const;

/** A native task create written at {@link NOW}, its payload keys overridden by `overrides`. */
export function created(
  options: Omit<Parameters<typeof taskCreate>[0], 'createdAt'>,
  overrides: Record<string, unknown> = {},
) {
  const event = taskCreate({ ...options, createdAt: NOW });
  return { ...event, p: { ...event.p, ...overrides } };
}

/** A clean native to-do create for Today. */
export function todoCreate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return created(
    { type: 0, title: 'Pay rent', schedule: scheduleFields('today', TODAY, false), index: 1 },
    overrides,
  );
}

/** A task modify written at {@link NOW}. */
export const modify = (keys: Record<string, unknown>) => taskModify(keys, NOW);
