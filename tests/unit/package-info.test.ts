import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageVersion } from '../../src/package-info.ts';
import { REPO } from '../support/cli.ts';

describe('packageVersion()', () => {
  it('reads the version of thingstape’s own package.json (the package test reads it from dist/)', async () => {
    const manifest = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(packageVersion()).toBe(manifest.version);
  });
});
