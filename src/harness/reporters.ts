/**
 * Reporters: pretty (a tree for people), json (one object), junit (XML for CI dashboards). Pure.
 * The fourth, html (a page with each step's changes, lists and divergences), lives in src/report
 * and writes a directory; `thingstape run --reporter html --output DIR` runs it.
 */
import type { RunReport, ScenarioResult, StepResult } from './types.ts';

/** The reporter names. */
export const REPORTERS = ['pretty', 'json', 'junit', 'html'] as const;

/** A reporter name. */
export type ReporterName = (typeof REPORTERS)[number];

/** How paths are shown (relative to the working directory, `/`-separated). */
export type ShowPath = (file: string) => string;

function ms(value: number): string {
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

function indent(text: string, by: string): string {
  return text.replace(/^/gm, by);
}

function stepLines(steps: readonly StepResult[], depth: number): string[] {
  return steps.flatMap((s) => [
    `${'  '.repeat(depth)}${s.status === 'passed' ? '✓' : '✗'} ${s.name} (${ms(s.durationMs)})`,
    ...stepLines(s.steps, depth + 1),
  ]);
}

/** The lines of one scenario: status, steps, error and sanitizer failures. */
export function prettyScenario(result: ScenarioResult, showPath: ShowPath): string {
  const mark = result.status === 'passed' ? '✓' : result.status === 'ignored' ? '-' : '✗';
  const head = `${mark} ${showPath(result.file)} › ${result.name}${result.status === 'ignored' ? ' (ignored)' : ` (${ms(result.durationMs)}, ${result.mode ?? ''})`}`;
  const lines = [head, ...stepLines(result.steps, 2)];
  if (result.error !== undefined)
    lines.push(indent(`${result.error.code}: ${result.error.message}`, '    '));
  for (const s of result.sanitizers)
    lines.push(indent(`sanitizer ${s.code}: ${s.message}`, '    '));
  if (result.recorded)
    lines.push(`    recorded ${result.requests} request(s) into ${showPath(result.cassette)}`);
  return `${lines.join('\n')}\n`;
}

/** The closing summary. */
export function prettySummary(report: RunReport, showPath: ShowPath): string {
  const lines: string[] = [];
  for (const e of report.errors)
    lines.push(`✗ ${e.file === undefined ? '' : `${showPath(e.file)}: `}${e.code}: ${e.message}`);
  const ok = report.failed === 0 && report.errors.length === 0;
  lines.push(
    `${ok ? 'ok' : 'FAILED'} | ${report.passed} passed | ${report.failed} failed | ${report.ignored} ignored (${report.scenarios.length} scenario(s) in ${report.files.length} file(s), ${ms(report.durationMs)}, mode ${report.mode}${report.seed === null ? '' : `, shuffle seed ${report.seed}`})`,
  );
  if (report.snapshots.added + report.snapshots.updated > 0) {
    lines.push(`snapshots: ${report.snapshots.added} added, ${report.snapshots.updated} updated`);
  }
  return `${lines.join('\n')}\n`;
}

/** The whole run for people. */
export function formatPretty(report: RunReport, showPath: ShowPath = (f) => f): string {
  return `${report.scenarios.map((r) => prettyScenario(r, showPath)).join('')}\n${prettySummary(report, showPath)}`;
}

/** The run as one JSON document (paths as given by `showPath`). */
export function formatJson(report: RunReport, showPath: ShowPath = (f) => f): string {
  return `${JSON.stringify(
    {
      ...report,
      files: report.files.map(showPath),
      scenarios: report.scenarios.map((s) => ({
        ...s,
        file: showPath(s.file),
        cassette: showPath(s.cassette),
      })),
      errors: report.errors.map((e) =>
        e.file === undefined ? e : { ...e, file: showPath(e.file) },
      ),
      ok: report.failed === 0 && report.errors.length === 0,
    },
    null,
    2,
  )}\n`;
}

/** Text safe inside XML attributes and elements (invalid XML characters removed). */
export function xmlEscape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters outright
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function seconds(value: number): string {
  return (value / 1000).toFixed(3);
}

function flattenSteps(
  steps: readonly StepResult[],
  prefix: string,
): { name: string; step: StepResult }[] {
  return steps.flatMap((s) => [
    { name: `${prefix} › ${s.name}`, step: s },
    ...flattenSteps(s.steps, `${prefix} › ${s.name}`),
  ]);
}

/**
 * JUnit XML: one `<testsuite>` per file, one `<testcase>` per scenario (failure = its error and
 * sanitizer failures) and one per step (`scenario › step`), like Deno's junit reporter.
 */
export function formatJunit(report: RunReport, showPath: ShowPath = (f) => f): string {
  const byFile = new Map<string, ScenarioResult[]>();
  for (const file of report.files) byFile.set(file, []);
  for (const result of report.scenarios) {
    const list = byFile.get(result.file) ?? [];
    list.push(result);
    byFile.set(result.file, list);
  }
  const a = (name: string, value: string | number): string =>
    ` ${name}="${xmlEscape(String(value))}"`;
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let skipped = 0;
  for (const [file, results] of byFile) {
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    let suiteTime = 0;
    for (const r of results) {
      suiteTime += r.durationMs;
      const problems = [...(r.error === undefined ? [] : [r.error]), ...r.sanitizers];
      let body = '';
      if (r.status === 'ignored') {
        suiteSkipped += 1;
        body = '\n      <skipped/>\n    ';
      } else if (problems.length > 0) {
        suiteFailures += 1;
        const first = problems[0]!;
        body = `\n      <failure${a('message', first.message.split('\n')[0] ?? '')}${a('type', first.code)}>${xmlEscape(problems.map((p) => `${p.code}: ${p.message}`).join('\n\n'))}</failure>\n    `;
      }
      cases.push(
        `    <testcase${a('name', r.name)}${a('classname', showPath(file))}${a('time', seconds(r.durationMs))}>${body}</testcase>`,
      );
      for (const { name, step } of flattenSteps(r.steps, r.name)) {
        const failed = step.status === 'failed';
        if (failed) suiteFailures += 1;
        const stepBody =
          failed && step.error !== undefined
            ? `\n      <failure${a('message', step.error.message.split('\n')[0] ?? '')}${a('type', step.error.code)}>${xmlEscape(step.error.message)}</failure>\n    `
            : '';
        cases.push(
          `    <testcase${a('name', name)}${a('classname', showPath(file))}${a('time', seconds(step.durationMs))}>${stepBody}</testcase>`,
        );
      }
    }
    for (const e of report.errors.filter((err) => err.file === file)) {
      suiteFailures += 1;
      cases.push(
        `    <testcase${a('name', '(load)')}${a('classname', showPath(file))}${a('time', '0.000')}>\n      <failure${a('message', e.message.split('\n')[0] ?? '')}${a('type', e.code)}>${xmlEscape(e.message)}</failure>\n    </testcase>`,
      );
    }
    total += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite${a('name', showPath(file))}${a('tests', cases.length)}${a('failures', suiteFailures)}${a('errors', 0)}${a('skipped', suiteSkipped)}${a('time', seconds(suiteTime))}>\n${cases.join('\n')}${cases.length > 0 ? '\n' : ''}  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${a('name', 'thingstape')}${a('tests', total)}${a('failures', failures)}${a('errors', 0)}${a('skipped', skipped)}${a('time', seconds(report.durationMs))}>\n${suites.join('\n')}${suites.length > 0 ? '\n' : ''}</testsuites>\n`;
}
