/**
 * The pure fold (spec 9.1–9.3): previous entities + the items of one group + a context → next
 * entities, semantic changes, anomalies and the items kept raw. No clock, no I/O.
 *
 * Decisions (see also docs/decisions on soft deletes and the Today rules):
 * - Items of a group are applied in the order given (key order as received); later items see the
 *   state left by earlier ones.
 * - Soft delete everywhere: a deleted entity keeps its row with {@link Deletion}; a create or a
 *   modify resurrects it from defaults + payload (`…Created`, `resurrected: true`).
 * - A re-create of a live entity replaces it (defaults + payload, RECREATE_LIVE) and reports the
 *   differences as ordinary changes; `createdIndex` keeps the original create.
 * - A `t=2` of an unknown id stores a deleted placeholder of the item's family so that a late
 *   modify is flagged (MODIFY_OF_DELETED). A tombstone of an unknown target stores nothing for the
 *   target (its family is unknown).
 * - A tombstone deletes its target whenever it is created (or modified with a `dloid`); deleting
 *   a tombstone never undoes its effect.
 * - An item of another family than the stored entity (FAMILY_CHANGE) is kept raw, not applied.
 * - Dangling references are judged after the whole group (a group is committed as one unit, so a
 *   reference to an entity created later in the same group is fine).
 * - "today" for a location change is the local date, in `ctx.timeZone`, of the item's `md`; for a
 *   create without `md`, of its `cd`; otherwise `ctx.referenceDate`.
 */

import type {
  CivilDate,
  Group,
  Instant,
  Item,
  TaskPayload,
  ChecklistItemPayload,
  AreaPayload,
  TagPayload,
  TombstonePayload,
} from '../protocol/index.ts';
import {
  applyAreaPayload,
  applyChecklistItemPayload,
  applyTagPayload,
  applyTaskPayload,
  applyTombstonePayload,
} from './apply.ts';
import type { ChangeDraft, ItemTimes } from './changes.ts';
import { createdChange, deletedChange, liveChanges } from './changes.ts';
import { localDate, requireCivilDate } from './dates.ts';
import { defaultEntity } from './defaults.ts';
import { findUnsupported, referencesOf, unsupportedError } from './references.ts';
import { assertNever } from './assert.ts';
import type {
  Anomaly,
  AnomalyCode,
  Change,
  Deletion,
  EngineContext,
  Entity,
  EntityFamily,
  EntityLookup,
  FoldResult,
  RawItemRecord,
} from './types.ts';

/** What folding one group (or one page of groups) produced (the contract's {@link FoldResult}). */
export type GroupResult = FoldResult;

/** Why an item was kept raw instead of being folded. */
export type RawItemReason = RawItemRecord['reason'];

/** The `md` of a payload when it is present and a number. */
function payloadMd(payload: object): Instant | null {
  return payloadNumber(payload, 'md');
}

/** The instant at `key` of a payload when it is present and a number. */
function payloadNumber(payload: object, key: 'md' | 'sp' | 'cd'): Instant | null {
  if (!(key in payload)) return null;
  const value: unknown = Reflect.get(payload, key);
  return typeof value === 'number' ? value : null;
}

/** The `md` inside a raw wire event `{p: {md}}`, if it is a number (never any payload text). */
function rawMd(raw: unknown): Instant | null {
  if (raw === null || typeof raw !== 'object') return null;
  const p = (raw as { readonly p?: unknown }).p;
  if (p === null || typeof p !== 'object') return null;
  return payloadMd(p);
}

/** Working state of one fold: the previous lookup overlaid with everything written so far. */
class Fold {
  readonly written = new Map<string, Entity>();
  readonly changes: Change[] = [];
  readonly anomalies: Anomaly[] = [];
  readonly rawItems: RawItemRecord[] = [];
  readonly prev: EntityLookup;
  readonly ctx: EngineContext;

  constructor(prev: EntityLookup, ctx: EngineContext) {
    this.prev = prev;
    this.ctx = ctx;
  }

  get(id: string): Entity | undefined {
    return this.written.get(id) ?? this.prev.get(id);
  }

  anomaly(item: Item, code: AnomalyCode, message: string, entityId = item.ref.id): void {
    this.anomalies.push({
      code,
      serverIndex: item.serverIndex,
      position: item.position,
      entityId,
      kind: item.kind.kind,
      message,
    });
  }

  emit(item: Item, entityId: string, drafts: readonly ChangeDraft[], ordinal: { n: number }) {
    for (const d of drafts) {
      this.changes.push({
        type: d.type,
        entityType: d.entityType,
        entityId,
        serverIndex: item.serverIndex,
        position: item.position,
        ordinal: ordinal.n,
        at: d.at,
        payload: d.payload,
      } as Change);
      ordinal.n += 1;
    }
  }

  keepRaw(item: Item, reason: RawItemReason): void {
    this.rawItems.push({
      serverIndex: item.serverIndex,
      position: item.position,
      itemId: item.ref.raw,
      kind: item.kind.kind,
      reason,
      event: item.raw,
    });
  }

  /** The local date an item's changes are judged at (see the module comment). */
  todayOf(item: Item, payload: object): () => CivilDate {
    return () => {
      const md = payloadMd(payload);
      const cd = item.action === 'create' ? payloadNumber(payload, 'cd') : null;
      const instant = md ?? cd;
      return instant === null ? this.ctx.referenceDate : localDate(instant, this.ctx.timeZone);
    };
  }

  foldGroup(group: Group): void {
    const unsupported = group.items.find((item) => item.kind.class === 'newerVersion');
    if (unsupported !== undefined) throw unsupportedError(unsupported);
    const pending: { item: Item; path: string; id: string }[] = [];
    for (const item of group.items) {
      for (const w of item.warnings) {
        this.anomaly(
          item,
          'DECODE_WARNING',
          `${w.code}${w.path === '' ? '' : ` at ${w.path}`}: ${w.message}`,
        );
      }
      if (this.foldItem(item)) {
        for (const ref of referencesOf(item)) pending.push({ item, ...ref });
      }
    }
    for (const { item, path, id } of pending) {
      const target = this.get(id);
      if (target === undefined || target.deleted !== null) {
        this.anomaly(
          item,
          'DANGLING_REFERENCE',
          `${item.kind.kind} "${item.ref.id}" refers in ${path} to "${id}", which is ${target === undefined ? 'unknown' : 'deleted'}`,
          id,
        );
      }
    }
  }

  /** Folds one item; true when its payload was applied (so its references count). */
  foldItem(item: Item): boolean {
    if (item.family === 'opaque') {
      switch (item.kind.class) {
        case 'metadata':
          this.keepRaw(item, 'metadata');
          return false;
        case 'newerVersion':
          throw unsupportedError(item);
        case 'entity':
        case 'unknownFamily':
          this.keepRaw(item, 'unknownFamily');
          this.anomaly(
            item,
            'UNKNOWN_KIND',
            `kind "${item.kind.kind}" is not a known family; kept raw`,
          );
          this.emit(
            item,
            item.ref.id,
            [
              {
                type: 'UnknownChange',
                entityType: item.kind.kind,
                at: rawMd(item.raw),
                payload: { kind: item.kind.kind, action: item.action },
              },
            ],
            { n: 0 },
          );
          return false;
      }
    }
    const id = item.ref.id;
    const existing = this.get(id);
    if (existing !== undefined && existing.family !== item.family) {
      this.keepRaw(item, 'familyChange');
      this.anomaly(
        item,
        'FAMILY_CHANGE',
        `"${id}" is a ${existing.family} (${existing.kind}); a ${item.kind.kind} item for it is kept raw, not applied`,
      );
      return false;
    }
    if (item.action === 'delete') {
      this.deleteItem(item, existing);
      return false;
    }
    this.upsertItem(item, existing);
    return true;
  }

  write(item: Item, entity: Entity, existing: Entity | undefined): void {
    if (existing !== undefined && existing.kind !== entity.kind) {
      this.anomaly(
        item,
        'KIND_VERSION_CHANGE',
        `"${entity.id}" was ${existing.kind}, now ${entity.kind} (same object)`,
      );
    }
    this.written.set(entity.id, entity);
  }

  legacyIdOf(item: Item, existing: Entity | undefined): string | null {
    return item.ref.raw !== item.ref.id ? item.ref.raw : (existing?.legacyId ?? null);
  }

  deleteItem(item: Item & { readonly family: EntityFamily }, existing: Entity | undefined): void {
    const at = payloadMd(item.payload);
    const deletion: Deletion = {
      serverIndex: item.serverIndex,
      at,
      by: 'delete',
      tombstoneId: null,
    };
    if (existing === undefined) {
      const placeholder = defaultEntity(item.family, {
        id: item.ref.id,
        legacyId: this.legacyIdOf(item, undefined),
        kind: item.kind.kind,
        createdIndex: item.serverIndex,
        updatedIndex: item.serverIndex,
      });
      this.write(item, { ...placeholder, deleted: deletion }, undefined);
      this.anomaly(
        item,
        'DELETE_OF_UNKNOWN',
        `delete of unknown "${item.ref.id}"; remembered as deleted`,
      );
      return;
    }
    if (existing.deleted !== null) {
      this.anomaly(item, 'DELETE_OF_DELETED', `delete of already deleted "${item.ref.id}"`);
      return;
    }
    this.write(
      item,
      {
        ...existing,
        kind: item.kind.kind,
        legacyId: this.legacyIdOf(item, existing),
        updatedIndex: item.serverIndex,
        deleted: deletion,
      },
      existing,
    );
    this.emit(item, existing.id, [deletedChange(existing, deletion)], { n: 0 });
  }

  upsertItem(item: Item & { readonly family: EntityFamily }, existing: Entity | undefined): void {
    const id = item.ref.id;
    const live = existing !== undefined && existing.deleted === null;
    let created: 'new' | 'resurrected' | null = null;
    if (item.action === 'create') {
      if (existing === undefined) created = 'new';
      else if (existing.deleted !== null) created = 'resurrected';
      else this.anomaly(item, 'RECREATE_LIVE', `create of live "${id}"; replaced`);
    } else if (existing === undefined) {
      created = 'new';
      this.anomaly(
        item,
        'MODIFY_BEFORE_CREATE',
        `modify of unknown "${id}"; created from defaults and the payload`,
      );
    } else if (existing.deleted !== null) {
      created = 'resurrected';
      this.anomaly(
        item,
        'MODIFY_OF_DELETED',
        `modify of deleted "${id}"; resurrected from defaults and the payload`,
      );
    }
    const base =
      item.action === 'modify' && live
        ? existing
        : defaultEntity(item.family, {
            id,
            legacyId: null,
            kind: item.kind.kind,
            createdIndex: live ? existing.createdIndex : item.serverIndex,
            updatedIndex: item.serverIndex,
          });
    const next = this.applyPayload(item, base);
    const entity: Entity = {
      ...next,
      kind: item.kind.kind,
      legacyId: this.legacyIdOf(item, existing),
      updatedIndex: item.serverIndex,
      deleted: null,
    };
    this.write(item, entity, existing);
    const today = this.todayOf(item, item.payload);
    const md = payloadMd(item.payload);
    const ordinal = { n: 0 };
    if (created !== null) {
      const at = md ?? payloadNumber(item.payload, 'cd');
      const change = createdChange(entity, created === 'resurrected', today(), at);
      if (change !== null) this.emit(item, id, [change], ordinal);
    } else if (existing !== undefined) {
      const times: ItemTimes = { md, sp: payloadNumber(item.payload, 'sp') };
      this.emit(item, id, liveChanges(existing, entity, today, times), ordinal);
    }
    if (entity.family === 'tombstone' && item.family === 'tombstone') {
      const targetSet = item.action === 'create' || item.payload.dloid !== undefined;
      if (targetSet && entity.targetId !== null) this.tombstone(item, entity.id, entity, ordinal);
    }
  }

  applyPayload(item: Item & { readonly family: EntityFamily }, base: Entity): Entity {
    switch (item.family) {
      case 'task': {
        if (base.family !== 'task') throw new TypeError('task item on a non-task entity');
        const applied = applyTaskPayload(base, item.payload satisfies TaskPayload);
        for (const w of applied.noteWarnings) this.noteAnomaly(item, w.code, w.path, w.message);
        return applied.entity;
      }
      case 'checklistItem':
        if (base.family !== 'checklistItem') throw new TypeError('family mismatch');
        return applyChecklistItemPayload(base, item.payload satisfies ChecklistItemPayload);
      case 'area':
        if (base.family !== 'area') throw new TypeError('family mismatch');
        return applyAreaPayload(base, item.payload satisfies AreaPayload);
      case 'tag':
        if (base.family !== 'tag') throw new TypeError('family mismatch');
        return applyTagPayload(base, item.payload satisfies TagPayload);
      case 'tombstone':
        if (base.family !== 'tombstone') throw new TypeError('family mismatch');
        return applyTombstonePayload(base, item.payload satisfies TombstonePayload);
      default:
        return assertNever(item, 'item family');
    }
  }

  noteAnomaly(item: Item, code: string, path: string, message: string): void {
    const known: readonly AnomalyCode[] = [
      'NOTE_CHECKSUM_MISMATCH',
      'DELTA_ON_EMPTY_NOTE',
      'UNKNOWN_NOTE_FORM',
      'NOTE_PATCH_INVALID_UTF8',
    ];
    const anomalyCode = known.find((c) => c === code);
    if (anomalyCode === undefined) {
      this.anomaly(
        item,
        'DECODE_WARNING',
        `${code}${path === '' ? '' : ` at ${path}`}: ${message}`,
      );
    } else {
      this.anomaly(item, anomalyCode, `${path}: ${message}`);
    }
  }

  /** Soft-deletes the target of a tombstone (any family, another tombstone included). */
  tombstone(
    item: Item,
    tombstoneId: string,
    tombstone: { readonly targetId: string | null; readonly deletedAt: Instant | null },
    ordinal: { n: number },
  ): void {
    const targetId = tombstone.targetId;
    if (targetId === null) return;
    const target = this.get(targetId);
    if (target === undefined) {
      this.anomaly(
        item,
        'TOMBSTONE_UNKNOWN_TARGET',
        `tombstone "${tombstoneId}" targets unknown "${targetId}"; stored, no other effect`,
        targetId,
      );
      return;
    }
    if (target.deleted !== null) {
      this.anomaly(
        item,
        'DELETE_OF_DELETED',
        `tombstone "${tombstoneId}" targets already deleted "${targetId}"`,
        targetId,
      );
      return;
    }
    const deletion: Deletion = {
      serverIndex: item.serverIndex,
      at: tombstone.deletedAt,
      by: 'tombstone',
      tombstoneId,
    };
    this.written.set(targetId, { ...target, updatedIndex: item.serverIndex, deleted: deletion });
    this.emit(item, targetId, [deletedChange(target, deletion)], ordinal);
  }

  result(): GroupResult {
    return {
      entities: this.written,
      changes: this.changes,
      anomalies: this.anomalies,
      rawItems: this.rawItems,
    };
  }
}

function checkContext(ctx: EngineContext): void {
  requireCivilDate(ctx.referenceDate, 'reference date');
  localDate(0, ctx.timeZone);
}

/**
 * Folds one group onto `prev` (which must hold every id of {@link referencedIds}). Throws
 * EngineError UNSUPPORTED_KIND, before applying anything, when the group holds a newer kind.
 */
export function foldGroup(prev: EntityLookup, group: Group, ctx: EngineContext): GroupResult {
  checkContext(ctx);
  const fold = new Fold(prev, ctx);
  fold.foldGroup(group);
  return fold.result();
}

/**
 * Folds several groups in order, threading state (the store loads once per page). `entities` is
 * the final state of everything touched. Throws EngineError UNSUPPORTED_KIND, before applying
 * anything, when any group holds a newer kind.
 */
export function foldPage(
  prev: EntityLookup,
  groups: readonly Group[],
  ctx: EngineContext,
): GroupResult {
  const fold = startFold(prev, ctx);
  fold.fold(groups);
  return fold.result();
}

/**
 * A fold that goes on over several pages, for one commit of all of them: `fold(groups)` page after
 * page, then `result()` is what {@link foldPage} over all their groups returns. Each page can be
 * dropped once folded, and `prev` only needs the ids a page references before that page is folded
 * (those not {@link PagesFold.wrote written} by an earlier page).
 */
export interface PagesFold {
  /** Folds `groups` after everything folded so far. Throws like {@link foldPage}, applying nothing. */
  fold(groups: readonly Group[]): void;
  /** Whether an earlier page of this fold wrote `id` (its state then comes from the fold). */
  wrote(id: string): boolean;
  result(): GroupResult;
}

/** Starts a {@link PagesFold} on `prev`. */
export function startFold(prev: EntityLookup, ctx: EngineContext): PagesFold {
  checkContext(ctx);
  const fold = new Fold(prev, ctx);
  return {
    fold(groups) {
      const unsupported = findUnsupported(groups);
      if (unsupported !== undefined) throw unsupportedError(unsupported);
      for (const group of groups) fold.foldGroup(group);
    },
    wrote: (id) => fold.written.has(id),
    result: () => fold.result(),
  };
}
