import { relative, resolve } from 'node:path';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';
import { formatIssueLocation, REPORT_ACTIONS, type VerifyIssue } from '../../fixture/verify.ts';
import { verifyPath, type VerifyReport } from '../../fixture/verify-node.ts';
import { rehashFixture } from '../../fixture/node.ts';

/** Warnings of one code listed in human output; the rest are counted. */
const HUMAN_WARNINGS_PER_CODE = 10;

/**
 * `thingstape fixture verify <path>`: checks fixtures and capture files, page by page.
 * `thingstape fixture rehash <dir>`: refreshes page hashes and group counts after a hand edit.
 */
export const fixtureCommand = defineCommand<{ action: string; path: string }>({
  command: 'fixture <action> <path>',
  describe:
    'Fixture tools. "fixture verify <path>" checks a fixture directory, a JSON capture file, or every fixture and JSON file under a directory; "fixture rehash <dir>" refreshes the manifest\'s page hashes and group counts after you edited pages by hand',
  builder: (yargs) =>
    yargs
      .positional('action', {
        type: 'string',
        choices: ['verify', 'rehash'] as const,
        describe: 'What to do (verify, rehash)',
        demandOption: true,
      })
      .positional('path', {
        type: 'string',
        describe: 'Fixture directory, JSON file, or directory to walk',
        demandOption: true,
      }),
  run: async (args, io) => {
    if (args.action === 'rehash') {
      const result = await rehashFixture(resolve(io.cwd, args.path));
      const changed = result.pages.filter((page) => page.changed);
      if (args.json) io.stdout(`${JSON.stringify(result)}\n`);
      else {
        for (const page of changed)
          io.stdout(`updated ${page.file}: ${page.groups} group(s), sha256 ${page.sha256}\n`);
        io.stdout(
          `Rehashed fixture "${result.name}": ${changed.length} of ${result.pages.length} page(s) changed.\n`,
        );
      }
      return EXIT.ok;
    }
    const report = relativize(await verifyPath(resolve(io.cwd, args.path)), io.cwd, args.path);
    if (args.json) io.stdout(`${JSON.stringify(report)}\n`);
    else io.stdout(formatReport(report));
    return report.ok ? EXIT.ok : EXIT.failure;
  },
});

function relativize(report: VerifyReport, cwd: string, given: string): VerifyReport {
  const show = (path: string): string => relative(cwd, path) || '.';
  const showIssue = (issue: VerifyIssue): VerifyIssue =>
    issue.location.file === undefined || issue.location.fixture !== undefined
      ? issue
      : { ...issue, location: { ...issue.location, file: show(issue.location.file) } };
  return {
    ...report,
    path: given,
    targets: report.targets.map((target) => ({ ...target, path: show(target.path) })),
    issues: report.issues.map(showIssue),
  };
}

/** The human-readable report: a table of targets, counts, then warnings and errors. */
export function formatReport(report: VerifyReport): string {
  const lines: string[] = [];
  const { counts } = report;
  lines.push(
    `Verified ${report.path}: ${plural(counts.fixtures, 'fixture')}, ${plural(report.targets.length - counts.fixtures, 'other file')}`,
    '',
  );
  const header = ['target', 'kind', 'pages', 'groups', 'items', 'errors', 'warnings'];
  const rows = report.targets.map((target) => [
    target.path,
    target.kind,
    String(target.pages),
    String(target.groups),
    String(target.items),
    String(target.errors),
    String(target.warnings),
  ]);
  lines.push(...table([header, ...rows]), '');
  lines.push(
    `Totals:    ${plural(counts.pages, 'page')}, ${plural(counts.groups, 'group')} (${counts.emptyGroups} empty), ${plural(counts.items, 'item')}`,
  );
  const kinds = Object.entries(counts.byKind).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  lines.push(
    `By kind:   ${kinds.length === 0 ? '—' : kinds.map(([kind, n]) => `${kind} ${n}`).join(', ')}`,
    `By action: ${REPORT_ACTIONS.map((action) => `${action} ${counts.byAction[action]}`).join(', ')}`,
  );

  for (const severity of ['warning', 'error'] as const) {
    const total = severity === 'error' ? report.errors : report.warnings;
    if (total === 0) continue;
    lines.push('', `${severity === 'error' ? 'Errors' : 'Warnings'} (${total}):`);
    const shown: Record<string, number> = {};
    for (const issue of report.issues) {
      if (issue.severity !== severity) continue;
      const seen = shown[issue.code] ?? 0;
      shown[issue.code] = seen + 1;
      if (severity === 'warning' && seen >= HUMAN_WARNINGS_PER_CODE) continue;
      lines.push(`  ${issue.code}  ${formatIssueLocation(issue.location)}: ${issue.message}`);
    }
    for (const [code, count] of Object.entries(report.issueCounts)) {
      const listed = Math.min(
        shown[code] ?? 0,
        severity === 'warning' ? HUMAN_WARNINGS_PER_CODE : Number.POSITIVE_INFINITY,
      );
      if ((shown[code] ?? 0) > 0 && count > listed) {
        lines.push(`  … and ${count - listed} more ${code}`);
      }
    }
  }
  lines.push(
    '',
    report.ok
      ? `OK: no errors, ${plural(report.warnings, 'warning')}.`
      : `FAILED: ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}.`,
  );
  return `${lines.join('\n')}\n`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
