import { describe, expect, it } from 'vitest';

import { jsonErrorOffset, lineAndColumn } from '../../../src/protocol/json-position.ts';

describe('jsonErrorOffset()', () => {
  it('returns -1 for valid JSON, with every kind of whitespace', () => {
    for (const text of [
      '{}',
      '[ ]',
      '{ }',
      ' \t\n\r[ 1 , { "a" : [ true , false , null ] } ]\r\n',
      '"\\u0041\\n\\"\\\\\\/\\b\\f\\r\\t"',
      '-1.5e+3',
    ]) {
      expect([text, jsonErrorOffset(text)]).toEqual([text, -1]);
    }
  });

  it('skips each whitespace character before an error', () => {
    expect(jsonErrorOffset(' x')).toBe(1);
    expect(jsonErrorOffset('\tx')).toBe(1);
    expect(jsonErrorOffset('\nx')).toBe(1);
    expect(jsonErrorOffset('\rx')).toBe(1);
    expect(jsonErrorOffset(' \t\n\rx')).toBe(4);
  });

  it('points at a bad escape in a string', () => {
    expect(jsonErrorOffset('"\\u12G4"')).toBe(1);
    expect(jsonErrorOffset('"ab\\x"')).toBe(3);
    expect(jsonErrorOffset('"\\x1234"')).toBe(1);
    expect(jsonErrorOffset('["\\q"]')).toBe(2);
  });

  it('points at a raw control character in a string or key', () => {
    expect(jsonErrorOffset('"a\nb"')).toBe(2);
    expect(jsonErrorOffset('{"a\n": 1}')).toBe(3);
  });

  it('returns the length for an empty or truncated text', () => {
    expect(jsonErrorOffset('')).toBe(0);
    expect(jsonErrorOffset('  ')).toBe(2);
    expect(jsonErrorOffset('[1')).toBe(2);
    expect(jsonErrorOffset('{"a": "b')).toBe(8);
  });

  it('points at a key that is not a string', () => {
    expect(jsonErrorOffset('{x:1}')).toBe(1);
  });

  it('points at a missing colon', () => {
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
  });

  it('points at a closing bracket that does not match', () => {
    expect(jsonErrorOffset('[1}')).toBe(2);
    expect(jsonErrorOffset('{"a": 1]')).toBe(7);
  });

  it('points at text after the value', () => {
    expect(jsonErrorOffset('{} x')).toBe(3);
    expect(jsonErrorOffset('01')).toBe(1);
  });
});

describe('lineAndColumn()', () => {
  it('counts lines and columns up to the offset', () => {
    expect(lineAndColumn('a\nb', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('a\nb', 1)).toEqual({ line: 1, column: 2 });
    expect(lineAndColumn('a\nb', 2)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn('a\nbc\nd', 4)).toEqual({ line: 2, column: 3 });
  });

  it('handles an offset at or past the end', () => {
    expect(lineAndColumn('a\n', 2)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn('a\n', 5)).toEqual({ line: 2, column: 4 });
  });
});
