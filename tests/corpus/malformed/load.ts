/**
 * The malformed-page corpus (`cases.json`): loading, the `<<…>>` expansions, and each case as the
 * bytes of a page body and as a decode call. Used by the decoder's corpus test and by the
 * end-to-end test that replays every case into a database.
 */
import { readFileSync } from 'node:fs';

import { decodePage, decodePageBytes, decodePageText } from '../../../src/protocol/index.ts';
import type { DecodeLocation, DecodeOptions, Page } from '../../../src/protocol/index.ts';

/** One case: a page given as a JSON value, a text or bytes, and the error it must produce. */
export interface MalformedCase {
  readonly name: string;
  readonly input?: unknown;
  readonly text?: string;
  readonly bytes?: Uint8Array;
  readonly startIndex?: number;
  readonly code: string;
  readonly location: DecodeLocation;
}

const CORPUS = new URL('cases.json', import.meta.url);

/** Every case of the corpus, expanded. */
export function loadCases(): MalformedCase[] {
  const parsed: unknown = JSON.parse(readFileSync(CORPUS, 'utf8'));
  const cases: unknown = Reflect.get(Object(parsed), 'cases');
  if (!Array.isArray(cases)) throw new Error('cases.json has no "cases" array');
  return cases.map((entry: unknown): MalformedCase => {
    const get = (key: string): unknown => Reflect.get(Object(entry), key);
    const name = get('name');
    const code = get('code');
    const location = get('location');
    const text = get('text');
    const bytes = get('bytes');
    const startIndex = get('startIndex');
    if (
      typeof name !== 'string' ||
      typeof code !== 'string' ||
      typeof location !== 'object' ||
      location === null
    ) {
      throw new Error(`malformed corpus entry: ${JSON.stringify(entry)}`);
    }
    return {
      name,
      code,
      location: { ...location },
      input: expand(get('input')),
      ...(typeof text === 'string' ? { text: expandText(text) } : {}),
      ...(typeof bytes === 'string' ? { bytes: expandBytes(bytes) } : {}),
      ...(typeof startIndex === 'number' ? { startIndex } : {}),
    };
  });
}

/** Expands `<<repeat N s>>` strings (used for oversized values). */
function expand(value: unknown): unknown {
  if (typeof value === 'string') {
    const match = /^<<repeat (\d+) (.+)>>$/.exec(value);
    return match === null ? value : (match[2] ?? '').repeat(Number(match[1]));
  }
  if (Array.isArray(value)) return value.map(expand);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, expand(inner)]));
  }
  return value;
}

/** Expands `<<nest N>>` (N nested arrays around 1) in a page text. */
function expandText(text: string): string {
  return text.replace(/<<nest (\d+)>>/g, (_all, n: string) => {
    const depth = Number(n);
    return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  });
}

/** A page text with `<<byte XX>>` tokens as raw bytes (the rest UTF-8). */
function expandBytes(text: string): Uint8Array {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (const part of expandText(text).split(/(<<byte [0-9A-Fa-f]{2}>>)/)) {
    const byte = /^<<byte ([0-9A-Fa-f]{2})>>$/.exec(part);
    if (byte !== null) out.push(Number.parseInt(byte[1] ?? '0', 16));
    else out.push(...encoder.encode(part));
  }
  return new Uint8Array(out);
}

/** The case as the bytes of a page body. */
export function bodyOf(entry: MalformedCase): Uint8Array {
  if (entry.bytes !== undefined) return entry.bytes;
  return new TextEncoder().encode(entry.text ?? JSON.stringify(entry.input));
}

/** Decodes the case the way its form asks for (value, text or bytes). */
export function decodeCase(entry: MalformedCase, options: DecodeOptions): Page {
  if (entry.bytes !== undefined) return decodePageBytes(entry.bytes, options);
  if (entry.text !== undefined) return decodePageText(entry.text, options);
  return decodePage(entry.input, options);
}
