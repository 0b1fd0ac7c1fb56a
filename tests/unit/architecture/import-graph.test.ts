import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  UnresolvedImportError,
  findCycles,
  formatCycle,
  importGraph,
  sourceFiles,
  staticImports,
} from './import-graph.ts';
import { TABLE_MARKER, moduleOf, readLayers } from './layers.ts';

let root: string | undefined;

afterEach(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
  root = undefined;
});

/** Writes `files` (path → text) into a fresh temporary tree and returns its graph. */
async function tree(files: Record<string, string>): Promise<ReturnType<typeof importGraph>> {
  root = await mkdtemp(join(tmpdir(), 'thingstape-imports-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return importGraph(root, sourceFiles(root, ['src']));
}

describe('staticImports()', () => {
  it('reads imports, type imports, side-effect imports, re-exports and import-equals', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "import './c.ts';",
      "export * from './d.ts';",
      "export * as e from './e.ts';",
      "export type { F } from './f.ts';",
      'export {',
      '  g,',
      "} from './g.ts';",
      "import h = require('./h.ts');",
      "import type, { i } from './i.ts';",
    ].join('\n');
    expect(staticImports(text)).toEqual([
      { specifier: './a.ts', line: 1, typeOnly: false },
      { specifier: './b.ts', line: 2, typeOnly: true },
      { specifier: './c.ts', line: 3, typeOnly: false },
      { specifier: './d.ts', line: 4, typeOnly: false },
      { specifier: './e.ts', line: 5, typeOnly: false },
      { specifier: './f.ts', line: 6, typeOnly: true },
      { specifier: './g.ts', line: 7, typeOnly: false },
      { specifier: './h.ts', line: 10, typeOnly: false },
      { specifier: './i.ts', line: 11, typeOnly: false },
    ]);
  });

  it('ignores dynamic imports, import.meta, local exports and imports inside comments, strings, templates and regexes', () => {
    const text = [
      '// import { x } from "./comment.ts";',
      "/* export * from './block.ts'; */",
      'const s = "import { y } from \'./string.ts\'";',
      "const t = `import ${'./template.ts'} ${ { a: `export * from './nested.ts'` }.a }`;",
      "const r = /import '.\\/regex.ts'/;",
      "const later = await import('./dynamic.ts');",
      'const here = import.meta.url;',
      'export { s, t, r };',
      'export const u = 1;',
      "function f() { return import('./inner.ts'); }",
      "import { z } from './real.ts';",
    ].join('\n');
    expect(staticImports(text)).toEqual([{ specifier: './real.ts', line: 11, typeOnly: false }]);
  });
});

describe('findCycles()', () => {
  it('finds a cycle in a temporary tree and names its shortest loop', async () => {
    const graph = await tree({
      'src/a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
      'src/b.ts': "import type { C } from './sub/c.ts';\nexport const b = 1;\n",
      'src/sub/c.ts': "export type { A } from '../a.ts';\nexport type C = number;\n",
      'src/leaf.ts': "import { a } from './a.ts';\nexport const leaf = a;\n",
    });
    const cycles = findCycles(graph);
    expect(cycles).toEqual([
      {
        files: ['src/a.ts', 'src/b.ts', 'src/sub/c.ts'],
        loop: ['src/a.ts', 'src/b.ts', 'src/sub/c.ts', 'src/a.ts'],
      },
    ]);
    expect(cycles.map(formatCycle)).toEqual(['src/a.ts → src/b.ts → src/sub/c.ts → src/a.ts']);
  });

  it('lists each cycle once, a file importing itself included, and none in a tree without cycles', async () => {
    const graph = await tree({
      'src/self.ts': "import './self.ts';\n",
      'src/x.ts': "import './y.ts';\n",
      'src/y.ts': "import './x.ts';\nimport './z/index.ts';\n",
      'src/z/index.ts': "import { x } from '../w.js';\n",
      'src/w.ts': 'export const x = 1;\n',
    });
    expect(findCycles(graph).map(formatCycle)).toEqual([
      'src/self.ts → src/self.ts',
      'src/x.ts → src/y.ts → src/x.ts',
    ]);
    const acyclic = await tree({
      'src/a.ts': "import './b.ts';\nimport './c.ts';\n",
      'src/b.ts': "import './c.ts';\n",
      'src/c.ts': 'export {};\n',
    });
    expect(findCycles(acyclic)).toEqual([]);
  });

  it('rejects a relative import of a file that does not exist, naming the importer and line', async () => {
    await expect(
      tree({ 'src/a.ts': "export {};\nimport { gone } from './gone.ts';\n" }),
    ).rejects.toThrow(
      new UnresolvedImportError('Cannot resolve "./gone.ts" imported by src/a.ts:2: no such file'),
    );
  });
});

describe('readLayers()', () => {
  const doc = (rows: string[]): string =>
    [
      '# x',
      '',
      `${TABLE_MARKER} -->`,
      '',
      '| module | purpose | may import | pure |',
      '| - | - | - | - |',
      ...rows,
      '',
      'after',
    ].join('\n');

  it('reads each row: the module, what it may import, whether it is pure', () => {
    const layers = readLayers(
      doc([
        '| `errors.ts` | base | | yes |',
        '| `engine` | fold | `protocol`, `errors.ts` | yes |',
        '| `cli` | commands | every module above | |',
      ]),
    );
    expect(layers).toEqual([
      { name: 'errors.ts', mayImport: [], pure: true },
      { name: 'engine', mayImport: ['protocol', 'errors.ts'], pure: true },
      { name: 'cli', mayImport: ['errors.ts', 'engine'], pure: false },
    ]);
  });

  it('rejects a row that is not module, purpose, may import, pure', () => {
    expect(() => readLayers(doc(['| engine | fold | `protocol` | yes |']))).toThrow(
      /module table row 1/,
    );
    expect(() => readLayers('# no table')).toThrow(/has no line starting/);
  });
});

describe('moduleOf()', () => {
  it('names directories and files of src/, the top directories and the directories of tests/', () => {
    expect(moduleOf('src/protocol/guard/rules.ts')).toBe('protocol');
    expect(moduleOf('src/errors.ts')).toBe('errors.ts');
    expect(moduleOf('recorder/record.ts')).toBe('recorder');
    expect(moduleOf('tests/support/sqld.ts')).toBe('tests/support');
  });
});
