/**
 * The database report in Firefox (Debian's `firefox-esr`, over WebDriver BiDi): the 5k fixture's
 * report draws its timeline, a day, an entity and a list, moves the focus as in Chromium, and logs
 * no error. Skipped, with a message in its name, where Firefox is not installed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFirefox, type BidiFirefox } from '../support/bidi.ts';
import { runCli } from '../support/cli.ts';
import { tempDirForFile } from './helpers.ts';

const FIREFOX = process.env['THINGSTAPE_FIREFOX'] ?? '/usr/bin/firefox-esr';
const available = existsSync(FIREFOX);
const title = available
  ? 'the database report in headless Firefox'
  : `the database report in headless Firefox (skipped: no browser at ${FIREFOX}; install Debian's firefox-esr package, or set THINGSTAPE_FIREFOX)`;
if (!available) console.warn(`report-firefox: ${title}`);

const work = tempDirForFile('thingstape-report-firefox-');
let firefox: BidiFirefox | undefined;
let url = '';

const heading = (): Promise<string> =>
  firefox!.evaluate<string>(`document.querySelector('#view-title').textContent`);
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 200));

// eslint-disable-next-line vitest/valid-title -- the title says why the tests are skipped, when they are
describe.skipIf(!available)(title, () => {
  beforeAll(async () => {
    const dir = await work.path();
    const db = pathToFileURL(join(dir, 'account-5k.db')).href;
    const replay = await runCli(['replay', 'fixtures/realistic/account-5k', '--db', db]);
    if (replay.code !== 0) throw new Error(replay.stderr);
    const report = await runCli(['report', db, '--output', join(dir, 'report')]);
    if (report.code !== 0) throw new Error(report.stderr);
    url = pathToFileURL(join(dir, 'report', 'index.html')).href;
    firefox = await launchFirefox(FIREFOX);
  });

  afterAll(async () => {
    await firefox?.close();
  });

  it('draws timeline → day → entity → list, moving the focus, with no error logged', async () => {
    const ff = firefox!;
    await ff.navigate(`${url}#/timeline`);
    const load = await ff.evaluate<number>(
      `performance.getEntriesByType('navigation')[0].loadEventEnd`,
    );
    console.log(`report-firefox: the 5k fixture's report loaded in ${Math.round(load)} ms`);
    expect(await heading()).toBe('Timeline');
    expect(await ff.evaluate<number>(`document.querySelectorAll('#view tbody tr').length`)).toBe(
      21,
    );

    // A to-do in Today on the report's date, with a change among the first hundred of its day.
    const pick = await ff.evaluate<{ id: string; day: string } | null>(`(() => {
      const data = JSON.parse(document.getElementById('thingstape-data').textContent);
      const today = new Set(data.lists.views[0].today);
      const seen = new Map();
      for (let i = 0; i < data.changes.entity.length; i++) {
        const day = data.changes.day[i];
        seen.set(day, (seen.get(day) ?? 0) + 1);
        const e = data.changes.entity[i];
        if (today.has(e) && seen.get(day) <= 100) return { id: data.entities.id[e], day: data.days[day] };
      }
      return null;
    })()`);
    if (pick === null) throw new Error('no to-do of Today among the first changes of a day');
    await ff.evaluate(`document.querySelector('#view a[href="#/day/${pick.day}"]').click()`);
    await settle();
    expect(await heading()).toBe(`Changes on ${pick.day}`);
    expect(await ff.evaluate<string>('document.activeElement.id')).toBe('view-title');

    await ff.evaluate(`document.querySelector('#view a[href="#/entity/${pick.id}"]').click()`);
    await settle();
    expect(await heading()).toMatch(/^to-do: /);

    await ff.evaluate(
      `document.querySelector('#view a[href^="#/lists/2025-02-01/today"]').click()`,
    );
    await settle();
    expect(await heading()).toBe('Today on 2025-02-01');
    expect(await ff.evaluate<string>('document.activeElement.id')).toBe('focus-row');

    expect(ff.log).toEqual([]);
  });
});
