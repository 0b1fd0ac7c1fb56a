/**
 * A command's cost seen from outside, as a user meets it: wall time from spawn to exit and peak
 * resident set size. The peak comes from the kernel's accounting of the finished child
 * (`ru_maxrss`, read by GNU time) when /usr/bin/time is installed, else from sampling
 * `/proc/<pid>/status` (VmHWM) every 20 ms, which can miss the last milliseconds.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** GNU time; its `-f %M` prints the child's peak RSS in KB. */
const GNU_TIME = '/usr/bin/time';

/** Peak RSS (VmHWM) of a running process, MB, or null when /proc does not say. */
export function peakRssOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? null : Math.round((Number(kb) / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

/**
 * The peak RSS, MB, in what `time -f %M -o <file>` wrote: its last line (GNU time writes
 * "Command exited with non-zero status N" before it when the command failed).
 */
export function parseGnuTimeRss(text: string): number {
  const last = text.trim().split('\n').at(-1)?.trim() ?? '';
  if (!/^\d+$/.test(last))
    throw new Error(`unexpected output of ${GNU_TIME}: ${JSON.stringify(text)}`);
  return Math.round((Number(last) / 1024) * 10) / 10;
}

/** What running a command cost. */
export interface ProcessCost {
  /** Wall time from spawn to exit, ms. */
  readonly ms: number;
  /** Peak RSS, MB. */
  readonly maxRssMb: number;
  /** Where the peak came from. */
  readonly rssFrom: 'rusage' | 'proc-sampling';
  readonly stdout: string;
}

/**
 * Runs `file args` to its end and measures it; fails with its standard error when it exits
 * non-zero.
 */
export async function measureProcess(
  file: string,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string } = {},
): Promise<ProcessCost> {
  const rusage = existsSync(GNU_TIME);
  const dir = rusage ? await mkdtemp(join(tmpdir(), 'thingstape-bench-time-')) : null;
  const out = dir === null ? '' : join(dir, 'time.txt');
  const [command, argv] =
    dir === null ? [file, [...args]] : [GNU_TIME, ['-f', '%M', '-o', out, file, ...args]];
  try {
    const { ms, sampled, stdout } = await new Promise<{
      ms: number;
      sampled: number;
      stdout: string;
    }>((done, fail) => {
      const started = performance.now();
      const child = spawn(command, argv, {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      });
      let peak = 0;
      const timer = rusage
        ? undefined
        : setInterval(() => {
            peak = Math.max(peak, peakRssOf(child.pid) ?? 0);
          }, 20);
      let stdoutText = '';
      let stderrText = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdoutText += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderrText += chunk));
      child.once('error', (error) => {
        clearInterval(timer);
        fail(error);
      });
      child.once('exit', (code, signal) => {
        const elapsed = performance.now() - started;
        clearInterval(timer);
        if (code !== 0) {
          fail(
            new Error(
              `${[file, ...args].join(' ')} failed (${signal ?? `exit ${code}`}):\n${stderrText.trim()}`,
            ),
          );
          return;
        }
        done({ ms: elapsed, sampled: peak, stdout: stdoutText });
      });
    });
    if (dir === null) {
      if (sampled === 0) throw new Error(`no RSS sample of ${file}: it ended within 20 ms`);
      return { ms, maxRssMb: sampled, rssFrom: 'proc-sampling', stdout };
    }
    return {
      ms,
      maxRssMb: parseGnuTimeRss(await readFile(out, 'utf8')),
      rssFrom: 'rusage',
      stdout,
    };
  } finally {
    if (dir !== null) await rm(dir, { recursive: true, force: true });
  }
}
