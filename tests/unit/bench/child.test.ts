import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/cli.ts';
import { importGraph, sourceFiles } from '../architecture/import-graph.ts';

const graph = importGraph(REPO, sourceFiles(REPO, ['src', 'recorder', 'bench', 'tools']));

/** Every file code run from `entry` loads (type-only imports are erased), and its packages. */
function reached(entry: string): { files: string[]; packages: string[] } {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const edge of graph.edges.get(file) ?? []) if (!edge.typeOnly) visit(edge.to);
  };
  visit(entry);
  const files = [...seen].sort();
  const packages = files.flatMap((f) => (graph.packages.get(f) ?? []).map((p) => p.specifier));
  return { files, packages: [...new Set(packages)].sort() };
}

/** The harness that starts the tasks: none of it belongs in a measured process. */
const HARNESS = [
  'bench/index.ts',
  'bench/run.ts',
  'bench/writes.ts',
  'bench/measure.ts',
  'bench/spawn.ts',
  'bench/reads.ts',
];

describe('bench/child.ts, the process of one task', () => {
  it("loads no file of the harness and starts no process, so its peak RSS is the task's", () => {
    const child = reached('bench/child.ts');
    expect(child.files).toContain('bench/tasks/replay.ts');
    expect(child.files.filter((f) => HARNESS.includes(f))).toEqual([]);
    expect(child.packages).not.toContain('node:child_process');
  });

  it('finds the harness from the harness (the check can fail)', () => {
    const harness = reached('bench/run.ts');
    expect(harness.files).toEqual(expect.arrayContaining(HARNESS.slice(1)));
    expect(harness.packages).toContain('node:child_process');
  });
});
