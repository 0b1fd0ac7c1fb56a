import { truncate } from './format.ts';
import { styled, type CliIo } from './io.ts';

/**
 * A one-line progress display on standard error, only when it is a terminal, and the way to print
 * while it shows: {@link ProgressLine.stdout} and {@link ProgressLine.stderr} clear the line
 * first, so a printed line never shares a screen line with it; the next update draws it again
 * below. (Terminals write standard output and standard error in the order they are written.)
 */
export interface ProgressLine {
  /** `done` of `total` (server indexes), and `items` handled so far, for the rate. */
  update(done: number, total: number, items?: number): void;
  /** Writes to standard output without mixing with the progress line. */
  stdout(text: string): void;
  /** Writes to standard error without mixing with the progress line. */
  stderr(text: string): void;
  /** Clears the progress line for good (call once the work is over). */
  done(): void;
}

/** Settings of {@link progressLine}. */
export interface ProgressOptions {
  /** Milliseconds since some fixed point (default `performance.now`); tests pass their own. */
  readonly now?: () => number;
  /** At most one redraw per this many milliseconds (default 100). */
  readonly redrawMs?: number;
}

const CLEAR_LINE = '\r\u001b[K';

/** Creates a progress line; on a non-terminal it only passes writes through (logs stay clean). */
export function progressLine(
  io: CliIo,
  label: string,
  options: ProgressOptions = {},
): ProgressLine {
  if (!io.isTty) {
    return {
      update: () => undefined,
      stdout: (text) => io.stdout(text),
      stderr: (text) => io.stderr(text),
      done: () => undefined,
    };
  }
  const now = options.now ?? (() => performance.now());
  const redrawMs = options.redrawMs ?? 100;
  let drawn = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let start: { at: number; done: number; items: number } | null = null;
  const clear = (): void => {
    if (drawn) io.stderr(CLEAR_LINE);
    drawn = false;
  };
  return {
    update(done, total, items) {
      const at = now();
      start ??= { at, done, items: items ?? done };
      // Redraw at once after a printed line cleared it; otherwise at most every redrawMs.
      if (drawn && at - lastDraw < redrawMs && done < total) return;
      lastDraw = at;
      const text = progressText({
        label,
        done,
        total,
        elapsedMs: at - start.at,
        doneSinceStart: done - start.done,
        itemsSinceStart: items === undefined ? null : items - start.items,
        columns: io.columns ?? 80,
        bar: (bar) => styled(io, 'cyan', bar),
      });
      io.stderr(`${CLEAR_LINE}${text}`);
      drawn = true;
    },
    stdout(text) {
      // Only when both streams share the terminal; standard output to a file or pipe never meets it.
      if (io.stdoutIsTty === true) clear();
      io.stdout(text);
    },
    stderr(text) {
      clear();
      io.stderr(text);
    },
    done() {
      clear();
    },
  };
}

/** What one progress line shows. */
export interface ProgressState {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  /** Progress (in `done` units) since the first update, for the time left. */
  readonly doneSinceStart: number;
  /** Items since the first update, for the rate; null to show the rate in `done` units. */
  readonly itemsSinceStart: number | null;
  /** Width of the terminal: the line stays shorter, so it never wraps (a wrapped line cannot be cleared). */
  readonly columns: number;
  /** Styles the bar. */
  readonly bar?: (bar: string) => string;
}

/** `replay ██████░░░░  42% 1570/3745 · 12,345 items/s · 0:03 left` */
export function progressText(state: ProgressState): string {
  const width = 20;
  const ratio = state.total > 0 ? Math.min(1, Math.max(0, state.done / state.total)) : 1;
  const filled = Math.round(ratio * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const parts = [
    `${state.label} ${bar} ${String(Math.floor(ratio * 100)).padStart(3)}% ${state.done}/${state.total}`,
  ];
  const seconds = state.elapsedMs / 1000;
  if (seconds >= 1) {
    const units = state.itemsSinceStart ?? state.doneSinceStart;
    parts.push(
      `${Math.round(units / seconds).toLocaleString('en-US')} ${state.itemsSinceStart === null ? 'groups' : 'items'}/s`,
    );
    if (state.doneSinceStart > 0 && state.done < state.total) {
      const left = ((state.total - state.done) * seconds) / state.doneSinceStart;
      parts.push(`${clock(left)} left`);
    }
  }
  const line = parts.join(' · ');
  // Leave the last column free: writing into it makes some terminals wrap.
  const room = Math.max(10, state.columns - 1);
  if (line.length > room) return truncate(line, room);
  return state.bar === undefined ? line : line.replace(bar, state.bar(bar));
}

/** `0:07`, `12:30`, `1:02:03` */
function clock(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
