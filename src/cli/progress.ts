import type { CliIo } from './io.ts';

/** A one-line progress display on standard error, only when it is a terminal. */
export interface ProgressLine {
  update(done: number, total: number, detail?: string): void;
  done(): void;
}

/** Creates a progress line; on a non-terminal it does nothing (logs stay clean). */
export function progressLine(io: CliIo, label: string): ProgressLine {
  if (!io.isTty) return { update: () => undefined, done: () => undefined };
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, total, detail = '') {
      const now = performance.now();
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      const width = 30;
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(ratio * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      io.stderr(
        `\r${label} ${bar} ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total} ${detail}\u001b[K`,
      );
      drawn = true;
    },
    done() {
      if (drawn) io.stderr('\n');
    },
  };
}
