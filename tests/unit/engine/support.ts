/** Helpers for engine tests: wire pages decoded by the real decoder, and a state held in memory. */

import { foldPage, requireCivilDate } from '../../../src/engine/index.ts';
import type {
  Change,
  EngineContext,
  Entity,
  EntityLookup,
  GroupResult,
} from '../../../src/engine/index.ts';
import { base58Encode, decodePage, nativeTaskPayload } from '../../../src/protocol/index.ts';
import type { CivilDate, Group } from '../../../src/protocol/index.ts';

/** A wire event `{t, e, p}`. */
export interface WireEvent {
  readonly t: number;
  readonly e: string;
  readonly p: Record<string, unknown>;
}

/** A wire group: entity id → event. */
export type WireGroup = Record<string, WireEvent>;

/** The groups of a wire page starting at `startIndex`, decoded by the protocol decoder. */
export function decodeGroups(startIndex: number, groups: readonly WireGroup[]): Group[] {
  const page = decodePage(
    {
      items: groups,
      'current-item-index': startIndex + groups.length,
      schema: 301,
    },
    { startIndex },
  );
  return [...page.groups];
}

/** A canonical Base58 id made from a small number (distinct numbers give distinct ids). */
export function testId(n: number): string {
  const bytes = new Uint8Array(16);
  bytes[0] = 0x40 + (n % 64);
  bytes[15] = n & 0xff;
  bytes[14] = (n >> 8) & 0xff;
  return base58Encode(bytes);
}

/** A context for a zone and a reference date. */
export function context(timeZone = 'UTC', referenceDate = '2025-11-02'): EngineContext {
  return { timeZone, referenceDate: civil(referenceDate) };
}

/** A civil date written in a test, checked. */
export function civil(date: string): CivilDate {
  return requireCivilDate(date, 'test date');
}

/** Seconds since the epoch of an ISO instant written in a test, e.g. `2025-11-02T23:30:00Z`. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`bad instant in test: ${iso}`);
  return ms / 1000;
}

/** Day stamp (UTC midnight seconds) of a civil date, as the wire writes `sr`/`dd`. */
export function day(date: string): number {
  return at(`${date}T00:00:00Z`);
}

/** Engine state kept in memory: what the store would hold. */
export class MemoryState implements EntityLookup {
  readonly entities = new Map<string, Entity>();

  get(id: string): Entity | undefined {
    return this.entities.get(id);
  }

  /** Folds wire groups (decoded from `startIndex`) and keeps the result. */
  fold(startIndex: number, groups: readonly WireGroup[], ctx = context()): GroupResult {
    return this.foldDecoded(decodeGroups(startIndex, groups), ctx);
  }

  /** Folds decoded groups and keeps the result. */
  foldDecoded(groups: readonly Group[], ctx = context()): GroupResult {
    const result = foldPage(this, groups, ctx);
    for (const [id, entity] of result.entities) this.entities.set(id, entity);
    return result;
  }

  /** The entity with this id; throws when absent (tests expect it to exist). */
  must(id: string): Entity {
    const entity = this.entities.get(id);
    if (entity === undefined) throw new Error(`no entity ${id}`);
    return entity;
  }
}

/** Changes as `[type, entityId, serverIndex, ordinal, payload]` rows. */
export function rowsOf(changes: readonly Change[]): unknown[][] {
  return changes.map((c) => [c.type, c.entityId, c.serverIndex, c.ordinal, c.payload]);
}

/** Anomalies as `[code, entityId, serverIndex, position]` rows. */
export function anomalyRows(result: GroupResult): unknown[][] {
  return result.anomalies.map((a) => [a.code, a.entityId, a.serverIndex, a.position]);
}

/** A native-shaped full task create payload (spec 6.1, the wire writer's), with overrides. */
export function nativeTask(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...nativeTaskPayload(1762076400.25, {}), ...overrides };
}
