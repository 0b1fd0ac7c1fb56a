/**
 * Saves a property counterexample as a regression fixture:
 * `npx node tests/property/save-regression.ts <name> '<counterexample JSON>' [description]`,
 * where the JSON is `{"history":{"groups":[…]},"cuts":[…]}` (or just `{"groups":[…]}`) as printed
 * by fast-check. Writes `fixtures/regressions/<name>/` (manifest + one page per cut); add a line to
 * fixtures/regressions/README.md saying what failed and why.
 */
import { join } from 'node:path';

import { FixtureWriter } from '../../src/fixture/node.ts';
import { splitPages, wirePage } from '../arbitraries/index.ts';
import type { WireGroup } from '../arbitraries/index.ts';

const [name, json, description] = process.argv.slice(2);
if (name === undefined || json === undefined || !/^[a-z0-9-]+$/.test(name)) {
  console.error("usage: save-regression.ts <kebab-name> '<counterexample JSON>' [description]");
  process.exit(2);
}
const value = JSON.parse(json) as {
  history?: { groups: WireGroup[] };
  groups?: WireGroup[];
  cuts?: number[];
};
const groups = value.history?.groups ?? value.groups ?? [];
const writer = await FixtureWriter.create(
  join(import.meta.dirname, '../../fixtures/regressions', name),
);
writer.setMeta({
  recordedAt: '2025-11-01T12:00:00Z',
  timeZone: 'America/Los_Angeles',
  schema: 301,
  source: {
    kind: 'generated',
    description: description ?? `Regression: a generated history a property failed on (${name}).`,
    covers: ['regression'],
  },
});
for (const page of splitPages(groups, value.cuts ?? [])) {
  const body = wirePage(page.groups, groups.length);
  const bytes = new TextEncoder().encode(`${JSON.stringify(body, null, 2)}\n`);
  await writer.writePage(page.startIndex, bytes, page.groups.length);
}
await writer.finish();
console.log(`wrote fixtures/regressions/${name}`);
