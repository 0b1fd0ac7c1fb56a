/**
 * thingstape's own package.json, read at run time from where this module sits: one directory up
 * in the sources (src/package-info.ts) and two in the built package (dist/src/package-info.js),
 * so the CLI's `--version` says the same in a checkout and in an installed package.
 */
import { readFileSync } from 'node:fs';

/** The `version` of thingstape's package.json. */
export function packageVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
    } catch {
      continue;
    }
    const { name, version } = (json ?? {}) as { name?: unknown; version?: unknown };
    if (name === 'thingstape' && typeof version === 'string') return version;
  }
  throw new Error(
    `Cannot read thingstape's version: no package.json of thingstape one or two directories above ${import.meta.url}`,
  );
}
