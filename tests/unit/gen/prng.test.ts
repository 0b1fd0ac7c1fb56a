import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/gen/prng.ts';

function sequence(seed: string | number, n = 8): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.nextUint32());
}

describe('Rng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(sequence('abc')).toEqual(sequence('abc'));
  });

  it('treats a number seed like its decimal text', () => {
    expect(sequence(42)).toEqual(sequence('42'));
  });

  it('gives different sequences for different seeds', () => {
    expect(sequence(1)).not.toEqual(sequence(2));
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    const rng = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(-2, 3);
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(3);
      seen.add(v);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('returns floats in [0, 1)', () => {
    const rng = new Rng('f');
    for (let i = 0; i < 1000; i++) {
      const f = rng.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
  });

  it('returns the requested number of bytes', () => {
    const bytes = new Rng(3).bytes(16);
    expect(bytes).toHaveLength(16);
    expect(bytes.some((b) => b !== 0)).toBe(true);
  });

  it('rejects picking from an empty list', () => {
    expect(() => new Rng(1).pick([])).toThrow(RangeError);
  });
});
