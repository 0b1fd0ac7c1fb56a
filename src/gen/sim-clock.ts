/**
 * The generator's simulated clock: seconds between the edits of a work session, minutes to hours
 * between sessions, nights skipped (the user works from 7:00 to 23:00 local time) and, rarely,
 * days away. It keeps the instant as whole seconds plus 1e-7 ticks, so the `md`/`cd`/`sp` numbers
 * it writes carry the seven decimals Things Cloud sends and never a binary rounding artefact.
 */
import type { ZoneCalendar } from './calendar.ts';
import { RawNumber } from './json.ts';
import type { Rng } from './prng.ts';

/** Seconds since the epoch of local midnight `days`, as the wire writes day fields (`sr`, `dd`, …). */
export function daySeconds(days: number | null): number | null {
  return days === null ? null : days * 86400;
}

/** The simulated time of a history; it only moves forward. */
export class SimulatedClock {
  readonly #rng: Rng;
  readonly #calendar: ZoneCalendar;
  #sec: number;
  #frac: number;
  #today: number;
  #nowText: RawNumber = new RawNumber('0.1');

  /** Starts between 7:00 and 8:30 local time on `startDay` (days since 1970-01-01). */
  constructor(rng: Rng, calendar: ZoneCalendar, startDay: number) {
    this.#rng = rng;
    this.#calendar = calendar;
    this.#sec = calendar.instantOf(startDay, 7 * 3600 + rng.int(0, 5400));
    this.#frac = rng.int(1, 9_999_999);
    this.#today = startDay;
  }

  /** Simulated time (seconds since the epoch). */
  get seconds(): number {
    return this.#sec + this.#frac / 1e7;
  }

  /** The local day of the simulated time, as days since 1970-01-01. */
  get today(): number {
    return this.#today;
  }

  /** The simulated time as the wire writes it (`md`, `sp`, …). */
  now(): RawNumber {
    return this.#nowText;
  }

  /** Local midnight of today, in seconds since the epoch. */
  midnight(): number {
    return this.#calendar.instantOf(this.#today, 0);
  }

  /** Moves the clock to the next group: seconds within a session, longer between sessions. */
  nextGroup(): void {
    const rng = this.#rng;
    const r = rng.float();
    if (r < 0.001) this.#advance(86400 * (1 + rng.float() * 3));
    else if (r < 0.08) this.#advance(300 + rng.exponential(2400));
    else this.#advance(1 + rng.exponential(30));
    let local = this.#calendar.localTime(this.#sec);
    if (local.secondOfDay >= 23 * 3600 || local.secondOfDay < 7 * 3600) {
      const day = local.secondOfDay >= 23 * 3600 ? local.days + 1 : local.days;
      const morning = this.#calendar.instantOf(day, 7 * 3600 + rng.int(0, 9000));
      if (morning > this.#sec) {
        this.#sec = morning;
        this.#advance(rng.float());
      }
      local = this.#calendar.localTime(this.#sec);
    }
    this.#today = local.days;
  }

  /** A few seconds later (between the groups of one step). */
  later(): void {
    this.#advance(2 + this.#rng.exponential(8));
  }

  #advance(seconds: number): void {
    const ticks = Math.floor(seconds * 1e7) + this.#rng.int(1, 99_999);
    this.#sec += Math.floor(ticks / 1e7);
    this.#frac += ticks % 1e7;
    if (this.#frac >= 1e7) {
      this.#frac -= 1e7;
      this.#sec += 1;
    }
    if (this.#frac === 0) this.#frac = 1;
    this.#nowText = new RawNumber(
      `${this.#sec}.${String(this.#frac).padStart(7, '0').replace(/0+$/, '')}`,
    );
  }
}
