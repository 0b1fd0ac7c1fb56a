import type { AnyCommand, CommandGroup } from '../command.ts';
import { benchCommand } from './bench.ts';
import { checkCommitCommand } from './check-commit.ts';
import { driftCommand } from './drift.ts';
import { fixtureCommand } from './fixture.ts';
import { genCommand } from './gen.ts';
import { changesCommand, dumpCommand, listCommand, statusCommand } from './read.ts';
import { pushCommand } from './push.ts';
import { recordCommand } from './record.ts';
import { replayCommand } from './replay.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';
import { syncCommand } from './sync.ts';

/** Every command of the CLI, in `--help` order. Each lives in its own file. */
export const commands: readonly (AnyCommand | CommandGroup)[] = [
  replayCommand,
  syncCommand,
  recordCommand,
  listCommand,
  changesCommand,
  dumpCommand,
  statusCommand,
  reportCommand,
  pushCommand,
  genCommand,
  fixtureCommand,
  benchCommand,
  runCommand,
  serveCommand,
  checkCommitCommand,
  driftCommand,
];
