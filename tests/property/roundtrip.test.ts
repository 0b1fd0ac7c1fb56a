/**
 * Decoder round trip on generated pages: `decodePage(encodePage(page))` is `page`, and the encoded
 * body is the generated wire JSON itself up to key order (the encoder writes note objects as
 * `{_t, ch, v, t}` whatever order they came in). Pure (no store): the decoded page is everything the
 * engine folds, so an identical page means identical state and changes downstream, which the
 * property checks too by folding both with the reference model.
 */
import { isDeepStrictEqual } from 'node:util';

import { describe, it } from 'vitest';

import { decodePage, encodePage } from '../../src/protocol/index.ts';
import type { Page } from '../../src/protocol/index.ts';
import { splitHistory, splitPages, wirePage } from '../arbitraries/index.ts';
import { canonical, modelFold } from './model.ts';
import { assert, check, hangGuard } from './support.ts';

const RUNS = 3000;

/** A page whose items forget their raw wire events (as if built in code, not decoded). */
function withoutRaw(page: Page): Page {
  return {
    ...page,
    groups: page.groups.map((group) => ({
      ...group,
      items: group.items.map((item) => ({ ...item, raw: undefined })),
    })),
  };
}

describe('encodePage()', () => {
  it(
    'is undone by decodePage() on every generated page, value for value',
    { timeout: hangGuard(RUNS) },
    async () => {
      await check('decoder round trip', RUNS, [splitHistory()], async ({ history, cuts }) => {
        for (const page of splitPages(history.groups, cuts)) {
          const wire = wirePage(page.groups, history.groups.length);
          const decoded = decodePage(wire, { startIndex: page.startIndex });
          const encoded = encodePage(decoded);
          const again = decodePage(encoded, { startIndex: page.startIndex });
          assert(
            isDeepStrictEqual(again, decoded),
            `page at ${page.startIndex} decodes differently after encoding`,
          );
          assert(
            canonical(encoded) === canonical(wire),
            `page at ${page.startIndex} encodes to other JSON`,
            { wire, encoded },
          );
          // Without the raw events the encoder writes every typed value in its canonical wire form.
          const typed = withoutRaw(decoded);
          const canonicalAgain = withoutRaw(
            decodePage(encodePage(typed), { startIndex: page.startIndex }),
          );
          assert(
            isDeepStrictEqual(canonicalAgain, typed),
            `page at ${page.startIndex} loses typed values when encoded without its raw events`,
            { typed: typed.groups, again: canonicalAgain.groups },
          );
          const first = modelFold(decoded.groups);
          const second = modelFold(again.groups);
          assert(
            canonical(first.changes) === canonical(second.changes),
            'the round trip changes the changes',
          );
          assert(
            canonical([...first.entities]) === canonical([...second.entities]),
            'the round trip changes the state',
          );
        }
      });
    },
  );
});
