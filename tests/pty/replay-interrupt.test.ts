/**
 * `thingstape replay` of a 200,000-item generated fixture on a real pseudo-terminal (tmux), as a
 * user runs it in an interactive shell:
 *
 * - the screen never shows a change line glued to the progress line (checked on snapshots taken
 *   while it runs and on the whole scrollback at the end);
 * - Ctrl-C stops it with exit code 130 and prints the command that resumes;
 * - running that command, copied from the screen, finishes the replay, and the final dump equals
 *   an uninterrupted replay's.
 *
 * Long (about two minutes on a loaded 2-core machine): it runs only with THINGSTAPE_LONG_TESTS=1
 * (`npm run test:pty`). Nothing here measures time: it waits for what the screen shows, with
 * generous deadlines.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, NODE_BIN, spawnCli } from '../support/cli.ts';

const LONG = process.env['THINGSTAPE_LONG_TESTS'] === '1';
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
if (LONG && !HAS_TMUX) {
  console.warn('tests/pty: skipped: tmux is not installed (Debian: apt-get install tmux)');
}
const run = promisify(execFile);

const ITEMS = 200_000;
const COLUMNS = 160;
/** How long to wait for something to appear on the screen before giving up. */
const DEADLINE_MS = 600_000;

/** A progress line as `progressText()` draws it (colour codes are not captured). */
const PROGRESS =
  /^replay [█░]{20} +\d{1,3}% \d+\/\d+( · [\d,]+ items\/s)?( · (\d+:)?\d+:\d\d left)?(…)?$/;
/** A change line (anywhere in a line): server index, change type, entity type. */
const CHANGE = /\d+ {2}[A-Z][A-Za-z]+ +(Task|Project|Heading|Area|Tag|ChecklistItem|Tombstone) /;

let dir = '';
let socket = '';

/** Runs a tmux command on the test's own server. */
async function tmux(...args: string[]): Promise<string> {
  const { stdout } = await run('tmux', ['-S', socket, ...args], { maxBuffer: 512 * 1024 * 1024 });
  return stdout;
}

/** The visible screen, wrapped lines joined. */
async function screen(): Promise<string[]> {
  return (await tmux('capture-pane', '-p', '-J', '-t', 't')).split('\n');
}

/** Everything the pane showed since it started (scrollback and screen), wrapped lines joined. */
async function history(): Promise<string[]> {
  return (await tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', 't')).split('\n');
}

/**
 * Lines that mix the progress line with anything else: a bar that does not start the line, or a
 * progress line with a change line in it. (A snapshot may catch a progress line half drawn, so
 * the check does not need it complete.)
 */
function glued(lines: readonly string[]): string[] {
  return lines.filter(
    (line) => /[█░]/.test(line) && (!line.startsWith('replay ') || CHANGE.test(line)),
  );
}

/**
 * Polls the screen until `until` finds what it waits for; every snapshot is checked for glued
 * lines on the way. Returns the screen that satisfied `until`.
 */
async function waitFor(
  what: string,
  until: (lines: readonly string[]) => boolean,
  seen: string[][],
): Promise<string[]> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const lines = await screen();
    seen.push(glued(lines));
    if (until(lines)) return lines;
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}; the screen shows:\n${lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SHA-256 of `thingstape dump --db url` (the dump of 200k items is too big to hold twice). */
async function dumpHash(url: string): Promise<{ hash: string; bytes: number }> {
  const child = spawn(NODE_BIN, [CLI_BIN, 'dump', '--db', url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const hash = createHash('sha256');
  let bytes = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`dump of ${url} exited ${code}`);
  return { hash: hash.digest('hex'), bytes };
}

describe.skipIf(!LONG || !HAS_TMUX)('replay of 200,000 items on a terminal (tmux)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'thingstape-pty-'));
    socket = join(dir, 'tmux.sock');
    const gen = await spawnCli(['gen', join(dir, 'fx'), '--items', String(ITEMS), '--seed', 'pty']);
    if (gen.code !== 0) throw new Error(gen.stderr);
    // `thingstape` on PATH, as after `npm install thingstape`, so the printed command runs as is.
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await symlink(CLI_BIN, join(bin, 'thingstape'));
    await writeFile(join(dir, 'tmux.conf'), 'set -g history-limit 1000000\nset -g status off\n');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${bin}:${dirname(NODE_BIN)}:${process.env['PATH'] ?? ''}`,
      TERM: 'xterm-256color',
      PS1: '$ ',
    };
    delete env['NO_COLOR'];
    delete env['THINGSTAPE_DB'];
    await run(
      'tmux',
      [
        '-S',
        socket,
        '-f',
        join(dir, 'tmux.conf'),
        'new-session',
        '-d',
        '-s',
        't',
        '-x',
        String(COLUMNS),
        '-y',
        '40',
        'bash --norc --noprofile',
      ],
      { env, cwd: dir },
    );
  }, DEADLINE_MS);

  afterAll(async () => {
    if (socket !== '') await tmux('kill-server').catch(() => undefined);
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it(
    'never glues a change line to the progress line; Ctrl-C prints the resume command; resuming ends as one run',
    async () => {
      const db = pathToFileURL(join(dir, 'pty.db')).href;
      const seen: string[][] = [];
      await tmux(
        'send-keys',
        '-t',
        't',
        `thingstape replay fx --db ${db}; echo "EXIT=$?"`,
        'Enter',
      );

      // Let it get well under way: progress drawn, changes printed above it.
      await waitFor(
        'the progress line past 20%',
        (lines) =>
          lines.some(
            (line) => PROGRESS.test(line.trimEnd()) && Number(/(\d+)%/.exec(line)?.[1]) >= 20,
          ),
        seen,
      );
      await tmux('send-keys', '-t', 't', 'C-c');
      await waitFor(
        'the exit code',
        (lines) => lines.some((l) => /^EXIT=\d+$/.test(l.trim())),
        seen,
      );

      const first = await history();
      const exit = first.find((line) => /^EXIT=\d+$/.test(line.trim()));
      expect(exit?.trim()).toBe('EXIT=130');
      const at = first.findIndex((line) =>
        line.startsWith('Interrupted. The database is at cursor'),
      );
      expect(at).toBeGreaterThan(0);
      expect(first[at]).toMatch(
        /^Interrupted\. The database is at cursor \d+ of \d+ \(\d+ page\(s\) committed by this run; a page is stored whole or not at all\)\. Resume with:$/,
      );
      const resume = first[at + 1]?.trim() ?? '';
      expect(resume).toBe(`thingstape replay fx --db ${db}`);
      expect(
        first.filter((line) => line.startsWith('Stopping after the page being stored')),
      ).toHaveLength(1);
      // Change lines were printed, and none of the screen's lines mixed them with the progress line.
      expect(first.filter((line) => CHANGE.test(line)).length).toBeGreaterThan(1000);
      expect(glued(first)).toEqual([]);

      // Run the printed command, as a user copies it.
      await tmux('send-keys', '-t', 't', `${resume}; echo "EXIT=$?"`, 'Enter');
      await waitFor(
        'the resumed run to end',
        (lines) => lines.some((l) => /^EXIT=(?!130$)\d+$/.test(l.trim())),
        seen,
      );
      const all = await history();
      const exits = all.filter((line) => /^EXIT=\d+$/.test(line.trim())).map((line) => line.trim());
      expect(exits).toEqual(['EXIT=130', 'EXIT=0']);
      expect(all.find((line) => line.startsWith('Replayed fixture "fx"'))).toMatch(
        /cursor (\d+) of \1\. /,
      );
      expect(glued(all)).toEqual([]);
      expect(seen.flat()).toEqual([]);

      // The same database as one uninterrupted replay.
      const whole = pathToFileURL(join(dir, 'whole.db')).href;
      const uninterrupted = await spawnCli(['replay', join(dir, 'fx'), '--db', whole, '--summary']);
      expect(uninterrupted.code).toBe(0);
      const [resumed, reference] = await Promise.all([dumpHash(db), dumpHash(whole)]);
      expect(resumed.bytes).toBeGreaterThan(1_000_000);
      expect(resumed).toEqual(reference);
    },
    3 * DEADLINE_MS,
  );
});
