/**
 * Acceptance: recording through the CLI from the fake service with a known e-mail, password and
 * history key leaves none of them — raw, URL-encoded, base64 (standard and URL-safe, any
 * alignment), JSON-escaped or ASCII-escaped — in any written file or any line on stdout/stderr,
 * including retry lines, errors, resumed and anonymized recordings and a live sync.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { generatedGroups } from '../../src/fake/index.ts';
import { findSecrets } from '../../src/fixture/redact.ts';
import { FAKE_BASE, SECRETS, filesOf, tempDir, testFake } from '../unit/recorder/support.ts';

const SECRET_LIST = [SECRETS.email, SECRETS.password, SECRETS.historyKey];
const GROUPS = [...generatedGroups({ items: 1200, seed: 'secrets' })];

/** JSON with every non-ASCII character escaped (`\u00e4`), as some writers print it. */
function asciiJson(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function leaks(text: string): string[] {
  const found = findSecrets(text, SECRET_LIST).map(
    (m) => `secret ${m.secret} as ${m.form} at ${m.offset}`,
  );
  for (const secret of SECRET_LIST) {
    if (text.includes(asciiJson(secret))) found.push(`secret as ASCII-escaped JSON`);
  }
  return found;
}

describe('secrets in recordings', () => {
  const out: string[] = [];
  const io = (env: Record<string, string | undefined>): CliIo => ({
    stdout: (text) => void out.push(text),
    stderr: (text) => void out.push(text),
    isTty: true, // progress lines too
    env,
    cwd: process.cwd(),
  });
  const env: Record<string, string> = {
    THINGS_USERNAME: SECRETS.email,
    THINGS_PASSWORD: SECRETS.password,
  };
  const fake = testFake({
    groups: GROUPS,
    pageGroups: 100,
    // Faults on the first requests so retry lines are printed.
    faults: { script: { 2: 'server-error', 4: 'truncated-body', 6: 'connection-reset' } },
  });
  const server = setupServer(...fake.handlers());
  let root: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    server.listen({ onUnhandledFrame: 'error' });
    root = await tempDir('thingstape-secrets-');
  });
  afterAll(async () => {
    server.close();
    await root.remove();
  });

  it('never writes the e-mail, password or history key to a file or a log line', async () => {
    const cli = (args: string[], environment = env): Promise<number> =>
      main([...args, '--base-url', FAKE_BASE, '--rate', '0'], io(environment));
    const plain = join(root.path, 'plain');
    const anonymized = join(root.path, 'anonymized');
    const db = join(root.path, 'live.db');
    expect(await cli(['record', plain, '--max-pages', '3', '--time-zone', 'UTC'])).toBe(0);
    expect(await cli(['record', plain, '--resume', '--time-zone', 'UTC'])).toBe(0);
    expect(await cli(['record', anonymized, '--anonymize', '--json'])).toBe(0);
    expect(await cli(['sync', '--db', `file:${db}`, '--tz', 'UTC'])).toBe(0);
    // Failures print messages too.
    expect(
      await cli(['record', join(root.path, 'denied')], {
        ...env,
        THINGS_PASSWORD: 'wrong-password',
      }),
    ).toBe(1);
    fake.resetHistory(GROUPS.slice(0, 10), { historyKey: `${SECRETS.historyKey}-2` });
    expect(await cli(['record', plain, '--resume'])).toBe(1);

    const log = out.join('');
    expect(log).toContain('retrying GET');
    expect(log).toContain('did not accept the e-mail and password');
    expect(log).toContain('another history');
    expect(leaks(log)).toEqual([]);

    const files = await filesOf(root.path);
    expect([...files.keys()].filter((f) => f.endsWith('.meta.json')).length).toBeGreaterThanOrEqual(
      20,
    );
    for (const [file, bytes] of files) {
      expect({ file, leaks: leaks(bytes.toString('latin1')) }).toEqual({ file, leaks: [] });
      expect({ file, leaks: leaks(bytes.toString('utf8')) }).toEqual({ file, leaks: [] });
    }
    const side = JSON.parse(await readFile(join(plain, 'pages/000000000.meta.json'), 'utf8'));
    expect(side.request.url).toContain('history-key-redacted');
  });
});
