/**
 * Drift: what changed between a reference catalogue and a new one, in three tiers. Pure.
 *
 * - error: a new kind or kind version this thingstape does not know, a known field whose JSON
 *   type changed, a new `schema` number, an endpoint that answered with success and now fails;
 * - warning: a new field thingstape does not know, a vanished field or kind, a shift in how often
 *   creates carry a field or carry it as `null` beyond the threshold, a new status code or
 *   `Things-Response`/`Content-Type` value, an account status other than the reference's;
 * - info: counts, and new things thingstape already knows (a first `Task7` in an account, a
 *   known field seen for the first time, a new response header).
 *
 * Without any reference, the reference is what thingstape itself knows: every kind, field and
 * schema is new, and the tier says whether thingstape understands it.
 */
import {
  classifyKind,
  ENVELOPE_KEYS,
  FIELDS_BY_FAMILY,
  KNOWN_MAX_VERSION,
  RECURRENCE_FIELDS,
  SUPPORTED_SCHEMA,
  type Family,
} from '../protocol/index.ts';
import type { FieldShape, JsonType, KindShape, ShapeCatalogue } from './catalogue.ts';

/** The tiers, worst first. */
export const DRIFT_TIERS = ['error', 'warning', 'info'] as const;
/** How bad a finding is. */
export type DriftTier = (typeof DRIFT_TIERS)[number];

/** Every finding code and its tier (see the module comment). */
export const DRIFT_CODES = {
  NEW_UNKNOWN_KIND: 'error',
  CHANGED_TYPE: 'error',
  NEW_SCHEMA: 'error',
  ENDPOINT_FAILING: 'error',
  NEW_KIND: 'warning',
  VANISHED_KIND: 'warning',
  NEW_FIELD: 'warning',
  VANISHED_FIELD: 'warning',
  PRESENCE_SHIFT: 'warning',
  NULL_SHIFT: 'warning',
  NEW_STATUS: 'warning',
  NEW_HEADER_VALUE: 'warning',
  ACCOUNT_STATUS: 'warning',
  COUNT: 'info',
  KNOWN_KIND: 'info',
  NEW_KNOWN_FIELD: 'info',
  FIRST_VALUE: 'info',
  RARE_KIND_GONE: 'info',
  RARE_FIELD_GONE: 'info',
  VANISHED_SCHEMA: 'info',
  NEW_ENDPOINT: 'info',
  VANISHED_ENDPOINT: 'info',
  NEW_HEADER: 'info',
} as const satisfies Record<string, DriftTier>;

/** A finding's code. */
export type DriftCode = keyof typeof DRIFT_CODES;

/** One thing that changed. */
export interface DriftFinding {
  readonly tier: DriftTier;
  readonly code: DriftCode;
  /** What changed: `kind Task8`, `Task6 p.nt.ch`, `schema`, `GET /version/1/history/{key}/items`. */
  readonly subject: string;
  readonly message: string;
  /** The reference's value (counts, types, statuses), or `null`. */
  readonly reference: unknown;
  /** The new recording's value, or `null`. */
  readonly current: unknown;
}

/** Settings of {@link compareCatalogues}. */
export interface DriftOptions {
  /** Frequency shift (0–1) beyond which a field's presence or null rate on creates is a warning. */
  readonly threshold?: number;
  /** Creates of a kind both sides need before rates are compared (and vanished fields judged). */
  readonly minSamples?: number;
}

/** Defaults of {@link DriftOptions}. */
export const DRIFT_DEFAULTS = { threshold: 0.2, minSamples: 20 } as const;

/** The comparison. */
export interface DriftReport {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** Worst tier first, then subject. */
  readonly findings: readonly DriftFinding[];
}

/** `null` reference: compare against what thingstape knows (see the module comment). */
export function compareCatalogues(
  reference: ShapeCatalogue | null,
  current: ShapeCatalogue,
  options: DriftOptions = {},
): DriftReport {
  const threshold = options.threshold ?? DRIFT_DEFAULTS.threshold;
  const minSamples = options.minSamples ?? DRIFT_DEFAULTS.minSamples;
  const out: DriftFinding[] = [];
  const add: Add = (code, subject, message, ref, cur) => {
    const tier = DRIFT_CODES[code];
    out.push({ tier, code, subject, message, reference: ref ?? null, current: cur ?? null });
  };

  // Counts.
  if (reference !== null) {
    for (const key of ['pages', 'groups', 'items'] as const) {
      if (reference[key] !== current[key]) {
        add(
          'COUNT',
          key,
          `${key}: ${reference[key]} → ${current[key]}`,
          reference[key],
          current[key],
        );
      }
    }
  }

  // Schemas.
  for (const [schema, pages] of Object.entries(current.schemas)) {
    const known =
      reference === null ? Number(schema) <= SUPPORTED_SCHEMA : schema in reference.schemas;
    if (!known) {
      const why =
        reference === null
          ? `newer than the highest thingstape understands (${SUPPORTED_SCHEMA})`
          : `not in the reference (${Object.keys(reference.schemas).join(', ') || 'none'})`;
      add(
        'NEW_SCHEMA',
        'schema',
        `schema ${schema} on ${pages} page(s): ${why}`,
        reference?.schemas,
        schema,
      );
    }
  }
  if (reference !== null) {
    for (const schema of Object.keys(reference.schemas)) {
      if (!(schema in current.schemas)) {
        add(
          'VANISHED_SCHEMA',
          'schema',
          `schema ${schema} no longer seen`,
          schema,
          current.schemas,
        );
      }
    }
  }

  // Page envelope.
  compareFields(
    'envelope',
    current.pages === 0 ? null : (reference?.envelope ?? null),
    current.envelope,
    (path) => ENVELOPE_KEYS.has(path) || path === 'latest-schema-version',
    null,
    add,
    { threshold, minSamples },
  );

  // Kinds and their fields.
  for (const [name, kind] of Object.entries(current.kinds)) {
    const info = classifyKind(name);
    const understood = info.class === 'entity' || info.class === 'metadata';
    const before = reference?.kinds[name];
    if (before === undefined) {
      if (!understood) {
        const why =
          info.class === 'newerVersion' && info.family !== null
            ? `a newer ${info.family} version than thingstape knows (up to ${KNOWN_MAX_VERSION[info.family]})`
            : 'a kind thingstape does not know';
        add(
          'NEW_UNKNOWN_KIND',
          `kind ${name}`,
          `kind ${name} (${kind.count} event(s)): ${why}; upgrade thingstape before syncing`,
          null,
          kind.count,
        );
      } else {
        add(
          reference === null ? 'KNOWN_KIND' : 'NEW_KIND',
          `kind ${name}`,
          `kind ${name} (${kind.count} event(s)) is new; thingstape knows it`,
          null,
          kind.count,
        );
      }
    } else if (before.count !== kind.count) {
      add(
        'COUNT',
        `kind ${name}`,
        `kind ${name}: ${before.count} → ${kind.count} event(s)`,
        before.count,
        kind.count,
      );
    }
    const family = understood ? info.family : null;
    compareFields(
      name,
      before?.fields ?? null,
      kind.fields,
      (path) => knownPath(family, path),
      { before, kind },
      add,
      { threshold, minSamples },
    );
  }
  if (reference !== null) {
    // A recording without pages (its reads failed: reported above) says nothing about what vanished.
    for (const [name, kind] of current.pages === 0 ? [] : Object.entries(reference.kinds)) {
      if (!(name in current.kinds)) {
        add(
          kind.count >= minSamples ? 'VANISHED_KIND' : 'RARE_KIND_GONE',
          `kind ${name}`,
          `kind ${name} (${kind.count} event(s) in the reference) no longer seen`,
          kind.count,
          null,
        );
      }
    }
  }

  // Endpoints.
  for (const [name, endpoint] of Object.entries(current.endpoints)) {
    const before = reference?.endpoints[name];
    if (before === undefined) {
      add(
        'NEW_ENDPOINT',
        name,
        `${name}: answered ${statusList(endpoint.statuses)}`,
        null,
        endpoint.statuses,
      );
      continue;
    }
    const succeeded = Object.keys(before.statuses).some((s) => s.startsWith('2'));
    for (const status of Object.keys(endpoint.statuses)) {
      if (status in before.statuses) continue;
      if (
        succeeded &&
        Number(status) >= 400 &&
        !Object.keys(endpoint.statuses).some((s) => s.startsWith('2'))
      ) {
        add(
          'ENDPOINT_FAILING',
          name,
          `${name} now answers ${status} (it answered ${statusList(before.statuses)})`,
          before.statuses,
          endpoint.statuses,
        );
      } else {
        add(
          'NEW_STATUS',
          name,
          `${name} answered ${status}, new (before: ${statusList(before.statuses)})`,
          before.statuses,
          endpoint.statuses,
        );
      }
    }
    for (const header of Object.keys(endpoint.headers)) {
      if (!(header in before.headers)) {
        add('NEW_HEADER', name, `${name}: new response header ${header}`, null, header);
      }
    }
    for (const [header, values] of Object.entries(endpoint.values)) {
      for (const value of Object.keys(values)) {
        if (!(value in (before.values[header] ?? {}))) {
          add(
            'NEW_HEADER_VALUE',
            name,
            `${name}: ${header} "${value}" is new`,
            before.values[header] ?? null,
            value,
          );
        }
      }
    }
  }
  if (reference !== null) {
    for (const name of Object.keys(reference.endpoints)) {
      if (!(name in current.endpoints)) {
        add(
          'VANISHED_ENDPOINT',
          name,
          `${name} not in this recording`,
          reference.endpoints[name]?.statuses,
          null,
        );
      }
    }
    for (const status of Object.keys(current.accountStatus)) {
      if (!(status in reference.accountStatus)) {
        add(
          'ACCOUNT_STATUS',
          'account',
          `account status "${status}" is new`,
          reference.accountStatus,
          status,
        );
      }
    }
  }

  const rank: Record<DriftTier, number> = { error: 0, warning: 1, info: 2 };
  out.sort(
    (a, b) =>
      rank[a.tier] - rank[b.tier] || compare(a.subject, b.subject) || compare(a.code, b.code),
  );
  const count = (tier: DriftTier) => out.filter((f) => f.tier === tier).length;
  return {
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    findings: out,
  };
}

type Add = (code: DriftCode, subject: string, message: string, ref: unknown, cur: unknown) => void;

/** Fields of one kind (or the envelope): new, vanished, changed type, create-rate shifts. */
function compareFields(
  owner: string,
  before: Readonly<Record<string, FieldShape>> | null,
  now: Readonly<Record<string, FieldShape>>,
  known: (path: string) => boolean,
  kinds: { readonly before: KindShape | undefined; readonly kind: KindShape } | null,
  add: Add,
  limits: { readonly threshold: number; readonly minSamples: number },
): void {
  const creates = (kind: KindShape | undefined) => kind?.actions['create'] ?? 0;
  for (const [path, field] of Object.entries(now)) {
    const subject = `${owner} ${path}`;
    const old = before?.[path];
    if (old === undefined) {
      const understood = known(path);
      add(
        understood ? 'NEW_KNOWN_FIELD' : 'NEW_FIELD',
        subject,
        `${subject}: new field (${typeList(field.types)}, in ${presenceList(field)})${understood ? '; thingstape knows it' : '; thingstape does not know it'}`,
        null,
        field.types,
      );
      continue;
    }
    const added = (Object.keys(field.types) as JsonType[]).filter(
      (type) => type !== 'null' && !(type in old.types),
    );
    const typed = Object.keys(old.types).some((type) => type !== 'null');
    if (added.length > 0) {
      // A field only ever seen as null had no type to change: its first value is news, not drift.
      add(
        typed ? 'CHANGED_TYPE' : 'FIRST_VALUE',
        subject,
        typed
          ? `${subject}: now ${typeList(field.types)}, was ${typeList(old.types)}`
          : `${subject}: first non-null value (${typeList(field.types)}); the reference only had null`,
        old.types,
        field.types,
      );
    }
    if (kinds === null) continue;
    const [refCreates, curCreates] = [creates(kinds.before), creates(kinds.kind)];
    if (refCreates < limits.minSamples || curCreates < limits.minSamples) continue;
    const refPresent = old.actions['create']?.present ?? 0;
    const curPresent = field.actions['create']?.present ?? 0;
    const shift = curPresent / curCreates - refPresent / refCreates;
    if (Math.abs(shift) > limits.threshold) {
      add(
        'PRESENCE_SHIFT',
        subject,
        `${subject}: in ${percent(curPresent / curCreates)} of creates, was ${percent(refPresent / refCreates)}`,
        refPresent / refCreates,
        curPresent / curCreates,
      );
    }
    if (refPresent >= limits.minSamples && curPresent >= limits.minSamples) {
      const refNull = (old.actions['create']?.null ?? 0) / refPresent;
      const curNull = (field.actions['create']?.null ?? 0) / curPresent;
      if (Math.abs(curNull - refNull) > limits.threshold) {
        add(
          'NULL_SHIFT',
          subject,
          `${subject}: null in ${percent(curNull)} of creates carrying it, was ${percent(refNull)}`,
          refNull,
          curNull,
        );
      }
    }
  }
  if (before === null) return;
  for (const [path, field] of Object.entries(before)) {
    if (path in now) continue;
    const subject = `${owner} ${path}`;
    const enough = kinds === null || kinds.kind.count >= limits.minSamples;
    add(
      enough ? 'VANISHED_FIELD' : 'RARE_FIELD_GONE',
      subject,
      `${subject}: no longer seen (was in ${presenceList(field)})`,
      field.types,
      null,
    );
  }
}

/** Note object paths the decoder reads (spec 7.1). */
const NOTE_PATHS = new Set([
  '_t',
  't',
  'v',
  'ch',
  'ps',
  'ps[]',
  'ps[].r',
  'ps[].p',
  'ps[].l',
  'ps[].ch',
]);
const SELECTOR_KEYS = new Set(['dy', 'wd', 'wdo', 'mo']);

/** True when thingstape's decoder knows a payload path of a family (`p.nt.ch`, `p.rr.of[].wd`). */
function knownPath(family: Family | null, path: string): boolean {
  if (family === null) return false;
  if (!path.startsWith('p.')) return path === 'p';
  if (family === 'settings' || family === 'command' || family === 'contact') return true;
  const [key = '', ...rest] = path.slice(2).split('.');
  const top = key.replace(/\[\]$/, '');
  const spec = FIELDS_BY_FAMILY[family].get(top);
  if (spec === undefined) return false;
  const inner = [key.slice(top.length), ...rest].filter((s) => s !== '').join('.');
  if (inner === '' || spec.type === 'any') return true;
  if (spec.type === 'ids') return inner === '[]';
  if (spec.type === 'note') return NOTE_PATHS.has(inner);
  if (spec.type !== 'rr') return false;
  const [rrKey = '', ...deeper] = inner.split('.');
  const rrTop = rrKey.replace(/\[\]$/, '');
  if (!RECURRENCE_FIELDS.has(rrTop)) return false;
  if (deeper.length === 0) return rrKey === rrTop || rrTop === 'of';
  return rrTop === 'of' && deeper.length === 1 && SELECTOR_KEYS.has(deeper[0] ?? '');
}

function typeList(types: Readonly<Partial<Record<JsonType, number>>>): string {
  return Object.keys(types).sort().join('|') || 'nothing';
}

function presenceList(field: FieldShape): string {
  return (
    Object.entries(field.actions)
      .map(([action, p]) => `${p.present} ${action}${p.null > 0 ? ` (${p.null} null)` : ''}`)
      .join(', ') || 'no event'
  );
}

function statusList(statuses: Readonly<Record<string, number>>): string {
  return Object.keys(statuses).join(', ') || 'nothing';
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
