import type { Anomaly, Change } from '../engine/index.ts';
import { anomalyJson, anomalyLine, changeJson, changeLine, jsonLine, table } from './format.ts';

/** How a stream of changes prints (`replay`, `sync`, `changes`). */
export interface ChangeStreamOptions {
  /** NDJSON lines instead of aligned text. */
  readonly json: boolean;
  /** `--summary`: counts per change type instead of every change. */
  readonly summaryOnly: boolean;
  /** `--anomalies`: also print each anomaly. */
  readonly anomalies: boolean;
}

/**
 * Prints changes and anomalies as they come and counts them, for the summary that ends the
 * stream: in JSON, one object of `type: "summary"` (docs/json.md); as text, the counts per change
 * type (with `--summary`).
 */
export class ChangeStream {
  readonly #write: (text: string) => void;
  readonly #options: ChangeStreamOptions;
  readonly #byType = new Map<string, number>();
  readonly #byCode = new Map<string, number>();
  #changes = 0;
  #anomalies = 0;

  constructor(write: (text: string) => void, options: ChangeStreamOptions) {
    this.#write = write;
    this.#options = options;
  }

  /** Counts (and unless `--summary`, prints) one change. */
  change(change: Change): void {
    this.#changes += 1;
    this.#byType.set(change.type, (this.#byType.get(change.type) ?? 0) + 1);
    if (this.#options.summaryOnly) return;
    this.#write(this.#options.json ? jsonLine(changeJson(change)) : `${changeLine(change)}\n`);
  }

  /** Counts (and with `--anomalies`, prints) one anomaly. */
  anomaly(anomaly: Anomaly): void {
    this.#anomalies += 1;
    this.#byCode.set(anomaly.code, (this.#byCode.get(anomaly.code) ?? 0) + 1);
    if (!this.#options.anomalies) return;
    this.#write(this.#options.json ? jsonLine(anomalyJson(anomaly)) : `${anomalyLine(anomaly)}\n`);
  }

  /** One committed page: its changes, then its anomalies. */
  page(outcome: {
    readonly changes: readonly Change[];
    readonly anomalies: readonly Anomaly[];
  }): void {
    for (const change of outcome.changes) this.change(change);
    for (const anomaly of outcome.anomalies) this.anomaly(anomaly);
  }

  get changes(): number {
    return this.#changes;
  }

  get anomalies(): number {
    return this.#anomalies;
  }

  /** `KIND_VERSION_CHANGE 409, TOMBSTONE_UNKNOWN_TARGET 1` (in the order first seen). */
  anomalyCounts(): string {
    return [...this.#byCode].map(([code, n]) => `${code} ${n}`).join(', ');
  }

  /**
   * The summary object that ends a JSON stream: `type`, the command's own `fields`, then the
   * counts (keys sorted, so equal runs print equal bytes).
   */
  summary(
    fields: Readonly<Record<string, unknown>>,
    { anomalies = true }: { readonly anomalies?: boolean } = {},
  ): Record<string, unknown> {
    return {
      type: 'summary',
      ...fields,
      changes: this.#changes,
      changesByType: sortedObject(this.#byType),
      ...(anomalies
        ? { anomalies: this.#anomalies, anomaliesByCode: sortedObject(this.#byCode) }
        : {}),
    };
  }

  /** The `--summary` table of a human run: change types, most frequent first. */
  typeTable(): string {
    const rows = [...this.#byType]
      .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1))
      .map(([type, n]) => [type, String(n)]);
    return rows.length === 0 ? '' : table(['change', 'count'], rows);
  }
}

function sortedObject(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
