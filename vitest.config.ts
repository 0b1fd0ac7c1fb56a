import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // thingstape imports itself by its package name (`thingstape/harness`, …) as its users do; in
  // this checkout those imports resolve to the TypeScript sources, not the built dist/ (decision
  // 0017). The package test (scripts/package-test.sh) runs the built package in a user's project.
  ssr: { resolve: { conditions: ['thingstape-source', ...defaultServerConditions] } },
  test: {
    include: ['tests/**/*.test.ts'],
    // Two files at a time: the machines this runs on have 2 cores, and the default (cores − 1)
    // would run the long property files one after another.
    maxWorkers: 2,
    // Guards against a hang, never a budget (docs/decisions/0023-run-budgets-not-time-limits.md):
    // no test may fail because the machine is busy. Ten minutes: beside eight CPU hogs and other
    // work (load 30 on 2 cores) a tiny `thingstape bench` took over two minutes. Property tests
    // set their own, longer guard.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // expect.poll waits one second by default; on a loaded machine a page or a child process takes
    // longer than that to reach the state polled for.
    expect: { poll: { timeout: 120_000 } },
  },
});
