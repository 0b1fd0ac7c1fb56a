import { readFileSync } from 'node:fs';

/**
 * The version in thingstape's package.json. The module sits two levels below the package root
 * both in the sources (`src/cli/version.ts`) and in a build (`dist/cli/version.js`), so the same
 * relative path finds it in a checkout and in an installed package.
 */
export function packageVersion(): string {
  try {
    const json = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { readonly version?: unknown };
    return typeof json.version === 'string' ? json.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
