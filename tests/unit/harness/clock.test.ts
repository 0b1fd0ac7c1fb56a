import { describe, expect, it } from 'vitest';
import * as harness from '../../../src/harness/index.ts';
import { ScenarioClock, SeededIds } from '../../../src/harness/index.ts';
import * as protocol from '../../../src/protocol/index.ts';
import { isCanonicalId } from '../../../src/protocol/index.ts';

describe('the harness payload builders', () => {
  it('are the wire writer’s own, not a copy', () => {
    expect(harness.taskCreate).toBe(protocol.taskCreate);
    expect(harness.checklistItemCreate).toBe(protocol.checklistItemCreate);
    expect(harness.noteObject).toBe(protocol.fullNote);
    expect(harness.scheduleFields).toBe(protocol.scheduleFields);
    expect(harness.TASK_CREATE_KEYS).toBe(protocol.NATIVE_TASK_KEYS);
  });
});

describe('SeededIds and ScenarioClock', () => {
  it('draws canonical 22-character ids, the same for the same seed', () => {
    const a = new SeededIds('s');
    const b = new SeededIds('s');
    const ids = [a.next(), a.next(), a.next()];
    expect(ids).toEqual([b.next(), b.next(), b.next()]);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id.length === 22 && isCanonicalId(id)).toBe(true);
    expect(new SeededIds('t').next()).not.toBe(ids[0]);
  });

  it('ticks one second per write and judges today in its zone', () => {
    const clock = new ScenarioClock(Date.UTC(2026, 6, 10, 5) / 1000, 'America/Los_Angeles');
    expect(clock.today).toBe('2026-07-09');
    expect(clock.tick()).toBe(clock.start + 1);
    clock.advance(86_400);
    expect(clock.today).toBe('2026-07-10');
  });
});
