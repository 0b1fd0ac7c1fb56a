import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ThingstapeError } from '../../errors.ts';
import { MANIFEST_FILE } from '../../fixture/manifest.ts';
import { FixtureWriter, makeDirectory } from '../../fixture/node.ts';
import {
  GEN_DEFAULTS,
  GENERATED_SCHEMA,
  generatePages,
  generatedSource,
  resolveGenOptions,
  summarizeHistory,
} from '../../gen/index.ts';
import { defineCommand } from '../command.ts';
import { jsonLine } from '../format.ts';
import { EXIT } from '../io.ts';
import { stringOption, timeZoneOption, wholeNumberOption } from '../options.ts';
import { progressLine } from '../progress.ts';
import { UsageError } from '../usage-error.ts';

interface GenArgs {
  readonly dir: string;
  readonly items: number;
  readonly seed: string;
  readonly pageGroups: number;
  readonly timeZone: string;
  readonly start: string;
}

/** `thingstape gen <dir>`: writes a deterministic synthetic history as a fixture. */
export const genCommand = defineCommand<GenArgs>({
  command: 'gen <dir>',
  describe:
    'Generate a realistic synthetic Things Cloud history as a fixture (same arguments, same bytes)',
  examples: [
    ['gen /tmp/big --items 100000 --seed 7', 'a 100,000-item history in /tmp/big'],
    [
      'gen /tmp/tokyo --items 5000 --seed demo --time-zone Asia/Tokyo --start 2024-01-01',
      'another zone and first day',
    ],
  ],
  builder: (yargs) =>
    yargs
      .positional('dir', {
        type: 'string',
        describe: 'Fixture directory to create (must not hold a fixture yet)',
        demandOption: true,
      })
      .option('items', {
        ...wholeNumberOption('--items', 'Exact number of items (entity events) to generate', {
          min: 1,
        }),
        demandOption: true,
      })
      .option('seed', {
        ...stringOption(
          '--seed',
          'Seed of the random source (any text; numbers are recorded as numbers)',
        ),
        demandOption: true,
      })
      .option('page-groups', {
        ...wholeNumberOption('--page-groups', 'Groups per page', { min: 1 }),
        default: GEN_DEFAULTS.pageGroups,
      })
      .option(
        'time-zone',
        timeZoneOption(
          '--time-zone',
          'IANA time zone of the simulated user',
          GEN_DEFAULTS.timeZone,
        ),
      )
      .option('start', {
        ...stringOption('--start', 'First local day of the history (YYYY-MM-DD)'),
        default: GEN_DEFAULTS.start,
      })
      // The generator's own checks (a start day it can simulate, …) are usage errors too.
      .check((args) => {
        genOptionsOf(args as unknown as GenArgs);
        return true;
      }),
  run: async (args, io) => {
    const options = genOptionsOf(args);
    const dir = resolve(io.cwd, args.dir);
    await prepareDirectory(dir, args.dir);
    const writer = await FixtureWriter.create(dir);
    const summary = summarizeHistory(options);
    const encoder = new TextEncoder();
    const progress = progressLine(args.json ? { ...io, isTty: false } : io, 'gen');
    let pages = 0;
    for (const page of generatePages(options, summary)) {
      await writer.writePage(page.startIndex, encoder.encode(page.text), page.groups);
      pages++;
      progress.update(page.startIndex + page.groups, summary.groups);
    }
    progress.done();
    // Set last: the writer rewrites the manifest after every page once metadata is set, which
    // would make a million-item run quadratic; nothing reads the fixture before `finish`.
    writer.setMeta({
      recordedAt: summary.recordedAt,
      timeZone: options.timeZone,
      source: generatedSource(options),
      schema: GENERATED_SCHEMA,
    });
    await writer.finish();
    const result = {
      dir: args.dir,
      items: summary.items,
      groups: summary.groups,
      pages,
      totalContentSize: summary.totalContentSize,
      recordedAt: summary.recordedAt,
    };
    if (args.json) io.stdout(jsonLine(result));
    else {
      io.stdout(
        `Generated ${args.dir}: ${summary.items} items in ${summary.groups} groups, ${pages} pages, ` +
          `${summary.totalContentSize} bytes of items, ending ${summary.recordedAt}\n`,
      );
    }
    return EXIT.ok;
  },
});

function genOptionsOf(args: GenArgs): ReturnType<typeof resolveGenOptions> {
  const seed = /^(0|[1-9]\d{0,14})$/.test(args.seed) ? Number(args.seed) : args.seed;
  try {
    return resolveGenOptions({
      items: args.items,
      seed,
      pageGroups: args.pageGroups,
      timeZone: args.timeZone,
      start: args.start,
    });
  } catch (error) {
    if (error instanceof ThingstapeError && error.code === 'INVALID_OPTION') {
      throw new UsageError(error.message.replace(/^Cannot generate a history: /, ''));
    }
    throw error;
  }
}

/**
 * Checks the target before writing anything: a file, or a directory that already holds a
 * fixture, is refused; a missing directory is created (with its parents).
 */
async function prepareDirectory(dir: string, given: string): Promise<void> {
  const fail = (why: string, cause?: unknown): never => {
    throw new ThingstapeError('GEN_TARGET', `Cannot generate a fixture in ${given}: ${why}`, {
      cause,
    });
  };
  const existing = await stat(dir).catch(() => null);
  if (existing !== null && !existing.isDirectory()) {
    fail('it is a file, not a directory; name a new directory');
  }
  if (existing !== null && existsSync(join(dir, MANIFEST_FILE))) {
    fail('it already holds a fixture; choose a new directory, or delete this one first');
  }
  try {
    await makeDirectory(dir);
  } catch (error) {
    const { code, path = dir } = error as NodeJS.ErrnoException;
    fail(
      `cannot create directory ${path}${code === undefined ? '' : ` (${code})`}; choose a directory you can write to`,
      error,
    );
  }
}
