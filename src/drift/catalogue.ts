/**
 * The shape catalogue of a recording: what Things Cloud sent, at the level of the schema rather
 * than bytes — kinds and their actions, the fields of each kind with their JSON types and how
 * often they are present and null, page envelopes and `schema` numbers, and the endpoints with
 * their status codes and the response headers that matter. Pure: pages and request metadata in,
 * a plain JSON object out, every object's keys sorted, so equal recordings give equal bytes and a
 * catalogue can be committed as the reference of a scheduled drift check.
 */
import { isCanonicalId } from '../protocol/index.ts';

/** The format marker of a serialized catalogue. */
export const CATALOGUE_FORMAT = 'thingstape-shape-catalogue';
/** The format version of a serialized catalogue this thingstape writes and reads. */
export const CATALOGUE_VERSION = 1;

/** JSON types as the catalogue names them (no integer/number split: instants are both). */
export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

/** How often a field appears in events of one action, and how often it is `null` there. */
export interface Presence {
  readonly present: number;
  readonly null: number;
}

/** One payload path of a kind (`p.tt`, `p.nt.ch`, `p.ar[]`, `p.rr.of[].wd`; event keys bare). */
export interface FieldShape {
  /** Events that carried the path, by JSON type of the value. */
  readonly types: Readonly<Partial<Record<JsonType, number>>>;
  /** Per action (`create`, `modify`, `delete`): presence and nulls. */
  readonly actions: Readonly<Record<string, Presence>>;
}

/** One wire kind (`Task6`, `Settings5`). */
export interface KindShape {
  readonly count: number;
  /** Events by action (`create`, `modify`, `delete`, or `t=<n>` for an unknown action). */
  readonly actions: Readonly<Record<string, number>>;
  readonly fields: Readonly<Record<string, FieldShape>>;
}

/** One endpoint (`GET /version/1/history/{key}/items`). */
export interface EndpointShape {
  /** Responses by HTTP status. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Responses carrying each header (names in lower case). */
  readonly headers: Readonly<Record<string, number>>;
  /** Values of the headers that matter ({@link VALUE_HEADERS}), counted. */
  readonly values: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The catalogue. */
export interface ShapeCatalogue {
  readonly format: typeof CATALOGUE_FORMAT;
  readonly version: typeof CATALOGUE_VERSION;
  /** Recordings merged into it. */
  readonly recordings: number;
  readonly pages: number;
  readonly groups: number;
  readonly items: number;
  /** Pages by `schema` (`none` when the page has no schema field). */
  readonly schemas: Readonly<Record<string, number>>;
  /** Envelope keys of `/items` pages. */
  readonly envelope: Readonly<Record<string, FieldShape>>;
  readonly kinds: Readonly<Record<string, KindShape>>;
  readonly endpoints: Readonly<Record<string, EndpointShape>>;
  /** Account status values the recordings saw (from the recorder's manifest block). */
  readonly accountStatus: Readonly<Record<string, number>>;
}

/** Headers whose values the catalogue keeps (the rest only by name). */
export const VALUE_HEADERS = ['content-type', 'things-response'] as const;

/** Nesting followed inside a payload (`p.rr.of[].wd` is depth 4). */
const MAX_DEPTH = 5;

interface MutableField {
  types: Partial<Record<JsonType, number>>;
  actions: Record<string, { present: number; null: number }>;
}

interface MutableKind {
  count: number;
  actions: Record<string, number>;
  fields: Map<string, MutableField>;
}

interface MutableEndpoint {
  statuses: Record<string, number>;
  headers: Record<string, number>;
  values: Record<string, Record<string, number>>;
}

/** One response's metadata, as the recorder's side files hold it. */
export interface ResponseMeta {
  readonly method: string;
  /** The request URL (any origin; the path is templated). */
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** Collects recordings into a catalogue. */
export class CatalogueBuilder {
  #recordings = 0;
  #pages = 0;
  #groups = 0;
  #items = 0;
  readonly #schemas: Record<string, number> = {};
  readonly #envelope = new Map<string, MutableField>();
  readonly #kinds = new Map<string, MutableKind>();
  readonly #endpoints = new Map<string, MutableEndpoint>();
  readonly #account: Record<string, number> = {};

  /** Starts the next recording (counts recordings; nothing else). */
  recording(): this {
    this.#recordings += 1;
    return this;
  }

  /** Adds one parsed `/items` page body. Anything that is not an object counts as a page only. */
  page(body: unknown): this {
    this.#pages += 1;
    if (!isRecord(body)) return this;
    const schema = body['schema'] ?? body['latest-schema-version'];
    const key = typeof schema === 'number' ? String(schema) : 'none';
    this.#schemas[key] = (this.#schemas[key] ?? 0) + 1;
    for (const [name, value] of Object.entries(body)) {
      note(this.#envelope, name, 'page', value);
    }
    const items = body['items'];
    if (!Array.isArray(items)) return this;
    for (const group of items as unknown[]) {
      this.#groups += 1;
      if (!isRecord(group)) continue;
      for (const event of Object.values(group)) this.#event(event);
    }
    return this;
  }

  /** Adds the metadata of one response (status, headers) under its templated endpoint. */
  response(meta: ResponseMeta): this {
    const name = `${meta.method.toUpperCase()} ${templatePath(meta.url)}`;
    let endpoint = this.#endpoints.get(name);
    if (endpoint === undefined) {
      endpoint = { statuses: {}, headers: {}, values: {} };
      this.#endpoints.set(name, endpoint);
    }
    bump(endpoint.statuses, String(meta.status));
    for (const [header, value] of Object.entries(meta.headers)) {
      const lower = header.toLowerCase();
      bump(endpoint.headers, lower);
      if ((VALUE_HEADERS as readonly string[]).includes(lower)) {
        endpoint.values[lower] ??= {};
        bump(endpoint.values[lower], value.trim().toLowerCase());
      }
    }
    return this;
  }

  /** Adds an account status the recording saw (`SYAccountStatusActive`). */
  accountStatus(status: string): this {
    bump(this.#account, status);
    return this;
  }

  #event(event: unknown): void {
    this.#items += 1;
    const e = isRecord(event) ? event['e'] : undefined;
    const kindName = typeof e === 'string' ? e : '(no kind)';
    let kind = this.#kinds.get(kindName);
    if (kind === undefined) {
      kind = { count: 0, actions: {}, fields: new Map() };
      this.#kinds.set(kindName, kind);
    }
    kind.count += 1;
    const t = isRecord(event) ? event['t'] : undefined;
    const action = t === 0 ? 'create' : t === 1 ? 'modify' : t === 2 ? 'delete' : `t=${String(t)}`;
    bump(kind.actions, action);
    if (!isRecord(event)) return;
    for (const [key, value] of Object.entries(event)) {
      if (key === 't' || key === 'e') continue;
      if (key === 'p') {
        if (!isRecord(value)) {
          note(kind.fields, 'p', action, value);
          continue;
        }
        const seen = new Map<string, { types: Set<JsonType>; null: boolean }>();
        for (const [field, inner] of Object.entries(value))
          walk(seen, `p.${pathKey(field)}`, inner, 1);
        for (const [path, found] of seen) {
          const field = fieldOf(kind.fields, path);
          for (const type of found.types) field.types[type] = (field.types[type] ?? 0) + 1;
          const presence = (field.actions[action] ??= { present: 0, null: 0 });
          presence.present += 1;
          if (found.null) presence.null += 1;
        }
      } else {
        note(kind.fields, key, action, value);
      }
    }
  }

  /** The catalogue, every object's keys sorted. */
  build(): ShapeCatalogue {
    return {
      format: CATALOGUE_FORMAT,
      version: CATALOGUE_VERSION,
      recordings: this.#recordings,
      pages: this.#pages,
      groups: this.#groups,
      items: this.#items,
      schemas: sortKeys(this.#schemas),
      envelope: fieldsOut(this.#envelope),
      kinds: Object.fromEntries(
        [...this.#kinds.entries()]
          .sort(([a], [b]) => compare(a, b))
          .map(([name, kind]) => [
            name,
            { count: kind.count, actions: sortKeys(kind.actions), fields: fieldsOut(kind.fields) },
          ]),
      ),
      endpoints: Object.fromEntries(
        [...this.#endpoints.entries()]
          .sort(([a], [b]) => compare(a, b))
          .map(([name, endpoint]) => [
            name,
            {
              statuses: sortKeys(endpoint.statuses),
              headers: sortKeys(endpoint.headers),
              values: Object.fromEntries(
                Object.entries(endpoint.values)
                  .sort(([a], [b]) => compare(a, b))
                  .map(([header, values]) => [header, sortKeys(values)]),
              ),
            },
          ]),
      ),
      accountStatus: sortKeys(this.#account),
    };
  }
}

/** Merges catalogues (several reference recordings) into one. */
export function mergeCatalogues(catalogues: readonly ShapeCatalogue[]): ShapeCatalogue {
  const add = (
    a: Readonly<Partial<Record<string, number>>>,
    b: Readonly<Partial<Record<string, number>>>,
  ): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [k, v] of [...Object.entries(a), ...Object.entries(b)]) {
      out[k] = (out[k] ?? 0) + (v ?? 0);
    }
    return sortKeys(out);
  };
  const addFields = (
    a: Readonly<Record<string, FieldShape>>,
    b: Readonly<Record<string, FieldShape>>,
  ): Record<string, FieldShape> => {
    const out: Record<string, FieldShape> = { ...a };
    for (const [path, field] of Object.entries(b)) {
      const prev = out[path];
      if (prev === undefined) {
        out[path] = field;
        continue;
      }
      const actions: Record<string, Presence> = { ...prev.actions };
      for (const [action, p] of Object.entries(field.actions)) {
        const q = actions[action];
        actions[action] =
          q === undefined ? p : { present: q.present + p.present, null: q.null + p.null };
      }
      out[path] = {
        types: add(prev.types, field.types),
        actions: sortKeys(actions),
      };
    }
    return sortKeys(out);
  };
  let merged: ShapeCatalogue = new CatalogueBuilder().build();
  for (const c of catalogues) {
    const kinds: Record<string, KindShape> = { ...merged.kinds };
    for (const [name, kind] of Object.entries(c.kinds)) {
      const prev = kinds[name];
      kinds[name] =
        prev === undefined
          ? kind
          : {
              count: prev.count + kind.count,
              actions: add(prev.actions, kind.actions),
              fields: addFields(prev.fields, kind.fields),
            };
    }
    const endpoints: Record<string, EndpointShape> = { ...merged.endpoints };
    for (const [name, endpoint] of Object.entries(c.endpoints)) {
      const prev = endpoints[name];
      if (prev === undefined) {
        endpoints[name] = endpoint;
        continue;
      }
      const values: Record<string, Record<string, number>> = { ...prev.values };
      for (const [header, v] of Object.entries(endpoint.values)) {
        values[header] = add(values[header] ?? {}, v);
      }
      endpoints[name] = {
        statuses: add(prev.statuses, endpoint.statuses),
        headers: add(prev.headers, endpoint.headers),
        values: sortKeys(values),
      };
    }
    merged = {
      ...merged,
      recordings: merged.recordings + c.recordings,
      pages: merged.pages + c.pages,
      groups: merged.groups + c.groups,
      items: merged.items + c.items,
      schemas: add(merged.schemas, c.schemas),
      envelope: addFields(merged.envelope, c.envelope),
      kinds: sortKeys(kinds),
      endpoints: sortKeys(endpoints),
      accountStatus: add(merged.accountStatus, c.accountStatus),
    };
  }
  return merged;
}

/**
 * The endpoint of a URL as a template: `/version/1/account/{email}`, `/version/1/history/{key}`,
 * `…/items`, `…/commit`, `…/own-history-keys/{key}`, `/version/1/app-instance/{id}`; the query
 * and origin are dropped.
 */
export function templatePath(url: string): string {
  let path: string;
  try {
    path = new URL(url, 'http://localhost').pathname;
  } catch {
    path = url.split('?')[0] ?? url;
  }
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const before = parts[i - 1];
    if (before === 'account') parts[i] = '{email}';
    else if (before === 'history' || before === 'own-history-keys') parts[i] = '{key}';
    else if (before === 'app-instance') parts[i] = '{id}';
  }
  return parts.join('/');
}

function walk(
  seen: Map<string, { types: Set<JsonType>; null: boolean }>,
  path: string,
  value: unknown,
  depth: number,
): void {
  let found = seen.get(path);
  if (found === undefined) seen.set(path, (found = { types: new Set(), null: false }));
  const type = jsonType(value);
  found.types.add(type);
  if (type === 'null') found.null = true;
  if (depth >= MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const element of value as unknown[]) walk(seen, `${path}[]`, element, depth + 1);
  } else if (isRecord(value)) {
    for (const [key, inner] of Object.entries(value)) {
      walk(seen, `${path}.${pathKey(key)}`, inner, depth + 1);
    }
  }
}

function note(
  fields: Map<string, MutableField>,
  path: string,
  action: string,
  value: unknown,
): void {
  const field = fieldOf(fields, path);
  const type = jsonType(value);
  field.types[type] = (field.types[type] ?? 0) + 1;
  const presence = (field.actions[action] ??= { present: 0, null: 0 });
  presence.present += 1;
  if (type === 'null') presence.null += 1;
}

function fieldOf(fields: Map<string, MutableField>, path: string): MutableField {
  let field = fields.get(path);
  if (field === undefined) {
    field = { types: {}, actions: {} };
    fields.set(path, field);
  }
  return field;
}

function fieldsOut(fields: Map<string, MutableField>): Record<string, FieldShape> {
  return Object.fromEntries(
    [...fields.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([path, field]) => [
        path,
        { types: sortKeys(field.types), actions: sortKeys(field.actions) },
      ]),
  );
}

/** Object keys that are ids (or otherwise data, not schema) collapse to `*`. */
function pathKey(key: string): string {
  if (isCanonicalId(key) || key.length > 32 || /^[0-9A-Fa-f-]{36}$/.test(key)) return '*';
  return key;
}

/** The catalogue's JSON type of a value. */
export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'boolean' || type === 'string') return type;
  return type === 'number' || type === 'bigint' ? 'number' : 'object';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys<T>(object: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => compare(a, b)));
}
