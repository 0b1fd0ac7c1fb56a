/**
 * The static import graph of the project's TypeScript sources, and its cycles.
 *
 * An edge is every top-level `import … from`, `import type … from`, side-effect `import '…'`,
 * `export … from` and `import x = require('…')` whose specifier is a relative path; dynamic
 * `import()` is not an edge (it does not run when the module loads). Package specifiers
 * (`node:fs`, `yargs`, `thingstape/harness`, `#cli`) are not followed. A small scanner skips
 * comments, strings, template text and regular expressions, so text that only looks like an
 * import is never an edge. (TypeScript 7, the devDependency, has no JavaScript parser API.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One import of a file: the specifier as written and the file it resolves to. */
export interface ImportEdge {
  readonly specifier: string;
  /** Path relative to the graph's root, `/`-separated. */
  readonly to: string;
  /** 1-based line of the import statement. */
  readonly line: number;
  /** True for `import type` / `export type` (erased at run time, still a dependency). */
  readonly typeOnly: boolean;
}

/** Files (relative to `root`, `/`-separated) and the imports each makes. */
export interface ImportGraph {
  readonly root: string;
  /** Each file's relative imports, resolved. */
  readonly edges: ReadonlyMap<string, readonly ImportEdge[]>;
  /** Each file's package imports (`node:fs`, `yargs`, `#cli`), as written, with their lines. */
  readonly packages: ReadonlyMap<
    string,
    readonly { readonly specifier: string; readonly line: number }[]
  >;
}

/** A relative import that names no file. */
export class UnresolvedImportError extends Error {
  override readonly name = 'UnresolvedImportError';
}

const SOURCE = /\.(?:[cm]?ts|tsx)$/;

/** Every `.ts` file under `dirs` (relative to `root`), skipping `node_modules` and declaration files. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const dir of dirs) walk(resolve(root, dir));
  return out.map((file) => toKey(root, file)).sort();
}

/** The module specifiers of `text`'s static imports and re-exports, with their lines. */
export function staticImports(
  text: string,
): { readonly specifier: string; readonly line: number; readonly typeOnly: boolean }[] {
  const tokens = tokenize(text);
  const found: { specifier: string; line: number; typeOnly: boolean }[] = [];
  const at = (i: number): Token | undefined => tokens[i];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.depth !== 0 || token.kind !== 'word') continue;
    if (token.text === 'import') {
      const next = at(i + 1);
      // `import(…)` loads at run time, `import.meta` is not an import.
      if (next === undefined || next.text === '(' || next.text === '.') continue;
      const typeOnly = next.text === 'type' && !['from', ',', '='].includes(at(i + 2)?.text ?? '');
      // The first string after `import` is the specifier (`import x = require('…')` included).
      let j = i + 1;
      while (at(j) !== undefined && at(j)?.kind !== 'string' && at(j)?.text !== ';') j++;
      const specifier = at(j);
      if (specifier?.kind === 'string') {
        found.push({ specifier: specifier.text, line: token.line, typeOnly });
      }
    } else if (token.text === 'export') {
      let j = i + 1;
      const typeOnly = at(j)?.text === 'type';
      if (typeOnly) j++;
      if (at(j)?.text === '*') {
        j++;
        if (at(j)?.text === 'as') j += 2;
      } else if (at(j)?.text === '{') {
        while (at(j) !== undefined && !(at(j)?.text === '}' && at(j)?.depth === 0)) j++;
        j++;
      } else continue;
      const specifier = at(j + 1);
      if (at(j)?.text === 'from' && specifier?.kind === 'string') {
        found.push({ specifier: specifier.text, line: token.line, typeOnly });
      }
    }
  }
  return found;
}

/** A token of the scanner: a word, a string's value, or one punctuation character. */
interface Token {
  readonly kind: 'word' | 'string' | 'punct';
  readonly text: string;
  readonly line: number;
  /** Bracket depth before the token (an opening bracket has its outer depth). */
  readonly depth: number;
}

/** Words after which a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

/**
 * Splits TypeScript text into words, string values and punctuation, skipping comments, template
 * text and regular expressions, so nothing inside them is read as an import.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let depth = 0;
  /** Depths at which a template's `${` opened, innermost last. */
  const templates: number[] = [];
  let i = 0;
  const push = (kind: Token['kind'], value: string, at: number): void => {
    tokens.push({ kind, text: value, line: at, depth });
  };
  const lines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (text[k] === '\n') line++;
  };
  /** Skips template text from `i` (after a backtick or a closing `}`) to its end or a `${`. */
  const templateText = (): void => {
    const begin = i;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        break;
      } else if (c === '$' && text[i + 1] === '{') {
        i += 2;
        templates.push(depth);
        depth++;
        break;
      } else i++;
    }
    lines(begin, i);
  };
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      lines(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      const begin = i;
      let value = '';
      i++;
      while (i < text.length && text[i] !== c && text[i] !== '\n') {
        if (text[i] === '\\') {
          value += text[i + 1] ?? '';
          i += 2;
        } else value += text[i++];
      }
      i++;
      push('string', value, line);
      lines(begin, i);
    } else if (c === '`') {
      i++;
      push('punct', '`', line);
      templateText();
    } else if (c === '}' && templates.at(-1) === depth - 1) {
      templates.pop();
      depth--;
      i++;
      templateText();
    } else if (c === '/' && startsRegex(tokens.at(-1))) {
      let inClass = false;
      i++;
      while (i < text.length && text[i] !== '\n') {
        const r = text[i];
        if (r === '\\') i++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < text.length && /[a-z]/i.test(text[i] as string)) i++;
      push('punct', '/regex/', line);
    } else if (/[\p{L}\p{N}_$]/u.test(c)) {
      const begin = i;
      while (i < text.length && /[\p{L}\p{N}_$]/u.test(text[i] as string)) i++;
      push('word', text.slice(begin, i), line);
    } else {
      if (c === '}' || c === ')' || c === ']') depth = Math.max(0, depth - 1);
      push('punct', c, line);
      if (c === '{' || c === '(' || c === '[') depth++;
      i++;
    }
  }
  return tokens;
}

function startsRegex(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.kind === 'string') return false;
  if (previous.kind === 'word') return BEFORE_REGEX.has(previous.text);
  return !(previous.text === ')' || previous.text === ']' || previous.text === '}');
}

/**
 * Reads `files` (relative to `root`) and resolves their relative imports. A relative import of a
 * file that does not exist is an {@link UnresolvedImportError} naming the importer and line.
 */
export function importGraph(root: string, files: readonly string[]): ImportGraph {
  const edges = new Map<string, ImportEdge[]>();
  const packages = new Map<string, { specifier: string; line: number }[]>();
  for (const file of files) {
    const path = resolve(root, file);
    const list: ImportEdge[] = [];
    const external: { specifier: string; line: number }[] = [];
    for (const found of staticImports(readFileSync(path, 'utf8'))) {
      if (!found.specifier.startsWith('.')) {
        external.push({ specifier: found.specifier, line: found.line });
        continue;
      }
      const target = resolveRelative(dirname(path), found.specifier);
      if (target === null) {
        throw new UnresolvedImportError(
          `Cannot resolve "${found.specifier}" imported by ${file}:${found.line}: no such file`,
        );
      }
      list.push({ ...found, to: toKey(root, target) });
    }
    edges.set(file, list);
    packages.set(file, external);
  }
  return { root, edges, packages };
}

/**
 * Every cycle of the graph, one per strongly connected component of two or more files (or a file
 * that imports itself): the component's files, sorted, and one shortest loop through them that
 * starts at the first of them, as `a → b → a`.
 */
export function findCycles(
  graph: ImportGraph,
): { readonly files: readonly string[]; readonly loop: readonly string[] }[] {
  const out: { files: string[]; loop: string[] }[] = [];
  for (const component of stronglyConnected(graph)) {
    const files = [...component].sort();
    const first = files[0];
    if (first === undefined) continue;
    const selfLoop = (graph.edges.get(first) ?? []).some((e) => e.to === first);
    if (files.length === 1 && !selfLoop) continue;
    out.push({ files, loop: shortestLoop(graph, first, component) });
  }
  return out.sort((a, b) => ((a.files[0] ?? '') < (b.files[0] ?? '') ? -1 : 1));
}

/** A cycle as a line of a failure message. */
export function formatCycle(cycle: { readonly loop: readonly string[] }): string {
  return cycle.loop.join(' → ');
}

/** Tarjan's algorithm, iterative (deep chains of imports must not overflow the stack). */
function stronglyConnected(graph: ImportGraph): Set<string>[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: Set<string>[] = [];
  let counter = 0;
  const targets = (file: string): string[] =>
    [...new Set((graph.edges.get(file) ?? []).map((e) => e.to))].filter((to) =>
      graph.edges.has(to),
    );
  for (const start of graph.edges.keys()) {
    if (index.has(start)) continue;
    const work: { file: string; next: number; targets: string[] }[] = [];
    const visit = (file: string): void => {
      index.set(file, counter);
      low.set(file, counter);
      counter += 1;
      stack.push(file);
      onStack.add(file);
      work.push({ file, next: 0, targets: targets(file) });
    };
    visit(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as (typeof work)[number];
      const to = frame.targets[frame.next];
      if (to !== undefined) {
        frame.next += 1;
        if (!index.has(to)) visit(to);
        else if (onStack.has(to))
          low.set(frame.file, Math.min(low.get(frame.file) ?? 0, index.get(to) ?? 0));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined)
        low.set(parent.file, Math.min(low.get(parent.file) ?? 0, low.get(frame.file) ?? 0));
      if (low.get(frame.file) === index.get(frame.file)) {
        const component = new Set<string>();
        for (;;) {
          const member = stack.pop() as string;
          onStack.delete(member);
          component.add(member);
          if (member === frame.file) break;
        }
        components.push(component);
      }
    }
  }
  return components;
}

/** A shortest path `start → … → start` inside `within` (breadth first). */
function shortestLoop(graph: ImportGraph, start: string, within: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at++) {
    const file = queue[at] as string;
    for (const edge of graph.edges.get(file) ?? []) {
      if (!within.has(edge.to)) continue;
      if (edge.to === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(previous.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!previous.has(edge.to) && edge.to !== start) {
        previous.set(edge.to, file);
        queue.push(edge.to);
      }
    }
  }
  return [start];
}

function resolveRelative(fromDir: string, specifier: string): string | null {
  const base = resolve(fromDir, specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

function toKey(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}
