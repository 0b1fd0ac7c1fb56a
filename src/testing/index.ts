/**
 * Test helpers for users' own suites: fast-check arbitraries of Things Cloud wire histories
 * (needs `fast-check` installed beside thingstape).
 */
export * from './arbitraries/index.ts';
