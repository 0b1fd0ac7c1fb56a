import { describe, expect, it } from 'vitest';
import {
  classifyKind,
  isPlausibleKind,
  KNOWN_MAX_VERSION,
  MAX_KIND_LENGTH,
} from '../../../src/protocol/index.ts';
import type { KindInfo } from '../../../src/protocol/index.ts';

type Row = [
  kind: string,
  cls: KindInfo['class'],
  family: KindInfo['family'],
  version: number | null,
  legacy: boolean,
];

const TABLE: Row[] = [
  ['Task', 'entity', 'task', 1, true],
  ['Task2', 'entity', 'task', 2, true],
  ['Task3', 'entity', 'task', 3, true],
  ['Task4', 'entity', 'task', 4, true],
  ['Task5', 'entity', 'task', 5, false],
  ['Task6', 'entity', 'task', 6, false],
  ['Task7', 'entity', 'task', 7, false],
  ['Task8', 'newerVersion', 'task', 8, false],
  ['Task12', 'newerVersion', 'task', 12, false],
  ['ChecklistItem', 'entity', 'checklistItem', 1, true],
  ['ChecklistItem2', 'entity', 'checklistItem', 2, true],
  ['ChecklistItem3', 'entity', 'checklistItem', 3, false],
  ['ChecklistItem4', 'newerVersion', 'checklistItem', 4, false],
  ['Area', 'entity', 'area', 1, true],
  ['Area2', 'entity', 'area', 2, true],
  ['Area3', 'entity', 'area', 3, false],
  ['Area4', 'newerVersion', 'area', 4, false],
  ['Tag', 'entity', 'tag', 1, true],
  ['Tag2', 'entity', 'tag', 2, true],
  ['Tag3', 'entity', 'tag', 3, true],
  ['Tag4', 'entity', 'tag', 4, false],
  ['Tag5', 'newerVersion', 'tag', 5, false],
  ['Tombstone', 'entity', 'tombstone', 1, true],
  ['Tombstone2', 'entity', 'tombstone', 2, false],
  ['Tombstone3', 'newerVersion', 'tombstone', 3, false],
  ['Settings', 'metadata', 'settings', 1, false],
  ['Settings3', 'metadata', 'settings', 3, false],
  ['Settings4', 'metadata', 'settings', 4, false],
  ['Settings5', 'metadata', 'settings', 5, false],
  ['Settings99', 'metadata', 'settings', 99, false],
  ['-', 'metadata', 'settings', null, false],
  ['Command', 'metadata', 'command', 1, false],
  ['Command3', 'metadata', 'command', 3, false],
  ['Command4', 'newerVersion', 'command', 4, false],
  ['Contact', 'metadata', 'contact', 1, false],
  ['Contact2', 'metadata', 'contact', 2, false],
  ['Contact3', 'newerVersion', 'contact', 3, false],
  ['Widget2', 'unknownFamily', null, 2, false],
  ['Widget', 'unknownFamily', null, null, false],
  ['task6', 'unknownFamily', null, 6, false],
  ['Task07', 'unknownFamily', null, null, false],
  ['Task0', 'unknownFamily', null, null, false],
  ['Task-6', 'unknownFamily', null, null, false],
  ['--', 'unknownFamily', null, null, false],
];

describe('classifyKind()', () => {
  it.each(TABLE)(
    'classifies %s as %s (%s, version %s, legacy %s)',
    (kind, cls, family, version, legacy) => {
      expect(classifyKind(kind)).toEqual({ kind, class: cls, family, version, legacy });
    },
  );

  it('treats every version above the known maximum as newerVersion', () => {
    expect(KNOWN_MAX_VERSION).toEqual({
      task: 7,
      checklistItem: 3,
      area: 3,
      tag: 4,
      tombstone: 2,
      settings: 5,
      command: 3,
      contact: 2,
    });
    expect(classifyKind('Task99999999999999999999').class).toBe('newerVersion');
  });

  it('returns the same frozen object for repeated kinds', () => {
    expect(classifyKind('Task6')).toBe(classifyKind('Task6'));
    expect(Object.isFrozen(classifyKind('Task6'))).toBe(true);
  });
});

describe('isPlausibleKind()', () => {
  it('accepts printable ASCII kinds and rejects empty, spaced or overlong strings', () => {
    expect(isPlausibleKind('Task6')).toBe(true);
    expect(isPlausibleKind('-')).toBe(true);
    expect(isPlausibleKind('')).toBe(false);
    expect(isPlausibleKind('Task 6')).toBe(false);
    expect(isPlausibleKind('Task\n')).toBe(false);
    expect(isPlausibleKind('Tâsk')).toBe(false);
    expect(isPlausibleKind('T'.repeat(65))).toBe(false);
  });
});

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
