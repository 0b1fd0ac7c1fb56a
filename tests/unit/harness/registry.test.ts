import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectScenarios, scenario } from '../../../src/harness/index.ts';

describe('collectScenarios()', () => {
  it('collects the scenarios a file declares while it loads, with their options', async () => {
    const fn = (): void => undefined;
    const found = await collectScenarios('/scripts/a.scenario.ts', () => {
      scenario('first', fn);
      scenario('second', { timeZone: 'Europe/Berlin' }, fn);
      return Promise.resolve();
    });
    expect(found).toEqual([
      { name: 'first', options: {}, fn, file: '/scripts/a.scenario.ts' },
      {
        name: 'second',
        options: { timeZone: 'Europe/Berlin' },
        fn,
        file: '/scripts/a.scenario.ts',
      },
    ]);
  });

  it('returns the scenarios a file declared when it ran directly, as its import does not run it again', async () => {
    const fn = (): void => undefined;
    // No runner is collecting: this is how a file started with `node file.scenario.ts` declares.
    scenario('declared directly', fn);
    const file = resolve(process.argv[1] ?? 'scenario.ts');
    const found = await collectScenarios(file, () => Promise.resolve());
    expect(found.map((d) => [d.name, d.file])).toEqual([['declared directly', file]]);
    expect(await collectScenarios('/scripts/other.scenario.ts', () => Promise.resolve())).toEqual(
      [],
    );
  });

  it('rejects a scenario without a name or a function', () => {
    expect(() => scenario('', () => undefined)).toThrow(TypeError);
    expect(() => scenario('no body', {}, undefined as never)).toThrow(
      'scenario("no body") needs a function',
    );
  });
});
