/**
 * A task in a Node process of its own (bench/child.ts), so its peak RSS is its own: the task as a
 * JSON file, its result the last line of the child's standard output.
 */
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildResult, ChildTask } from './child.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Runs `task` in a child process started with the Node `flags`; fails with its stderr. */
export async function runChild(
  task: ChildTask,
  workDir: string,
  flags: readonly string[],
): Promise<ChildResult> {
  const file = join(workDir, `task-${process.pid}-${Date.now()}.json`);
  await writeFile(file, JSON.stringify(task));
  try {
    return await new Promise<ChildResult>((done, fail) => {
      const child = spawn(process.execPath, [...flags, CHILD, file], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.once('error', fail);
      child.once('exit', (code, signal) => {
        const line = out.trim().split('\n').at(-1) ?? '';
        if (code === 0 && line.startsWith('{')) {
          done(JSON.parse(line) as ChildResult);
          return;
        }
        fail(
          new Error(
            `Benchmark child ${task.task} failed (${signal ?? `exit ${code}`}):\n${err.trim()}`,
          ),
        );
      });
    });
  } finally {
    await rm(file, { force: true });
  }
}
