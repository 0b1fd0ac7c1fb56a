/**
 * Strict parsing, command by command: an unknown flag, a mistyped command, a missing required
 * argument and a bad value each exit 2, print one line naming the mistake and the usage of the
 * command it was found in, print nothing on standard output, and change nothing on disk (the
 * command never runs: no database file, no fixture directory).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandName, isCommandGroup } from '../../../src/cli/command.ts';
import { commands } from '../../../src/cli/commands/index.ts';
import { REPO, runCli } from '../../support/cli.ts';

const FIXTURE = join(REPO, 'fixtures', 'synthetic', 'notes');

let cwd = '';
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'thingstape-parsing-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** One mistake: the arguments, the first line it prints, and whose usage follows. */
interface Mistake {
  readonly argv: readonly string[];
  readonly first: string;
  /** The usage's first line (`thingstape replay <fixture>`). */
  readonly usage: string;
}

type Kind = 'unknown flag' | 'typo in the command' | 'missing required argument' | 'bad value';

/**
 * Every command with its four mistakes. Paths point into the test's empty working directory, so
 * a command that ran would leave something there. A command without a required argument gets a
 * flag without its value instead (said in the row).
 */
const TABLE: Record<string, Record<Kind, Mistake>> = {
  replay: {
    'unknown flag': {
      argv: ['replay', FIXTURE, '--db', 'file:x.db', '--sumary'],
      first: 'Unknown option --sumary; did you mean --summary?',
      usage: 'thingstape replay <fixture>',
    },
    'typo in the command': {
      argv: ['replya', FIXTURE],
      first: 'Unknown command "replya"; did you mean "replay"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['replay', '--db', 'file:x.db'],
      first: 'Missing required argument: <fixture>',
      usage: 'thingstape replay <fixture>',
    },
    'bad value': {
      argv: ['replay', FIXTURE, '--db', 'file:x.db', '--max-pages', '0'],
      first: '--max-pages: expected a whole number of at least 1, got "0"',
      usage: 'thingstape replay <fixture>',
    },
  },
  sync: {
    'unknown flag': {
      argv: ['sync', '--db', 'file:x.db', '--max-page', '2'],
      first: 'Unknown option --max-page; did you mean --max-pages?',
      usage: 'thingstape sync',
    },
    'typo in the command': {
      argv: ['synk', '--db', 'file:x.db'],
      first: 'Unknown command "synk"; did you mean "sync"?',
      usage: 'thingstape <command> [options]',
    },
    // sync has no required argument: a flag without its value instead.
    'missing required argument': {
      argv: ['sync', '--db'],
      first: '--db: expected a value after it',
      usage: 'thingstape sync',
    },
    'bad value': {
      argv: ['sync', '--db', 'file:x.db', '--timeout', '1e400'],
      first: '--timeout: expected seconds greater than 0 and at most 2147483, got "1e400"',
      usage: 'thingstape sync',
    },
  },
  record: {
    'unknown flag': {
      argv: ['record', 'rec', '--anonymise'],
      first: 'Unknown option --anonymise; did you mean --anonymize?',
      usage: 'thingstape record <fixture-dir>',
    },
    'typo in the command': {
      argv: ['recrod', 'rec'],
      first: 'Unknown command "recrod"; did you mean "record"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['record', '--resume'],
      first: 'Missing required argument: <fixture-dir>',
      usage: 'thingstape record <fixture-dir>',
    },
    'bad value': {
      argv: ['record', 'rec', '--base-url', 'ftp://example.org'],
      first: '--base-url: expected an http:// or https:// URL, got "ftp://example.org"',
      usage: 'thingstape record <fixture-dir>',
    },
  },
  list: {
    'unknown flag': {
      argv: ['list', 'today', '--limt', '3'],
      first: 'Unknown option --limt; did you mean --limit?',
      usage: 'thingstape list [view]',
    },
    'typo in the command': {
      argv: ['lsit', 'today'],
      first: 'Unknown command "lsit"; did you mean "list"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['list'],
      first: 'Name exactly one list: a view name, --project, --area, --tag or --search',
      usage: 'thingstape list [view]',
    },
    'bad value': {
      argv: ['list', 'todya'],
      first:
        'Invalid value "todya" for <view>: expected one of inbox, today, evening, upcoming, anytime, someday, logbook, trash; did you mean today?',
      usage: 'thingstape list [view]',
    },
  },
  changes: {
    'unknown flag': {
      argv: ['changes', '--lats', '3'],
      first: 'Unknown option --lats; did you mean --last?',
      usage: 'thingstape changes',
    },
    'typo in the command': {
      argv: ['chnages'],
      first: 'Unknown command "chnages"; did you mean "changes"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['changes', '--entity'],
      first: '--entity: expected a value after it',
      usage: 'thingstape changes',
    },
    'bad value': {
      argv: ['changes', '--last', '-1'],
      first: '--last: expected a whole number of at least 0, got "-1"',
      usage: 'thingstape changes',
    },
  },
  dump: {
    'unknown flag': {
      argv: ['dump', '--pretty'],
      first: 'Unknown option --pretty',
      usage: 'thingstape dump',
    },
    'typo in the command': {
      argv: ['dupm'],
      first: 'Unknown command "dupm"; did you mean "dump"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['dump', '--db'],
      first: '--db: expected a value after it',
      usage: 'thingstape dump',
    },
    'bad value': {
      argv: ['dump', '--db', 'x.db'],
      first:
        'Cannot open database "x.db": a path is not a database URL; did you mean --db file:x.db?',
      usage: 'thingstape dump',
    },
  },
  status: {
    'unknown flag': {
      argv: ['status', '--dbb', 'file:x.db'],
      first: 'Unknown option --dbb; did you mean --db?',
      usage: 'thingstape status',
    },
    'typo in the command': {
      argv: ['stauts'],
      first: 'Unknown command "stauts"; did you mean "status"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['status', '--auth-token'],
      first: '--auth-token: expected a value after it',
      usage: 'thingstape status',
    },
    'bad value': {
      argv: ['status', '--json=yes'],
      first: '--json is a switch: give it alone, or as --json=true or --json=false, not "yes"',
      usage: 'thingstape status',
    },
  },
  report: {
    'unknown flag': {
      argv: ['report', 'file:x.db', '--output', 'out', '--outptu', 'x'],
      first: 'Unknown option --outptu; did you mean --output?',
      usage: 'thingstape report [database]',
    },
    'typo in the command': {
      argv: ['reprot', 'file:x.db', '--output', 'out'],
      first: 'Unknown command "reprot"; did you mean "report"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['report', 'file:x.db'],
      first: 'Missing required argument: --output',
      usage: 'thingstape report [database]',
    },
    'bad value': {
      argv: ['report', 'file:x.db', '--output', 'out', '--today', '2025-02-30'],
      first: '--today: expected a date as YYYY-MM-DD, got "2025-02-30"',
      usage: 'thingstape report [database]',
    },
  },
  push: {
    'unknown flag': {
      argv: ['push', '--to', 'http://127.0.0.1:9', '--batches', '5'],
      first: 'Unknown option --batches; did you mean --batch?',
      usage: 'thingstape push',
    },
    'typo in the command': {
      argv: ['psuh', '--to', 'http://127.0.0.1:9'],
      first: 'Unknown command "psuh"; did you mean "push"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['push'],
      first: 'Missing required argument: --to',
      usage: 'thingstape push',
    },
    'bad value': {
      argv: ['push', '--to', 'http://127.0.0.1:9', '--batch', '0'],
      first: '--batch: expected a whole number of at least 1, got "0"',
      usage: 'thingstape push',
    },
  },
  gen: {
    'unknown flag': {
      argv: ['gen', 'out', '--items', '10', '--seed', '1', '--page-group', '5'],
      first: 'Unknown option --page-group; did you mean --page-groups?',
      usage: 'thingstape gen <dir>',
    },
    'typo in the command': {
      argv: ['gne', 'out', '--items', '10', '--seed', '1'],
      first: 'Unknown command "gne"; did you mean "gen"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['gen', 'out', '--items', '100'],
      first: 'Missing required argument: --seed',
      usage: 'thingstape gen <dir>',
    },
    'bad value': {
      argv: ['gen', 'out', '--items', 'ten', '--seed', '1'],
      first: '--items: expected a whole number of at least 1, got "ten"',
      usage: 'thingstape gen <dir>',
    },
  },
  'fixture verify': {
    'unknown flag': {
      argv: ['fixture', 'verify', FIXTURE, '--strict'],
      first: 'Unknown option --strict',
      usage: 'thingstape fixture verify <path>',
    },
    'typo in the command': {
      argv: ['fixture', 'verfy', FIXTURE],
      first: 'Unknown command "fixture verfy"; did you mean "fixture verify"?',
      usage: 'thingstape fixture',
    },
    'missing required argument': {
      argv: ['fixture', 'verify'],
      first: 'Missing required argument: <path>',
      usage: 'thingstape fixture verify <path>',
    },
    'bad value': {
      argv: ['fixture', 'verify', FIXTURE, '--json=yes'],
      first: '--json is a switch: give it alone, or as --json=true or --json=false, not "yes"',
      usage: 'thingstape fixture verify <path>',
    },
  },
  'fixture rehash': {
    'unknown flag': {
      argv: ['fixture', 'rehash', 'fx', '--force'],
      first: 'Unknown option --force',
      usage: 'thingstape fixture rehash <dir>',
    },
    'typo in the command': {
      argv: ['fixture', 'rehsh', 'fx'],
      first: 'Unknown command "fixture rehsh"; did you mean "fixture rehash"?',
      usage: 'thingstape fixture',
    },
    'missing required argument': {
      argv: ['fixture', 'rehash'],
      first: 'Missing required argument: <dir>',
      usage: 'thingstape fixture rehash <dir>',
    },
    'bad value': {
      argv: ['fixture', 'rehash', 'fx', '--verbose=loud'],
      first:
        '--verbose is a switch: give it alone, or as --verbose=true or --verbose=false, not "loud"',
      usage: 'thingstape fixture rehash <dir>',
    },
  },
  bench: {
    'unknown flag': {
      argv: ['bench', '--quik'],
      first: 'Unknown option --quik; did you mean --quick?',
      usage: 'thingstape bench',
    },
    'typo in the command': {
      argv: ['bnech', '--quick'],
      first: 'Unknown command "bnech"; did you mean "bench"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['bench', '--out'],
      first: '--out: expected a value after it',
      usage: 'thingstape bench',
    },
    'bad value': {
      argv: ['bench', '--targets', 'file,postgres', '--out', 'results.json'],
      first: '--targets: expected file and/or sqld, got "postgres"',
      usage: 'thingstape bench',
    },
  },
  run: {
    'unknown flag': {
      argv: ['run', 'examples', '--reportr', 'json'],
      first: 'Unknown option --reportr; did you mean --reporter?',
      usage: 'thingstape run [files..]',
    },
    'typo in the command': {
      argv: ['rnu', 'examples'],
      first: 'Unknown command "rnu"; did you mean "run"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['run', 'examples', '--output'],
      first: '--output: expected a value after it',
      usage: 'thingstape run [files..]',
    },
    'bad value': {
      argv: ['run', 'examples', '--reporter', 'xml', '--output', 'report.xml'],
      first: 'Invalid value "xml" for --reporter: expected one of pretty, json, junit, html',
      usage: 'thingstape run [files..]',
    },
  },
  serve: {
    'unknown flag': {
      argv: ['serve', FIXTURE, '--host', '0.0.0.0'],
      first: 'Unknown option --host',
      usage: 'thingstape serve <fixture>',
    },
    'typo in the command': {
      argv: ['serv', FIXTURE],
      first: 'Unknown command "serv"; did you mean "serve"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['serve', '--port', '0'],
      first: 'Missing required argument: <fixture>',
      usage: 'thingstape serve <fixture>',
    },
    'bad value': {
      argv: ['serve', FIXTURE, '--port', '70000'],
      first: '--port: expected a whole number from 0 to 65535, got "70000"',
      usage: 'thingstape serve <fixture>',
    },
  },
  'check-commit': {
    'unknown flag': {
      argv: ['check-commit', 'commit.json', '--stat', FIXTURE],
      first: 'Unknown option --stat; did you mean --state?',
      usage: 'thingstape check-commit [file]',
    },
    'typo in the command': {
      argv: ['check-comit', 'commit.json'],
      first: 'Unknown command "check-comit"; did you mean "check-commit"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['check-commit', '--strict'],
      first: 'Missing argument: <file> (or --rules to list the rules)',
      usage: 'thingstape check-commit [file]',
    },
    'bad value': {
      argv: ['check-commit', 'commit.json', '--error', 'NON_POSITIVE_IXX'],
      first:
        '--error: unknown rule "NON_POSITIVE_IXX"; "thingstape check-commit --rules" lists the 45 rules',
      usage: 'thingstape check-commit [file]',
    },
  },
  drift: {
    'unknown flag': {
      argv: ['drift', FIXTURE, '--infos'],
      first: 'Unknown option --infos; did you mean --info?',
      usage: 'thingstape drift [recording] [references..]',
    },
    'typo in the command': {
      argv: ['drfit', FIXTURE],
      first: 'Unknown command "drfit"; did you mean "drift"?',
      usage: 'thingstape <command> [options]',
    },
    'missing required argument': {
      argv: ['drift', '--info'],
      first: 'Name a recording (a fixture directory or a catalogue), or use --live',
      usage: 'thingstape drift [recording] [references..]',
    },
    'bad value': {
      argv: ['drift', FIXTURE, '--threshold', '1.5'],
      first: '--threshold: expected a number from 0 to 1, got "1.5"',
      usage: 'thingstape drift [recording] [references..]',
    },
  },
};

/** Every command the CLI has, by its full name (`fixture verify`). */
function commandPaths(): string[] {
  return commands.flatMap((entry) =>
    isCommandGroup(entry)
      ? entry.subcommands.map((sub) => `${entry.command} ${commandName(sub)}`)
      : [commandName(entry)],
  );
}

describe('strict parsing', () => {
  it('has a row for every command', () => {
    expect(Object.keys(TABLE).sort()).toEqual(commandPaths().sort());
  });

  const cases = Object.entries(TABLE).flatMap(([command, row]) =>
    Object.entries(row).map(([kind, mistake]) => [command, kind, mistake] as const),
  );

  it.each(cases)('%s, %s: exit 2, the mistake, the usage, nothing run', async (_c, _k, mistake) => {
    // THINGS_* set so that a command that ran would get past its credentials.
    const env = { THINGS_USERNAME: 'someone@example.org', THINGS_PASSWORD: 'x' };
    const run = await runCli(mistake.argv, { cwd, env });
    const [first, blank, usage] = run.stderr.split('\n');
    expect({ code: run.code, stdout: run.stdout, first, blank, usage }).toEqual({
      code: 2,
      stdout: '',
      first: `thingstape: ${mistake.first}`,
      blank: '',
      usage: mistake.usage,
    });
    // The usage names its options (a command's) or its commands (a group's, the top level's).
    expect(run.stderr).toMatch(/\n(Options|Commands):\n/);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('lists the commands when none is named', async () => {
    const run = await runCli([], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      `thingstape: Name a command: ${[...commands.map(commandName), 'help', 'completion'].join(', ')}`,
    );
  });

  it('names what a group can do when only the group is named', async () => {
    const run = await runCli(['fixture'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'thingstape: Name what "fixture" should do: fixture verify, fixture rehash',
    );
  });

  it('refuses a flag given twice where one value is expected', async () => {
    const run = await runCli(['changes', '--last', '1', '--last', '2'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('thingstape: --last: given 2 times; give it once');
  });

  it('refuses flags that exclude each other', async () => {
    const run = await runCli(['changes', '--limit', '1', '--last', '2'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'thingstape: --limit and --last exclude each other; give one of them',
    );
  });
});

describe('help, version and completion', () => {
  it('answers "help <command>" with the command’s help, examples included', async () => {
    for (const path of commandPaths()) {
      const run = await runCli(['help', ...path.split(' ')], { cwd });
      expect({ path, code: run.code, stderr: run.stderr }).toEqual({ path, code: 0, stderr: '' });
      expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^thingstape ${path}\\b`));
      // Two or three real examples.
      const examples = run.stdout.split('\nExamples:\n')[1] ?? '';
      const lines = examples.split('\n').filter((line) => line.startsWith(`  thingstape ${path}`));
      expect({ path, examples: lines.length >= 2 && lines.length <= 3 }).toEqual({
        path,
        examples: true,
      });
    }
  });

  it('answers "help" after global switches too', async () => {
    const run = await runCli(['--verbose', 'help', 'replay'], { cwd });
    expect(run.stdout.split('\n')[0]).toBe('thingstape replay <fixture>');
    const bare = await runCli(['--json', 'help'], { cwd });
    expect(bare.stdout.split('\n')[0]).toBe('thingstape <command> [options]');
  });

  it('gives every command two or three examples', () => {
    for (const entry of commands) {
      const list = isCommandGroup(entry) ? entry.subcommands : [entry];
      for (const command of list) {
        expect(command.examples.length).toBeGreaterThanOrEqual(2);
        expect(command.examples.length).toBeLessThanOrEqual(3);
      }
    }
  });

  it('answers "help anomalies" with every anomaly code', async () => {
    const run = await runCli(['help', 'anomalies'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('KIND_VERSION_CHANGE');
    expect(run.stdout).toContain('DANGLING_REFERENCE');
  });

  it('answers "help" with an unknown word as a mistake', async () => {
    const run = await runCli(['help', 'replya'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(
      /^thingstape: Unknown command or topic "replya"; did you mean "help replay"\?/,
    );
  });

  it('prints the version of package.json', async () => {
    const { version } = (await import('../../../package.json', { with: { type: 'json' } }))
      .default as { version: string };
    expect(await runCli(['--version'], { cwd })).toEqual({
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
  });

  it('prints a completion script, and completes command names and options', async () => {
    const script = await runCli(['completion'], { cwd });
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('thingstape --get-yargs-completions');
    const names = await runCli(['--get-yargs-completions', 'thingstape', ''], { cwd });
    expect(names.stdout.split('\n')).toEqual(
      expect.arrayContaining(['replay', 'list', 'fixture', 'serve']),
    );
    const sub = await runCli(['--get-yargs-completions', 'thingstape', 'fixture', ''], { cwd });
    expect(sub.stdout.split('\n')).toEqual(expect.arrayContaining(['verify', 'rehash']));
    const options = await runCli(['--get-yargs-completions', 'thingstape', 'changes', '--'], {
      cwd,
    });
    expect(options.stdout.split('\n')).toEqual(expect.arrayContaining(['--last', '--since']));
  });
});
