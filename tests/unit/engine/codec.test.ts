import { describe, expect, it } from 'vitest';
import { decodeChange, EngineError, type ChangeRow } from '../../../src/engine/index.ts';

const ID = 'Mx1';
const WHERE = `"${ID}" (server index 7, position 2, ordinal 1)`;

function row(type: string, payload: unknown, overrides: Partial<ChangeRow> = {}): ChangeRow {
  return {
    type,
    entityType: 'Task',
    entityId: ID,
    serverIndex: 7,
    position: 2,
    ordinal: 1,
    at: null,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    ...overrides,
  };
}

/** The EngineError decodeChange throws for `r` (fails the test when it decodes or throws another). */
function failure(r: ChangeRow): EngineError {
  try {
    decodeChange(r);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error(`decoded ${r.type} ${r.payload} without an error`);
}

/** The message decodeChange gives for a payload of the wrong shape, after the row description. */
function shapeMessage(type: string, payload: unknown): string {
  const error = failure(row(type, payload));
  expect(error.code).toBe('INVALID_CHANGE_PAYLOAD');
  const prefix = `Cannot read change ${type} of ${WHERE}: `;
  expect(error.message.startsWith(prefix)).toBe(true);
  return error.message.slice(prefix.length);
}

function payloadOf(type: string, payload: unknown): unknown {
  return decodeChange(row(type, payload)).payload;
}

const SCHEDULE = { list: 'today', start: 1, startDate: '2025-11-02', startBucket: 0 };

describe('decodeChange() error messages', () => {
  it('names the row, its server index, position and ordinal for an unknown type', () => {
    const error = failure(row('TaskTeleported', { old: 'a', new: 'b' }));
    expect(error.code).toBe('UNKNOWN_CHANGE_TYPE');
    expect(error.message).toBe(
      `Cannot read change TaskTeleported of ${WHERE}: unknown change type; was the log written by a newer thingstape?`,
    );
  });

  it('explains a negative or fractional server index, position or ordinal', () => {
    for (const overrides of [{ ordinal: -1 }, { position: 1.5 }, { serverIndex: -3 }]) {
      const error = failure(row('TaskTitleChanged', { old: 'a', new: 'b' }, overrides));
      expect(error.code).toBe('INVALID_CHANGE_PAYLOAD');
      expect(error.message).toMatch(
        /^Cannot read change TaskTitleChanged of "Mx1" \(server index -?[\d.]+, position -?[\d.]+, ordinal -?[\d.]+\): server index, position and ordinal must be non-negative integers$/,
      );
    }
  });

  it('rejects an "at" that is not a finite number, and keeps a finite one', () => {
    for (const at of [Number.POSITIVE_INFINITY, Number.NaN, '5' as unknown as number]) {
      const error = failure(row('TaskTitleChanged', { old: 'a', new: 'b' }, { at }));
      expect(error.code).toBe('INVALID_CHANGE_PAYLOAD');
      expect(error.message).toBe(
        `Cannot read change TaskTitleChanged of ${WHERE}: "at" must be a finite number or null`,
      );
    }
    expect(decodeChange(row('TaskTitleChanged', { old: 'a', new: 'b' }, { at: 12.5 })).at).toBe(
      12.5,
    );
  });

  it('says the payload is not JSON and keeps the parse error as the cause', () => {
    const error = failure(row('TaskTitleChanged', '{"old":'));
    expect(error.code).toBe('INVALID_CHANGE_PAYLOAD');
    expect(error.message).toBe(
      `Cannot read change TaskTitleChanged of ${WHERE}: the payload is not valid JSON`,
    );
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('sets no cause on an error that has none', () => {
    const error = failure(row('TaskTeleported', {}));
    expect(Object.hasOwn(error, 'cause')).toBe(false);
  });

  it('describes the offending value: null, array, string, number, boolean, object, missing', () => {
    const text = 'TaskTitleChanged';
    expect(shapeMessage(text, { old: 'a', new: null })).toBe(
      'payload.new must be a string, got null',
    );
    expect(shapeMessage(text, { old: 'a', new: ['b'] })).toBe(
      'payload.new must be a string, got an array',
    );
    expect(shapeMessage(text, { old: 'a', new: 42 })).toBe('payload.new must be a string, got 42');
    expect(shapeMessage(text, { old: 'a', new: false })).toBe(
      'payload.new must be a string, got false',
    );
    expect(shapeMessage(text, { old: 'a', new: {} })).toMatch(
      /^payload\.new must be a string, got an object$/,
    );
    expect(shapeMessage(text, { old: 'a' })).toBe('payload.new must be present, got nothing');
    expect(shapeMessage('TaskTrashed', { old: false, new: 'yes' })).toBe(
      'payload.new must be a boolean, got a string',
    );
  });

  it('names the path inside nested objects and arrays', () => {
    expect(shapeMessage('TaskTagsChanged', { old: 'x', new: [], added: [], removed: [] })).toBe(
      'payload.old must be an array, got a string',
    );
    expect(
      shapeMessage('TaskTagsChanged', { old: ['a', 3], new: [], added: [], removed: [] }),
    ).toBe('payload.old[1] must be a string, got 3');
    expect(shapeMessage('TaskCreated', [])).toBe('payload must be an object, got an array');
    expect(shapeMessage('TaskCreated', null)).toBe('payload must be an object, got null');
    expect(
      shapeMessage('TaskMovedToToday', { old: { ...SCHEDULE, list: 'mars' }, new: SCHEDULE }),
    ).toBe('payload.old.list must be a list name, got a string');
  });
});

describe('decodeChange() value checks', () => {
  it('rejects a number that is not finite (1e999 parses as Infinity)', () => {
    expect(shapeMessage('TaskTypeChanged', '{"old":1,"new":1e999}')).toBe(
      'payload.new must be a finite number, got Infinity',
    );
    expect(shapeMessage('TaskTypeChanged', { old: 1, new: '2' })).toBe(
      'payload.new must be a finite number, got a string',
    );
  });

  it('rejects a date that is not a calendar date YYYY-MM-DD', () => {
    for (const bad of ['2025-13-01', '2025-11-2']) {
      expect(shapeMessage('TaskDeadlineChanged', { old: null, new: bad })).toBe(
        'payload.new must be a date YYYY-MM-DD, got a string',
      );
    }
    expect(shapeMessage('TaskDeadlineChanged', { old: null, new: 20251102 })).toBe(
      'payload.new must be a date YYYY-MM-DD, got 20251102',
    );
    expect(payloadOf('TaskDeadlineChanged', { old: null, new: '2025-11-02' })).toEqual({
      old: null,
      new: '2025-11-02',
    });
  });

  it('reads raw status names status:<integer> and rejects anything else', () => {
    for (const name of ['status:3', 'status:-1', 'status:12']) {
      expect(payloadOf('TaskCompleted', { old: 'open', new: name, stopDate: null })).toEqual({
        old: 'open',
        new: name,
        stopDate: null,
      });
    }
    for (const bad of ['bogus', 'status:', 'status:x', 'status:3x', 'xstatus:3', 'status:--1']) {
      expect(shapeMessage('TaskCompleted', { old: 'open', new: bad, stopDate: null })).toBe(
        'payload.new must be a status name, got a string',
      );
    }
    expect(shapeMessage('TaskCompleted', { old: 'open', new: 42, stopDate: null })).toBe(
      'payload.new must be a status name, got 42',
    );
    expect(shapeMessage('TaskCompleted', { old: 'open', new: ['status:3'], stopDate: null })).toBe(
      'payload.new must be a status name, got an array',
    );
  });

  it('reads how an entity was deleted and rejects other values', () => {
    const deleted = { by: 'tombstone', tombstoneId: 'Ts1', at: 5, title: 'x' };
    expect(payloadOf('TaskDeleted', deleted)).toEqual(deleted);
    expect(shapeMessage('TaskDeleted', { ...deleted, by: 'erase' })).toBe(
      'payload.by must be "delete" or "tombstone", got a string',
    );
  });

  it('reads the action of an unknown change: create, modify or delete', () => {
    for (const action of ['create', 'modify', 'delete']) {
      expect(payloadOf('UnknownChange', { kind: 'Widget1', action })).toEqual({
        kind: 'Widget1',
        action,
      });
    }
    expect(shapeMessage('UnknownChange', { kind: 'Widget1', action: 'rename' })).toBe(
      'payload.action must be an action name, got a string',
    );
  });
});

describe('decodeChange() recurrence rules', () => {
  const type = 'TaskRepeatRuleChanged';

  it('keeps only the rule fields present, without inventing absent ones', () => {
    expect(payloadOf(type, { old: null, new: { extra: {}, rrv: 4 } })).toEqual({
      old: null,
      new: { extra: {}, rrv: 4 },
    });
    const decoded = payloadOf(type, { old: null, new: { extra: {} } }) as {
      new: Record<string, unknown>;
    };
    expect(Object.keys(decoded.new)).toEqual(['extra']);
  });

  it('names the path of a bad rule field', () => {
    expect(shapeMessage(type, { old: null, new: { rrv: 4 } })).toBe(
      'payload.new.extra must be an object, got nothing',
    );
    expect(shapeMessage(type, { old: null, new: { extra: {}, rrv: '4' } })).toBe(
      'payload.new.rrv must be a finite number, got a string',
    );
    expect(shapeMessage(type, { old: null, new: { extra: {}, ia: 'soon' } })).toBe(
      'payload.new.ia must be a date YYYY-MM-DD, got a string',
    );
    expect(shapeMessage(type, { old: null, new: { extra: {}, of: 'x' } })).toBe(
      'payload.new.of must be an array, got a string',
    );
    expect(shapeMessage(type, { old: null, new: { extra: {}, of: [{ dy: 'x' }] } })).toBe(
      'payload.new.of[0].dy must be a finite number, got a string',
    );
  });
});
