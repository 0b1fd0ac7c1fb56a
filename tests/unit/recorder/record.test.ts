import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RecorderError,
  keyFingerprint,
  recordHistory,
  type RecordOptions,
} from '../../../recorder/index.ts';
import { CloudError } from '../../../src/cloud/index.ts';
import { FakeClock, generatedGroups, type FakeThingsCloud } from '../../../src/fake/index.ts';
import { verifyPath } from '../../../src/fixture/verify-node.ts';
import {
  FAKE_BASE,
  SECRETS,
  fixtureContent,
  tempDir,
  testClient,
  testFake,
  withFake,
} from './support.ts';

const GROUPS = [...generatedGroups({ items: 1500, seed: 'recorder-unit' })];
const NOW = Date.parse('2026-03-01T12:00:00Z');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function dir(): Promise<string> {
  const temp = await tempDir();
  cleanups.push(() => temp.remove());
  return join(temp.path, 'fixture');
}

function record(
  fake: FakeThingsCloud,
  target: string,
  options: Partial<RecordOptions> = {},
  clock = new FakeClock(NOW),
): ReturnType<typeof recordHistory> {
  return withFake(fake, () =>
    recordHistory({
      dir: target,
      client: testClient(clock),
      email: SECRETS.email,
      password: SECRETS.password,
      timeZone: 'Europe/Berlin',
      clock: clock.now,
      ...options,
    }),
  );
}

async function failure(promise: Promise<unknown>): Promise<Error & { code: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RecorderError || error instanceof CloudError) return error;
    throw error;
  }
  throw new Error('expected the recording to fail');
}

describe('recordHistory()', () => {
  it('refuses a password too short to scan recordings for, before signing in', async () => {
    const fake = testFake({ groups: GROUPS.slice(0, 10), pageGroups: 5 });
    const error = await failure(record(fake, await dir(), { password: 'p' }));
    expect(error.code).toBe('SECRET_TOO_SHORT');
    expect(error.message).toContain(
      'THINGS_PASSWORD has 1 character(s); a secret shorter than 8 matches ordinary content',
    );
    expect(fake.requests).toEqual([]);
  });

  it('refuses a history key that is a redaction placeholder, writing nothing', async () => {
    const fake = testFake({
      groups: GROUPS.slice(0, 10),
      pageGroups: 5,
      historyKey: 'history-key-redacted',
    });
    const target = await dir();
    const error = await failure(record(fake, target));
    expect(error.code).toBe('SECRET_TOO_SHORT');
    expect(error.message).toContain('is a redaction placeholder');
    await expect(readdir(target)).rejects.toThrow(/ENOENT/);
  });

  it('writes every page verbatim with a manifest that names no secret', async () => {
    const fake = testFake({ groups: GROUPS, pageGroups: 90 });
    const target = await dir();
    const summary = await record(fake, target);
    expect(summary).toMatchObject({
      startIndex: 0,
      cursor: fake.head,
      head: fake.head,
      complete: true,
    });
    expect(summary.pages).toBe(Math.ceil(fake.head / 90));
    const manifest = JSON.parse(await readFile(join(target, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      recordedAt: '2026-03-01T12:00:00.000Z',
      timeZone: 'Europe/Berlin',
      schema: 301,
      source: { kind: 'recorded', recorder: 'thingstape 0.1.0' },
      recording: {
        historyKeyFingerprint: keyFingerprint(SECRETS.historyKey),
        account: { status: 'SYAccountStatusActive', issues: 0 },
        headAtStart: fake.head,
        headAtEnd: fake.head,
        pageCount: summary.pages,
        complete: true,
        endedBy: 'head',
      },
    });
    for (const page of manifest.pages) {
      const body = await readFile(join(target, page.file), 'utf8');
      expect(body).toBe(fake.history.page(page.startIndex, { pageGroups: 90 }).text);
    }
    expect((await verifyPath(target)).ok).toBe(true);
  });

  it('writes side files with status, redacted URL, envelope and hash', async () => {
    const fake = testFake({ groups: GROUPS, pageGroups: 500 });
    const target = await dir();
    await record(fake, target);
    const meta = JSON.parse(await readFile(join(target, 'pages/000000500.meta.json'), 'utf8'));
    expect(meta.request).toEqual({
      method: 'GET',
      url: `${FAKE_BASE}/version/1/history/history-key-redacted/items?start-index=500`,
    });
    expect(meta.response.status).toBe(200);
    expect(meta.response.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(meta.envelope).toMatchObject({ groups: 500, currentItemIndex: fake.head, schema: 301 });
    expect(meta.attempts).toBe(1);
    expect(meta.anonymized).toBe(false);
  });

  it('paces requests to the client minimum interval', async () => {
    const fake = testFake({ groups: GROUPS, pageGroups: 200 });
    const clock = new FakeClock(NOW);
    const target = await dir();
    await withFake(fake, () =>
      recordHistory({
        dir: target,
        client: testClient(clock, { minIntervalMs: 1000 }),
        email: SECRETS.email,
        password: SECRETS.password,
        timeZone: 'UTC',
        clock: clock.now,
        sideFiles: false,
      }),
    );
    // account + meta + pages + final meta, at least 1 s apart.
    expect(fake.requests.length).toBeGreaterThan(5);
    expect(clock.now() - NOW).toBeGreaterThanOrEqual((fake.requests.length - 1) * 1000);
  });

  it('stops after maxPages and resumes to a byte-identical fixture', async () => {
    const full = await dir();
    await record(testFake({ groups: GROUPS, pageGroups: 120 }), full);
    const partial = await dir();
    const first = await record(testFake({ groups: GROUPS, pageGroups: 120 }), partial, {
      maxPages: 3,
    });
    expect(first).toMatchObject({ pages: 3, complete: false, cursor: 360 });
    const manifest = JSON.parse(await readFile(join(partial, 'manifest.json'), 'utf8'));
    expect(manifest.recording).toMatchObject({
      complete: false,
      endedBy: 'max-pages',
      pageCount: 3,
    });
    const second = await record(testFake({ groups: GROUPS, pageGroups: 120 }), partial, {
      resume: true,
    });
    expect(second).toMatchObject({ startIndex: 360, complete: true });
    expect(await fixtureContent(partial)).toEqual(await fixtureContent(full));
  });

  it('starts at --from', async () => {
    const fake = testFake({ groups: GROUPS, pageGroups: 100 });
    const target = await dir();
    const summary = await record(fake, target, { from: 250 });
    expect(summary.startIndex).toBe(250);
    const manifest = JSON.parse(await readFile(join(target, 'manifest.json'), 'utf8'));
    expect(manifest.pages[0].startIndex).toBe(250);
  });

  it('refuses to resume onto another history (HISTORY_CHANGED)', async () => {
    const target = await dir();
    await record(testFake({ groups: GROUPS, pageGroups: 100 }), target, { maxPages: 1 });
    const moved = testFake({ groups: GROUPS, pageGroups: 100, historyKey: 'another-key-1234' });
    const error = await failure(record(moved, target, { resume: true }));
    expect(error.code).toBe('HISTORY_CHANGED');
    expect(error.message).not.toContain('another-key-1234');
  });

  it('refuses to resume when the head went behind the fixture (HISTORY_RESET)', async () => {
    const target = await dir();
    await record(testFake({ groups: GROUPS, pageGroups: 100 }), target, { maxPages: 3 });
    const error = await failure(
      record(testFake({ groups: GROUPS.slice(0, 120), pageGroups: 100 }), target, { resume: true }),
    );
    expect(error.code).toBe('HISTORY_RESET');
  });

  it('stops with HISTORY_RESET when the history is replaced mid-recording and marks the manifest', async () => {
    const fake = testFake({
      groups: GROUPS,
      pageGroups: 100,
      // Requests: account, meta, items 0, items 100, … — replace the history before the 4th page.
      faults: {
        script: { 6: { kind: 'history-reset', groups: GROUPS.slice(0, 50), historyKey: 'k2' } },
      },
    });
    const target = await dir();
    const error = await failure(record(fake, target));
    expect(error.code).toBe('HISTORY_RESET');
    const manifest = JSON.parse(await readFile(join(target, 'manifest.json'), 'utf8'));
    expect(manifest.recording).toMatchObject({ complete: false, endedBy: 'history-reset' });
    expect(manifest.pages.length).toBe(3);
  });

  it('stops completely on AbusePrevention and resumes later to the same fixture', async () => {
    const full = await dir();
    await record(testFake({ groups: GROUPS, pageGroups: 100 }), full);
    const target = await dir();
    const abusive = testFake({
      groups: GROUPS,
      pageGroups: 100,
      faults: { script: { 7: 'abuse-prevention' } },
    });
    const error = await failure(record(abusive, target));
    expect(error.code).toBe('ABUSE_PREVENTION');
    expect(abusive.requests).toHaveLength(7);
    await record(testFake({ groups: GROUPS, pageGroups: 100 }), target, { resume: true });
    expect(await fixtureContent(target)).toEqual(await fixtureContent(full));
  });

  it('refuses an account with issues before writing anything', async () => {
    const fake = testFake({ groups: GROUPS });
    const target = await dir();
    const broken = new (
      fake.constructor as typeof import('../../../src/fake/index.ts').FakeThingsCloud
    )({
      baseUrl: FAKE_BASE,
      account: {
        email: SECRETS.email,
        password: SECRETS.password,
        historyKey: SECRETS.historyKey,
        issues: ['x'],
      },
    });
    const error = await failure(record(broken, target));
    expect(error.code).toBe('ACCOUNT_UNUSABLE');
    await expect(readFile(join(target, 'manifest.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
