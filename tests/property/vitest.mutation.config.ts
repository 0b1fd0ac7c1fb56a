/**
 * The vitest config StrykerJS runs (`make mutation`): only the tests of the mutated modules
 * (src/engine, src/protocol) and the property tests, so unrelated suites (CLI, recorder, sqld)
 * neither slow each mutant down nor fail its dry run.
 */
import { resolve } from 'node:path';

import { defineConfig } from 'vitest/config';

import base from '../../vitest.config.ts';

export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  test: {
    ...base.test,
    include: [
      'tests/unit/engine/**/*.test.ts',
      'tests/unit/protocol/**/*.test.ts',
      'tests/property/**/*.test.ts',
    ],
  },
});
