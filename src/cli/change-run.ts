/**
 * What the commands that store pages and print their changes (`replay`, `sync`) share: their
 * output options, the progress line, change stream and Ctrl-C watch they print through, the counts
 * of their closing line, and how they end (a summary object with `--json`, else the line).
 */
import type { Argv } from 'yargs';
import type { Store } from '../store/index.ts';
import type { DeclaredArgs, GlobalOptions } from './command.ts';
import { jsonLine } from './format.ts';
import { commandLine, watchInterrupt, type Interruption } from './interrupt.ts';
import { EXIT, styled, type CliIo } from './io.ts';
import { wholeNumberOption } from './options.ts';
import { progressLine, type ProgressLine } from './progress.ts';
import { ChangeStream } from './stream.ts';

/** The output options of a command that stores pages and prints their changes. */
export interface ChangeRunArgs {
  readonly maxPages: number | undefined;
  readonly anomalies: boolean;
  readonly summary: boolean;
}

/** Declares `--max-pages`, `--anomalies` and `--summary`, in that order. */
export function withChangeRunOptions<T extends GlobalOptions>(
  yargs: Argv<T>,
): Argv<T & DeclaredArgs<ChangeRunArgs>> {
  return yargs
    .option('max-pages', wholeNumberOption('--max-pages', 'Stop after this many pages', { min: 1 }))
    .option('anomalies', {
      type: 'boolean',
      default: false,
      describe: 'Also print each anomaly (with --json: lines of type "anomaly")',
    })
    .option('summary', {
      type: 'boolean',
      default: false,
      describe:
        'Print counts per change type instead of every change (with --json: only the summary object)',
    });
}

/** What a running command prints through: its progress line, its changes, its Ctrl-C watch. */
export interface ChangeRun {
  readonly progress: ProgressLine;
  readonly stream: ChangeStream;
  readonly interrupt: Interruption;
}

/** Starts the output of a command named `label`; `interrupt.dispose()` when it ends. */
export function startChangeRun(
  io: CliIo,
  args: GlobalOptions & ChangeRunArgs,
  label: string,
): ChangeRun {
  const progress = progressLine(io, label);
  const stream = new ChangeStream((text) => progress.stdout(text), {
    json: args.json,
    summaryOnly: args.summary,
    anomalies: args.anomalies,
  });
  const interrupt = watchInterrupt(io, () =>
    progress.stderr('Stopping after the page being stored (Ctrl-C again stops at once)…\n'),
  );
  return { progress, stream, interrupt };
}

/** What a finished run stored, as its closing line counts it. */
export interface RunCounts {
  readonly pages: number;
  readonly items: number;
  readonly changes: number;
  readonly anomalies: number;
  readonly cursor: number;
  readonly head: number;
  readonly complete: boolean;
}

/**
 * The `--json` summary fields every finished run has, in the JSON contract's order (docs/json.md):
 * the database, what the run stored, and `interrupted: false`.
 */
export function finishedRunFields(
  db: string,
  summary: Omit<RunCounts, 'changes' | 'anomalies'>,
): Readonly<Record<string, unknown>> {
  return {
    db,
    pages: summary.pages,
    items: summary.items,
    cursor: summary.cursor,
    head: summary.head,
    complete: summary.complete,
    interrupted: false,
  };
}

/** `3 page(s), 40 item(s), 52 change(s), 1 anomaly (CODE 1); cursor 120 of 300 (stopped by --max-pages)`. */
export function runCounts(summary: RunCounts, stream: ChangeStream): string {
  const anomalies = stream.anomalyCounts();
  return `${summary.pages} page(s), ${summary.items} item(s), ${summary.changes} change(s), ${summary.anomalies} anomal${summary.anomalies === 1 ? 'y' : 'ies'}${anomalies === '' ? '' : ` (${anomalies})`}; cursor ${summary.cursor} of ${summary.head}${summary.complete ? '' : ' (stopped by --max-pages)'}`;
}

/**
 * Ends a finished run: with `--json` the summary object of `fields` on standard output and `line`
 * (for people) on standard error; else the counts per type (`--summary`), `line`, and the hint
 * about anomalies when some were counted but not listed. Returns the exit code.
 */
export function finishChangeRun(
  io: CliIo,
  args: GlobalOptions & ChangeRunArgs,
  run: { readonly stream: ChangeStream; readonly anomalies: number },
  line: string,
  fields: Readonly<Record<string, unknown>>,
): number {
  if (args.json) {
    // Standard output carries only JSON; the line for people goes to standard error.
    io.stdout(jsonLine(run.stream.summary(fields)));
    io.stderr(line);
    return EXIT.ok;
  }
  if (args.summary) io.stdout(run.stream.typeTable());
  io.stdout(line);
  if (run.anomalies > 0 && !args.anomalies) io.stdout(anomalyHint(io));
  return EXIT.ok;
}

/** The line after a summary that counted anomalies: what they are and how to see them. */
export function anomalyHint(io: CliIo): string {
  return styled(
    io,
    'dim',
    'Anomalies are odd but legal data the engine handled without loss; list them with --anomalies, and see what each code means with "thingstape help anomalies".\n',
    'stdout',
  );
}

/**
 * Ends a run stopped by Ctrl-C: with `--json` the summary object (`fields`, then where the
 * database is), on standard error what is stored and the command that resumes; exit code 130.
 * `committedPages` is said when the command counts the pages it committed.
 */
export async function endInterrupted(
  io: CliIo,
  args: GlobalOptions,
  run: {
    readonly store: Store;
    readonly stream: ChangeStream;
    readonly argv: readonly string[];
    readonly committedPages?: number;
  },
  fields: Readonly<Record<string, unknown>>,
): Promise<number> {
  const state = await run.store.syncState().catch(() => null);
  if (args.json) {
    io.stdout(
      jsonLine(
        run.stream.summary({
          ...fields,
          cursor: state?.cursor ?? null,
          head: state?.head ?? null,
          complete: false,
          interrupted: true,
        }),
      ),
    );
  }
  const committed =
    run.committedPages === undefined ? '' : `${run.committedPages} page(s) committed by this run; `;
  const at =
    state === null
      ? ''
      : ` The database is at cursor ${state.cursor}${state.head === null ? '' : ` of ${state.head}`} (${committed}a page is stored whole or not at all).`;
  io.stderr(`Interrupted.${at} Resume with:\n  ${commandLine(run.argv)}\n`);
  return EXIT.interrupted;
}
