/**
 * Walking well-formed JSON text without parsing it: where whitespace and values end, so readers
 * (duplicate commit keys, the fake server's groups) can cut out the verbatim text of a part.
 */
import { describe, expect, it } from 'vitest';

import { skipJsonSpace, skipJsonValue } from '../../../src/protocol/json-scan.ts';

describe('skipJsonSpace()', () => {
  it('skips each JSON whitespace character and stops at anything else', () => {
    expect(skipJsonSpace(' \n\r\tx', 0)).toBe(4);
    expect(skipJsonSpace('a  b', 1)).toBe(3);
    expect(skipJsonSpace('x ', 0)).toBe(0);
    // Not JSON whitespace: a form feed and a no-break space.
    expect(skipJsonSpace('\f', 0)).toBe(0);
    expect(skipJsonSpace('\u00a0', 0)).toBe(0);
  });

  it('stops at the end of the text', () => {
    expect(skipJsonSpace('', 0)).toBe(0);
    expect(skipJsonSpace('  ', 0)).toBe(2);
    expect(skipJsonSpace('x \t', 1)).toBe(3);
  });
});

describe('skipJsonValue()', () => {
  /** The text of the value at `i`, cut out with skipJsonValue. */
  const valueAt = (text: string, i = 0) => text.slice(i, skipJsonValue(text, i));

  it('ends a number, literal or other scalar at the first delimiter or whitespace', () => {
    const cases: [string, string][] = [
      ['12,3', '12'],
      ['-1.5e+3}', '-1.5e+3'],
      ['true]', 'true'],
      ['null x', 'null'],
      ['0\t', '0'],
      ['7\r', '7'],
      ['8\n', '8'],
      ['false', 'false'],
    ];
    for (const [text, value] of cases) {
      expect([text, valueAt(text)]).toEqual([text, value]);
    }
  });

  it('ends a string at its closing quote, past escaped quotes and backslashes', () => {
    expect(valueAt('"ab" ,')).toBe('"ab"');
    expect(valueAt('"a\\"b",1')).toBe('"a\\"b"');
    expect(valueAt('"a\\\\",1')).toBe('"a\\\\"');
    expect(valueAt('"}],\\u0022 "x')).toBe('"}],\\u0022 "');
  });

  it('ends an object or array at the bracket that closes it, whatever strings hold', () => {
    expect(valueAt('{} ,')).toBe('{}');
    expect(valueAt('[],')).toBe('[]');
    expect(valueAt('[1,[2,[3]],4]x')).toBe('[1,[2,[3]],4]');
    expect(valueAt('{"a":{"b":[{}]},"c":1}]')).toBe('{"a":{"b":[{}]},"c":1}');
    expect(valueAt('{"a":"}","b":"]","c":"\\"{"}, 2')).toBe('{"a":"}","b":"]","c":"\\"{"}');
    expect(valueAt('["[", "{", "\\\\"] 1')).toBe('["[", "{", "\\\\"]');
  });

  it('starts where it is told to, inside a larger text', () => {
    const text = '{"k": [1, {"x": "y"}], "n": 5}';
    expect(valueAt(text, 1)).toBe('"k"');
    expect(valueAt(text, 6)).toBe('[1, {"x": "y"}]');
    expect(valueAt(text, 10)).toBe('{"x": "y"}');
    expect(valueAt(text, text.indexOf('5'))).toBe('5');
  });
});
