/**
 * The property campaign: every property of tests/property at its whole budget (`FC_RUNS_SCALE=1`,
 * about 10,000 generated histories), as its own CI step after the default suite, which runs a
 * quarter of it (docs/decisions/0023-run-budgets-not-time-limits.md).
 *
 * `npm run test:campaign` (or `node tests/property/campaign.ts [vitest arguments]`). Passes the
 * vitest output through, then prints one line: properties, histories and the elapsed time (for
 * people; time decides nothing). Fails when vitest fails or fewer than {@link MIN_HISTORIES}
 * histories ran (a property skipped or its budget shrunk). `FC_RUNS_SCALE` or `FC_NUM_RUNS` set
 * by the caller win, and then the minimum is not enforced.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The campaign's promise: at least this many generated histories per CI run. */
export const MIN_HISTORIES = 10_000;

const RUN_LINE = /\[property\] (.+?): seed=(-?\d+) runs=(\d+)/;

const custom =
  (process.env['FC_RUNS_SCALE'] ?? '') !== '' || (process.env['FC_NUM_RUNS'] ?? '') !== '';
const env = { ...process.env, ...(custom ? {} : { FC_RUNS_SCALE: '1' }) };
const started = Date.now();
const child = spawn(
  process.execPath,
  [
    fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url)),
    'run',
    'tests/property',
    '--reporter=verbose',
    ...process.argv.slice(2),
  ],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);

const properties = new Map<string, number>();
let pending = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk: string) => {
  process.stdout.write(chunk);
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const match = RUN_LINE.exec(line);
    if (match !== null) properties.set(match[1] ?? '', Number(match[3]));
  }
});

const code = await new Promise<number>((resolve) => {
  child.on('close', (exit, signal) => resolve(exit ?? (signal === null ? 1 : 128)));
});
const histories = [...properties.values()].reduce((sum, runs) => sum + runs, 0);
const seconds = Math.round((Date.now() - started) / 1000);
console.log(
  `property campaign: ${properties.size} properties, ${histories} generated histories, ${seconds} s${custom ? ' (budget set by the caller)' : ''}`,
);
if (code !== 0) {
  console.error(
    `property campaign: vitest failed (exit ${code}); each failure above prints its seed`,
  );
  process.exit(code);
}
if (!custom && histories < MIN_HISTORIES) {
  console.error(
    `property campaign: only ${histories} histories ran, fewer than ${MIN_HISTORIES}; a property was skipped or its budget shrunk`,
  );
  process.exit(1);
}
