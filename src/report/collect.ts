/** Reading what a database report needs through the store's read API (the I/O of `thingstape report`). */
import type { Anomaly, Entity } from '../engine/index.ts';
import type { CivilDate } from '../protocol/index.ts';
import type { Store } from '../store/index.ts';
import type { DatabaseReportInput } from './database.ts';

/** What {@link collectDatabaseReport} needs besides the store. */
export interface CollectOptions {
  /** The zone days and times are shown in. */
  readonly timeZone: string;
  /** The dates the lists are drawn at (the first is shown first). */
  readonly dates: readonly CivilDate[];
  /** Why the first date, for people. */
  readonly dateWhy: string;
  /** What each anomaly code means. */
  readonly anomalyMeanings: Readonly<Record<string, string>>;
}

/**
 * Reads the status (tables, cursor, ledger), every entity (soft-deleted ones too), the change log
 * and the anomalies of `store`. Reads only; the store is left as it was.
 */
export async function collectDatabaseReport(
  store: Store,
  options: CollectOptions,
): Promise<DatabaseReportInput> {
  const status = await store.status();
  const entities: Entity[] = [];
  for await (const entity of store.entities({ includeDeleted: true })) entities.push(entity);
  const changes = await store.changes();
  const anomalies: Anomaly[] = [];
  for await (const anomaly of store.anomalies()) anomalies.push(anomaly);
  return {
    status,
    entities,
    changes,
    anomalies,
    timeZone: options.timeZone,
    dates: options.dates,
    dateWhy: options.dateWhy,
    anomalyMeanings: options.anomalyMeanings,
  };
}
