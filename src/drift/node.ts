/**
 * The drift check's Node side: the shape catalogue of a fixture directory (its pages, the
 * recorder's `*.meta.json` side files and manifest), or a catalogue saved as JSON.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readFixtureManifest, readPage } from '../fixture/node.ts';
import {
  CATALOGUE_FORMAT,
  CATALOGUE_VERSION,
  CatalogueBuilder,
  type ResponseMeta,
  type ShapeCatalogue,
} from './catalogue.ts';
import { DriftError } from './errors.ts';

/** The items endpoint of every page that has no side file: the recorder keeps only 200 pages. */
const ITEMS_URL = '/version/1/history/{key}/items';

/**
 * The catalogue of `path`: a fixture directory (pages verified by hash; each page's
 * `pages/<N>.meta.json`, else a plain 200 for its request; any `*.meta.json` beside the manifest
 * for other endpoints; the recorder's account status), or a catalogue JSON file.
 */
export async function readCatalogue(path: string, given = path): Promise<ShapeCatalogue> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new DriftError(
      'NOT_A_RECORDING',
      `Cannot read ${given}: no such file or directory; name a fixture directory or a shape catalogue (.json)`,
      { cause: error },
    );
  }
  return info.isDirectory() ? fixtureCatalogue(path) : catalogueFile(path, given);
}

async function fixtureCatalogue(dir: string): Promise<ShapeCatalogue> {
  const { manifest } = await readFixtureManifest(dir);
  const builder = new CatalogueBuilder().recording();
  const status = (manifest.extra?.['recording'] as { account?: { status?: unknown } } | undefined)
    ?.account?.status;
  if (typeof status === 'string') builder.accountStatus(status);
  for (const page of manifest.pages) {
    const text = new TextDecoder().decode(await readPage(dir, manifest, page));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    builder.page(body);
    const side = await sideFile(join(dir, page.file.replace(/\.json$/, '.meta.json')));
    builder.response(side ?? { method: 'GET', url: ITEMS_URL, status: 200, headers: {} });
  }
  for (const name of (await readdir(dir)).sort()) {
    if (!name.endsWith('.meta.json')) continue;
    const side = await sideFile(join(dir, name));
    if (side !== null) builder.response(side);
  }
  return builder.build();
}

/** A side file `{request: {method, url}, response: {status, headers}}`, or `null`. */
async function sideFile(path: string): Promise<ResponseMeta | null> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return null;
  }
  const request = (json as { request?: { method?: unknown; url?: unknown } }).request;
  const response = (json as { response?: { status?: unknown; headers?: unknown } }).response;
  if (
    typeof request?.method !== 'string' ||
    typeof request.url !== 'string' ||
    typeof response?.status !== 'number'
  ) {
    return null;
  }
  const headers: Record<string, string> = {};
  if (typeof response.headers === 'object' && response.headers !== null) {
    for (const [k, v] of Object.entries(response.headers)) {
      if (typeof v === 'string') headers[k] = v;
    }
  }
  return { method: request.method, url: request.url, status: response.status, headers };
}

async function catalogueFile(path: string, given: string): Promise<ShapeCatalogue> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DriftError(
      'INVALID_CATALOGUE',
      `Cannot read ${given}: not valid JSON; name a fixture directory or a shape catalogue written by "thingstape drift --write-catalogue"`,
      { cause: error },
    );
  }
  const catalogue = json as Partial<ShapeCatalogue> | null;
  if (catalogue?.format !== CATALOGUE_FORMAT) {
    throw new DriftError(
      'NOT_A_RECORDING',
      `Cannot read ${given}: a file, but not a shape catalogue (no "format": "${CATALOGUE_FORMAT}"); name a fixture directory or a catalogue written by "thingstape drift --write-catalogue"`,
    );
  }
  if (catalogue.version !== CATALOGUE_VERSION) {
    throw new DriftError(
      'INVALID_CATALOGUE',
      `Cannot read ${given}: catalogue version ${String(catalogue.version)}, this thingstape reads version ${CATALOGUE_VERSION}; upgrade thingstape or write the catalogue again`,
    );
  }
  return json as ShapeCatalogue;
}

/** A catalogue as the JSON text to commit: keys as built (sorted), two-space indent, newline. */
export function catalogueText(catalogue: ShapeCatalogue): string {
  return `${JSON.stringify(catalogue, null, 2)}\n`;
}
