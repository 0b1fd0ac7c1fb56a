/** Operations: the shrinkable description of a history that {@link renderHistory} turns into wire groups. */
import type { GeneratedFamily } from './wire-shapes.ts';

/** A reference to a pool entity or a ghost id, rendered per item (legacy kinds may use raw ids). */
export type RefSpec =
  | { readonly family: GeneratedFamily; readonly slot: number; readonly raw: boolean }
  | { readonly ghost: number };

/** A note value to render; checksums are computed (or spoiled) against the tracked note text. */
export type NoteSpec =
  | { readonly form: 'plain'; readonly text: string }
  | { readonly form: 'full'; readonly text: string; readonly ch: ChecksumSpec }
  | { readonly form: 'delta'; readonly patches: readonly PatchSpec[] }
  | { readonly form: 'unknown' };

/** Whether a rendered checksum is right, wrong, or absent. */
export type ChecksumSpec = 'right' | 'wrong' | 'none';

/** One delta patch to render: byte position/length (possibly past the end) and replacement. */
export interface PatchSpec {
  readonly r: string;
  readonly p: number;
  readonly l: number;
  readonly ch: ChecksumSpec;
}

/** A payload value: plain JSON, or a reference list / single reference / note to render. */
export type ValueSpec =
  | { readonly refs: readonly RefSpec[] }
  | { readonly ref: RefSpec }
  | { readonly note: NoteSpec | null }
  | { readonly json: unknown };

/** One item of a modelled family. */
export interface EntityOp {
  readonly op: 'entity';
  /** The kind's family. */
  readonly family: GeneratedFamily;
  /** Whose id the item carries: normally `family`'s pool; another family's pool is a family change. */
  readonly pool: GeneratedFamily;
  readonly slot: number;
  readonly action: 0 | 1 | 2;
  /** For a legacy entity: use the legacy kind and raw id (else the modern kind and Base58 id). */
  readonly legacy: boolean;
  /** Which kind version of the family (index into its modern or legacy kind list). */
  readonly version: number;
  /** Payload keys in order; `null` for a delete with a `null` payload, `undefined` for none. */
  readonly payload: readonly (readonly [string, ValueSpec])[] | null | undefined;
  /** Join the previous group (when the ids allow it) instead of starting a new one. */
  readonly join: boolean;
}

/** One metadata or unknown-kind item (kept raw by the engine). */
export interface OpaqueOp {
  readonly op: 'opaque';
  readonly which: 'settings' | 'marker' | 'command' | 'contact' | 'unknown';
  readonly action: 0 | 1 | 2;
  readonly n: number;
  readonly p: unknown;
  readonly join: boolean;
}

/** An empty group `{}`. */
export interface EmptyOp {
  readonly op: 'empty';
}

/** One step of a generated history. */
export type HistoryOp = EntityOp | OpaqueOp | EmptyOp;
