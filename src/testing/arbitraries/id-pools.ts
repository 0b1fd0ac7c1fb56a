/** The small pools of entity ids a history draws from: canonical, legacy and ghost ids. */
import { base58Encode, legacyToBase58 } from '../../protocol/index.ts';
import { GENERATED_FAMILIES, type GeneratedFamily } from './wire-shapes.ts';

/** One entity of a pool: its engine id and, for legacy entities, the legacy wire id. */
export interface PoolEntity {
  readonly family: GeneratedFamily;
  readonly slot: number;
  /** The id the engine uses (the Base58 mapping of `legacyRaw` when there is one). */
  readonly id: string;
  /** The legacy wire id (UUID, `<UUID>-YYYYMMDD`, or a name) of a legacy entity, else `null`. */
  readonly legacyRaw: string | null;
}

/** How many entities each family's pool holds (small pools: many touches per entity). */
export type PoolSizes = Readonly<Record<GeneratedFamily, number>>;

/** The default pool sizes. */
export const DEFAULT_POOL_SIZES: PoolSizes = {
  task: 5,
  checklistItem: 3,
  area: 2,
  tag: 3,
  tombstone: 3,
};

const FAMILY_CODE: Readonly<Record<GeneratedFamily, number>> = {
  task: 1,
  checklistItem: 2,
  area: 3,
  tag: 4,
  tombstone: 5,
};

/** A canonical Base58 id for (`code`, `n`): distinct inputs give distinct 22-character ids. */
export function canonicalTestId(code: number, n: number): string {
  const bytes = new Uint8Array(16);
  bytes[0] = 0x40 + (code % 64);
  bytes[1] = 0x5a;
  bytes[14] = (n >> 8) & 0xff;
  bytes[15] = n & 0xff;
  return base58Encode(bytes);
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/** The legacy wire id of slot 0 (and task slot 1) of a family; other slots are modern. */
function legacyRawOf(family: GeneratedFamily, slot: number): string | null {
  const uuid = `${hex(FAMILY_CODE[family], 8)}-0000-4000-8000-${hex(slot, 12)}`;
  if (family === 'task' && slot === 1) return `${uuid}-20240115`;
  if (slot !== 0) return null;
  return family === 'tag' ? 'CC-Things-Tag-High' : uuid;
}

/** The entity in `slot` of `family`'s pool. */
export function poolEntity(family: GeneratedFamily, slot: number): PoolEntity {
  const legacyRaw = legacyRawOf(family, slot);
  const id =
    legacyRaw === null ? canonicalTestId(FAMILY_CODE[family], slot) : legacyToBase58(legacyRaw);
  return { family, slot, id, legacyRaw };
}

/** Every entity of every pool. */
export function poolEntities(sizes: PoolSizes = DEFAULT_POOL_SIZES): PoolEntity[] {
  return GENERATED_FAMILIES.flatMap((family) =>
    Array.from({ length: sizes[family] }, (_, slot) => poolEntity(family, slot)),
  );
}

/** Ids that are referenced but never keyed by an item (always dangling). */
export const GHOST_IDS: readonly string[] = [canonicalTestId(9, 1), canonicalTestId(9, 2)];
