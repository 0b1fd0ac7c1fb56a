/** The wire shapes the arbitraries produce: events, groups, pages, histories, and kinds per family. */
import { WRITER_KINDS } from '../../protocol/index.ts';

/** A wire event `{t, e, p}` (`p` may be absent or `null` on deletes). */
export interface WireEvent {
  readonly t: number;
  readonly e: string;
  readonly p?: unknown;
}

/** A wire group: entity id → event (key order is the order items are applied in). */
export type WireGroup = Readonly<Record<string, WireEvent>>;

/** The body of a `GET …/items?start-index=N` response as generated. */
export interface WirePage {
  readonly items: readonly WireGroup[];
  readonly 'current-item-index': number;
  readonly schema: number;
}

/** A generated history: its groups in server-index order, starting at index 0. */
export interface WireHistory {
  readonly groups: readonly WireGroup[];
}

/** Entity families the generator touches (the modelled ones). */
export const GENERATED_FAMILIES = ['task', 'checklistItem', 'area', 'tag', 'tombstone'] as const;
/** One of {@link GENERATED_FAMILIES}. */
export type GeneratedFamily = (typeof GENERATED_FAMILIES)[number];

/** Today's kinds of each family (the writers' kinds, spec 4.3), picked by an operation's `version`. */
export const MODERN_KINDS: Readonly<Record<GeneratedFamily, readonly string[]>> = WRITER_KINDS;

/** Older kinds of each family, written with the family's legacy ids where it has them. */
export const LEGACY_KINDS: Readonly<Record<GeneratedFamily, readonly string[]>> = {
  task: ['Task3', 'Task4', 'Task', 'Task2'],
  checklistItem: ['ChecklistItem', 'ChecklistItem2'],
  area: ['Area2', 'Area'],
  tag: ['Tag3', 'Tag2', 'Tag'],
  tombstone: ['Tombstone'],
};
