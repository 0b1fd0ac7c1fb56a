import { describe, expect, it } from 'vitest';

import { DecodeError, formatLocation } from '../../../src/protocol/index.ts';
import type { DecodeLocation } from '../../../src/protocol/index.ts';
import { decodeCase, loadCases, type MalformedCase } from '../../corpus/malformed/load.ts';

function run(entry: MalformedCase, location?: DecodeLocation): DecodeError {
  const options = {
    startIndex: entry.startIndex ?? 0,
    ...(location === undefined ? {} : { location }),
  };
  try {
    decodeCase(entry, options);
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
