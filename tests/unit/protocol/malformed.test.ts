import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  DecodeError,
  decodePage,
  decodePageText,
  formatLocation,
} from '../../../src/protocol/index.ts';
import type { DecodeLocation } from '../../../src/protocol/index.ts';

interface MalformedCase {
  readonly name: string;
  readonly input?: unknown;
  readonly text?: string;
  readonly startIndex?: number;
  readonly code: string;
  readonly location: DecodeLocation;
}

const CORPUS = new URL('../../corpus/malformed/cases.json', import.meta.url);

function loadCases(): MalformedCase[] {
  const parsed: unknown = JSON.parse(readFileSync(CORPUS, 'utf8'));
  const cases: unknown = Reflect.get(Object(parsed), 'cases');
  if (!Array.isArray(cases)) throw new Error('cases.json has no "cases" array');
  return cases.map((entry: unknown): MalformedCase => {
    const get = (key: string): unknown => Reflect.get(Object(entry), key);
    const name = get('name');
    const code = get('code');
    const location = get('location');
    const text = get('text');
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
      ...(typeof text === 'string' ? { text } : {}),
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

function run(entry: MalformedCase, location?: DecodeLocation): DecodeError {
  const options = {
    startIndex: entry.startIndex ?? 0,
    ...(location === undefined ? {} : { location }),
  };
  try {
    if (entry.text === undefined) decodePage(entry.input, options);
    else decodePageText(entry.text, options);
  } catch (error) {
    if (error instanceof DecodeError) return error;
    throw error;
  }
  throw new Error(`case "${entry.name}" decoded without an error`);
}

const cases = loadCases();

describe('decodePage() on the malformed corpus', () => {
  it('holds at least 30 cases with distinct names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((entry) => entry.name)).size).toBe(cases.length);
  });

  it.each(cases.map((entry) => [entry.name, entry] as const))('rejects %s', (_name, entry) => {
    const error = run(entry);
    expect(error.code).toBe(entry.code);
    expect(error.location).toEqual(entry.location);
  });

  it.each(cases.map((entry) => [entry.name, entry] as const))(
    'names the fixture, page and location in the message for %s',
    (_name, entry) => {
      const error = run(entry, { fixture: 'corpus', page: 7 });
      expect(error.location).toEqual({ fixture: 'corpus', page: 7, ...entry.location });
      expect(error.message).toBe(
        `Cannot decode ${formatLocation({ fixture: 'corpus', page: 7, ...entry.location })}: ${error.reason}`,
      );
      expect(error.message).toMatch(/^Cannot decode fixture "corpus", page 7[,:]/);
    },
  );

  it('formats an item location as page, group, server index, item and path', () => {
    const entry = cases.find((candidate) => candidate.name === 'group at start-index 500 + 2');
    expect(entry).toBeDefined();
    const error = run(entry ?? cases[0]!, { fixture: 'corpus', page: 7 });
    expect(error.message).toBe(
      'Cannot decode fixture "corpus", page 7, group 2 (server index 502), item "M9CrKBjvpDP2D7uEsCtwyg", t: unknown action 3 (expected 0, 1 or 2)',
    );
  });
});
