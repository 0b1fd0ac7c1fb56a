/**
 * A command's builder is checked against its argument type at compile time (`npm run
 * typecheck` fails on the `@ts-expect-error` lines below if the check stops working), and yargs
 * hands `run` every option under its camel-case name too, which is how `run` reads `pageGroups`
 * from a builder that declares `page-groups`.
 */
import { describe, expect, it } from 'vitest';
import yargs, { type Argv } from 'yargs';
import { defineCommand, type GlobalOptions } from '../../../src/cli/command.ts';
import { wholeNumberOption } from '../../../src/cli/options.ts';

interface ExampleArgs {
  readonly dir: string;
  readonly pageGroups: number;
}

const example = defineCommand<ExampleArgs>({
  command: 'example <dir>',
  describe: 'An example',
  examples: [],
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true })
      .option('page-groups', { ...wholeNumberOption('--page-groups', 'Groups'), default: 500 }),
  run: (args) => Promise.resolve(args.pageGroups),
});

defineCommand<ExampleArgs>({
  command: 'missing <dir>',
  describe: 'Declares no --page-groups',
  examples: [],
  // @ts-expect-error -- `pageGroups` is not declared
  builder: (y) => y.positional('dir', { type: 'string', demandOption: true }),
  run: () => Promise.resolve(0),
});

defineCommand<ExampleArgs>({
  command: 'mistyped <dir>',
  describe: 'Declares --page-groups as text',
  examples: [],
  builder: (y) =>
    // @ts-expect-error -- `page-groups` is a string, `pageGroups` a number
    y
      .positional('dir', { type: 'string', demandOption: true })
      .option('page-groups', { type: 'string', default: '500' }),
  run: () => Promise.resolve(0),
});

defineCommand<ExampleArgs>({
  command: 'optional [dir]',
  describe: 'Declares <dir> optional',
  examples: [],
  builder: (y) =>
    // @ts-expect-error -- `dir` may be undefined, `ExampleArgs` needs it
    y
      .positional('dir', { type: 'string' })
      .option('page-groups', { ...wholeNumberOption('--page-groups', 'Groups'), default: 500 }),
  run: () => Promise.resolve(0),
});

describe('defineCommand()', () => {
  it('gives run the arguments its builder declares, under their camel-case names', async () => {
    let code: number | undefined;
    const parser = yargs([])
      .option('json', { type: 'boolean', default: false })
      .option('verbose', { type: 'boolean', default: false })
      .strict()
      .command(
        example.command,
        example.describe,
        (y) => example.builder(y as Argv<GlobalOptions>),
        async (args) => {
          const io = {} as Parameters<typeof example.run>[1];
          code = await example.run(args, io, {
            argv: [],
          });
        },
      );
    await parser.parseAsync(['example', '/tmp/x', '--page-groups', '7']);
    expect(code).toBe(7);
  });
});
