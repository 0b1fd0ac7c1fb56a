/** Histories to feed the fake with: the generator's groups, or a fixture's pages split into groups. */
import { readFixtureManifest, readPage } from '../fixture/node.ts';
import { HistoryGenerator, resolveGenOptions, type GenOptions } from '../gen/index.ts';
import { groupText } from '../protocol/index.ts';
import { splitPageGroups } from './history.ts';

/** The groups of a generated history (same options, same groups as `thingstape gen`). */
export function* generatedGroups(options: GenOptions): Generator<string, void, undefined> {
  const resolved = resolveGenOptions(options);
  for (const group of new HistoryGenerator(resolved.history).groups()) {
    yield groupText(group);
  }
}

/**
 * The groups of a fixture, each group's JSON text exactly as in its page (pages verified by hash).
 * A fixture that starts at a cursor > 0 cannot be served from index 0: `RangeError`.
 */
export async function fixtureGroups(dir: string): Promise<string[]> {
  const { groups, first } = await fixtureGroupsFrom(dir);
  if (first !== 0) {
    throw new RangeError(
      `Cannot serve fixture ${dir} as a whole history: its first page starts at index ${first}`,
    );
  }
  return groups;
}

/** The groups of any fixture (see {@link fixtureGroups}) and the server index of the first. */
export async function fixtureGroupsFrom(
  dir: string,
): Promise<{ readonly groups: string[]; readonly first: number }> {
  const { manifest } = await readFixtureManifest(dir);
  const groups: string[] = [];
  for (const page of manifest.pages) {
    const text = new TextDecoder().decode(await readPage(dir, manifest, page));
    groups.push(...splitPageGroups(text));
  }
  return { groups, first: manifest.pages[0]?.startIndex ?? 0 };
}
