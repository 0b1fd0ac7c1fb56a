import { describe, expect, it } from 'vitest';

import { classifyKind, isPlausibleKind, MAX_KIND_LENGTH } from '../../../src/protocol/index.ts';

describe('isPlausibleKind() edges', () => {
  it('accepts a kind of exactly MAX_KIND_LENGTH characters', () => {
    expect(MAX_KIND_LENGTH).toBe(64);
    expect(isPlausibleKind('T'.repeat(64))).toBe(true);
    expect(isPlausibleKind('T'.repeat(65))).toBe(false);
  });
});

describe('classifyKind() edges', () => {
  it('reports no version for an unknown family whose number is not a safe integer', () => {
    expect(classifyKind('Widget99999999999999999999')).toEqual({
      kind: 'Widget99999999999999999999',
      class: 'unknownFamily',
      family: null,
      version: null,
      legacy: false,
    });
    expect(classifyKind('Widget12').version).toBe(12);
  });

  it('stops memoising after 1024 distinct kinds, so hostile input cannot grow memory', () => {
    for (let i = 0; i < 1100; i += 1) classifyKind(`Flood${i}`);
    expect(classifyKind('Flood0')).toBe(classifyKind('Flood0'));
    const late = classifyKind('Flood1099');
    expect(classifyKind('Flood1099')).toEqual(late);
    expect(classifyKind('Flood1099')).not.toBe(late);
  });
});
