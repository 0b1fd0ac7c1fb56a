// `node imports.ts`: a user's TypeScript file (Node strips its types) importing the installed
// package's entry points, with types.
import { openStore, replayFixture, type ReplaySummary } from 'thingstape';
import { FakeThingsCloud } from 'thingstape/fake';
import { parseManifest, type FixtureManifest } from 'thingstape/fixture';
import { scenario } from 'thingstape/harness';
import { decodePage, type CivilDate } from 'thingstape/protocol';
import { wireHistory } from 'thingstape/testing';
import { useFixtureReplay } from 'thingstape/testing/vitest';

const loaded: ReadonlyArray<unknown> = [
  FakeThingsCloud,
  parseManifest,
  scenario,
  decodePage,
  wireHistory,
  useFixtureReplay,
];
const store = await openStore('file:imports-ts.db');
try {
  const summary: ReplaySummary = await replayFixture({ fixtureDir: 'fixtures/my-account', store });
  const manifest: FixtureManifest | undefined = undefined;
  const today: CivilDate = summary.context.referenceDate;
  console.log(
    `ok ${loaded.length + 1} entry points; replayed ${summary.changes} change(s) on ${today}`,
    manifest ?? '',
  );
} finally {
  store.close();
}
