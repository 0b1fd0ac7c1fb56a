/**
 * The project's own import graph: no cycles in src/, recorder/, bench/ and tools/, and every import
 * allowed by the module table of docs/architecture.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/cli.ts';
import { findCycles, formatCycle, importGraph, sourceFiles } from './import-graph.ts';
import { moduleOf, readLayers } from './layers.ts';

/** The directories whose imports are checked. */
const CHECKED = ['src', 'recorder', 'bench', 'tools'] as const;

/** Every module may import the base error class. */
const EVERYWHERE = ['errors.ts'];

const graph = importGraph(REPO, sourceFiles(REPO, CHECKED));
const layers = readLayers(readFileSync(join(REPO, 'docs', 'architecture.md'), 'utf8'));

describe(`the imports of ${CHECKED.join(', ')}`, () => {
  it('form no cycle', () => {
    expect(
      findCycles(graph).map(formatCycle),
      'import cycles (break each with a leaf module)',
    ).toEqual([]);
  });

  it('stay within what docs/architecture.md allows each module', () => {
    const allowed = new Map(
      layers.map((layer) => [layer.name, new Set([...layer.mayImport, ...EVERYWHERE])]),
    );
    const wrong: string[] = [];
    for (const [file, edges] of graph.edges) {
      const from = moduleOf(file);
      const may = allowed.get(from);
      if (may === undefined) {
        wrong.push(`${file}: module "${from}" has no row in the table of docs/architecture.md`);
        continue;
      }
      for (const edge of edges) {
        const to = moduleOf(edge.to);
        if (to !== from && !may.has(to))
          wrong.push(`${file}:${edge.line} imports ${edge.to} (${from} → ${to})`);
      }
    }
    expect(wrong, 'imports the module table does not allow').toEqual([]);
  });

  it('import no package in a pure module', () => {
    const pure = new Set(layers.filter((layer) => layer.pure).map((layer) => layer.name));
    const wrong: string[] = [];
    for (const [file, packages] of graph.packages) {
      if (!pure.has(moduleOf(file))) continue;
      for (const found of packages) wrong.push(`${file}:${found.line} imports ${found.specifier}`);
    }
    expect(pure.size).toBeGreaterThan(0);
    expect(wrong, 'package imports in pure modules').toEqual([]);
  });
});

/**
 * Entries that must run without any package although their module is not pure as a whole: the
 * package's `thingstape/protocol` and `thingstape/fixture` (Node, Deno and Bun import them,
 * docs/runtimes.md; `fixture/node.ts` is outside this entry) and the recorder's anonymizer. They
 * are why the portable SHA-256, SHA-1, CRC-32 and UTF-8 length stay (decision 0033).
 */
const PURE_ENTRIES = ['src/protocol/index.ts', 'src/fixture/index.ts', 'recorder/anonymize.ts'];

/** Every package import that code run from `entry` reaches (type-only imports are erased). */
function packagesReached(entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const used of graph.packages.get(file) ?? []) {
      found.push(`${file}:${used.line} imports ${used.specifier}`);
    }
    for (const edge of graph.edges.get(file) ?? []) if (!edge.typeOnly) visit(edge.to);
  };
  visit(entry);
  expect(seen.size, `${entry} is in the import graph`).toBeGreaterThan(1);
  return found;
}

describe('the entries that run in any runtime', () => {
  it.each(PURE_ENTRIES)('%s reaches no package (no node:*, libSQL or msw)', (entry) => {
    expect(packagesReached(entry)).toEqual([]);
  });

  it('finds the package imports of an entry that has them (the check can fail)', () => {
    expect(packagesReached('src/fixture/node.ts').join('\n')).toContain('imports node:crypto');
  });
});

describe('the module table of docs/architecture.md', () => {
  it('lets a module import only modules above it, so the layers cannot form a cycle', () => {
    const names = layers.map((layer) => layer.name);
    const checked = new Set([...graph.edges.keys()].map(moduleOf));
    const wrong = layers.flatMap((layer, row) =>
      layer.mayImport
        .filter((name) => checked.has(name) && names.indexOf(name) >= row)
        .map((name) => `${layer.name} may import ${name}, which is not above it`),
    );
    expect(wrong).toEqual([]);
  });

  it('names no module that does not exist', () => {
    const checked = new Set([...graph.edges.keys()].map(moduleOf));
    expect(layers.map((layer) => layer.name).filter((name) => !checked.has(name))).toEqual([]);
  });
});
