import { describe, expect, it } from 'vitest';
import { normalizeSnapshot } from '../../../src/harness/snapshot.ts';
import type { CivilDate } from '../../../src/protocol/index.ts';

describe('normalizeSnapshot()', () => {
  it('sorts keys and keeps a key named __proto__ as a key, with and without a context', () => {
    // JSON.parse defines `__proto__` as an own key, as a decoded payload holds it.
    const value = JSON.parse('{"b":1,"__proto__":{"x":"T1"},"a":"2026-03-02"}') as unknown;
    const plain = normalizeSnapshot(value, null) as Record<string, unknown>;
    expect(JSON.stringify(plain)).toBe('{"__proto__":{"x":"T1"},"a":"2026-03-02","b":1}');
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);

    const relative = normalizeSnapshot(value, {
      ids: ['T1'],
      clockStart: 0,
      clockEnd: 0,
      today: '2026-03-01' as CivilDate,
    });
    expect(JSON.stringify(relative)).toBe('{"__proto__":{"x":"<id 1>"},"a":"<today+1>","b":1}');
  });
});
