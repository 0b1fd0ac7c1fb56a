/** Helpers shared by the protocol tests: canonical test ids, a page around items, one decoded event. */
import { decodePage } from '../../../src/protocol/index.ts';
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
