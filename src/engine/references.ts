/**
 * What the fold must know of a page's groups before it applies them: the ids the store loads first
 * ({@link referencedIds}), the references judged for dangling targets, and a kind newer than this
 * thingstape understands (which stops the fold before anything is applied).
 */
import type { EntityRef, Group, Item } from '../protocol/index.ts';
import { EngineError } from './errors.ts';

/** The first item of a kind newer than this thingstape understands (`Task8`), if any. */
export function findUnsupported(groups: readonly Group[]): Item | undefined {
  for (const group of groups) {
    for (const item of group.items) if (item.kind.class === 'newerVersion') return item;
  }
  return undefined;
}

export function unsupportedError(item: Item): EngineError {
  return new EngineError(
    'UNSUPPORTED_KIND',
    `Cannot fold server index ${item.serverIndex}, item ${item.position}: kind "${item.kind.kind}" is a newer version of a known family than this thingstape understands; upgrade thingstape (nothing was applied)`,
  );
}

function refIds(refs: readonly EntityRef[] | undefined): string[] {
  return refs === undefined ? [] : refs.map((ref) => ref.id);
}

/** The references of an item the fold checks for dangling targets, with their payload paths. */
export function referencesOf(item: Item): { readonly path: string; readonly id: string }[] {
  const out: { path: string; id: string }[] = [];
  const add = (key: string, refs: readonly EntityRef[] | undefined) => {
    refIds(refs).forEach((id, index) => out.push({ path: `p.${key}[${index}]`, id }));
  };
  switch (item.family) {
    case 'task':
      add('ar', item.payload.ar);
      add('pr', item.payload.pr);
      add('agr', item.payload.agr);
      add('tg', item.payload.tg);
      break;
    case 'checklistItem':
      add('ts', item.payload.ts);
      break;
    case 'area':
      add('tg', item.payload.tg);
      break;
    case 'tag':
      add('pn', item.payload.pn);
      break;
    case 'tombstone':
    case 'opaque':
      break;
  }
  return out;
}

/**
 * Every engine id the store must load before folding `groups`: item ids, tombstone targets and
 * referenced containers, tags and parents (for dangling-reference checks).
 */
export function referencedIds(groups: readonly Group[]): Set<string> {
  const ids = new Set<string>();
  for (const group of groups) {
    for (const item of group.items) {
      if (item.family === 'opaque') continue;
      ids.add(item.ref.id);
      if (item.family === 'tombstone' && item.payload.dloid !== undefined) {
        ids.add(item.payload.dloid.id);
      }
      for (const ref of referencesOf(item)) ids.add(ref.id);
    }
  }
  return ids;
}
