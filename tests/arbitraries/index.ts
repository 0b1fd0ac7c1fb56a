/** The wire-history arbitraries, re-exported for tests (users import them as `thingstape/testing`). */
export * from '../../src/testing/index.ts';
