/**
 * The store's module shape (decision 0034): no import cycle among its files, type-only imports
 * included; the contract (types.ts) imports only engine and protocol types; the SQL helpers
 * (sql.ts) import nothing of the store but the Db port's types.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const STORE = join(SRC, 'store');

/** Every relative import and re-export of `file`, as paths below src/, and whether type-only. */
async function importsOf(file: string): Promise<{ path: string; typeOnly: boolean }[]> {
  const text = await readFile(file, 'utf8');
  const out: { path: string; typeOnly: boolean }[] = [];
  for (const match of text.matchAll(/^(import|export)(\s+type)?\s[^;]*?from\s+'(\.[^']+)'/gms)) {
    const target = normalize(join(file, '..', match[3] ?? ''));
    out.push({ path: target.slice(SRC.length), typeOnly: match[2] !== undefined });
  }
  return out;
}

/** The store's files (below src/) and what each imports within the store. */
async function storeGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const entry of await readdir(STORE, { recursive: true })) {
    if (!entry.endsWith('.ts')) continue;
    const imports = await importsOf(join(STORE, entry));
    graph.set(
      join('store', entry),
      imports.map((i) => i.path).filter((path) => path.startsWith('store/')),
    );
  }
  return graph;
}

/** The first import cycle found in `graph`, as the files along it; `undefined` when none. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const done = new Set<string>();
  const walk = (file: string, path: string[]): string[] | undefined => {
    const at = path.indexOf(file);
    if (at >= 0) return [...path.slice(at), file];
    if (done.has(file)) return undefined;
    for (const next of graph.get(file) ?? []) {
      const cycle = walk(next, [...path, file]);
      if (cycle !== undefined) return cycle;
    }
    done.add(file);
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = walk(file, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('the store modules', () => {
  it('import each other without a cycle, type-only imports included', async () => {
    const graph = await storeGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(findCycle(graph)).toBeUndefined();
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['store/a.ts', ['store/b.ts']],
      ['store/b.ts', ['store/c.ts']],
      ['store/c.ts', ['store/a.ts']],
    ]);
    expect(findCycle(graph)).toEqual(['store/a.ts', 'store/b.ts', 'store/c.ts', 'store/a.ts']);
  });

  it('keep the contract to engine and protocol types', async () => {
    const imports = await importsOf(join(STORE, 'types.ts'));
    expect(imports.length).toBeGreaterThan(0);
    for (const { path, typeOnly } of imports) {
      expect({ path, typeOnly }).toEqual({
        path: expect.stringMatching(/^(engine|protocol)\//) as unknown,
        typeOnly: true,
      });
    }
  });

  it('keep the SQL helpers a leaf: only the Db port, and only its types', async () => {
    expect(await importsOf(join(STORE, 'sql.ts'))).toEqual([
      { path: 'store/db.ts', typeOnly: true },
    ]);
  });
});
