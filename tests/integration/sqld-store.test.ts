/**
 * The store, migration, ledger and reads suites of tests/unit/store, run again against real sqld
 * servers (each database a test opens is an empty sqld of its own; servers are wiped and reused
 * between tests; each Db request is one HTTP request there). The unit files ask `localBackends()` for their backends; here that function answers
 * with the sqld backend, so the same tests run unchanged.
 */
import { afterAll, afterEach, describe, vi } from 'vitest';
import { hasSqld, sqldBackend } from '../support/sqld.ts';

let failed = false;
const backend = sqldBackend(() => failed);
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') failed = true;
  await backend.recycle();
});
afterAll(() => backend.cleanup());

vi.mock('../support/db.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../support/db.ts')>();
  return { ...original, localBackends: () => [backend] };
});

describe.skipIf(!hasSqld())('on sqld', async () => {
  await import('../unit/store/store.test.ts');
  await import('../unit/store/migrations.test.ts');
  await import('../unit/store/ledger.test.ts');
  await import('../unit/store/reads.test.ts');
});
