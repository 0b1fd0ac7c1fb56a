import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/engine/index.ts';

describe('canonicalJson()', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('sorts by UTF-16 code units, not by locale, after index-like keys in numeric order', () => {
    expect(canonicalJson({ é: 1, Z: 2, a: 3, '10': 4, '9': 5, '09': 6 })).toBe(
      '{"9":5,"10":4,"09":6,"Z":2,"a":3,"é":1}',
    );
  });

  it('leaves out undefined members as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('keeps a key named __proto__ as a plain key, compact and pretty', () => {
    const value: unknown = JSON.parse('{"z":1,"__proto__":{"kept":true}}');
    expect(canonicalJson(value)).toBe('{"__proto__":{"kept":true},"z":1}');
    expect(canonicalJson(value, { pretty: true })).toBe(
      '{\n  "__proto__": {\n    "kept": true\n  },\n  "z": 1\n}\n',
    );
  });

  it('writes pretty text with a two-space indent and a final newline', () => {
    expect(canonicalJson({ b: [1], a: 'x' }, { pretty: true })).toBe(
      '{\n  "a": "x",\n  "b": [\n    1\n  ]\n}\n',
    );
    expect(canonicalJson({ b: [1], a: 'x' })).toBe('{"a":"x","b":[1]}');
  });
});
