/**
 * The trace of a scenario (kept when the run is traced, for html reports): for its body and each
 * step, the changes its syncs produced, every list before and after it, and where it diverged
 * from its cassette or its assertions.
 */
import { LIST_VIEWS, type Change, type ListViewName } from '../engine/index.ts';
import type { CivilDate } from '../protocol/index.ts';
import type { Reads } from '../store/index.ts';
import type { ScenarioClock } from './clock.ts';
import { shownUrl, type Tape, type TapeMiss, type TapeRequest } from './tape.ts';
import type { Divergence, ScenarioResult, StepTrace, TraceLists, TraceRequest } from './types.ts';

/** What a traced step gathers while it runs. */
interface TraceFrame {
  readonly todayBefore: CivilDate;
  readonly listsBefore: TraceLists | null;
  readonly changes: Change[];
  readonly divergences: Divergence[];
}

/** The frames of a traced scenario: its body's, then one per running step, innermost last. */
export class ScenarioTrace {
  readonly #enabled: boolean;
  readonly #clock: ScenarioClock;
  readonly #tape: Tape;
  readonly #reads: () => Reads;
  readonly #frames: TraceFrame[] = [];
  #missesSeen = 0;

  /** `reads` answers the lists from the scenario's database (`store.reads`). */
  constructor(enabled: boolean, clock: ScenarioClock, tape: Tape, reads: () => Reads) {
    this.#enabled = enabled;
    this.#clock = clock;
    this.#tape = tape;
    this.#reads = reads;
  }

  /** Opens the scenario body's frame (lists at the start), when the run is traced. */
  async begin(): Promise<void> {
    if (!this.#enabled) return;
    this.#frames.push(await this.#open());
  }

  /** Closes the body's frame: its changes, the lists at the end, divergences not in a step. */
  async end(): Promise<ScenarioResult['trace']> {
    const frame = this.#frames.pop();
    if (frame === undefined) return undefined;
    return { ...(await this.#close(frame)), timeZone: this.#clock.timeZone };
  }

  /** Opens a step's frame when the scenario is traced; true when it did. */
  async stepStarted(): Promise<boolean> {
    if (this.#frames.length === 0) return false;
    this.#frames.push(await this.#open());
    return true;
  }

  /** Closes the innermost step's frame. */
  async stepEnded(): Promise<StepTrace | undefined> {
    const frame = this.#frames.pop();
    return frame === undefined ? undefined : this.#close(frame);
  }

  /** Where a sync starting now notes its changes: the frame innermost when it started. */
  changesSink(): (changes: readonly Change[]) => void {
    const frame = this.#frames.at(-1);
    return (changes) => void frame?.changes.push(...changes);
  }

  /** Notes a divergence in the innermost frame. */
  diverged(divergence: Divergence): void {
    this.#frames.at(-1)?.divergences.push(divergence);
  }

  async #open(): Promise<TraceFrame> {
    return {
      todayBefore: this.#clock.today,
      listsBefore: await this.#lists(),
      changes: [],
      divergences: [],
    };
  }

  async #close(frame: TraceFrame): Promise<StepTrace> {
    // Requests without a recording made since the last frame closed happened in this one.
    const misses = this.#tape.misses.slice(this.#missesSeen);
    this.#missesSeen = this.#tape.misses.length;
    return {
      todayBefore: frame.todayBefore,
      todayAfter: this.#clock.today,
      changes: frame.changes,
      listsBefore: frame.listsBefore,
      listsAfter: await this.#lists(),
      divergences: [...misses.map(requestDivergence), ...frame.divergences],
    };
  }

  /** Every list now, as traces keep them; `null` when the store cannot be read. */
  async #lists(): Promise<TraceLists | null> {
    try {
      const reads = this.#reads();
      const today = this.#clock.today;
      const lists = {} as Record<ListViewName, TraceLists[ListViewName]>;
      for (const name of Object.keys(LIST_VIEWS) as ListViewName[]) {
        const { rows } = await reads.list(name, { today });
        lists[name] = rows.map((row) => ({
          id: row.id,
          title: row.title,
          type: row.type,
          status: row.status,
        }));
      }
      return lists;
    } catch {
      return null;
    }
  }
}

/** A request as traces show it. */
function traceRequest(request: TapeRequest): TraceRequest {
  const body = request.body ?? request.text;
  return {
    method: request.method,
    url: shownUrl(request.url),
    ...(body === undefined ? {} : { body }),
  };
}

/** A miss of the tape as a divergence. */
function requestDivergence(miss: TapeMiss): Divergence {
  return {
    kind: 'request',
    actual: traceRequest(miss.request),
    nearest:
      miss.nearest === null
        ? null
        : {
            number: miss.nearest.index + 1,
            of: miss.nearest.of,
            used: miss.nearest.used,
            request: traceRequest(miss.nearest.request),
          },
    diffs: miss.diffs,
    message: miss.message,
  };
}
