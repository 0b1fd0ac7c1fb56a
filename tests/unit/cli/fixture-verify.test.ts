import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { parseManifest, serializeManifest } from '../../../src/fixture/manifest.ts';
import { sha256Hex } from '../../../src/fixture/sha256.ts';
import type { VerifyReport } from '../../../src/fixture/verify-node.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(REPO, 'fixtures');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTty: false,
    env: {},
    cwd: REPO,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

async function report(path: string): Promise<{ code: number; report: VerifyReport }> {
  const result = await run('fixture', 'verify', path, '--json');
  const parsed: unknown = JSON.parse(result.stdout);
  if (!isReport(parsed)) throw new Error(`not a report: ${result.stdout.slice(0, 200)}`);
  return { code: result.code, report: parsed };
}

function isReport(value: unknown): value is VerifyReport {
  return typeof value === 'object' && value !== null && 'counts' in value && 'issues' in value;
}

/** Groups and items of every committed fixture (items counted by hand from the pages). */
const EXPECTED: Readonly<Record<string, { pages: number; groups: number; items: number }>> = {
  'upstream/nicolai86-items': { pages: 1, groups: 5, items: 6 },
  'synthetic/areas': { pages: 1, groups: 8, items: 9 },
  'synthetic/checklist-items': { pages: 1, groups: 6, items: 10 },
  'synthetic/deletes': { pages: 1, groups: 6, items: 7 },
  'synthetic/fold-anomalies': { pages: 1, groups: 10, items: 10 },
  'synthetic/groups-empty-and-large': { pages: 1, groups: 6, items: 63 },
  'synthetic/id-forms': { pages: 1, groups: 5, items: 5 },
  'synthetic/inbox-and-trash': { pages: 1, groups: 8, items: 8 },
  'synthetic/kind-changes': { pages: 1, groups: 8, items: 8 },
  'synthetic/legacy-ids': { pages: 1, groups: 12, items: 13 },
  'synthetic/metadata-kinds': { pages: 1, groups: 7, items: 7 },
  'synthetic/multi-page': { pages: 4, groups: 15, items: 15 },
  'synthetic/notes': { pages: 1, groups: 13, items: 13 },
  'synthetic/repeating': { pages: 1, groups: 7, items: 11 },
  'synthetic/scheduling': { pages: 1, groups: 12, items: 12 },
  'synthetic/starts-at-cursor': { pages: 2, groups: 5, items: 5 },
  'synthetic/status-changes': { pages: 1, groups: 8, items: 11 },
  'synthetic/tags-hierarchy': { pages: 1, groups: 8, items: 9 },
  'synthetic/tasks-projects-headings': { pages: 1, groups: 7, items: 8 },
  'synthetic/tombstones': { pages: 1, groups: 10, items: 13 },
  'realistic/account-5k': { pages: 10, groups: 3745, items: 5000 },
};

/** Regression fixtures come and go with the property tests; they are discovered, not listed. */
async function regressionFixtures(): Promise<string[]> {
  const dir = join(FIXTURES, 'regressions');
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => `regressions/${e.name}`);
}

describe('thingstape fixture verify', () => {
  it('lists every committed fixture in the expectations', async () => {
    const found: string[] = [];
    for (const family of ['upstream', 'synthetic', 'realistic']) {
      for (const entry of await readdir(join(FIXTURES, family), { withFileTypes: true })) {
        if (entry.isDirectory() && entry.name !== 'captures') found.push(`${family}/${entry.name}`);
      }
    }
    expect(found.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))(
    'passes %s with the expected counts',
    async (name, expected) => {
      const { code, report: result } = await report(`fixtures/${name}`);
      expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
      expect(code).toBe(0);
      expect(result.counts.fixtures).toBe(1);
      expect(result.counts.pages).toBe(expected.pages);
      expect(result.counts.groups).toBe(expected.groups);
      expect(result.counts.items).toBe(expected.items);
      const byAction = result.counts.byAction;
      expect(byAction.create + byAction.modify + byAction.delete).toBe(expected.items);
      const byKind = Object.values(result.counts.byKind).reduce((sum, n) => sum + n, 0);
      expect(byKind).toBe(expected.items);
    },
  );

  it('counts kinds and actions of the upstream page and flags its trimmed envelope', async () => {
    const { code, report: result } = await report('fixtures/upstream/nicolai86-items');
    expect(code).toBe(0);
    expect(result.counts.byKind).toEqual({
      Area2: 1,
      Task3: 1,
      Tag3: 1,
      ChecklistItem: 2,
      Settings3: 1,
    });
    expect(result.counts.byAction).toEqual({ create: 5, modify: 1, delete: 0 });
    const beyond = result.issues.find((issue) => issue.code === 'PAGE_BEYOND_HEAD');
    expect(beyond?.severity).toBe('warning');
    expect(beyond?.location).toMatchObject({
      fixture: 'nicolai86-items',
      file: 'pages/000000000.json',
    });
  });

  it('passes the whole fixtures tree', async () => {
    const { code, report: result } = await report('fixtures');
    expect(code).toBe(0);
    const regressions = await regressionFixtures();
    expect(result.counts.fixtures).toBe(Object.keys(EXPECTED).length + regressions.length);
    let groups = Object.values(EXPECTED).reduce((sum, e) => sum + e.groups, 0);
    for (const fixture of regressions) {
      const single = await report(`fixtures/${fixture}`);
      expect(single.code).toBe(0);
      groups += single.report.counts.groups;
    }
    expect(result.counts.groups).toBe(groups);
    expect(result.counts.emptyGroups).toBe(4);
  });

  it.each([
    ['nicolai86/verify-success.json', 'account'],
    ['nicolai86/error.json', 'errorBody'],
    ['nicolai86/histories-success.json', 'historyKeys'],
    ['nicolai86/create-history-success.json', 'newHistoryKey'],
    ['nicolai86/history-success.2017-original.json', 'historyMeta'],
    ['nicolai86/history-success.json', 'historyMeta'],
    ['nicolai86/recurrence-rules-from-tests.json', 'recurrenceRules'],
    ['nicolai86/task-payload-from-types-comment.json', 'taskPayload'],
    ['arthursoares/doc-fragments.json', 'docFragments'],
  ])('passes the upstream capture %s as %s', async (file, shape) => {
    const { code, report: result } = await report(`fixtures/upstream/captures/${file}`);
    expect(result.issues).toEqual([]);
    expect(code).toBe(0);
    expect(result.targets).toEqual([expect.objectContaining({ kind: shape, errors: 0 })]);
  });

  it('passes the upstream page tape as a lone file', async () => {
    const { code, report: result } = await report(
      'fixtures/upstream/nicolai86-items/pages/000000000.json',
    );
    expect(code).toBe(0);
    expect(result.targets[0]?.kind).toBe('historyPage');
    expect(result.counts.items).toBe(6);
  });

  it('walks a directory without manifest file by file', async () => {
    const { code, report: result } = await report('fixtures/upstream/captures');
    expect(code).toBe(0);
    expect(result.counts.fixtures).toBe(0);
    expect(result.counts.files).toBe(9);
  });

  it('prints a readable table and summary', async () => {
    const result = await run('fixture', 'verify', 'fixtures/synthetic/multi-page');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('fixtures/synthetic/multi-page  fixture      4      15     15');
    expect(result.stdout).toContain('By action: create 9, modify 5, delete 1');
    expect(result.stdout).toContain('OK: no errors, 0 warnings.');
  });

  it('fails on a path that does not exist', async () => {
    const { code, report: result } = await report('fixtures/no-such-fixture');
    expect(code).toBe(1);
    expect(result.issues[0]?.code).toBe('UNREADABLE_PATH');
  });
});

describe('thingstape fixture verify on a corrupted copy', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'thingstape-verify-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function copyOf(name: string, target: string): Promise<string> {
    const copy = join(dir, target);
    await cp(join(FIXTURES, name), copy, { recursive: true });
    return copy;
  }

  /** Replaces a page and re-hashes it in the manifest, so only the content is wrong. */
  async function replacePage(fixture: string, file: string, text: string): Promise<void> {
    await writeFile(join(fixture, file), text);
    const manifestPath = join(fixture, 'manifest.json');
    const manifest = parseManifest(JSON.parse(await readFile(manifestPath, 'utf8')), 'copy');
    const pages = manifest.pages.map((page) =>
      page.file === file ? { ...page, sha256: sha256Hex(new TextEncoder().encode(text)) } : page,
    );
    await writeFile(manifestPath, serializeManifest({ ...manifest, pages }));
  }

  it('reports a changed page as HASH_MISMATCH naming the file', async () => {
    const copy = await copyOf('synthetic/areas', 'bad-hash');
    const page = join(copy, 'pages/000000000.json');
    await writeFile(page, (await readFile(page, 'utf8')).replace('"Work"', '"Wirk"'));
    const { code, report: result } = await report(copy);
    expect(code).toBe(1);
    expect(result.issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'HASH_MISMATCH',
        location: expect.objectContaining({ fixture: 'bad-hash', file: 'pages/000000000.json' }),
      }),
    ]);
  });

  it('reports a truncated page as INVALID_JSON and keeps verifying later pages', async () => {
    const copy = await copyOf('synthetic/multi-page', 'truncated');
    const second = await readFile(join(copy, 'pages/000000005.json'), 'utf8');
    await replacePage(copy, 'pages/000000005.json', second.slice(0, 200));
    const fourth = await readFile(join(copy, 'pages/000000013.json'), 'utf8');
    await replacePage(copy, 'pages/000000013.json', fourth.replace('"t": 1', '"t": 7'));
    const { code, report: result } = await report(copy);
    expect(code).toBe(1);
    const errors = result.issues.filter((issue) => issue.severity === 'error');
    expect(errors.map((issue) => [issue.code, issue.location.file])).toEqual([
      ['INVALID_JSON', 'pages/000000005.json'],
      ['UNKNOWN_ACTION', 'pages/000000013.json'],
    ]);
    expect(errors[1]?.location).toMatchObject({ page: 4, group: 1, serverIndex: 14 });
    // Pages 1 and 3 still decoded and counted.
    expect(result.counts.pages).toBe(2);
    const human = await run('fixture', 'verify', copy);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(
      'INVALID_JSON  fixture "truncated", pages/000000005.json (page 2)',
    );
    expect(human.stdout).toContain('FAILED: 2 errors');
  });

  it('reports a malformed item with its group, item and path', async () => {
    const copy = await copyOf('synthetic/scheduling', 'malformed');
    const text = await readFile(join(copy, 'pages/000000000.json'), 'utf8');
    await replacePage(
      copy,
      'pages/000000000.json',
      text.replace('"sr": 1770681600', '"sr": "2026-02-10"'),
    );
    const { code, report: result } = await report(copy);
    expect(code).toBe(1);
    expect(result.issues[0]).toMatchObject({
      code: 'WRONG_TYPE',
      location: {
        fixture: 'malformed',
        file: 'pages/000000000.json',
        page: 1,
        group: 0,
        path: 'p.sr',
      },
    });
  });

  it('reports a missing page, a group count that differs from the manifest and an unlisted file', async () => {
    const copy = await copyOf('synthetic/starts-at-cursor', 'missing');
    await rm(join(copy, 'pages/000001200.json'));
    const manifestPath = join(copy, 'manifest.json');
    const manifest = parseManifest(JSON.parse(await readFile(manifestPath, 'utf8')), 'copy');
    const pages = manifest.pages.map((page, i) => (i === 1 ? { ...page, groups: 3 } : page));
    await writeFile(manifestPath, serializeManifest({ ...manifest, pages }));
    await writeFile(join(copy, 'pages/000009999.json'), '{}');
    await writeFile(join(copy, 'pages/000001203.meta.json'), '{"status":200}');
    const { code, report: result } = await report(copy);
    expect(code).toBe(1);
    expect(result.issues.map((issue) => [issue.severity, issue.code, issue.location.file])).toEqual(
      [
        ['error', 'MISSING_PAGE', 'pages/000001200.json'],
        ['error', 'GROUP_COUNT_MISMATCH', 'pages/000001203.json'],
        ['warning', 'UNLISTED_FILE', 'pages/000009999.json'],
      ],
    );
  });

  it('reports an invalid manifest naming manifest.json', async () => {
    const copy = await copyOf('synthetic/deletes', 'bad-manifest');
    const manifestPath = join(copy, 'manifest.json');
    const text = await readFile(manifestPath, 'utf8');
    await writeFile(manifestPath, text.replace('"America/Chicago"', '"America/Gotham"'));
    const { code, report: result } = await report(copy);
    expect(code).toBe(1);
    expect(result.issues[0]).toMatchObject({
      code: 'INVALID_MANIFEST',
      location: { fixture: 'bad-manifest', file: 'manifest.json' },
    });
  });
});
