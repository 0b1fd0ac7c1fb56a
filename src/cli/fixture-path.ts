import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ThingstapeError } from '../errors.ts';
import { readFixtureManifest } from '../fixture/node.ts';
import { MANIFEST_FILE } from '../fixture/manifest.ts';
import type { FixtureManifest } from '../fixture/types.ts';

/** A fixture directory that exists and whose manifest reads. */
export interface FoundFixture {
  /** Absolute directory. */
  readonly dir: string;
  readonly name: string;
  readonly manifest: FixtureManifest;
}

/**
 * Finds the fixture `given` names (relative to `cwd`) before anything else happens, so a wrong
 * path creates nothing (no database file, no server): says whether the path is missing, a file,
 * or a directory without a manifest (naming fixtures inside it, if any).
 */
export async function requireFixture(
  given: string,
  cwd: string,
  action: string,
): Promise<FoundFixture> {
  const dir = resolve(cwd, given);
  const fail = (why: string): never => {
    throw new ThingstapeError('FIXTURE_NOT_FOUND', `Cannot ${action} ${given}: ${why}`);
  };
  if (!existsSync(dir)) {
    fail('no such directory; name a fixture directory (one holding manifest.json)');
  }
  if (!statSync(dir).isDirectory()) {
    fail('it is a file; name a fixture directory (one holding manifest.json)');
  }
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    const inside = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, MANIFEST_FILE)))
      .map((entry) => entry.name)
      .sort();
    const example = inside[0] === undefined ? '' : `, e.g. ${join(given, inside[0])}`;
    fail(
      inside.length === 0
        ? `it holds no ${MANIFEST_FILE}, so it is not a fixture; name a fixture directory (one holding ${MANIFEST_FILE})`
        : `it holds no ${MANIFEST_FILE}, so it is not a fixture; it holds ${inside.length} fixture(s)${example}`,
    );
  }
  const { name, manifest } = await readFixtureManifest(dir);
  return { dir, name, manifest };
}
