/**
 * One measurement in its own process, so its peak RSS is its own: `node bench/child.ts <task.json>`.
 * Prints one JSON line (a {@link ChildResult}) on standard output. Each task is a file of
 * bench/tasks/ (the reads' task is bench/reads-child.ts). Every figure times only the database
 * side: page reads from disk (the HistorySource) are timed separately and subtracted (on a remote
 * URL, except reads made while a commit was in flight on the server).
 */
import { readFile } from 'node:fs/promises';
import { runReads, type ReadsResult, type ReadsTask } from './reads-child.ts';
import {
  httpCeiling,
  nativeCeiling,
  type CeilingResult,
  type HttpCeilingTask,
  type NativeCeilingTask,
} from './tasks/ceiling.ts';
import { replay, type ReplayResult, type ReplayTask } from './tasks/replay.ts';
import {
  storeSqlRecord,
  storeSqlRerun,
  type StoreSqlRecordResult,
  type StoreSqlRecordTask,
  type StoreSqlRerunTask,
  type StoreSqlResult,
} from './tasks/store-sql.ts';

/** Any task. */
export type ChildTask =
  | ReplayTask
  | NativeCeilingTask
  | HttpCeilingTask
  | StoreSqlRecordTask
  | StoreSqlRerunTask
  | ReadsTask;

/** Any result. */
export type ChildResult =
  ReplayResult | CeilingResult | StoreSqlRecordResult | StoreSqlResult | ReadsResult;

/** Runs one task. */
export async function runChildTask(task: ChildTask): Promise<ChildResult> {
  switch (task.task) {
    case 'replay':
      return replay(task);
    case 'native-ceiling':
      return nativeCeiling(task);
    case 'http-ceiling':
      return httpCeiling(task);
    case 'store-sql-record':
      return storeSqlRecord(task);
    case 'store-sql-rerun':
      return storeSqlRerun(task);
    case 'reads':
      return runReads(task);
    default:
      throw new TypeError(`unknown benchmark task ${JSON.stringify(task satisfies never)}`);
  }
}

if (import.meta.main) {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: node bench/child.ts <task.json>');
  const task = JSON.parse(await readFile(file, 'utf8')) as ChildTask;
  const result = await runChildTask(task);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
