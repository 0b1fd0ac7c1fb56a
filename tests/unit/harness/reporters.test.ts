import { describe, expect, it } from 'vitest';
import {
  formatJson,
  formatJunit,
  formatPretty,
  type RunReport,
} from '../../../src/harness/index.ts';
import { junitCases, parseXml } from './xml.ts';

const report: RunReport = {
  mode: 'replay',
  seed: 7,
  files: ['/w/a.scenario.ts', '/w/b.scenario.ts'],
  scenarios: [
    {
      file: '/w/a.scenario.ts',
      name: 'passes <&> "quotes"',
      status: 'passed',
      mode: 'replay',
      durationMs: 12.5,
      steps: [{ name: 'step one', status: 'passed', durationMs: 3, steps: [] }],
      sanitizers: [],
      cassette: '/w/a.scenario.cassette/passes',
      recorded: false,
      requests: 4,
    },
    {
      file: '/w/a.scenario.ts',
      name: 'fails',
      status: 'failed',
      mode: 'replay',
      durationMs: 1,
      steps: [
        {
          name: 'bad',
          status: 'failed',
          durationMs: 1,
          steps: [],
          error: { code: 'ASSERTION_FAILED', message: 'x < y\nsecond line' },
        },
      ],
      error: { code: 'ASSERTION_FAILED', message: 'x < y\nsecond line' },
      sanitizers: [{ code: 'UNUSED_RECORDING', message: '2 recorded request(s) were not made' }],
      cassette: '/w/a.scenario.cassette/fails',
      recorded: false,
      requests: 0,
    },
    {
      file: '/w/b.scenario.ts',
      name: 'skipped one\u0001',
      status: 'ignored',
      mode: null,
      durationMs: 0,
      steps: [],
      sanitizers: [],
      cassette: '/w/b.scenario.cassette/skipped-one',
      recorded: false,
      requests: 0,
    },
  ],
  passed: 1,
  failed: 1,
  ignored: 1,
  durationMs: 20,
  snapshots: { added: 0, updated: 0 },
  errors: [],
};
const show = (f: string): string => f.replace('/w/', '');

describe('formatJunit()', () => {
  it('writes well-formed JUnit XML: a suite per file, a case per scenario and per step', () => {
    const xml = formatJunit(report, show);
    const cases = junitCases(xml);
    expect(
      cases.map((c) => [c.suite, c.name, c.failure?.attributes['type'] ?? null, c.skipped]),
    ).toEqual([
      ['a.scenario.ts', 'passes <&> "quotes"', null, false],
      ['a.scenario.ts', 'passes <&> "quotes" › step one', null, false],
      ['a.scenario.ts', 'fails', 'ASSERTION_FAILED', false],
      ['a.scenario.ts', 'fails › bad', 'ASSERTION_FAILED', false],
      ['b.scenario.ts', 'skipped one', null, true],
    ]);
    const failure = cases[2]?.failure;
    expect(failure?.attributes['message']).toBe('x < y');
    expect(failure?.text).toBe(
      'ASSERTION_FAILED: x < y\nsecond line\n\nUNUSED_RECORDING: 2 recorded request(s) were not made',
    );
  });

  it('is rejected by the checker when an element is left open (the checker can fail)', () => {
    expect(() => parseXml('<testsuites><testsuite></testsuites>')).toThrow(SyntaxError);
    expect(() => junitCases('<testsuites tests="1" failures="0"></testsuites>')).toThrow(
      SyntaxError,
    );
  });
});

describe('formatPretty() and formatJson()', () => {
  it('shows the tree, the failure, the sanitizer and the shuffle seed', () => {
    const text = formatPretty(report, show);
    expect(text).toContain(
      '✓ a.scenario.ts › passes <&> "quotes" (13 ms, replay)\n    ✓ step one (3 ms)',
    );
    expect(text).toContain('✗ a.scenario.ts › fails');
    expect(text).toContain('    sanitizer UNUSED_RECORDING: 2 recorded request(s) were not made');
    expect(text).toContain('FAILED | 1 passed | 1 failed | 1 ignored');
    expect(text).toContain('shuffle seed 7');
  });

  it('writes one JSON document with relative paths and an ok flag', () => {
    const json = JSON.parse(formatJson(report, show)) as {
      ok: boolean;
      files: string[];
      scenarios: { file: string }[];
    };
    expect(json.ok).toBe(false);
    expect(json.files).toEqual(['a.scenario.ts', 'b.scenario.ts']);
    expect(json.scenarios[0]?.file).toBe('a.scenario.ts');
  });
});
