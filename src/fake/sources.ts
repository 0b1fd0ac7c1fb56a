/** Histories to feed the fake with: the generator's groups, or a fixture's pages split into groups. */
import { readFixtureManifest, readPage } from '../fixture/node.ts';
import type { Fixture } from '../fixture/types.ts';
import { HistoryGenerator, resolveGenOptions, type GenOptions } from '../gen/index.ts';
import { groupText } from '../protocol/index.ts';
import {
  anchoredContentSizes,
  FakeHistory,
  splitPageGroups,
  type RecordedSizes,
} from './fake-history.ts';

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

/** A fixture as a served history: see {@link fixtureHistory}. */
export interface FixtureHistory {
  /** The fixture's groups from its first page's start index, with its recorded counters. */
  readonly history: FakeHistory;
  /** Each recorded page's bytes by its start index. */
  readonly recorded: ReadonlyMap<number, Uint8Array>;
  /** Groups of the largest recorded page (at least 1). */
  readonly largestPage: number;
}

/**
 * A fixture held in memory (see `readFixture`) as a {@link FakeHistory}: its groups verbatim from
 * the first page's start index, the schema of the manifest (else of the first page), and content
 * sizes anchored at the recorded pages' counters ({@link anchoredContentSizes}), so pages cut
 * anywhere chain with the recorded ones.
 */
export function fixtureHistory(fixture: Fixture): FixtureHistory {
  const { manifest } = fixture;
  const groups: string[] = [];
  const recorded = new Map<number, Uint8Array>();
  const sizes: RecordedSizes[] = [];
  let schema = manifest.schema ?? 301;
  for (const page of manifest.pages) {
    const bytes = fixture.pages.get(page.file);
    if (bytes === undefined) {
      throw new RangeError(`fixture "${fixture.name}" has no bytes for ${page.file}`);
    }
    recorded.set(page.startIndex, bytes);
    const text = new TextDecoder().decode(bytes);
    const pageGroups = splitPageGroups(text);
    groups.push(...pageGroups);
    const envelope = JSON.parse(text) as Record<string, unknown>;
    const counter = (key: string): { [k: string]: number } => {
      const value = envelope[`${key}-total-content-size`];
      return typeof value === 'number' && Number.isSafeInteger(value) ? { [key]: value } : {};
    };
    sizes.push({ groups: pageGroups, ...counter('start'), ...counter('end') });
    if (
      sizes.length === 1 &&
      manifest.schema === undefined &&
      typeof envelope['schema'] === 'number'
    ) {
      schema = envelope['schema'];
    }
  }
  const { start, ends } = anchoredContentSizes(sizes);
  const first = manifest.pages[0]?.startIndex ?? 0;
  return {
    history: new FakeHistory(groups, schema, { first, startSize: start, ends }),
    recorded,
    largestPage: Math.max(1, ...manifest.pages.map((page) => page.groups)),
  };
}
