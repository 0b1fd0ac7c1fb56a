/**
 * Reports people would rather look at: one self-contained HTML page for a scenario run (the `html`
 * reporter of `thingstape run`) and for a database (`thingstape report`). Rendering is pure (data
 * in, one HTML string out); {@link writeReport} and {@link collectDatabaseReport} are the I/O.
 */
export { renderRunReport } from './run.ts';
export type { ShowPath } from './run.ts';
export { writeReport, REPORT_FILE } from './write.ts';
export { ReportError, REPORT_ERROR_CODES } from './errors.ts';
export type { ReportErrorCode } from './errors.ts';
export { changeSummary } from './summary.ts';
export {
  ENTITY_KINDS,
  buildDatabaseReport,
  compactPayload,
  renderDatabaseReport,
} from './database.ts';
export type { DatabaseReportData, DatabaseReportInput } from './database.ts';
export { collectDatabaseReport } from './collect.ts';
export type { CollectOptions } from './collect.ts';
