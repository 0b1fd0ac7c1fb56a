/**
 * The html report of a scenario run: one static page (no script) with every scenario and step,
 * its outcome and time; for a traced run, the changes each step produced, every list before and
 * after it, and where it diverged from its recording or its assertions, side by side and field by
 * field. Pure: a run report in, one HTML string out.
 */
import type { Change } from '../engine/index.ts';
import type { FieldDiff } from '../harness/diff.ts';
import type {
  Divergence,
  RunReport,
  ScenarioResult,
  StepResult,
  StepTrace,
  TraceLists,
  TraceRequest,
  TraceRow,
} from '../harness/types.ts';
import { esc, page } from './html.ts';
import { changeSummary } from './summary.ts';

/** How the run report shows paths (relative to the working directory). */
export type ShowPath = (file: string) => string;

function ms(value: number): string {
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

function mark(status: 'passed' | 'failed' | 'ignored'): string {
  const [sign, word, cls] =
    status === 'passed'
      ? ['✓', 'passed', 'ok']
      : status === 'failed'
        ? ['✗', 'failed', 'bad']
        : ['–', 'ignored', 'muted'];
  return `<span class="status ${cls}"><span aria-hidden="true">${sign}</span> ${word}</span>`;
}

function json(value: unknown): string {
  return value === undefined
    ? '<span class="muted">(absent)</span>'
    : `<pre>${esc(JSON.stringify(value, null, 2) ?? typeof value)}</pre>`;
}

function short(value: unknown): string {
  if (value === undefined) return '<span class="muted">(none)</span>';
  const text = JSON.stringify(value) ?? typeof value;
  return `<code>${esc(text.length > 200 ? `${text.slice(0, 199)}…` : text)}</code>`;
}

/** A table of field differences: where, the recorded or expected value, the actual one. */
function diffTable(diffs: readonly FieldDiff[], left: string, right: string): string {
  if (diffs.length === 0) return '';
  const kind = (d: FieldDiff): string =>
    d.kind === 'missing' ? `only ${left}` : d.kind === 'extra' ? `only ${right}` : 'differs';
  return `<table><caption class="muted">${diffs.length} field(s) differ</caption><thead><tr><th scope="col">field</th><th scope="col">${esc(left)}</th><th scope="col">${esc(right)}</th><th scope="col">how</th></tr></thead><tbody>${diffs
    .map(
      (d) =>
        `<tr><td><code>${esc(d.path === '' ? '(value)' : d.path)}</code></td><td>${short(d.expected)}</td><td>${short(d.actual)}</td><td>${kind(d)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function requestBlock(request: TraceRequest): string {
  return `<dl class="facts"><dt>method</dt><dd><code>${esc(request.method)}</code></dd><dt>URL</dt><dd><code>${esc(request.url)}</code></dd></dl>${request.body === undefined ? '<p class="muted">no body</p>' : json(request.body)}`;
}

function rowsTable(rows: readonly unknown[], caption: string): string {
  if (rows.length === 0)
    return `<p><strong>${esc(caption)}</strong>: <span class="muted">no rows</span></p>`;
  return `<table><caption>${esc(caption)}</caption><tbody>${rows
    .map((r, i) => `<tr><td class="num">${i + 1}</td><td>${short(r)}</td></tr>`)
    .join('')}</tbody></table>`;
}

function divergenceBlock(d: Divergence): string {
  switch (d.kind) {
    case 'request':
      return `<div class="panel"><h4>A request with no recording</h4><div class="side"><div><h5>Recorded${d.nearest === null ? '' : ` (nearest: #${d.nearest.number} of ${d.nearest.of}${d.nearest.used ? ', already used' : ''})`}</h5>${d.nearest === null ? '<p>none: the cassette has no recording to compare with</p>' : requestBlock(d.nearest.request)}</div><div><h5>Actual</h5>${requestBlock(d.actual)}</div></div>${diffTable(d.diffs, 'recorded', 'actual')}<details><summary>message</summary><pre>${esc(d.message)}</pre></details></div>`;
    case 'changes':
      return `<div class="panel"><h4>Changes differ from the expected ones</h4><table><thead><tr><th scope="col" class="num">#</th><th scope="col">outcome</th><th scope="col">expected</th><th scope="col">actual</th><th scope="col">differences</th></tr></thead><tbody>${d.comparisons
        .map(
          (c) =>
            `<tr><td class="num">${c.index}</td><td>${c.outcome === 'ok' ? '<span class="ok">✓ matches</span>' : `<span class="bad">✗ ${c.outcome}</span>`}</td><td>${c.expected === undefined ? '<span class="muted">(none)</span>' : json(c.expected)}</td><td>${c.actual === undefined ? '<span class="muted">(none)</span>' : `${esc(c.actual.type)} <code>${esc(c.actual.entityId)}</code> @${c.actual.serverIndex}<br>${esc(changeSummary(c.actual.type, c.actual.payload, (id) => id))}`}</td><td>${c.diffs.length === 0 ? '' : diffTable(c.diffs, 'expected', 'actual')}</td></tr>`,
        )
        .join('')}</tbody></table></div>`;
    case 'list':
      return `<div class="panel"><h4>List “${esc(d.view)}” on ${esc(d.today)} differs</h4><div class="side"><div>${rowsTable(d.expected, 'expected')}</div><div>${rowsTable(
        d.actual.map((r) => ({ id: r.id, title: r.title, status: r.status })),
        'actual',
      )}</div></div>${diffTable(d.diffs, 'expected', 'actual')}</div>`;
    case 'value':
      return `<div class="panel"><h4>A value differs</h4><pre>${esc(d.message.split('\n')[0] ?? '')}</pre>${diffTable(d.diffs, 'expected', 'actual')}</div>`;
    default: {
      const never: never = d;
      return String(never);
    }
  }
}

function changesTable(changes: readonly Change[], titles: ReadonlyMap<string, string>): string {
  if (changes.length === 0) return '<p class="muted">No changes.</p>';
  const titleOf = (id: string): string => titles.get(id) ?? id;
  return `<table><thead><tr><th scope="col" class="num">server index</th><th scope="col">change</th><th scope="col">entity</th><th scope="col">what</th></tr></thead><tbody>${changes
    .map(
      (c) =>
        `<tr><td class="num">${c.serverIndex}</td><td>${esc(c.type)}</td><td>${esc(titleOf(c.entityId))} <code class="muted">${esc(c.entityId)}</code></td><td>${esc(changeSummary(c.type, c.payload, titleOf))}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

/** Lists before and after, the rows that came or went marked with a sign as well as a colour. */
function listsTable(before: TraceLists | null, after: TraceLists | null): string {
  if (before === null || after === null) return '<p class="muted">The lists could not be read.</p>';
  const names = Object.keys(after) as (keyof TraceLists)[];
  const shown = names.filter((n) => before[n].length + after[n].length > 0);
  if (shown.length === 0) return '<p class="muted">Every list is empty before and after.</p>';
  const cell = (
    rows: readonly TraceRow[],
    other: readonly TraceRow[],
    sign: string,
    cls: string,
  ): string =>
    rows.length === 0
      ? '<span class="muted">empty</span>'
      : `<ul class="plain">${rows
          .map((r) => {
            const moved = !other.some(
              (o) => o.id === r.id && o.status === r.status && o.title === r.title,
            );
            return `<li${moved ? ` class="${cls}"` : ''}>${moved ? `<span aria-hidden="true">${sign}</span> <span class="sr">${cls}:</span> ` : ''}${esc(r.title)}${r.status === 'open' ? '' : ` <span class="muted">(${esc(r.status)})</span>`}</li>`;
          })
          .join('')}</ul>`;
  return `<table><thead><tr><th scope="col">list</th><th scope="col">before</th><th scope="col">after</th></tr></thead><tbody>${shown
    .map(
      (n) =>
        `<tr><th scope="row">${esc(n)}</th><td>${cell(before[n], after[n], '−', 'removed')}</td><td>${cell(after[n], before[n], '+', 'added')}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function traceBlock(trace: StepTrace, titles: ReadonlyMap<string, string>): string {
  return [
    ...trace.divergences.map(divergenceBlock),
    `<h4>Changes</h4>${changesTable(trace.changes, titles)}`,
    `<h4>Lists before and after${trace.todayBefore === trace.todayAfter ? ` (on ${esc(trace.todayAfter)})` : ` (${esc(trace.todayBefore)} → ${esc(trace.todayAfter)})`}</h4>${listsTable(trace.listsBefore, trace.listsAfter)}`,
  ].join('');
}

function stepBlock(step: StepResult, titles: ReadonlyMap<string, string>, path: string): string {
  const failed = step.status === 'failed';
  return `<details id="${esc(path)}"${failed ? ' open' : ''}><summary>${mark(step.status)} <strong>${esc(step.name)}</strong> <span class="muted">(${ms(step.durationMs)})</span></summary>${
    step.error === undefined
      ? ''
      : `<div class="panel"><pre class="bad">${esc(`${step.error.code}: ${step.error.message}`)}</pre></div>`
  }${step.trace === undefined ? '' : traceBlock(step.trace, titles)}${step.steps.map((s, i) => stepBlock(s, titles, `${path}-${i + 1}`)).join('')}</details>`;
}

/** The errors of failed steps (a scenario's error repeats its failed step's, shown there). */
function stepErrors(steps: readonly StepResult[]): Set<string> {
  const out = new Set<string>();
  for (const s of steps) {
    if (s.error !== undefined) out.add(`${s.error.code}\n${s.error.message}`);
    for (const e of stepErrors(s.steps)) out.add(e);
  }
  return out;
}

/** Titles of every entity a trace mentions, so changes name what they changed. */
function titlesOf(result: ScenarioResult): Map<string, string> {
  const titles = new Map<string, string>();
  const visit = (trace: StepTrace | undefined): void => {
    if (trace === undefined) return;
    for (const lists of [trace.listsBefore, trace.listsAfter]) {
      if (lists === null) continue;
      for (const rows of Object.values(lists)) for (const r of rows) titles.set(r.id, r.title);
    }
    for (const c of trace.changes) {
      const p = c.payload as Record<string, unknown>;
      const snapshot = p['snapshot'] as Record<string, unknown> | undefined;
      const title =
        typeof snapshot?.['title'] === 'string'
          ? snapshot['title']
          : typeof p['title'] === 'string'
            ? p['title']
            : typeof p['new'] === 'string' && /Title|Renamed/.test(c.type)
              ? p['new']
              : null;
      if (title !== null && title !== '') titles.set(c.entityId, title);
    }
  };
  const walk = (steps: readonly StepResult[]): void => {
    for (const s of steps) {
      visit(s.trace);
      walk(s.steps);
    }
  };
  visit(result.trace);
  walk(result.steps);
  return titles;
}

function scenarioBlock(result: ScenarioResult, n: number, showPath: ShowPath): string {
  const titles = titlesOf(result);
  const body = result.trace;
  const outside =
    body !== undefined &&
    (body.changes.length > 0 || body.divergences.length > 0 || result.steps.length === 0)
      ? `<details${result.status === 'failed' && body.divergences.length > 0 ? ' open' : ''}><summary><strong>Outside any step</strong></summary>${traceBlock(body, titles)}</details>`
      : '';
  return `<section id="scenario-${n}" aria-label="${esc(`Scenario ${n}: ${result.name}`)}"><h2 id="scenario-${n}-title">${mark(result.status)} ${esc(result.name)}</h2><dl class="facts"><dt>file</dt><dd><code>${esc(showPath(result.file))}</code></dd><dt>time</dt><dd>${result.status === 'ignored' ? '—' : ms(result.durationMs)}</dd><dt>mode</dt><dd>${esc(result.mode ?? '—')}</dd><dt>cassette</dt><dd><code>${esc(showPath(result.cassette))}</code>${result.recorded ? ' (recorded by this run)' : ''}</dd><dt>requests</dt><dd>${result.requests}</dd>${body === undefined ? '' : `<dt>time zone</dt><dd>${esc(body.timeZone)}</dd>`}</dl>${
    result.error === undefined ||
    stepErrors(result.steps).has(`${result.error.code}\n${result.error.message}`)
      ? ''
      : `<div class="panel" role="alert"><h3 class="bad">✗ ${esc(result.error.code)}</h3><pre>${esc(result.error.message)}</pre></div>`
  }${result.sanitizers.map((s) => `<div class="panel"><h3 class="bad">✗ sanitizer ${esc(s.code)}</h3><pre>${esc(s.message)}</pre></div>`).join('')}${
    result.steps.length === 0
      ? ''
      : `<h3>Steps</h3>${result.steps.map((s, i) => stepBlock(s, titles, `scenario-${n}-step-${i + 1}`)).join('')}`
  }${outside}</section>`;
}

/** The run as one self-contained HTML page (static: it needs no script). */
export function renderRunReport(report: RunReport, showPath: ShowPath = (f) => f): string {
  const ok = report.failed === 0 && report.errors.length === 0;
  const title = `thingstape run: ${ok ? 'passed' : 'FAILED'} — ${report.passed} passed, ${report.failed} failed, ${report.ignored} ignored`;
  const overview = `<h2>Scenarios</h2><table><thead><tr><th scope="col">outcome</th><th scope="col">scenario</th><th scope="col">file</th><th scope="col" class="num">steps</th><th scope="col" class="num">time</th></tr></thead><tbody>${report.scenarios
    .map(
      (s, i) =>
        `<tr><td>${mark(s.status)}</td><td><a href="#scenario-${i + 1}">${esc(s.name)}</a></td><td><code>${esc(showPath(s.file))}</code></td><td class="num">${s.steps.length}</td><td class="num">${s.status === 'ignored' ? '—' : ms(s.durationMs)}</td></tr>`,
    )
    .join('')}</tbody></table>${
    report.errors.length === 0
      ? ''
      : `<h2>Failures outside any scenario</h2>${report.errors.map((e) => `<div class="panel"><h3 class="bad">✗ ${esc(e.code)}${e.file === undefined ? '' : ` in <code>${esc(showPath(e.file))}</code>`}</h3><pre>${esc(e.message)}</pre></div>`).join('')}`
  }`;
  const subtitle = `${report.scenarios.length} scenario(s) in ${report.files.length} file(s), ${ms(report.durationMs)}, mode ${esc(report.mode)}${report.seed === null ? '' : `, shuffle seed ${report.seed}`}${report.snapshots.added + report.snapshots.updated > 0 ? `; snapshots: ${report.snapshots.added} added, ${report.snapshots.updated} updated` : ''}`;
  return page({
    title,
    subtitle,
    nav: [
      ['#main', 'Scenarios'],
      ...report.scenarios.map((s, i): readonly [string, string] => [
        `#scenario-${i + 1}`,
        `${s.status === 'failed' ? '✗' : s.status === 'passed' ? '✓' : '–'} ${s.name}`,
      ]),
    ],
    main: `${overview}${report.scenarios.map((s, i) => scenarioBlock(s, i + 1, showPath)).join('')}`,
  });
}
