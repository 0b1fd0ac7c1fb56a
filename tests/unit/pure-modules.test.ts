/**
 * The pure modules import nothing of Node, libSQL or the network, so `thingstape/protocol` and
 * `thingstape/fixture` run in any runtime (docs/runtimes.md) and the portable SHA-256, SHA-1,
 * CRC-32 and UTF-8 length stay where they are needed (decision 0033). Follows every static and
 * dynamic relative import from each entry and lists the forbidden ones it reaches.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Entries whose whole import graph must be pure. */
const PURE_ENTRIES = [
  'src/protocol/index.ts',
  'src/engine/index.ts',
  'src/fixture/index.ts',
  'src/gen/index.ts',
  'recorder/anonymize.ts',
] as const;

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function forbidden(specifier: string): boolean {
  return (
    specifier.startsWith('node:') ||
    specifier === '@libsql/client' ||
    specifier === 'libsql' ||
    specifier === 'msw' ||
    specifier.startsWith('msw/')
  );
}

/** Every forbidden import reached from `entry`, as `file → specifier`. */
function forbiddenImports(entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else if (forbidden(specifier)) found.push(`${relative(ROOT, file)} → ${specifier}`);
    }
  };
  visit(join(ROOT, entry));
  expect(seen.size).toBeGreaterThan(0);
  return found;
}

describe('pure modules', () => {
  it.each(PURE_ENTRIES)('%s reaches no node:*, libSQL or msw import', (entry) => {
    expect(forbiddenImports(entry)).toEqual([]);
  });

  it('finds a node: import where there is one (the check can fail)', () => {
    expect(forbiddenImports('src/fixture/node.ts')).toContain('src/fixture/node.ts → node:crypto');
  });
});
