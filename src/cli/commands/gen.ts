import { resolve } from 'node:path';
import { FixtureWriter } from '../../fixture/node.ts';
import {
  GEN_DEFAULTS,
  GENERATED_SCHEMA,
  generatePages,
  generatedSource,
  resolveGenOptions,
  summarizeHistory,
} from '../../gen/index.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';

/** `thingstape gen <dir>`: writes a deterministic synthetic history as a fixture. */
export const genCommand = defineCommand<{
  dir: string;
  items: number;
  seed: string;
  'page-groups': number;
  'time-zone': string;
  start: string;
}>({
  command: 'gen <dir>',
  describe:
    'Generate a realistic synthetic Things Cloud history as a fixture (same arguments, same bytes)',
  builder: (yargs) =>
    yargs
      .positional('dir', {
        type: 'string',
        describe: 'Fixture directory to create (must not hold a fixture yet)',
        demandOption: true,
      })
      .option('items', {
        type: 'number',
        describe: 'Exact number of items (entity events) to generate',
        demandOption: true,
      })
      .option('seed', {
        type: 'string',
        describe: 'Seed of the random source (any text; numbers are recorded as numbers)',
        demandOption: true,
      })
      .option('page-groups', {
        type: 'number',
        default: GEN_DEFAULTS.pageGroups,
        describe: 'Groups per page',
      })
      .option('time-zone', {
        type: 'string',
        default: GEN_DEFAULTS.timeZone,
        describe: 'IANA time zone of the simulated user',
      })
      .option('start', {
        type: 'string',
        default: GEN_DEFAULTS.start,
        describe: 'First local day of the history (YYYY-MM-DD)',
      }),
  run: async (args, io) => {
    const seed = /^(0|[1-9]\d{0,14})$/.test(args.seed) ? Number(args.seed) : args.seed;
    const options = resolveGenOptions({
      items: args.items,
      seed,
      pageGroups: args['page-groups'],
      timeZone: args['time-zone'],
      start: args.start,
    });
    const dir = resolve(io.cwd, args.dir);
    const writer = await FixtureWriter.create(dir);
    const summary = summarizeHistory(options);
    const encoder = new TextEncoder();
    let pages = 0;
    for (const page of generatePages(options, summary)) {
      await writer.writePage(page.startIndex, encoder.encode(page.text), page.groups);
      pages++;
      if (io.isTty && !args.json && pages % 50 === 0) {
        io.stderr(`\rgen: ${page.startIndex + page.groups}/${summary.groups} groups`);
      }
    }
    if (io.isTty && !args.json && pages >= 50) io.stderr('\n');
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
    if (args.json) io.stdout(`${JSON.stringify(result)}\n`);
    else {
      io.stdout(
        `Generated ${args.dir}: ${summary.items} items in ${summary.groups} groups, ${pages} pages, ` +
          `${summary.totalContentSize} bytes of items, ending ${summary.recordedAt}\n`,
      );
    }
    return EXIT.ok;
  },
});
