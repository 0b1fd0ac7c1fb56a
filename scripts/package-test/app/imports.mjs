// `node imports.mjs`: imports `.` and every subpath of the installed package from plain
// JavaScript and checks that each gives its main export.
import { ENTRY_POINTS } from './entry-points.mjs';

const MAIN_EXPORT = {
  thingstape: 'openStore',
  'thingstape/protocol': 'decodePage',
  'thingstape/fixture': 'parseManifest',
  'thingstape/testing': 'wireHistory',
  'thingstape/fake': 'FakeThingsCloud',
  'thingstape/harness': 'scenario',
  'thingstape/testing/vitest': 'useFixtureReplay',
};

let failed = 0;
for (const entry of ENTRY_POINTS) {
  const name = MAIN_EXPORT[entry];
  try {
    const module = await import(entry);
    if (typeof module[name] !== 'function') throw new Error(`no function export "${name}"`);
    console.log(`ok ${entry} (${Object.keys(module).length} exports)`);
  } catch (error) {
    failed += 1;
    console.log(`not ok ${entry}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
