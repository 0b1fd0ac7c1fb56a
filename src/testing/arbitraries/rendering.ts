/** Rendering operations into wire groups, and the wire-history arbitrary built on it. */
import type * as fc from 'fast-check';

import { crc32 } from '../../protocol/index.ts';
import { historyOps, type HistoryOptions } from './history-ops.ts';
import {
  canonicalTestId,
  DEFAULT_POOL_SIZES,
  GHOST_IDS,
  poolEntity,
  type PoolSizes,
} from './id-pools.ts';
import type {
  ChecksumSpec,
  EntityOp,
  HistoryOp,
  NoteSpec,
  PatchSpec,
  RefSpec,
} from './op-types.ts';
import { LEGACY_KINDS, MODERN_KINDS, type WireEvent, type WireHistory } from './wire-shapes.ts';

/** Options of {@link renderHistory}. */
export interface RenderOptions {
  readonly pools?: PoolSizes;
  /**
   * Keep the items of a group independent: no tombstone in a group targets another item of the
   * same group, and no two tombstones of a group target the same entity (the first in key order
   * deletes it, the other is a DELETE_OF_DELETED anomaly); then any order of a group's items must
   * give the same state.
   */
  readonly independentGroups?: boolean;
}

function kindOf(op: EntityOp, legacy: boolean): string {
  const list = legacy ? LEGACY_KINDS[op.family] : MODERN_KINDS[op.family];
  return list[op.version % list.length] ?? list[0] ?? 'Task6';
}

function refWire(ref: RefSpec, legacyKind: boolean, sizes: PoolSizes): string {
  if ('ghost' in ref) return GHOST_IDS[ref.ghost % GHOST_IDS.length] ?? '';
  const target = poolEntity(ref.family, ref.slot % sizes[ref.family]);
  return legacyKind && ref.raw && target.legacyRaw !== null ? target.legacyRaw : target.id;
}

function refId(ref: RefSpec, sizes: PoolSizes): string {
  if ('ghost' in ref) return GHOST_IDS[ref.ghost % GHOST_IDS.length] ?? '';
  return poolEntity(ref.family, ref.slot % sizes[ref.family]).id;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function patchText(current: string, patch: PatchSpec): string {
  const bytes = encoder.encode(current);
  const position = Math.min(patch.p, bytes.length);
  const length = Math.min(patch.l, bytes.length - position);
  const replacement = encoder.encode(patch.r);
  const next = new Uint8Array(bytes.length - length + replacement.length);
  next.set(bytes.subarray(0, position));
  next.set(replacement, position);
  next.set(bytes.subarray(position + length), position + replacement.length);
  return decoder.decode(next);
}

function renderChecksum(spec: ChecksumSpec, textAfter: string): number | undefined {
  if (spec === 'none') return undefined;
  const right = crc32(textAfter);
  return spec === 'right' ? right : (right + 1) >>> 0;
}

/**
 * Renders a note against the note text the generator believes the entity has (tracked without
 * tombstones, so a "right" checksum is occasionally wrong — which the engine must handle too).
 */
function renderNote(spec: NoteSpec | null, current: string): { wire: unknown; text: string } {
  if (spec === null) return { wire: null, text: '' };
  switch (spec.form) {
    case 'plain':
      return { wire: spec.text, text: spec.text };
    case 'full': {
      const ch = renderChecksum(spec.ch, spec.text);
      const wire: Record<string, unknown> = { _t: 'tx', t: 1, v: spec.text };
      if (ch !== undefined) wire['ch'] = ch;
      return { wire, text: spec.text };
    }
    case 'delta': {
      let textNow = current;
      const ps = spec.patches.map((patch) => {
        textNow = patchText(textNow, patch);
        const wire: Record<string, unknown> = { r: patch.r, p: patch.p, l: patch.l };
        const ch = renderChecksum(patch.ch, textNow);
        if (ch !== undefined) wire['ch'] = ch;
        return wire;
      });
      return { wire: { _t: 'tx', t: 2, ps }, text: textNow };
    }
    case 'unknown':
      return { wire: { _t: 'tx', t: 9, v: 'future form' }, text: current };
    default: {
      const never: never = spec;
      throw new TypeError(`unknown note spec ${JSON.stringify(never)}`);
    }
  }
}

const OPAQUE_KINDS = {
  settings: 'Settings3',
  marker: '-',
  command: 'Command',
  contact: 'Contact2',
  unknown: 'Reminder2',
} as const;

/**
 * Renders operations into wire groups. Items join the previous group when asked and when the group
 * holds no item with the same engine id (nor, with `independentGroups`, a tombstone relation or
 * a second tombstone of the same target).
 */
export function renderHistory(ops: readonly HistoryOp[], options: RenderOptions = {}): WireHistory {
  const sizes = options.pools ?? DEFAULT_POOL_SIZES;
  const groups: Record<string, WireEvent>[] = [];
  const notes = new Map<string, string>();
  let current: Record<string, WireEvent> | undefined;
  let currentIds = new Set<string>();
  let currentTargets = new Set<string>();
  const place = (join: boolean, key: string, engineIds: readonly string[], event: WireEvent) => {
    const [ownId = key] = engineIds;
    const targets = engineIds.slice(1);
    const clash =
      current === undefined ||
      !join ||
      key in current ||
      currentIds.has(ownId) ||
      (options.independentGroups === true &&
        (currentTargets.has(ownId) ||
          targets.some((id) => currentIds.has(id) || currentTargets.has(id))));
    if (clash) {
      current = {};
      groups.push(current);
      currentIds = new Set();
      currentTargets = new Set();
    }
    Object.defineProperty(current, key, {
      value: event,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    currentIds.add(ownId);
    for (const id of targets) currentTargets.add(id);
  };
  for (const op of ops) {
    if (op.op === 'empty') {
      current = undefined;
      groups.push({});
      continue;
    }
    if (op.op === 'opaque') {
      const key =
        op.which === 'settings' || op.which === 'marker'
          ? 'Settings'
          : canonicalTestId(10 + ['command', 'contact', 'unknown'].indexOf(op.which), op.n);
      place(op.join, key, [key], { t: op.action, e: OPAQUE_KINDS[op.which], p: op.p });
      continue;
    }
    const target = poolEntity(op.pool, op.slot % sizes[op.pool]);
    const legacy = op.legacy && target.legacyRaw !== null;
    const key = legacy && target.legacyRaw !== null ? target.legacyRaw : target.id;
    const kind = kindOf(op, legacy);
    const event: { t: number; e: string; p?: unknown } = { t: op.action, e: kind };
    const related: string[] = [];
    if (op.payload === null) event.p = null;
    else if (op.payload !== undefined) {
      const p: Record<string, unknown> = {};
      for (const [name, value] of op.payload) {
        if ('refs' in value) p[name] = value.refs.map((ref) => refWire(ref, legacy, sizes));
        else if ('ref' in value) {
          p[name] = refWire(value.ref, legacy, sizes);
          related.push(refId(value.ref, sizes));
        } else if ('note' in value) {
          const base = op.action === 0 ? '' : (notes.get(target.id) ?? '');
          const note = renderNote(value.note, base);
          p[name] = note.wire;
          notes.set(target.id, note.text);
        } else p[name] = value.json;
      }
      event.p = p;
    }
    if (op.action === 0 && !op.payload?.some(([name]) => name === 'nt')) notes.set(target.id, '');
    if (op.action === 2) notes.set(target.id, '');
    place(op.join, key, [target.id, ...related], event);
  }
  return { groups };
}

/** Wire histories: {@link historyOps} rendered with {@link renderHistory}. */
export function wireHistory(
  options: HistoryOptions & RenderOptions = {},
): fc.Arbitrary<WireHistory> {
  return historyOps(options).map((ops) => renderHistory(ops, options));
}
