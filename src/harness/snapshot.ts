/**
 * Snapshots: `t.assertSnapshot(value)` compares a value with the one stored in
 * `__snapshots__/<script>.snap` next to the script (a JSON object keyed by scenario name and
 * counter, keys sorted). Values are normalised first so a re-recording does not churn them: ids
 * the scenario created become `<id 1>`, `<id 2>`, …; instants from the scenario clock become
 * `<t0+N>` (seconds after its start); dates become `<today>`, `<today+N>`, `<today-N>`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { civilDateToDayStamp, isCivilDate } from '../protocol/index.ts';
import type { CivilDate } from '../protocol/index.ts';
import { HarnessError } from './errors.ts';

/** Where the snapshots of `script` live. */
export function snapshotPath(script: string): string {
  return join(
    dirname(script),
    '__snapshots__',
    `${basename(script).replace(/\.[cm]?[jt]s$/, '')}.snap`,
  );
}

/** What normalisation replaces. */
export interface NormalizeContext {
  /** Ids in creation order (`<id 1>` is the first). */
  readonly ids: readonly string[];
  /** The scenario clock's start (seconds). */
  readonly clockStart: number;
  /** The clock's latest instant: instants in [clockStart, clockEnd] are replaced. */
  readonly clockEnd: number;
  readonly today: CivilDate;
}

/**
 * `value` as JSON (keys sorted) with ids, clock instants and dates made relative; with a `null`
 * context only the keys are sorted.
 */
export function normalizeSnapshot(value: unknown, context: NormalizeContext | null): unknown {
  const alias = new Map((context?.ids ?? []).map((id, i) => [id, `<id ${i + 1}>`]));
  const todayStamp = context === null ? 0 : civilDateToDayStamp(context.today);
  const text = (s: string): string => {
    if (context === null) return s;
    const id = alias.get(s);
    if (id !== undefined) return id;
    if (isCivilDate(s)) {
      const days = Math.round((civilDateToDayStamp(s) - todayStamp) / 86_400);
      return days === 0 ? '<today>' : `<today${days > 0 ? '+' : ''}${days}>`;
    }
    return s;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (typeof v === 'number') {
      if (context === null) return v;
      return Number.isInteger(v) &&
        v >= context.clockStart &&
        v <= context.clockEnd &&
        context.clockStart > 0
        ? `<t0+${v - context.clockStart}>`
        : v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      const entries: [string, unknown][] = [];
      for (const key of Object.keys(v)
        .map((k) => [text(k), k] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const item = (v as Record<string, unknown>)[key[1]];
        if (item !== undefined) entries.push([key[0], walk(item)]);
      }
      // fromEntries defines own properties: a key `__proto__` stays a key (an assignment would
      // set the prototype and drop it from the snapshot).
      return Object.fromEntries(entries);
    }
    if (v === undefined) return null;
    return v;
  };
  return walk(JSON.parse(JSON.stringify(value ?? null)) as unknown);
}

/** One `.snap` file, loaded once, written at the end of the run when something changed. */
export class SnapshotFile {
  readonly path: string;
  #entries: Record<string, unknown> | undefined;
  #dirty = false;
  /** Keys written in this run: added or updated. */
  readonly added: string[] = [];
  readonly updated: string[] = [];

  constructor(path: string) {
    this.path = path;
  }

  /** The stored value of `key`, or `undefined`. */
  async get(key: string): Promise<unknown> {
    return (await this.#load())[key];
  }

  /** Stores `value` under `key` (written by {@link save}). */
  async set(key: string, value: unknown, how: 'added' | 'updated'): Promise<void> {
    (await this.#load())[key] = value;
    this.#dirty = true;
    (how === 'added' ? this.added : this.updated).push(key);
  }

  /** Writes the file if anything changed (keys sorted, 2-space JSON, trailing newline). */
  async save(): Promise<boolean> {
    if (!this.#dirty || this.#entries === undefined) return false;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(this.#entries).sort()) sorted[key] = this.#entries[key];
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(this.path, `${JSON.stringify(sorted, null, 2)}\n`);
    this.#dirty = false;
    return true;
  }

  async #load(): Promise<Record<string, unknown>> {
    if (this.#entries !== undefined) return this.#entries;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      this.#entries = {};
      return this.#entries;
    }
    try {
      const json = JSON.parse(text) as unknown;
      if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw new Error('not a JSON object');
      this.#entries = json as Record<string, unknown>;
    } catch (error) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `Cannot read the snapshots in ${this.path}: ${String(error)}`,
      );
    }
    return this.#entries;
  }
}

/** The snapshot files of a run, one per script. */
export class SnapshotRegistry {
  readonly #files = new Map<string, SnapshotFile>();

  /** The file of `script`. */
  fileFor(script: string): SnapshotFile {
    const path = snapshotPath(script);
    let file = this.#files.get(path);
    if (file === undefined) {
      file = new SnapshotFile(path);
      this.#files.set(path, file);
    }
    return file;
  }

  /** Writes every changed file; returns what was added and updated. */
  async saveAll(): Promise<{
    readonly added: number;
    readonly updated: number;
    readonly files: string[];
  }> {
    let added = 0;
    let updated = 0;
    const files: string[] = [];
    for (const file of this.#files.values()) {
      if (await file.save()) files.push(file.path);
      added += file.added.length;
      updated += file.updated.length;
    }
    return { added, updated, files };
  }
}
