/** A manual clock for the client's injected `now`/`sleep`: sleeping advances time instantly. */
export class FakeClock {
  #now: number;
  /** Every sleep requested, in milliseconds, in order. */
  readonly sleeps: number[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  /** Current time in milliseconds. */
  readonly now = (): number => this.#now;

  /** Records the sleep and advances the clock; resolves on the next microtask. */
  readonly sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.#now += Math.max(0, ms);
    return Promise.resolve();
  };

  /** Moves the clock forward without a sleep (time spent elsewhere). */
  advance(ms: number): void {
    this.#now += ms;
  }
}
