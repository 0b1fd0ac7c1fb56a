#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=50
import { main } from '../src/cli/main.ts';

// `thingstape changes | head`: the reader went away; stop quietly instead of a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
