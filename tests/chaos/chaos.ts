/**
 * Chaos trials (`make chaos`, `npm run chaos`; not part of the default suite): processes are
 * killed with SIGKILL at random moments, then the same command runs again, and the result must be
 * byte-identical to an uninterrupted run.
 *
 * - `replay`: a replay of a generated fixture (20,000 items, about 200 pages) killed mid-run; every
 *   third trial also checks that the interrupted database equals a clean replay stopped at the
 *   same cursor (a snapshot after the kill), then the replay resumes to the end.
 * - `max-pages`: a `replay --max-pages K` killed mid-run, run again, then replayed to the end.
 * - `push`: `push` to a local sqld killed mid-run (every other trial an incremental push on top
 *   of an earlier complete one), then pushed again; the remote dump must equal the local one.
 * - `sqld`: the sqld a replay writes to is killed (SIGKILL) mid-replay and restarted; the replay
 *   runs again and the remote dump must equal an uninterrupted replay's.
 *
 * Bounded: a fixed number of trials (`CHAOS_TRIALS=replay:36,max-pages:10,push:12,sqld:12`), and
 * every child process has a hang guard (`CHAOS_GUARD_MS`, default 300 s; a hang fails its
 * trial). `CHAOS_SEED` fixes the kill delays (printed at the start; the moment a delay lands on
 * still depends on the machine). Prints one line per trial and the pass counts; exits 1 when a
 * trial failed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Rng } from '../../src/gen/prng.ts';
import { hasSqld, startSqld, type SqldServer } from '../../tools/sqld.ts';
import { wipeSqld } from '../support/sqld.ts';

const CLI = fileURLToPath(new URL('../../bin/thingstape.js', import.meta.url));
const KINDS = ['replay', 'max-pages', 'push', 'sqld'] as const;
type Kind = (typeof KINDS)[number];
const DEFAULT_TRIALS: Record<Kind, number> = { replay: 36, 'max-pages': 10, push: 12, sqld: 12 };
const GUARD_MS = Number(process.env['CHAOS_GUARD_MS'] ?? 300_000);
/** Items of the generated history: five commits of the loop's default 4,000 items. */
const ITEMS = 20_000;

interface Ran {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the kill landed while the process ran (false: it had finished already). */
  readonly killed: boolean;
  readonly ms: number;
}

/** Runs the CLI; with `killAfterMs`, sends SIGKILL then (or `onKill` runs instead of a kill). */
function cli(
  args: readonly string[],
  options: { killAfterMs?: number; onKill?: () => Promise<void> } = {},
): Promise<Ran> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let killed = false;
  let exited = false;
  const killer =
    options.killAfterMs === undefined
      ? undefined
      : setTimeout(() => {
          if (exited) return;
          killed = true;
          if (options.onKill === undefined) child.kill('SIGKILL');
          else void options.onKill();
        }, options.killAfterMs);
  const guard = setTimeout(() => {
    stderr += `\n[chaos] hang guard: killed after ${GUARD_MS} ms`;
    child.kill('SIGKILL');
  }, GUARD_MS);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      exited = true;
      clearTimeout(killer);
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, killed, ms: Date.now() - started });
    });
  });
}

/** `thingstape <args>` that must succeed; its stdout. */
async function ok(args: readonly string[]): Promise<string> {
  const ran = await cli(args);
  if (ran.code !== 0) {
    throw new Error(`thingstape ${args.join(' ')} exited ${ran.code ?? ran.signal}: ${ran.stderr}`);
  }
  return ran.stdout;
}

function dump(db: string): Promise<string> {
  return ok(['dump', '--db', db]);
}

async function cursorOf(db: string): Promise<number> {
  // Killed before it created the file: nothing stored yet.
  if (db.startsWith('file:') && !existsSync(fileURLToPath(db))) return 0;
  const parsed = JSON.parse(await ok(['status', '--db', db, '--json'])) as {
    syncState: { cursor: number };
  };
  return parsed.syncState.cursor;
}

function trialCounts(): Record<Kind, number> {
  const counts = { ...DEFAULT_TRIALS };
  for (const part of (process.env['CHAOS_TRIALS'] ?? '').split(',')) {
    const [kind, n] = part.split(':');
    if (kind !== undefined && n !== undefined && (KINDS as readonly string[]).includes(kind)) {
      counts[kind as Kind] = Math.max(0, Number.parseInt(n, 10));
    }
  }
  return counts;
}

const seed = process.env['CHAOS_SEED'] ?? String(Date.now() % 1_000_000);
const rng = new Rng(`chaos:${seed}`);
const counts = trialCounts();
const results: Record<Kind, { passed: number; failed: number; mid: number }> = {
  replay: { passed: 0, failed: 0, mid: 0 },
  'max-pages': { passed: 0, failed: 0, mid: 0 },
  push: { passed: 0, failed: 0, mid: 0 },
  sqld: { passed: 0, failed: 0, mid: 0 },
};
const startedAt = Date.now();
const work = await mkdtemp(join(tmpdir(), 'thingstape-chaos-'));
let sqld: SqldServer | undefined;
let n = 0;
const nextDb = (): string => pathToFileURL(join(work, `db-${(n += 1)}.sqlite`)).href;

// Interrupted (Ctrl-C): stop the sqld this run started and remove its files before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (async () => {
      await sqld?.stop();
      await rm(work, { recursive: true, force: true });
      process.exit(130);
    })();
  });
}

console.log(
  `[chaos] seed=${seed} trials ${KINDS.map((k) => `${k}:${counts[k]}`).join(',')} (replay with CHAOS_SEED=${seed})`,
);

async function trial(kind: Kind, index: number, body: () => Promise<string>): Promise<void> {
  try {
    const detail = await body();
    results[kind].passed += 1;
    console.log(`[chaos] ${kind} #${index}: pass (${detail})`);
  } catch (error) {
    results[kind].failed += 1;
    console.log(
      `[chaos] ${kind} #${index}: FAIL: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

try {
  // The history: generated, many small pages, so kills land between commits and inside them.
  const fixture = join(work, 'chaos-history');
  await ok(['gen', fixture, '--items', String(ITEMS), '--seed', 'chaos', '--page-groups', '75']);
  const manifest = JSON.parse(await readFile(join(fixture, 'manifest.json'), 'utf8')) as {
    pages: { startIndex: number; groups: number }[];
  };
  const starts = manifest.pages.map((page) => page.startIndex);
  const end = manifest.pages.reduce((sum, page) => sum + page.groups, 0);
  const reference = nextDb();
  const full = await cli(['replay', fixture, '--db', reference]);
  if (full.code !== 0) throw new Error(`the reference replay failed: ${full.stderr}`);
  const expected = await dump(reference);
  const fullMs = full.ms;
  // Until the first page is read the process only starts up: kills land after that.
  const startMs = (await cli(['replay', fixture, '--db', nextDb(), '--max-pages', '1'])).ms;
  const delay = (ms: number): number =>
    rng.int(Math.round(startMs * 0.9), Math.max(startMs + 50, Math.round(ms * 0.97)));
  console.log(
    `[chaos] reference: ${ITEMS} items in ${manifest.pages.length} pages replayed in ${fullMs} ms (startup and one page ${startMs} ms); kills land in [${Math.round(startMs * 0.9)}, ${Math.round(fullMs * 0.97)}] ms`,
  );

  for (let i = 1; i <= counts.replay; i += 1) {
    await trial('replay', i, async () => {
      const db = nextDb();
      const killed = await cli(['replay', fixture, '--db', db], { killAfterMs: delay(fullMs) });
      if (killed.killed) results.replay.mid += 1;
      const cursor = await cursorOf(db);
      let snapshot = '';
      // The kill leaves the database at a page boundary (a commit is stored whole or not at all).
      const pages = cursor === end ? starts.length : starts.indexOf(cursor);
      if (pages < 0) throw new Error(`the cursor ${cursor} is not a page boundary`);
      if (i % 3 === 0 && pages > 0) {
        // A snapshot after the kill: the same state as a clean replay stopped at that cursor.
        const clean = nextDb();
        await ok(['replay', fixture, '--db', clean, '--max-pages', String(pages)]);
        if ((await dump(clean)) !== (await dump(db))) {
          throw new Error(`the state at cursor ${cursor} differs from a clean replay to it`);
        }
        snapshot = ', snapshot equal';
      }
      await ok(['replay', fixture, '--db', db]);
      if ((await dump(db)) !== expected) throw new Error('the resumed dump differs');
      return `${killed.killed ? `killed at ${killed.ms} ms, cursor ${cursor}` : 'finished before the kill'}${snapshot}`;
    });
  }

  for (let i = 1; i <= counts['max-pages']; i += 1) {
    await trial('max-pages', i, async () => {
      const db = nextDb();
      const pages = rng.int(20, manifest.pages.length - 10);
      const args = ['replay', fixture, '--db', db, '--max-pages', String(pages)];
      const killed = await cli(args, { killAfterMs: delay((fullMs * pages) / starts.length) });
      if (killed.killed) results['max-pages'].mid += 1;
      const cursor = await cursorOf(db);
      await ok(args);
      const after = await cursorOf(db);
      await ok(['replay', fixture, '--db', db]);
      if ((await dump(db)) !== expected) throw new Error('the resumed dump differs');
      return `--max-pages ${pages}, ${killed.killed ? `killed at ${killed.ms} ms, cursor ${cursor}` : 'finished before the kill'}, then cursor ${after}`;
    });
  }

  if (!hasSqld()) {
    console.log('[chaos] sqld is not installed: push and sqld trials skipped');
    counts.push = 0;
    counts.sqld = 0;
  } else if (counts.push + counts.sqld > 0) {
    sqld = await startSqld();
  }
  const server = sqld;

  if (server !== undefined && counts.push > 0) {
    // How long a whole push takes here, for the kill delays.
    const timing = await cli(['push', '--db', reference, '--to', server.url]);
    if (timing.code !== 0) throw new Error(`the timing push failed: ${timing.stderr}`);
    const pushMs = timing.ms;
    const half = nextDb();
    await ok(['replay', fixture, '--db', half, '--max-pages', String(starts.length >> 1)]);
    for (let i = 1; i <= counts.push; i += 1) {
      await trial('push', i, async () => {
        await wipeSqld(server.url);
        const local = nextDb();
        const incremental = i % 2 === 0;
        // A fresh copy of the reference (or of half of it, pushed whole first, then the rest).
        await copyFile(fileURLToPath(incremental ? half : reference), fileURLToPath(local));
        if (incremental) {
          await ok(['push', '--db', local, '--to', server.url]);
          await ok(['replay', fixture, '--db', local]);
        }
        const killed = await cli(['push', '--db', local, '--to', server.url], {
          killAfterMs: delay(incremental ? pushMs / 2 : pushMs),
        });
        if (killed.killed) results.push.mid += 1;
        let runs = 0;
        for (;;) {
          runs += 1;
          const again = await cli(['push', '--db', local, '--to', server.url]);
          if (again.code === 0) break;
          if (runs >= 5) throw new Error(`push did not complete in 5 runs: ${again.stderr}`);
        }
        if ((await dump(server.url)) !== (await dump(local))) {
          throw new Error('the remote dump differs from the local one');
        }
        return `${incremental ? 'incremental, ' : ''}${killed.killed ? `killed at ${killed.ms} ms` : 'finished before the kill'}, ${runs} more push(es)`;
      });
    }
  }

  if (server !== undefined && counts.sqld > 0) {
    await wipeSqld(server.url);
    const timing = await cli(['replay', fixture, '--db', server.url]);
    if (timing.code !== 0) throw new Error(`the timing replay into sqld failed: ${timing.stderr}`);
    const remoteMs = timing.ms;
    for (let i = 1; i <= counts.sqld; i += 1) {
      await trial('sqld', i, async () => {
        await wipeSqld(server.url);
        const killed = await cli(['replay', fixture, '--db', server.url], {
          killAfterMs: delay(remoteMs),
          onKill: () => server.kill('SIGKILL'),
        });
        // Mid-run only when the replay then failed (sqld may die after its last write).
        if (killed.killed && killed.code !== 0) results.sqld.mid += 1;
        if (server.pid === undefined) await server.restart();
        const cursor = await cursorOf(server.url);
        await ok(['replay', fixture, '--db', server.url]);
        if ((await dump(server.url)) !== expected) {
          throw new Error('the dump after the restart differs from an uninterrupted replay');
        }
        return killed.killed
          ? `sqld killed at ${killed.ms} ms, replay exited ${killed.code}, cursor ${cursor}`
          : 'finished before the kill';
      });
    }
  }
} finally {
  await sqld?.stop();
  await rm(work, { recursive: true, force: true });
}

const seconds = Math.round((Date.now() - startedAt) / 1000);
const killTrials = results.replay.passed + results['max-pages'].passed + results.push.passed;
console.log(
  `[chaos] ${KINDS.map((k) => `${k} ${results[k].passed}/${counts[k]} passed (${results[k].mid} killed mid-run)`).join('; ')}`,
);
console.log(
  `[chaos] kill trials passed: ${killTrials}; sqld-kill trials passed: ${results.sqld.passed}; seed=${seed}; ${seconds} s`,
);
process.exit(KINDS.some((k) => results[k].failed > 0) ? 1 : 0);
