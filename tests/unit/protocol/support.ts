/** Helpers shared by the protocol tests: test ids, a page around items, one decoded event, errors. */
import { DecodeError, decodePage } from '../../../src/protocol/index.ts';
import type { DecodeOptions, Item, NotePatch } from '../../../src/protocol/index.ts';

/** Canonical Base58 ids for test entities. */
export const ID = 'M9CrKBjvpDP2D7uEsCtwyg';
export const ID2 = 'ELjLmgnpNCnKAgZQYHm1wp';
export const TAG = 'Kd5u6PEbkZ7qGDTvY4yYNi';

/** A history page (schema 301) holding `items`, with envelope keys overridden by `envelope`. */
export function page(
  items: unknown[],
  envelope: Record<string, unknown> = {},
): Record<string, unknown> {
  return { items, 'current-item-index': items.length, schema: 301, ...envelope };
}

/** Decodes one event as the only item of a one-group page and returns the item. */
export function decodeEvent(event: unknown, key = ID, options: Partial<DecodeOptions> = {}): Item {
  const decoded = decodePage(page([{ [key]: event }]), { startIndex: 0, ...options });
  const item = decoded.groups[0]?.items[0];
  if (item === undefined) throw new Error('no item decoded');
  return item;
}

/** A note patch. */
export const patch = (
  replacement: string,
  position: number,
  length: number,
  checksum: number | null = null,
): NotePatch => ({ replacement, position, length, checksum });

/** The DecodeError `run` throws (any other error is rethrown; no error fails the test). */
export function decodeError(run: () => unknown): DecodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof DecodeError) return error;
    throw error;
  }
  throw new Error('expected a DecodeError');
}

/** Whatever `run` throws, or undefined. */
export function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
