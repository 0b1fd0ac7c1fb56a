/**
 * The html reports in a real browser (headless Chromium, Debian's `chromium` package, driven by
 * playwright-core): the report of the committed 5k fixture and of a run with failing scenarios.
 * It clicks through timeline → day → entity → list, asserts what each view shows, checks every
 * view the page draws with an HTML validator, fails on any console error, and saves screenshots
 * (into a temp directory; `THINGSTAPE_SCREENSHOTS=docs/report` writes the ones the README shows,
 * then `optipng -o2 docs/report/*.png` makes them smaller).
 * The page's load time is measured and printed, never asserted: it depends on the machine.
 *
 * Without Chromium (`apt-get install chromium`; `.ci/run` installs it) the tests are skipped, and
 * their name says why.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HtmlValidate } from 'html-validate';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.ts';
import { tempDirForFile } from './helpers.ts';

const CHROMIUM = process.env['THINGSTAPE_CHROMIUM'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const title = available
  ? 'the html reports in headless Chromium'
  : `the html reports in headless Chromium (skipped: no browser at ${CHROMIUM}; install Debian's chromium package, or set THINGSTAPE_CHROMIUM)`;
if (!available) console.warn(`report-browser: ${title}`);

const work = tempDirForFile('thingstape-report-browser-');
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  // The DOM's own serialization (outerHTML) writes boolean attributes as `open=""`.
  rules: { 'attribute-boolean-style': 'off' },
});
let context: BrowserContext;
let page: Page;
let shots = '';
let dbReport = '';
let runReport = '';
const problems: string[] = [];

async function valid(html: string): Promise<string[]> {
  const result = await validator.validateString(html);
  return result.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`));
}

/** The page as drawn now, checked by the validator. */
async function drawnValid(): Promise<string[]> {
  const html = await page.evaluate<string>('document.documentElement.outerHTML');
  return valid(`<!DOCTYPE html>\n${html}`);
}

// eslint-disable-next-line vitest/valid-title -- the title says why the tests are skipped, when they are
describe.skipIf(!available)(title, () => {
  beforeAll(async () => {
    const dir = await work.path();
    shots =
      process.env['THINGSTAPE_SCREENSHOTS'] === undefined
        ? join(dir, 'shots')
        : resolve(REPO, process.env['THINGSTAPE_SCREENSHOTS']);
    await mkdir(shots, { recursive: true });
    const db = pathToFileURL(join(dir, 'account-5k.db')).href;
    const replay = await runCli([
      'replay',
      'fixtures/realistic/account-5k',
      '--db',
      db,
      '--summary',
    ]);
    if (replay.code !== 0) throw new Error(replay.stderr);
    const report = await runCli(['report', db, '--output', join(dir, 'db-report')]);
    if (report.code !== 0) throw new Error(report.stderr);
    dbReport = pathToFileURL(join(dir, 'db-report', 'index.html')).href;
    const run = await runCli([
      'run',
      'examples/today-complete.scenario.ts',
      'tests/report',
      '--reporter',
      'html',
      '--output',
      join(dir, 'run-report'),
    ]);
    if (run.code !== 1) throw new Error(`run exited ${run.code}: ${run.stderr}`);
    runReport = pathToFileURL(join(dir, 'run-report', 'index.html')).href;
    context = await chromium.launchPersistentContext(
      await mkdtemp(join(tmpdir(), 'thingstape-chromium-')),
      {
        executablePath: CHROMIUM,
        headless: true,
        // As this machine's notes say headless Chromium needs them: no sandbox as root, and no
        // background connections (the network is closed; the page needs none).
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        viewport: { width: 1200, height: 820 },
      },
    );
    page = await context.newPage();
    // Playwright gives up on a click or a locator after 30 s; a busy machine can take longer.
    page.setDefaultTimeout(300_000);
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  it('loads the 5k fixture’s report and shows its timeline (load time printed)', async () => {
    await page.goto(`${dbReport}#/timeline`);
    const timing = await page.evaluate<{ load: number; parsed: number }>(
      `(() => { const n = performance.getEntriesByType('navigation')[0]; return { load: n.loadEventEnd, parsed: n.domInteractive }; })()`,
    );
    console.log(
      `report-browser: the 5k fixture's report loaded in ${Math.round(timing.load)} ms (DOM ready at ${Math.round(timing.parsed)} ms), headless Chromium`,
    );
    await expect.poll(() => page.locator('h2#view-title').textContent()).toBe('Timeline');
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Timeline');
    // 21 days of changes, each with its counts in words beside the bar.
    expect(await page.locator('#view tbody tr').count()).toBe(21);
    expect(await page.locator('#view tbody tr').first().textContent()).toContain('2025-01-06');
    expect(await drawnValid()).toEqual([]);
    await page.screenshot({ path: join(shots, 'report-timeline.png') });
  });

  it('clicks timeline → day → entity → list, and the keyboard pages and moves the focus', async () => {
    // A to-do in Today on the report's date, with a change among the first hundred of its day.
    const pick = await page.evaluate<{
      id: string;
      title: string;
      day: string;
      date: string;
    } | null>(`(() => {
      const data = JSON.parse(document.getElementById('thingstape-data').textContent);
      const today = new Set(data.lists.views[0].today);
      const seen = new Map();
      for (let i = 0; i < data.changes.entity.length; i++) {
        const day = data.changes.day[i];
        seen.set(day, (seen.get(day) ?? 0) + 1);
        const e = data.changes.entity[i];
        if (today.has(e) && seen.get(day) <= 100) {
          return { id: data.entities.id[e], title: data.entities.title[e], day: data.days[day], date: data.lists.dates[0] };
        }
      }
      return null;
    })()`);
    if (pick === null) throw new Error('no to-do of Today among the first changes of a day');
    await page.getByRole('link', { name: pick.day, exact: true }).click();
    await expect
      .poll(() => page.locator('h2#view-title').textContent())
      .toBe(`Changes on ${pick.day}`);
    // The new view's heading has the focus (keyboard and screen-reader users start there).
    expect(await page.evaluate('document.activeElement?.id')).toBe('view-title');
    expect(await drawnValid()).toEqual([]);
    // The day has more changes than a page holds: n and p turn the pages.
    expect(await page.locator('.pager span').first().textContent()).toMatch(/^page 1 of [2-9]$/);
    // Each key acts on the pager drawn on screen: wait for the page to be drawn, not only for
    // the address to change (the view redraws on hashchange, after the address).
    const pager = () => page.locator('.pager span').first().textContent();
    await page.keyboard.press('n');
    await expect.poll(() => page.url()).toContain('page=2');
    await expect.poll(pager).toMatch(/^page 2 of [2-9]$/);
    await page.keyboard.press('p');
    await expect.poll(() => page.url()).toContain('page=1');
    await expect.poll(pager).toMatch(/^page 1 of [2-9]$/);

    await page.locator(`#view a[href="#/entity/${pick.id}"]`).first().click();
    await expect
      .poll(() => page.locator('h2#view-title').textContent())
      .toBe(`to-do: ${pick.title}`);
    expect(await page.locator('#view').textContent()).toContain(`on ${pick.date}:`);
    const changes = page.locator('#view h3', { hasText: 'Every change' });
    expect(await changes.count()).toBe(1);
    expect(await drawnValid()).toEqual([]);
    await page.screenshot({ path: join(shots, 'report-entity.png'), fullPage: true });

    await page.locator(`#view a[href^="#/lists/${pick.date}/today"]`).click();
    await expect
      .poll(() => page.locator('h2#view-title').textContent())
      .toBe(`Today on ${pick.date}`);
    // The to-do's row is marked (in words too) and has the focus.
    const row = page.locator('tr.focus');
    expect(await row.textContent()).toContain(pick.title);
    expect(await row.textContent()).toContain('chosen:');
    expect(await page.evaluate('document.activeElement?.id')).toBe('focus-row');
    expect(await drawnValid()).toEqual([]);
    // The screenshot shows the list's top: its date, its tabs and its first rows.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(shots, 'report-list.png') });

    await page.goBack();
    await expect
      .poll(() => page.locator('h2#view-title').textContent())
      .toBe(`to-do: ${pick.title}`);
  });

  it('shows anomalies by code and the sync ledger', async () => {
    await page.goto(`${dbReport}#/anomalies`);
    await expect.poll(() => page.locator('h2#view-title').textContent()).toBe('Anomalies');
    expect(await page.locator('#view h3').allTextContents()).toEqual([
      'KIND_VERSION_CHANGE (409)',
      'TOMBSTONE_UNKNOWN_TARGET (1)',
    ]);
    expect(await drawnValid()).toEqual([]);
    await page.goto(`${dbReport}#/ledger`);
    await expect.poll(() => page.locator('h2#view-title').textContent()).toBe('Sync ledger');
    expect(await page.locator('#view').textContent()).toContain('never pushed from');
  });

  it('shows a failing run: the divergence side by side, each step’s changes and lists', async () => {
    await page.goto(runReport);
    expect(await page.title()).toBe('thingstape run: FAILED — 1 passed, 2 failed, 0 ignored');
    const request = page.locator('section', { hasText: 'failing-request.scenario.ts' });
    expect(await request.locator('details[open] h5').allTextContents()).toEqual([
      'Recorded (nearest: #3 of 10)',
      'Actual',
    ]);
    expect(await request.locator('details[open] table td').allTextContents()).toEqual(
      expect.arrayContaining(['"Buy milk"', '"Buy oat milk"']),
    );
    await request.screenshot({ path: join(shots, 'run-divergence.png') });
    const assertion = page.locator('section', { hasText: 'failing-assertion.scenario.ts' });
    expect(await assertion.locator('details[open] summary').textContent()).toContain('complete it');
    expect(await assertion.locator('details[open]').textContent()).toContain('✗ mismatch');
    await assertion.screenshot({ path: join(shots, 'run-assertion.png') });
    expect(await drawnValid()).toEqual([]);
  });

  it('logged no console error and made no request', () => {
    expect(problems).toEqual([]);
  });
});
