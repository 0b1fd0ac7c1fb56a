import { relative, resolve } from 'node:path';
import { defineCommand, type CommandGroup } from '../command.ts';
import { jsonLine } from '../format.ts';
import { EXIT } from '../io.ts';
import { formatIssueLocation, REPORT_ACTIONS, type VerifyIssue } from '../../fixture/verify.ts';
import { verifyPath, type VerifyReport } from '../../fixture/verify-node.ts';
import { rehashFixture } from '../../fixture/node.ts';

/** Warnings of one code listed in human output; the rest are counted. */
const HUMAN_WARNINGS_PER_CODE = 10;

/** `thingstape fixture verify <path>`: checks fixtures and capture files, page by page. */
export const fixtureVerifyCommand = defineCommand<{ path: string }>({
  command: 'verify <path>',
  describe:
    'Check a fixture directory, a JSON capture file, or every fixture and JSON file under a directory: decode every page, report counts per kind and action, and every anomaly',
  examples: [
    ['fixture verify fixtures/realistic/account-5k', 'check one fixture'],
    ['fixture verify fixtures', 'check every fixture under fixtures/'],
    ['fixture verify fixtures/upstream --json', 'the report as one JSON document'],
  ],
  builder: (yargs) =>
    yargs.positional('path', {
      type: 'string',
      describe: 'Fixture directory, JSON file, or directory to walk',
      demandOption: true,
    }),
  run: async (args, io) => {
    const report = relativize(await verifyPath(resolve(io.cwd, args.path)), io.cwd, args.path);
    if (args.json) io.stdout(jsonLine(report));
    else io.stdout(formatReport(report));
    return report.ok ? EXIT.ok : EXIT.failure;
  },
});

/** `thingstape fixture rehash <dir>`: refreshes page hashes and group counts after a hand edit. */
export const fixtureRehashCommand = defineCommand<{ dir: string }>({
  command: 'rehash <dir>',
  describe:
    "Refresh the manifest's page hashes and group counts after you edited pages by hand (page files are not touched)",
  examples: [
    ['fixture rehash fixtures/synthetic/notes', 'after editing a page of that fixture'],
    ['fixture rehash fixtures/mine --json', 'what changed, as one JSON document'],
  ],
  builder: (yargs) =>
    yargs.positional('dir', {
      type: 'string',
      describe: 'Fixture directory',
      demandOption: true,
    }),
  run: async (args, io) => {
    const result = await rehashFixture(resolve(io.cwd, args.dir));
    const changed = result.pages.filter((page) => page.changed);
    if (args.json) io.stdout(jsonLine(result));
    else {
      for (const page of changed)
        io.stdout(`updated ${page.file}: ${page.groups} group(s), sha256 ${page.sha256}\n`);
      io.stdout(
        `Rehashed fixture "${result.name}": ${changed.length} of ${result.pages.length} page(s) changed.\n`,
      );
    }
    return EXIT.ok;
  },
});

/** `thingstape fixture <verify|rehash>`: the fixture tools. */
export const fixtureCommand: CommandGroup = {
  command: 'fixture',
  describe:
    'Fixture tools: "fixture verify <path>" checks fixtures; "fixture rehash <dir>" refreshes hashes after a hand edit',
  subcommands: [fixtureVerifyCommand, fixtureRehashCommand],
};

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
