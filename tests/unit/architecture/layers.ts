/**
 * The module table of docs/architecture.md, read as data: each module, the modules it may import
 * and whether it is pure. The table is the one statement of the layering; the import test holds
 * the code to it.
 */

/** One row of the table. */
export interface Layer {
  /** `protocol` (a directory of src/), `errors.ts` (a file of src/), `recorder`, `bench`. */
  readonly name: string;
  readonly mayImport: readonly string[];
  /** Imports no package at all. */
  readonly pure: boolean;
}

/** Marks the table in docs/architecture.md. */
export const TABLE_MARKER =
  '<!-- The table below is read by tests/unit/architecture/imports.test.ts';

/**
 * Reads the first table after {@link TABLE_MARKER}: columns module, purpose, may import, pure.
 * "every module above" in the third column names every row above it.
 */
export function readLayers(markdown: string): Layer[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(TABLE_MARKER));
  if (start === -1) throw new Error(`docs/architecture.md has no line starting ${TABLE_MARKER}`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) rows.push(line);
    else if (rows.length > 0) break;
  }
  const layers: Layer[] = [];
  for (const [i, row] of rows.slice(2).entries()) {
    const cells = row
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const [module = '', , allowed = '', pure = ''] = cells;
    const name = /^`([^`]+)`$/.exec(module)?.[1];
    if (cells.length !== 4 || name === undefined) {
      throw new Error(
        `docs/architecture.md, module table row ${i + 1}: expected "| \`module\` | purpose | may import | pure |", got ${row}`,
      );
    }
    const mayImport = allowed.includes('every module above')
      ? layers.map((layer) => layer.name)
      : [...allowed.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
    layers.push({ name, mayImport, pure: pure === 'yes' });
  }
  return layers;
}

/** The module a file (relative to the repository, `/`-separated) belongs to, named as the table names it. */
export function moduleOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'src') return parts[1] as string;
  if (parts[0] === 'tests') return parts.slice(0, 2).join('/');
  return parts[0] as string;
}
