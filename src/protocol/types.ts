/**
 * Decoded Things Cloud history items: the typed view that everything outside `protocol/` sees.
 *
 * Conventions (spec sections 4–6):
 * - A payload key that is absent from the wire is absent here (`'dd' in p === false`: unchanged on
 *   a modify, default on a create). An explicit JSON `null` is `null` here (clears the value).
 * - Instants (`cd`, `md`, `sp`, `dld`, `lai`) are seconds since the Unix epoch as JS numbers.
 * - Day stamps (`sr`, `tir`, `dd`, `dds`, `icsd`, `acrd`, `rmd`, `rr.ia/sr/ed`) are civil dates
 *   `YYYY-MM-DD`, read as the UTC calendar date of the stamp (spec 5.2).
 * - Keys the decoder does not know are kept, verbatim, in `extra`.
 */

/** A civil date `YYYY-MM-DD` (the UTC calendar date of a wire day stamp). */
export type CivilDate = string & { readonly __brand: 'CivilDate' };

/** Seconds since the Unix epoch (UTC), possibly fractional. */
export type Instant = number;

/** Wire action codes, in order of their `t` value. */
export const ACTIONS = ['create', 'modify', 'delete'] as const;
/** `t = 0` create (full snapshot), `t = 1` modify (sparse), `t = 2` delete. */
export type Action = (typeof ACTIONS)[number];

/** Entity families the engine models as state. */
export const ENTITY_FAMILIES = ['task', 'checklistItem', 'area', 'tag', 'tombstone'] as const;
export type EntityFamily = (typeof ENTITY_FAMILIES)[number];

/** Families kept raw as metadata (spec 4.4 category 2). */
export const METADATA_FAMILIES = ['settings', 'command', 'contact'] as const;
export type MetadataFamily = (typeof METADATA_FAMILIES)[number];

export type Family = EntityFamily | MetadataFamily;

/**
 * What the decoder made of an item's `e` string (spec 4.3, 4.4, 14.2).
 * - `entity`: a known kind of a modelled family; decoded and folded.
 * - `metadata`: a known metadata kind (`Settings<n>`, the `-` settings marker, `Command`,
 *   `Command3`, `Contact2`); kept raw, never folded into the task graph.
 * - `newerVersion`: a newer, unknown version of a known family (`Task8`, `Tag5`, `Command4`):
 *   the engine must stop before applying the page that holds it.
 * - `unknownFamily`: a completely unknown kind; kept raw, reported, the engine continues.
 */
export type KindClass = 'entity' | 'metadata' | 'newerVersion' | 'unknownFamily';

/** The parsed `e` string. */
export interface KindInfo {
  /** The kind exactly as on the wire, e.g. `Task6`. */
  readonly kind: string;
  readonly class: KindClass;
  /** The family, or `null` for an unknown family. */
  readonly family: Family | null;
  /** The trailing version number (`Task7` → 7, `Tombstone` → 1); `null` when there is none. */
  readonly version: number | null;
  /** True for the legacy kinds whose ids use legacy formats (spec 8.3). */
  readonly legacy: boolean;
}

/** How an identifier string was classified (spec 8). */
export type IdForm =
  /** Canonical Base58 of exactly 16 bytes. */
  | 'base58'
  /** Base58 alphabet only, but not the canonical 16-byte encoding (15/17 bytes, `1`-padded). */
  | 'nonCanonicalBase58'
  /** Hyphenated UUID (legacy). */
  | 'legacyUuid'
  /** `<UUID>-YYYYMMDD` recurring-instance form (legacy). */
  | 'legacyInstance'
  /** Any other legacy string id such as `CC-Things-Tag-High` (letters, digits, `-`, `_`, `.`). */
  | 'legacyName'
  /** None of the above (control characters, whitespace, empty, …). */
  | 'invalid';

/** A wire id together with the id the engine uses for it. */
export interface EntityRef {
  /** Exactly as on the wire. */
  readonly raw: string;
  /** Id after legacy mapping (spec 8.3); equal to `raw` when no mapping applies. */
  readonly id: string;
  readonly form: IdForm;
}

// ---------------------------------------------------------------------------------------------
// Notes (spec 7)

/** One delta patch; offsets and lengths are UTF-8 byte counts, as on the wire (unclamped). */
export interface NotePatch {
  readonly replacement: string;
  readonly position: number;
  readonly length: number;
  /** CRC-32 of the whole note after this patch, or `null` when the wire omits it. */
  readonly checksum: number | null;
}

/** A decoded `nt` value (other than `null`, which means "no note"). */
export type Note =
  /** Things 3.0-era plain string (may carry a `<note xml:space="preserve">` wrapper; kept verbatim). */
  | { readonly form: 'plain'; readonly text: string }
  /** `{"_t":"tx","t":1,"v":…,"ch":…}` */
  | { readonly form: 'full'; readonly text: string; readonly checksum: number | null }
  /** `{"_t":"tx","t":2,"ps":[…]}` */
  | { readonly form: 'delta'; readonly patches: readonly NotePatch[] }
  /** An object note of an unknown `t` or `_t`: kept raw, the engine leaves the note unchanged. */
  | { readonly form: 'unknown'; readonly raw: unknown };

// ---------------------------------------------------------------------------------------------
// Recurrence (spec 9.6)

/** A decoded `rr` object; unknown keys are kept in `extra`. Values are kept as on the wire. */
export interface RecurrenceRule {
  readonly rrv?: number;
  /** 0 fixed schedule, 1 after completion. */
  readonly tp?: number;
  /** NSCalendarUnit: 16 day, 256 week, 8 month, 4 year. */
  readonly fu?: number;
  readonly fa?: number;
  readonly of?: readonly Readonly<Record<string, number>>[];
  readonly ia?: CivilDate | null;
  readonly sr?: CivilDate | null;
  /** `4001-01-01` is the "never" sentinel. */
  readonly ed?: CivilDate | null;
  readonly rc?: number;
  readonly ts?: number;
  readonly extra: Readonly<Record<string, unknown>>;
}

// ---------------------------------------------------------------------------------------------
// Payloads (spec 6). Every key is optional (sparse modifies); `null` is an explicit clear.

/** `Task3`…`Task7`: to-do (`tp 0`), project (`tp 1`) or heading (`tp 2`). */
export interface TaskPayload {
  readonly tp?: number;
  readonly tt?: string;
  readonly nt?: Note | null;
  readonly ss?: number;
  readonly sp?: Instant | null;
  readonly st?: number;
  readonly sr?: CivilDate | null;
  readonly tir?: CivilDate | null;
  readonly dd?: CivilDate | null;
  readonly dds?: CivilDate | null;
  readonly do?: number;
  readonly cd?: Instant | null;
  readonly md?: Instant | null;
  readonly ix?: number;
  readonly ti?: number;
  readonly sb?: number;
  readonly tr?: boolean;
  readonly ar?: readonly EntityRef[];
  readonly pr?: readonly EntityRef[];
  readonly agr?: readonly EntityRef[];
  readonly tg?: readonly EntityRef[];
  readonly dl?: readonly EntityRef[];
  readonly rt?: readonly EntityRef[];
  readonly rr?: RecurrenceRule | null;
  readonly icsd?: CivilDate | null;
  readonly icp?: boolean;
  readonly icc?: number;
  readonly acrd?: CivilDate | null;
  /** Seconds after local midnight of the start day. */
  readonly ato?: number | null;
  readonly lai?: Instant | null;
  readonly lt?: boolean;
  readonly rmd?: CivilDate | null;
  /** Meaning unknown (3.23 repeating); kept as on the wire. */
  readonly rp?: unknown;
  /** Extension object; kept as on the wire. */
  readonly xx?: unknown;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** `ChecklistItem`, `ChecklistItem2`, `ChecklistItem3`. */
export interface ChecklistItemPayload {
  readonly tt?: string;
  readonly ss?: number;
  readonly sp?: Instant | null;
  readonly ix?: number;
  readonly ts?: readonly EntityRef[];
  readonly cd?: Instant | null;
  readonly md?: Instant | null;
  readonly lt?: boolean;
  readonly xx?: unknown;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** `Area`, `Area2`, `Area3`. */
export interface AreaPayload {
  readonly tt?: string;
  readonly ix?: number;
  readonly tg?: readonly EntityRef[];
  readonly xx?: unknown;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** `Tag`…`Tag4`. */
export interface TagPayload {
  readonly tt?: string;
  readonly ix?: number;
  readonly sh?: string | null;
  readonly pn?: readonly EntityRef[];
  readonly xx?: unknown;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** `Tombstone`, `Tombstone2`. */
export interface TombstonePayload {
  readonly dloid?: EntityRef;
  readonly dld?: Instant | null;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Payload of a metadata or unknown kind: the wire object, verbatim. */
export interface RawPayload {
  readonly raw: unknown;
}

// ---------------------------------------------------------------------------------------------
// Items

/** Something odd but legal in real data: reported beside the decoded item, never fatal. */
export interface DecodeWarning {
  /** SCREAMING_SNAKE code, e.g. `NON_CANONICAL_ID`, `LEGACY_ID_MAPPED`, `NOTE_CHECKSUM_MISMATCH`. */
  readonly code: string;
  /** JSON path inside the item, e.g. `p.tg[0]`. */
  readonly path: string;
  readonly message: string;
}

interface ItemBase {
  /** Server index of the group: page `start-index` + position of the group in `items`. */
  readonly serverIndex: number;
  /** Position of the item's key inside its group, as received. */
  readonly position: number;
  /** The group key (entity id) and the id the engine uses for it. */
  readonly ref: EntityRef;
  readonly action: Action;
  readonly kind: KindInfo;
  /** The wire event `{t, e, p}` exactly as parsed (unknown keys included). */
  readonly raw: unknown;
  readonly warnings: readonly DecodeWarning[];
}

export interface TaskItem extends ItemBase {
  readonly family: 'task';
  readonly payload: TaskPayload;
}
export interface ChecklistItemItem extends ItemBase {
  readonly family: 'checklistItem';
  readonly payload: ChecklistItemPayload;
}
export interface AreaItem extends ItemBase {
  readonly family: 'area';
  readonly payload: AreaPayload;
}
export interface TagItem extends ItemBase {
  readonly family: 'tag';
  readonly payload: TagPayload;
}
export interface TombstoneItem extends ItemBase {
  readonly family: 'tombstone';
  readonly payload: TombstonePayload;
}
/** Metadata (`class: 'metadata'`), newer versions of known families and unknown families. */
export interface OpaqueItem extends ItemBase {
  readonly family: 'opaque';
  readonly payload: RawPayload;
}

/** One decoded wire event. Discriminated on `family`. */
export type Item = TaskItem | ChecklistItemItem | AreaItem | TagItem | TombstoneItem | OpaqueItem;

/** One group: the items one client committed together, in key order as received. */
export interface Group {
  readonly serverIndex: number;
  readonly items: readonly Item[];
}

/** A decoded `GET …/items?start-index=N` response. */
export interface Page {
  readonly startIndex: number;
  readonly groups: readonly Group[];
  /** `current-item-index`: the history head when the page was served (not the page end). */
  readonly currentItemIndex: number;
  /** `schema`, or `latest-schema-version` when `schema` is absent; `null` when neither is there. */
  readonly schema: number | null;
  readonly startTotalContentSize: number | null;
  readonly endTotalContentSize: number | null;
  readonly latestTotalContentSize: number | null;
  /** Unknown envelope keys, verbatim. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Envelope-level observations (e.g. `start + groups > current-item-index`). */
  readonly warnings: readonly DecodeWarning[];
}
