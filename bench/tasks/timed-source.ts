/**
 * The benchmark fixture as the sync loop meets it in a task: pages read from disk by a timed
 * HistorySource (their read time is measured, to be subtracted), folded in the fixture's zone and
 * on its recording date.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDate } from '../../src/engine/index.ts';
import type { EngineContext } from '../../src/engine/types.ts';
import type { FixtureManifest } from '../../src/fixture/types.ts';
import { FixtureHistorySource } from '../../src/sync/index.ts';
import type { HistorySource, SourcePage } from '../../src/sync/index.ts';
import type { BenchFixture } from '../fixture.ts';

/**
 * A HistorySource that times the reads of another. The fixture source reads and checks a page
 * synchronously inside `page()`, so the time to the call's return is the read alone (awaiting the
 * promise would also time whatever ran while it waited, such as a `file:` commit).
 */
export class TimedSource implements HistorySource {
  readonly description: string;
  readonly #inner: HistorySource;
  /** Milliseconds spent in {@link page}, per call, in call order. */
  readonly reads: number[] = [];
  /** Per call: whether a commit was in flight meanwhile (see {@link overlapping}). */
  readonly overlapped: boolean[] = [];
  /** Called when a page is asked for (before it is read). */
  onPage: () => void = () => undefined;
  /** Whether work elsewhere (a commit on a server) overlaps a read made now. */
  overlapping: () => boolean = () => false;

  constructor(inner: HistorySource) {
    this.#inner = inner;
    this.description = inner.description;
  }

  head(): Promise<{ head: number; schema: number | null }> {
    return this.#inner.head();
  }

  page(startIndex: number): Promise<SourcePage> {
    this.onPage();
    const overlapped = this.overlapping();
    const started = performance.now();
    const page = this.#inner.page(startIndex);
    this.reads.push(performance.now() - started);
    this.overlapped.push(overlapped);
    return page;
  }
}

/** The benchmark fixture in `dir` as a timed source, its pages read from disk in the call. */
export function timedFixtureSource(dir: string, manifest: FixtureManifest): TimedSource {
  return new TimedSource(
    new FixtureHistorySource(manifest, {
      name: dir,
      readPage: (page) => new Uint8Array(readFileSync(join(dir, page.file))),
    }),
  );
}

/** The engine context the fixture was generated for: its time zone and recording date. */
export function contextOf(fixture: BenchFixture): EngineContext {
  return {
    timeZone: fixture.timeZone,
    referenceDate: localDate(Date.parse(fixture.recordedAt) / 1000, fixture.timeZone),
  };
}
