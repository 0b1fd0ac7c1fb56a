/**
 * Determinism of a scenario: its clock starts at an instant recorded in the cassette and moves
 * only when the scenario writes or asks it to; its ids come from a seed and a counter. Record and
 * replay therefore build the same requests byte for byte.
 */
import { localDate } from '../engine/index.ts';
import { sha256 } from '../fixture/sha256.ts';
import { newId } from '../protocol/index.ts';
import type { CivilDate, Instant } from '../protocol/index.ts';

/** A scenario's clock: whole seconds since the epoch, advanced by one second per write. */
export class ScenarioClock {
  /** The instant the scenario started (recorded in the cassette as `recordedAt`). */
  readonly start: Instant;
  /** IANA zone that decides the scenario's "today". */
  readonly timeZone: string;
  #now: Instant;

  constructor(start: Instant, timeZone: string) {
    if (!Number.isSafeInteger(start))
      throw new RangeError(`start must be whole seconds, got ${start}`);
    this.start = start;
    this.timeZone = timeZone;
    this.#now = start;
  }

  /** The current instant. */
  get now(): Instant {
    return this.#now;
  }

  /** The local date of {@link now} in the scenario's zone. */
  get today(): CivilDate {
    return localDate(this.#now, this.timeZone);
  }

  /** Advances by one second and returns the new instant (each write gets its own time). */
  tick(): Instant {
    this.#now += 1;
    return this.#now;
  }

  /** Moves the clock forward by `seconds` (e.g. `86_400` for "tomorrow"). */
  advance(seconds: number): void {
    if (!Number.isSafeInteger(seconds) || seconds < 0) {
      throw new RangeError(`seconds must be a non-negative whole number, got ${seconds}`);
    }
    this.#now += seconds;
  }
}

/** Canonical 22-character ids drawn from SHA-256 of a seed text and a counter. */
export class SeededIds {
  readonly #seed: string;
  #n = 0;

  constructor(seed: string) {
    this.#seed = seed;
  }

  /** The next id (spec 8.2 rule: 22 characters, canonical Base58). */
  next(): string {
    return newId(() => {
      this.#n += 1;
      return sha256(new TextEncoder().encode(`${this.#seed}\u0000${this.#n}`)).slice(0, 16);
    });
  }
}
