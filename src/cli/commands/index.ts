import type { Command } from '../command.ts';
import { benchCommand } from './bench.ts';
import { fixtureCommand } from './fixture.ts';
import { genCommand } from './gen.ts';
import { changesCommand, dumpCommand, listCommand, statusCommand } from './read.ts';
import { pushCommand } from './push.ts';
import { recordCommand } from './record.ts';
import { replayCommand } from './replay.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';
import { syncCommand } from './sync.ts';

/** Every command of the CLI, in `--help` order. Each lives in its own file. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command keeps its own argument type
export const commands: readonly Command<any>[] = [
  replayCommand,
  syncCommand,
  recordCommand,
  listCommand,
  changesCommand,
  dumpCommand,
  statusCommand,
  pushCommand,
  genCommand,
  fixtureCommand,
  benchCommand,
  runCommand,
  serveCommand,
];
