/**
 * What the CLI does on a terminal, in-process with a fake one: the progress line never shares a
 * line with printed output and says the rate and the time left (from an injected clock), colour
 * comes from util.styleText and goes away with NO_COLOR, titles are cut by grapheme, and Ctrl-C
 * stops a replay after a stored page with the command that resumes it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WriteStream } from 'node:tty';
import { styleText } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLine, truncate } from '../../../src/cli/format.ts';
import { processIo, type CliIo } from '../../../src/cli/io.ts';
import { commandLine, shellQuote } from '../../../src/cli/interrupt.ts';
import { main } from '../../../src/cli/main.ts';
import { progressLine, progressText } from '../../../src/cli/progress.ts';
import type { Change } from '../../../src/engine/index.ts';
import { REPO, runCli } from '../../support/cli.ts';

/** A terminal that records every write to standard output and standard error, in order. */
function fakeTerminal(overrides: Partial<CliIo> = {}): { io: CliIo; writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    io: {
      stdout: (text) => void writes.push(`out:${text}`),
      stderr: (text) => void writes.push(`err:${text}`),
      isTty: true,
      stdoutIsTty: true,
      columns: 100,
      env: {},
      cwd: REPO,
      ...overrides,
    },
  };
}

/**
 * The screen a terminal shows for these writes (both streams on one screen): `\r` returns to the
 * line's start, ESC[K clears to its end, `\n` ends the line.
 */
function screen(writes: readonly string[]): string[] {
  const lines: string[] = [''];
  let column = 0;
  const text = writes.map((w) => w.replace(/^(out|err):/, '')).join('');
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '\r') column = 0;
    else if (char === '\n') {
      lines.push('');
      column = 0;
    } else if (text.startsWith('\u001b[K', i)) {
      lines[lines.length - 1] = (lines.at(-1) ?? '').slice(0, column);
      i += 2;
    } else {
      const line = lines.at(-1) ?? '';
      lines[lines.length - 1] = line.slice(0, column) + char + line.slice(column + 1);
      column += 1;
    }
  }
  return lines;
}

describe('progressLine()', () => {
  it('clears itself before every printed line and draws again on the next update', () => {
    const { io, writes } = fakeTerminal();
    let now = 0;
    const progress = progressLine(io, 'replay', { now: () => now });
    progress.update(0, 100, 0);
    now = 2000;
    progress.update(10, 100, 500);
    progress.stdout('      1  TaskCreated   Task  abc\n');
    progress.stdout('      2  TaskCreated   Task  def\n');
    now = 2050;
    progress.update(20, 100, 1000);
    progress.stderr('warning: something\n');
    progress.update(30, 100, 1500);
    progress.done();
    const shown = screen(writes);
    expect(shown).toEqual([
      '      1  TaskCreated   Task  abc',
      '      2  TaskCreated   Task  def',
      'warning: something',
      '',
    ]);
    // While it ran, every printed line started on a line the progress line had given up.
    const printed = writes.filter((w) => w.startsWith('out:') || w.startsWith('err:warning'));
    for (const write of printed) {
      const before = writes[writes.indexOf(write) - 1] ?? '';
      expect(before === 'err:\r\u001b[K' || before.startsWith('out:')).toBe(true);
    }
  });

  it('draws nothing and passes writes through when standard error is not a terminal', () => {
    const { io, writes } = fakeTerminal({ isTty: false });
    const progress = progressLine(io, 'replay');
    progress.update(1, 2, 3);
    progress.stdout('a\n');
    progress.done();
    expect(writes).toEqual(['out:a\n']);
  });

  it('leaves standard output alone when only standard error is a terminal', () => {
    const { io, writes } = fakeTerminal({ stdoutIsTty: false });
    const progress = progressLine(io, 'replay', { now: () => 0 });
    progress.update(1, 2, 3);
    progress.stdout('a\n');
    expect(writes.filter((w) => w === 'err:\r\u001b[K')).toEqual([]);
  });

  it('stays shorter than the terminal, so it never wraps', () => {
    const { io, writes } = fakeTerminal({ columns: 40 });
    const progress = progressLine(io, 'replay', { now: () => 0 });
    progress.update(1234, 200000, 9999);
    const drawn = writes.at(-1)?.slice('err:\r\u001b[K'.length) ?? '';
    expect(drawn.length).toBeLessThanOrEqual(39);
    expect(drawn.endsWith('…')).toBe(true);
  });
});

describe('progressText()', () => {
  const base = {
    label: 'replay',
    total: 3745,
    columns: 120,
  };

  it('shows the share, then the rate and the time left once a second has passed', () => {
    expect(
      progressText({
        ...base,
        done: 1570,
        elapsedMs: 4000,
        doneSinceStart: 1570,
        itemsSinceStart: 2000,
      }),
    ).toBe('replay ████████░░░░░░░░░░░░  41% 1570/3745 · 500 items/s · 0:06 left');
    expect(
      progressText({ ...base, done: 10, elapsedMs: 500, doneSinceStart: 10, itemsSinceStart: 30 }),
    ).toBe('replay ░░░░░░░░░░░░░░░░░░░░   0% 10/3745');
  });

  it('counts the rate in groups when items are unknown, and writes hours', () => {
    expect(
      progressText({
        ...base,
        label: 'record',
        done: 100,
        total: 1_000_000,
        elapsedMs: 10_000,
        doneSinceStart: 100,
        itemsSinceStart: null,
      }),
    ).toBe('record ░░░░░░░░░░░░░░░░░░░░   0% 100/1000000 · 10 groups/s · 27:46:30 left');
  });
});

describe('colour', () => {
  it('comes from util.styleText: red for "thingstape:" on a terminal, none with NO_COLOR', async () => {
    // styleText with validateStream off, as if the stream were a colour terminal.
    const colour = fakeTerminal({
      style: (style, text) => styleText(style, text, { validateStream: false }),
    });
    await main(['replay', 'no-such-fixture'], colour.io);
    expect(colour.writes.join('')).toContain(
      `${styleText('red', 'thingstape:', { validateStream: false })} Cannot replay`,
    );
  });

  it('is off when the stream is not a terminal, and with NO_COLOR on one', () => {
    // The worker's standard error is a pipe: plain text.
    expect(processIo().style?.('red', 'x', 'stderr')).toBe('x');
    // A colour terminal, as util.styleText sees one (it asks the stream for its colour depth).
    const terminal = Object.assign(Object.create(process.stderr) as NodeJS.WriteStream, {
      isTTY: true,
      getColorDepth: (env?: NodeJS.ProcessEnv) =>
        WriteStream.prototype.getColorDepth.call(null, env),
    });
    // Everything getColorDepth reads besides TERM goes, so the outcome does not depend on the
    // environment the suite runs in (CI=true alone makes Node assume 2 colours).
    const read = [
      'FORCE_COLOR',
      'NO_COLOR',
      'NODE_DISABLE_COLORS',
      'CI',
      'TEAMCITY_VERSION',
      'TMUX',
      'COLORTERM',
      'TERM_PROGRAM',
      'TERM',
    ];
    const saved = { ...process.env };
    try {
      for (const name of read) delete process.env[name];
      process.env['TERM'] = 'xterm-256color';
      expect(styleText('red', 'x', { stream: terminal })).toBe('\u001b[31mx\u001b[39m');
      process.env['NO_COLOR'] = '1';
      expect(styleText('red', 'x', { stream: terminal })).toBe('x');
    } finally {
      for (const name of read) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
});

describe('titles in change lines', () => {
  const titled = (title: string): Change => {
    const change: Change = {
      type: 'TaskTitleChanged',
      entityType: 'Task',
      entityId: 'AHYrkU7Bysi1SMBWKb9eQu',
      serverIndex: 4,
      position: 0,
      ordinal: 0,
      at: null,
      payload: { old: 'x', new: title },
    };
    return change;
  };

  it('are cut by grapheme: never inside a surrogate pair or an emoji sequence', () => {
    const title = `${'a'.repeat(58)}🚀👩‍👩‍👧 and more`;
    const line = changeLine(titled(title));
    expect(line).toContain(`"${'a'.repeat(58)}🚀…"`);
    expect(line).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    // Where a cut by UTF-16 unit (57 of them) would have split the rocket in two.
    const split = changeLine(titled(`${'a'.repeat(56)}🚀${'b'.repeat(10)}`));
    expect(split).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(split).toContain(`"${'a'.repeat(56)}🚀bb…"`);
    for (let cut = 1; cut <= 70; cut++) {
      const text = truncate(title, cut);
      expect({
        cut,
        lone: /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text),
      }).toEqual({ cut, lone: false });
      expect([...new Intl.Segmenter().segment(text)].length).toBeLessThanOrEqual(cut);
    }
    expect(truncate('e\u0301'.repeat(5), 3)).toBe('e\u0301e\u0301…');
    expect(truncate('short', 60)).toBe('short');
  });
});

describe('Ctrl-C during a replay', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'thingstape-interrupt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stops after a stored page, prints the resume command, exits 130; resuming ends as one run', async () => {
    const db = pathToFileURL(join(dir, 'interrupted.db')).href;
    const argv = ['replay', 'fixtures/realistic/account-5k', '--db', db];
    let out = '';
    let err = '';
    const io: CliIo = {
      stdout: (text) => void (out += text),
      stderr: (text) => void (err += text),
      isTty: false,
      env: {},
      cwd: REPO,
      // Ctrl-C as the replay starts: it stops at the first page boundary it reaches.
      onInterrupt: (handler) => {
        handler();
        return () => undefined;
      },
    };
    expect(await main(argv, io)).toBe(130);
    const [stopping, interrupted, resume, end] = err.split('\n');
    expect(stopping).toBe('Stopping after the page being stored (Ctrl-C again stops at once)…');
    expect(interrupted).toMatch(
      /^Interrupted\. The database is at cursor (\d+) of 3745 \((\d+) page\(s\) committed by this run; a page is stored whole or not at all\)\. Resume with:$/,
    );
    const cursor = Number(/cursor (\d+)/.exec(interrupted ?? '')?.[1]);
    expect(cursor).toBeGreaterThan(0);
    expect(cursor).toBeLessThan(3745);
    expect(resume).toBe(`  ${commandLine(argv)}`);
    expect(end).toBe('');
    // Every change of the stored pages was printed, none of the rest.
    const printed = out.trim().split('\n');
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.every((line) => Number(line.trim().split(/\s+/)[0]) < cursor)).toBe(true);

    const resumed = await runCli(argv);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/cursor 3745 of 3745/);

    const whole = pathToFileURL(join(dir, 'whole.db')).href;
    expect((await runCli(['replay', 'fixtures/realistic/account-5k', '--db', whole])).code).toBe(0);
    const dumps = await Promise.all([db, whole].map((url) => runCli(['dump', '--db', url])));
    expect(dumps[0]?.stdout).toBe(dumps[1]?.stdout);
    expect(dumps[0]?.stdout.length).toBeGreaterThan(1000);
  });

  it('quotes the resume command for a shell', () => {
    expect(shellQuote('fixtures/realistic/account-5k')).toBe('fixtures/realistic/account-5k');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(commandLine(['replay', 'my fixture', '--db', 'file:/tmp/x.db'])).toBe(
      "thingstape replay 'my fixture' --db file:/tmp/x.db",
    );
  });
});
