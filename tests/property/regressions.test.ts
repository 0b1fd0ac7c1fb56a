/**
 * Replays every committed regression fixture (`fixtures/regressions/<name>/`, a normal fixture
 * directory: histories a property once failed on) through the deterministic checks of the
 * properties: the reference model (state and changes), the change log against the live state,
 * the recorded page split against one page (byte-identical dump), and the decoder round trip.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { readFixture } from '../../src/fixture/node.ts';
import type { Change } from '../../src/engine/types.ts';
import { decodePage, encodePage } from '../../src/protocol/index.ts';
import type { WireGroup } from '../arbitraries/index.ts';
import { canonical, compareChanges, modelFold } from './model.ts';
import { projectChanges, projectState } from './projection.ts';
import {
  BACKENDS,
  GeneratedSource,
  allEntities,
  decodeGroups,
  sync,
  withStores,
} from './support.ts';

const ROOT = join(import.meta.dirname, '../../fixtures/regressions');

/** The fixture directories under fixtures/regressions. */
async function regressionNames(): Promise<string[]> {
  if (!existsSync(ROOT)) return [];
  const entries = await readdir(ROOT, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(join(ROOT, e.name, 'manifest.json')))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : 1));
}

/** A regression fixture as groups and the page cuts it was recorded with. */
async function load(name: string): Promise<{ groups: WireGroup[]; cuts: number[] }> {
  const fixture = await readFixture(join(ROOT, name));
  const groups: WireGroup[] = [];
  const cuts: number[] = [];
  for (const page of fixture.manifest.pages) {
    const bytes = fixture.pages.get(page.file);
    if (bytes === undefined) throw new Error(`${name}: no page ${page.file}`);
    const body = JSON.parse(new TextDecoder().decode(bytes)) as { items: WireGroup[] };
    if (groups.length > 0) cuts.push(groups.length);
    groups.push(...body.items);
  }
  return { groups, cuts };
}

const names = await regressionNames();

describe('fixtures/regressions', () => {
  it('has a README line for every regression fixture', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| \[`([a-z0-9-]+)`\]/gm)]
      .map((m) => m[1] ?? '')
      .sort((a, b) => (a < b ? -1 : 1));
    expect(listed).toEqual(names);
  });
});

describe.each(BACKENDS)('regression fixtures on $backend.name', ({ backend }) => {
  it.each(names)('%s passes every property check', async (name) => {
    const { groups, cuts } = await load(name);
    await withStores(backend, 2, async ([split, whole]) => {
      if (split === undefined || whole === undefined) throw new Error('no store');
      const emitted: Change[] = [];
      await sync(split.store, new GeneratedSource(groups, cuts), emitted);
      await sync(whole.store, new GeneratedSource(groups, []));
      expect(await split.store.dump()).toBe(await whole.store.dump());
      const model = modelFold(decodeGroups(groups));
      const stored = await allEntities(split.store);
      const expected = [...model.entities.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(canonical(stored)).toBe(canonical(expected));
      const changes = await split.store.changes();
      expect(compareChanges(changes, model.changes)).toBeNull();
      expect(canonical(emitted)).toBe(canonical(changes));
      const { projection, problems } = projectChanges(changes);
      expect(problems).toEqual([]);
      const live = stored.filter((e) => e.deleted === null);
      expect(
        canonical(
          [...projection.values()].map((p) => p.view).sort((a, b) => (a.id < b.id ? -1 : 1)),
        ),
      ).toBe(canonical(projectState(live, projection)));
      const page = decodePage(
        { items: groups, 'current-item-index': groups.length, schema: 301 },
        { startIndex: 0 },
      );
      expect(decodePage(encodePage(page), { startIndex: 0 })).toEqual(page);
    });
  });
});
