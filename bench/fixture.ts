/**
 * Benchmark histories: a generated history written once as a fixture and cached on disk, cut into
 * `base` pages (500 groups each, as `thingstape gen` writes them) followed by a few small
 * `incremental` pages of about 100 items, which the incremental-cost figure applies one at a time
 * to a database that already holds the base.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FixtureWriter } from '../src/fixture/node.ts';
import { formatIsoInstant } from '../src/gen/calendar.ts';
import {
  GEN_DEFAULTS,
  GENERATED_SCHEMA,
  HistoryGenerator,
  resolveGenOptions,
} from '../src/gen/index.ts';
import { groupText, pageBodyText, utf8ByteLength } from '../src/protocol/index.ts';

/** Version of the cached layout; bump it when the cutting rule changes. */
const LAYOUT_VERSION = 1;

/** One page of a benchmark fixture. */
export interface BenchPage {
  readonly startIndex: number;
  readonly groups: number;
  readonly items: number;
  readonly kind: 'base' | 'incremental';
}

/** A benchmark fixture on disk and how it is cut. */
export interface BenchFixture {
  /** The fixture directory (a valid thingstape fixture: `thingstape replay` reads it too). */
  readonly dir: string;
  readonly seed: string;
  /** Items of the base pages (at least the requested number; pages end on group boundaries). */
  readonly baseItems: number;
  readonly basePages: number;
  readonly incrementalPages: number;
  readonly pages: readonly BenchPage[];
  readonly timeZone: string;
  readonly recordedAt: string;
}

/** What to build. */
export interface BenchFixtureSpec {
  /** Items in the base part (the replayed history). */
  readonly baseItems: number;
  /** Number of small pages after the base. */
  readonly incrementalPages: number;
  /** Items per small page (a page ends at the first group boundary at or above it). */
  readonly incrementalItems: number;
  readonly seed: string;
  /** Groups per base page (default 500, as `thingstape gen`). */
  readonly pageGroups?: number;
}

/**
 * Returns the cached fixture for `spec` under `cacheDir`, generating it first when missing
 * (about 5 s per 100k items on a 2-core VM). Generation is deterministic, so a cached fixture
 * is the one that would be generated now.
 */
export async function ensureBenchFixture(
  cacheDir: string,
  spec: BenchFixtureSpec,
): Promise<BenchFixture> {
  const pageGroups = spec.pageGroups ?? GEN_DEFAULTS.pageGroups;
  const name = `gen-${spec.baseItems}-${spec.incrementalPages}x${spec.incrementalItems}-g${pageGroups}-s${spec.seed}-v${LAYOUT_VERSION}`;
  const dir = join(cacheDir, name);
  const infoFile = join(cacheDir, `${name}.json`);
  if (existsSync(infoFile) && existsSync(join(dir, 'manifest.json'))) {
    return JSON.parse(await readFile(infoFile, 'utf8')) as BenchFixture;
  }
  await mkdir(cacheDir, { recursive: true });
  await rm(dir, { recursive: true, force: true });
  const fixture = await writeBenchFixture(dir, spec, pageGroups);
  await writeFile(infoFile, `${JSON.stringify(fixture)}\n`);
  return fixture;
}

async function writeBenchFixture(
  dir: string,
  spec: BenchFixtureSpec,
  pageGroups: number,
): Promise<BenchFixture> {
  // Enough items that the cut never runs out of history (groups hold a handful of items).
  const total = spec.baseItems + spec.incrementalPages * spec.incrementalItems * 2 + 1000;
  const options = resolveGenOptions({ items: total, seed: spec.seed, pageGroups });
  const pages: BenchPage[] = [];

  // Pass 1: where pages end, the head and the total content size of the served groups.
  let groups = 0;
  let contentSize = 0;
  {
    let inPage = 0;
    let pageItems = 0;
    let itemsBefore = 0;
    let incremental = 0;
    const generator = new HistoryGenerator(options.history);
    for (const group of generator.groups()) {
      if (incremental === spec.incrementalPages) break;
      inPage++;
      pageItems += group.length;
      groups++;
      contentSize += utf8ByteLength(groupText(group));
      const inBase = incremental === 0 && itemsBefore < spec.baseItems;
      const full = inBase
        ? inPage === pageGroups || itemsBefore + pageItems >= spec.baseItems
        : pageItems >= spec.incrementalItems;
      if (full) {
        pages.push({
          startIndex: groups - inPage,
          groups: inPage,
          items: pageItems,
          kind: inBase ? 'base' : 'incremental',
        });
        itemsBefore += pageItems;
        if (!inBase) incremental++;
        inPage = 0;
        pageItems = 0;
      }
    }
  }

  // Pass 2: the same groups, written page by page.
  const writer = await FixtureWriter.create(dir);
  const encoder = new TextEncoder();
  const generator = new HistoryGenerator(options.history);
  let pageIndex = 0;
  let buffer: string[] = [];
  let startSize = 0;
  let size = 0;
  for (const group of generator.groups()) {
    const page = pages[pageIndex];
    if (page === undefined) break;
    const json = groupText(group);
    buffer.push(json);
    size += utf8ByteLength(json);
    if (buffer.length === page.groups) {
      const text = pageBodyText(buffer, {
        head: groups,
        schema: GENERATED_SCHEMA,
        startSize,
        endSize: size,
        latestSize: contentSize,
      });
      await writer.writePage(page.startIndex, encoder.encode(text), page.groups);
      startSize = size;
      buffer = [];
      pageIndex++;
    }
  }
  const recordedAt = formatIsoInstant(generator.clock);
  writer.setMeta({
    recordedAt,
    timeZone: options.timeZone,
    source: {
      kind: 'generated',
      description: `Benchmark history (seed ${JSON.stringify(spec.seed)}): ${spec.baseItems} items in pages of ${pageGroups} groups, then ${spec.incrementalPages} pages of about ${spec.incrementalItems} items.`,
    },
    schema: GENERATED_SCHEMA,
  });
  await writer.finish();
  const base = pages.filter((p) => p.kind === 'base');
  return {
    dir,
    seed: spec.seed,
    baseItems: base.reduce((sum, p) => sum + p.items, 0),
    basePages: base.length,
    incrementalPages: pages.length - base.length,
    pages,
    timeZone: options.timeZone,
    recordedAt,
  };
}
