/**
 * The html reporter on real scenarios: the failing ones in tests/report (a request the cassette
 * has no recording for; changes that differ from the expected ones) and a passing example, run
 * traced in this process.
 */
import { HtmlValidate } from 'html-validate';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadScenarioFiles,
  resolveRunSettings,
  runScenarios,
  type RunReport,
} from '../../../src/harness/index.ts';
import { renderRunReport } from '../../../src/report/index.ts';
import { REPO } from '../../support/cli.ts';

const FILES = [
  join(REPO, 'examples', 'today-complete.scenario.ts'),
  join(REPO, 'tests', 'report', 'failing-request.scenario.ts'),
  join(REPO, 'tests', 'report', 'failing-assertion.scenario.ts'),
];

let report: RunReport;
let html = '';

beforeAll(async () => {
  const { definitions, errors } = await loadScenarioFiles(FILES);
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  report = await runScenarios(definitions, {
    ...resolveRunSettings({}, {}),
    trace: true,
    files: FILES,
  });
  html = renderRunReport(report, (f) => f.slice(REPO.length + 1));
});

describe('a traced run', () => {
  it('keeps each step’s changes and the lists before and after it', () => {
    const passing = report.scenarios[0]!;
    expect(passing.status).toBe('passed');
    const [create, complete] = passing.steps;
    expect(create?.trace?.changes.map((c) => c.type)).toEqual(['TaskCreated']);
    expect(create?.trace?.listsBefore?.today).toEqual([]);
    expect(create?.trace?.listsAfter?.today.map((r) => r.title)).toEqual(['Buy milk']);
    expect(complete?.trace?.changes.map((c) => c.type)).toEqual(['TaskCompleted']);
    expect(complete?.trace?.listsAfter?.logbook.map((r) => r.title)).toEqual(['Buy milk']);
  });

  it('keeps a request with no recording beside the nearest recording, field by field', () => {
    const failing = report.scenarios[1]!;
    expect(failing.status).toBe('failed');
    const divergence = failing.steps[0]?.trace?.divergences[0];
    expect(divergence?.kind).toBe('request');
    if (divergence?.kind !== 'request') return;
    expect(divergence.nearest?.number).toBe(3);
    expect(divergence.diffs).toEqual([
      expect.objectContaining({ expected: 'Buy milk', actual: 'Buy oat milk', kind: 'changed' }),
    ]);
  });

  it('keeps expected changes beside the actual ones', () => {
    const failing = report.scenarios[2]!;
    const divergence = failing.steps[1]?.trace?.divergences[0];
    expect(divergence?.kind).toBe('changes');
    if (divergence?.kind !== 'changes') return;
    expect(divergence.comparisons[0]).toMatchObject({
      outcome: 'mismatch',
      actual: { type: 'TaskCompleted' },
      diffs: [
        { path: 'type', expected: 'TaskCanceled', actual: 'TaskCompleted' },
        { path: 'payload.new', expected: 'canceled', actual: 'completed' },
      ],
    });
  });
});

describe('renderRunReport()', () => {
  it('shows the outcome, the divergences side by side and the lists, in valid HTML', async () => {
    expect(html).toContain('<title>thingstape run: FAILED — 1 passed, 2 failed, 0 ignored</title>');
    expect(html).toContain('A request with no recording');
    expect(html).toContain('Recorded (nearest: #3 of 10)');
    expect(html).toContain('&quot;Buy oat milk&quot;');
    expect(html).toContain('Changes differ from the expected ones');
    expect(html).toMatch(
      /<span aria-hidden="true">\+<\/span> <span class="sr">added:<\/span> Buy milk/,
    );
    const result = await new HtmlValidate({
      extends: ['html-validate:recommended'],
    }).validateString(html);
    expect(
      result.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)),
    ).toEqual([]);
  });

  it('needs no script and fetches nothing', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
  });
});
