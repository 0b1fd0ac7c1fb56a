import type { Command } from '../command.ts';
import { fixtureCommand } from './fixture.ts';
import { genCommand } from './gen.ts';
import { changesCommand, dumpCommand, listCommand, statusCommand } from './read.ts';
import { pushCommand } from './push.ts';
import { replayCommand } from './replay.ts';

/** Every command of the CLI, in `--help` order. Each lives in its own file. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command keeps its own argument type
export const commands: readonly Command<any>[] = [
  replayCommand,
  listCommand,
  changesCommand,
  dumpCommand,
  statusCommand,
  pushCommand,
  genCommand,
  fixtureCommand,
];
