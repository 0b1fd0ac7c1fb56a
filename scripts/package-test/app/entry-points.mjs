// Every entry point of the installed thingstape, from its package.json `exports`.
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync('node_modules/thingstape/package.json', 'utf8'));
export const ENTRY_POINTS = Object.keys(manifest.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'thingstape' : `thingstape/${key.slice(2)}`));
export const VERSION = manifest.version;
