/**
 * `npm run build` (also run by `npm pack` through `prepack`): compiles src/ and recorder/ into
 * dist/ with TypeScript's own compiler — JavaScript with `.ts` imports rewritten to `.js`,
 * declarations and source maps (tsconfig.build.json, decision 0017).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
// `thingstape bench` names the benchmark's types, so the compiler emits bench/ and the checkout's
// tools it imports; neither belongs in the package (the command says so when bench/ is absent).
for (const dir of ['bench', 'tools']) rmSync(join(dist, dir), { recursive: true, force: true });

for (const entry of ['src/index.js', 'src/index.d.ts', 'src/cli/main.js', 'recorder/index.js']) {
  if (!existsSync(join(dist, entry))) {
    process.stderr.write(
      `build: Cannot find dist/${entry} after compiling; see tsconfig.build.json\n`,
    );
    process.exit(1);
  }
}
process.stdout.write('build: dist/ is ready\n');
