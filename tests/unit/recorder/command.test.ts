import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';

function io(env: Record<string, string>): CliIo & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    stdout: (text) => void out.push(text),
    stderr: (text) => void out.push(text),
    isTty: false,
    env,
    cwd: process.cwd(),
  };
}

describe('thingstape record / sync (arguments)', () => {
  it('refuse to run without THINGS_USERNAME and THINGS_PASSWORD', async () => {
    for (const argv of [
      ['record', '/nonexistent/x'],
      ['sync', '--db', ':memory:'],
    ]) {
      const cli = io({ THINGS_USERNAME: 'someone@example.com' });
      expect(await main(argv, cli)).toBe(1);
      expect(cli.out.join('')).toBe(
        'thingstape: Cannot sign in to Things Cloud: set THINGS_USERNAME and THINGS_PASSWORD in the environment (credentials are never accepted as flags)\n',
      );
    }
  });

  it('reject --from together with --resume, and a bad --rate', async () => {
    const env = { THINGS_USERNAME: 'a@example.com', THINGS_PASSWORD: 'p' };
    const both = io(env);
    expect(await main(['record', '/nonexistent/x', '--resume', '--from', '5'], both)).toBe(2);
    expect(both.out.join('')).toContain('--from and --resume exclude each other');
    const rate = io(env);
    expect(await main(['record', '/nonexistent/x', '--rate', '-1'], rate)).toBe(2);
    expect(rate.out.join('')).toContain(
      '--rate: expected requests per second from 0 (no limit) to 1000000, got "-1"',
    );
  });
});
