/**
 * Each measurement once, on a fresh database (a `file:` in the work directory or a fresh local
 * sqld, removed or stopped afterwards): the child tasks of bench/tasks/ as the harness runs them,
 * and `thingstape replay` as a user runs it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startSqld } from '../tools/sqld.ts';
import { CLI_BIN, cliEnv, cliNodeFlags } from './cli.ts';
import type { BenchFixture } from './fixture.ts';
import { peakRssOf } from './process.ts';
import { runChild } from './spawn.ts';
import type { CeilingResult } from './tasks/ceiling.ts';
import type { ReplayResult } from './tasks/replay.ts';
import type { StoreSqlResult } from './tasks/store-sql.ts';
import type { ReplayVariant } from './tasks/variants.ts';
import type { BenchTarget } from './types.ts';

/** What `thingstape replay <fixture> --db file:… --summary` cost, run as a user runs it. */
export interface CliReplayResult {
  /** Items of the whole fixture (base and incremental pages). */
  readonly items: number;
  /** Wall time from spawn to exit: Node start-up, page reads and checks included. */
  readonly ms: number;
  /** Peak RSS (VmHWM, read every 20 ms until the process exits), MB. */
  readonly maxRssMb: number;
  readonly flags: readonly string[];
}

/**
 * Runs the CLI through its shebang on `fixture` into a fresh `file:` database or a fresh local
 * sqld, and samples its peak RSS from /proc while it runs (the high-water mark is monotonic, so
 * the last sample before the exit holds the peak of all but the last few milliseconds).
 */
export async function measureCli(
  target: BenchTarget,
  fixture: BenchFixture,
  workDir: string,
): Promise<CliReplayResult> {
  const path = join(workDir, `cli-${Date.now()}.db`);
  const server = target === 'sqld' ? await startSqld() : undefined;
  const url = server?.url ?? `file:${path}`;
  try {
    return await new Promise<CliReplayResult>((done, fail) => {
      const started = performance.now();
      const child = spawn(CLI_BIN, ['replay', fixture.dir, '--db', url, '--summary'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: cliEnv(),
      });
      let peak = 0;
      const timer = setInterval(() => {
        peak = Math.max(peak, peakRssOf(child.pid) ?? 0);
      }, 20);
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.once('error', (error) => {
        clearInterval(timer);
        fail(error);
      });
      child.once('exit', (code, signal) => {
        clearInterval(timer);
        if (code !== 0 || peak === 0) {
          fail(new Error(`thingstape replay failed (${signal ?? `exit ${code}`}):\n${err.trim()}`));
          return;
        }
        done({
          items: fixture.pages.reduce((sum, page) => sum + page.items, 0),
          ms: performance.now() - started,
          maxRssMb: peak,
          flags: cliNodeFlags(),
        });
      });
    });
  } finally {
    await server?.stop();
    await removeDb(path);
  }
}

/** The same-run ceiling of `target` (see NativeCeilingTask, HttpCeilingTask). */
export async function measureCeiling(
  target: BenchTarget,
  fixture: BenchFixture,
  workDir: string,
  flags: readonly string[],
  record: (result: CeilingResult) => void,
): Promise<CeilingResult> {
  if (target === 'file') {
    const path = join(workDir, `ceiling-${Date.now()}.db`);
    try {
      const result = (await runChild(
        { task: 'native-ceiling', fixture, path },
        workDir,
        flags,
      )) as CeilingResult;
      record(result);
      return result;
    } finally {
      await removeDb(path);
    }
  }
  const server = await startSqld();
  try {
    const result = (await runChild(
      { task: 'http-ceiling', fixture, url: server.url },
      workDir,
      flags,
    )) as CeilingResult;
    record(result);
    return result;
  } finally {
    await server.stop();
  }
}

/** One replay of `fixture` (see ReplayTask), and the peak RSS of its sqld (null for file:). */
export async function measureReplay(
  target: BenchTarget,
  fixture: BenchFixture,
  workDir: string,
  flags: readonly string[],
  extra: {
    readonly variant?: ReplayVariant;
    readonly explain?: boolean;
    readonly commitItems?: number;
  } = {},
): Promise<{ result: ReplayResult; serverRssMb: number | null }> {
  if (target === 'file') {
    const path = join(workDir, `replay-${Date.now()}.db`);
    try {
      const result = (await runChild(
        { task: 'replay', fixture, url: `file:${path}`, ...extra },
        workDir,
        flags,
      )) as ReplayResult;
      return { result, serverRssMb: null };
    } finally {
      await removeDb(path);
    }
  }
  const server = await startSqld();
  try {
    const result = (await runChild(
      { task: 'replay', fixture, url: server.url, ...extra },
      workDir,
      flags,
    )) as ReplayResult;
    return { result, serverRssMb: peakRssOf(server.pid) };
  } finally {
    await server.stop();
  }
}

/**
 * The replay's own SQL alone (see StoreSqlRecordTask): one child records a replay's requests,
 * then one child each reruns them as the replay ran them and in one transaction, each on a fresh
 * database, all in a directory of its own.
 */
export async function measureStoreSql(
  fixture: BenchFixture,
  workDir: string,
  flags: readonly string[],
  extra: { readonly commitItems?: number },
): Promise<{ perCommit: StoreSqlResult; oneTransaction: StoreSqlResult }> {
  const dir = join(workDir, `store-sql-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  try {
    await runChild({ task: 'store-sql-record', fixture, dir, ...extra }, workDir, flags);
    const rerun = async (oneTransaction: boolean): Promise<StoreSqlResult> =>
      (await runChild(
        {
          task: 'store-sql-rerun',
          fixture,
          dir,
          database: oneTransaction ? 'rerun-one-tx.db' : 'rerun.db',
          oneTransaction,
        },
        workDir,
        flags,
      )) as StoreSqlResult;
    return { perCommit: await rerun(false), oneTransaction: await rerun(true) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Removes a `file:` database and its companion files. */
async function removeDb(path: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) await rm(path + suffix, { force: true });
  }
}
