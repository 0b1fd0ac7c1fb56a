import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GuardLedger } from '../../engine/index.ts';
import { ThingstapeError } from '../../errors.ts';
import { fixtureGroupsFrom } from '../../fake/sources.ts';
import {
  checkCommitText,
  EMPTY_GUARD_STATE,
  GUARD_CODES,
  GUARD_RULES,
  type GuardReport,
  type GuardState,
} from '../../protocol/index.ts';
import { defineCommand } from '../command.ts';
import { requireFixture } from '../fixture-path.ts';
import { jsonLine } from '../format.ts';
import { GUARD_OPTIONS, guardOptions, type GuardArgs } from '../guard-options.ts';
import { EXIT, styled } from '../io.ts';
import { UsageError } from '../usage-error.ts';

interface CheckCommitArgs extends GuardArgs {
  readonly file: string | undefined;
  readonly state: string | undefined;
  readonly rules: boolean;
}

/** `thingstape check-commit <file>`: a saved commit body through the write guard. */
export const checkCommitCommand = defineCommand<CheckCommitArgs>({
  command: 'check-commit [file]',
  describe:
    'Check a saved commit body (entity id → {t, e, p}) against the write rules that keep a real Things account from breaking',
  examples: [
    ['check-commit commit.json', 'every violation, errors first in each entity'],
    [
      'check-commit commit.json --state fixtures/realistic/account-5k --strict',
      'against the history it would be appended to; warnings count as errors',
    ],
    ['check-commit --rules --json', 'the rules: code, severity, spec section and tag'],
  ],
  epilog:
    'Each violation names its rule, the entity, the JSON path, what was found and the spec section with its confidence tag ([R] recorded, [L] seen live, [S] stated by an SDK, [I] inferred). [R] and [L] rules are errors, [S] and [I] rules warnings (--strict or --error CODE makes them errors). Without --state the commit is judged on its own: references and modifies of ids it does not create are not checked.\n\nExit codes: 0 no error (warnings allowed), 1 the commit breaks an error rule (or the file cannot be read), 2 a mistake on the command line.',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', describe: 'JSON file holding one commit body' })
      .option('state', {
        type: 'string',
        requiresArg: true,
        describe: 'Fixture holding the history the commit applies to',
      })
      .option('rules', {
        type: 'boolean',
        default: false,
        describe: 'List the rules instead of checking a commit',
      })
      .options(GUARD_OPTIONS)
      .check((args) => {
        if (args['rules'] && args['file'] !== undefined) {
          throw new UsageError('--rules lists the rules; give no file with it');
        }
        if (!args['rules'] && args['file'] === undefined) {
          throw new UsageError('Missing argument: <file> (or --rules to list the rules)');
        }
        return true;
      }),
  run: async (args, io) => {
    if (args.rules || args.file === undefined) return listRules(args.json, io.stdout);
    const options = guardOptions(args);
    const path = resolve(io.cwd, args.file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'it is a directory'
            : ((error as Error).message ?? String(error));
      throw new ThingstapeError(
        'COMMIT_NOT_READABLE',
        `Cannot check commit ${args.file}: ${why}; name a JSON file holding one commit body`,
        { cause: error },
      );
    }
    const state = args.state === undefined ? EMPTY_GUARD_STATE : await stateOf(args.state, io.cwd);
    const report = checkCommitText(text, state, options);
    const entities = entityCount(text);
    if (args.json) {
      io.stdout(
        jsonLine({
          file: args.file,
          state: args.state ?? null,
          stateComplete: state.complete,
          entities,
          ...report,
        }),
      );
    } else {
      io.stdout(formatReport(report, (style, s) => styled(io, style, s, 'stdout')));
      io.stderr(
        `Checked ${args.file} (${entities} entit${entities === 1 ? 'y' : 'ies'}${args.state === undefined ? '' : ` on the history of ${args.state}`}): ${report.errors} error(s), ${report.warnings} warning(s).\n`,
      );
    }
    return report.ok ? EXIT.ok : EXIT.failure;
  },
});

async function stateOf(given: string, cwd: string): Promise<GuardState> {
  const found = await requireFixture(given, cwd, 'read the state from');
  const { groups, first } = await fixtureGroupsFrom(found.dir);
  const ledger = new GuardLedger({ complete: first === 0 });
  ledger.applyTexts(groups, first);
  return ledger;
}

function entityCount(text: string): number {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? Object.keys(body).length
      : 0;
  } catch {
    return 0;
  }
}

type Paint = (style: 'red' | 'yellow' | 'dim', text: string) => string;

/** One line per violation: `error   NON_POSITIVE_IX  "Kd5u…" p.ix: found 0; …`. */
function formatReport(report: GuardReport, paint: Paint): string {
  return report.violations
    .map((v) => {
      const severity =
        v.severity === 'error' ? paint('red', 'error  ') : paint('yellow', 'warning');
      return `${severity} ${v.code.padEnd(33)} ${v.message}\n`;
    })
    .join('');
}

function listRules(json: boolean, out: (text: string) => void): number {
  const rules = GUARD_CODES.map((code) => {
    const rule = GUARD_RULES[code];
    return {
      code,
      severity: rule.severity,
      confidence: rule.confidence,
      section: rule.section,
      tag: rule.tag,
      rule: rule.rule,
    };
  });
  if (json) out(jsonLine({ rules }));
  else {
    for (const rule of rules) {
      out(
        `${rule.code.padEnd(33)} ${rule.severity.padEnd(7)} spec ${rule.section} ${rule.tag}\n    ${rule.rule}\n`,
      );
    }
  }
  return EXIT.ok;
}
