/** Writing a report: `<dir>/index.html`, whole or not at all. */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { makeDirectory, writeAtomically } from '../fixture/node.ts';
import { ReportError } from './errors.ts';

/** The file a report directory holds. */
export const REPORT_FILE = 'index.html';

/**
 * Writes `html` to `<dir>/index.html` (creating `dir` and its parents) through a temporary file
 * and a rename, so a reader never sees half a report and an interrupted write leaves the previous
 * one. Returns the file's path and size in bytes.
 */
export async function writeReport(
  dir: string,
  html: string,
): Promise<{ readonly file: string; readonly bytes: number }> {
  const target = resolve(dir);
  const info = await stat(target).catch(() => null);
  if (info !== null && !info.isDirectory()) {
    throw new ReportError(
      'INVALID_OUTPUT',
      `Cannot write the report to ${target}: it is a file, and --output names a directory (the report is its ${REPORT_FILE})`,
    );
  }
  await makeDirectory(target);
  const file = join(target, REPORT_FILE);
  const bytes = Buffer.from(html, 'utf8');
  await writeAtomically(file, bytes);
  return { file, bytes: bytes.length };
}
