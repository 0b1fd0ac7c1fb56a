/**
 * `thingstape serve` answers a paging client in another process (plain fetch) with the fixture's
 * pages byte for byte, and commits against an in-memory head with 409 on a stale ancestor.
 */
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, NODE_BIN, REPO } from '../support/cli.ts';

const FIXTURE = join(REPO, 'fixtures', 'synthetic', 'multi-page');

/** A client in plain JavaScript: account, history, paging (spec 2.5), then two commits. */
const CLIENT = `
const base = process.argv[2];
const out = { pages: [] };
const account = await (await fetch(base + '/version/1/account/' + encodeURIComponent('someone@example.com'), { headers: { Authorization: 'Password x' } })).json();
const key = account['history-key'];
out.key = key;
out.meta = await (await fetch(base + '/version/1/history/' + key)).json();
for (const start of [0, 5, 7]) {
  let cursor = start;
  const read = [];
  for (;;) {
    const response = await fetch(base + '/version/1/history/' + key + '/items?start-index=' + cursor);
    const bytes = Buffer.from(await response.arrayBuffer());
    const page = JSON.parse(bytes.toString('utf8'));
    read.push({ start: cursor, status: response.status, body: bytes.toString('base64') });
    cursor += page.items.length;
    if (page.items.length === 0 || cursor >= page['current-item-index']) break;
  }
  out.pages.push(read);
}
const head = out.meta['latest-server-index'];
const body = JSON.stringify({ Kd5u6PEbkZ7qGDTvY4yYNi: { t: 1, e: 'Task6', p: { tt: 'x', md: 1 } } });
const commit = (ancestor) => fetch(base + '/version/1/history/' + key + '/commit?ancestor-index=' + ancestor + '&_cnt=1', { method: 'POST', body });
const ok = await commit(head);
out.commit = { status: ok.status, body: await ok.json() };
const stale = await commit(head);
out.stale = { status: stale.status, thingsResponse: stale.headers.get('things-response') };
out.after = JSON.parse(Buffer.from(await (await fetch(base + '/version/1/history/' + key + '/items?start-index=' + head)).arrayBuffer()).toString('utf8'));
console.log(JSON.stringify(out));
`;

describe('thingstape serve', () => {
  it('serves a fixture to a fetch client in another process exactly as recorded', async () => {
    const server = spawn(NODE_BIN, [CLI_BIN, 'serve', FIXTURE], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      server.on('exit', (code) => resolve(code)),
    );
    const dir = await mkdtemp(join(tmpdir(), 'thingstape-serve-'));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: server.stdout }).once('line', resolve);
        server.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const script = join(dir, 'client.mjs');
      await writeFile(script, CLIENT);
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(NODE_BIN, [script, url], { encoding: 'utf8' }, (error, out, err) =>
          error === null ? resolve(out) : reject(new Error(`${error.message}\n${err}`)),
        );
      });
      const result = JSON.parse(stdout) as {
        key: string;
        meta: Record<string, unknown>;
        pages: { start: number; status: number; body: string }[][];
        commit: { status: number; body: unknown };
        stale: { status: number; thingsResponse: string | null };
        after: { items: unknown[]; 'current-item-index': number };
      };
      expect(result.key).toBe('served-by-thingstape-7d1f0c9a');
      expect(result.meta).toMatchObject({ 'latest-server-index': 15, 'is-empty': false });

      // From 0: every recorded page, byte for byte.
      const manifest = JSON.parse(await readFile(join(FIXTURE, 'manifest.json'), 'utf8')) as {
        pages: { startIndex: number; file: string }[];
      };
      const fromZero = result.pages[0] ?? [];
      expect(fromZero.map((p) => p.start)).toEqual(manifest.pages.map((p) => p.startIndex));
      for (const [i, page] of manifest.pages.entries()) {
        const recorded = await readFile(join(FIXTURE, page.file));
        const served = Buffer.from(fromZero[i]?.body ?? '', 'base64');
        expect({ file: page.file, equal: served.equals(recorded) }).toEqual({
          file: page.file,
          equal: true,
        });
        expect(fromZero[i]?.status).toBe(200);
      }
      // From 5 (a recorded start): the same bytes as the recorded page at 5.
      const atFive = await readFile(join(FIXTURE, 'pages/000000005.json'));
      expect(Buffer.from(result.pages[1]?.[0]?.body ?? '', 'base64').equals(atFive)).toBe(true);
      // From 7 (inside a recorded page): the groups from 7 on, up to the head.
      const fromSeven = (result.pages[2] ?? []).map(
        (p) => JSON.parse(Buffer.from(p.body, 'base64').toString('utf8')) as { items: unknown[] },
      );
      expect(fromSeven.reduce((n, page) => n + page.items.length, 0)).toBe(15 - 7);

      expect(result.commit).toEqual({ status: 200, body: { 'server-head-index': 16 } });
      expect(result.stale).toEqual({ status: 409, thingsResponse: 'OutdatedAncestor' });
      expect(result.after).toMatchObject({
        items: [{ Kd5u6PEbkZ7qGDTvY4yYNi: { t: 1, e: 'Task6', p: { tt: 'x', md: 1 } } }],
        'current-item-index': 16,
      });
    } finally {
      server.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('Stopped on SIGTERM; 1 commit(s) received');
  });
});
