#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=50
// The `thingstape` command. Plain JavaScript, so Node runs it from an installed package (it strips
// no types under node_modules). `#cli` is the built CLI (dist/) for users; in thingstape's own
// checkout, npm runs everything with the `thingstape-source` condition (.npmrc), and `#cli` is the
// TypeScript source (package.json → imports; docs/decisions/0017-built-package.md).
import { main } from '#cli';

// `thingstape changes | head`: the reader went away; stop quietly instead of a stack trace.
process.stdout.on('error', (/** @type {NodeJS.ErrnoException} */ error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
