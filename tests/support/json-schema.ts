/**
 * A small JSON Schema (2020-12) checker for the CLI's documented output (docs/json/*.schema.json).
 * It knows the keywords those schemas use and refuses any other, so a schema cannot quietly
 * rely on a keyword nothing checks. `$ref` reaches `#/$defs/…` in the same file or
 * `other.schema.json#/$defs/…` next to it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

type Schema = boolean | { readonly [keyword: string]: unknown };

/** Keywords that only annotate. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'examples']);
/** Keywords this checker applies. */
const CHECKED = new Set([
  '$defs',
  '$ref',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'oneOf',
  'anyOf',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'minItems',
  'propertyNames',
]);

/** One place where a value does not fit its schema. */
export interface SchemaError {
  /** JSON path of the value, e.g. `$.rows[3].id`. */
  readonly path: string;
  readonly message: string;
}

/** Loads schemas from one directory, each file once. */
export class SchemaSet {
  readonly #dir: string;
  readonly #files = new Map<string, Schema>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The schema in `file` (a name in the directory). */
  schema(file: string): Schema {
    let schema = this.#files.get(file);
    if (schema === undefined) {
      schema = JSON.parse(readFileSync(join(this.#dir, file), 'utf8')) as Schema;
      this.#files.set(file, schema);
    }
    return schema;
  }

  /** Every place `value` does not fit the schema of `file` (empty when it fits). */
  validate(file: string, value: unknown): SchemaError[] {
    const errors: SchemaError[] = [];
    this.#check(this.schema(file), file, value, '$', errors);
    return errors;
  }

  #resolve(ref: string, file: string): { schema: Schema; file: string } {
    const [target = '', fragment = ''] = ref.split('#');
    const targetFile = target === '' ? file : join(dirname(file), target);
    let node: unknown = this.schema(targetFile);
    for (const part of fragment.split('/').filter((p) => p !== '')) {
      node = (node as Record<string, unknown>)[part];
      if (node === undefined) throw new Error(`${file}: $ref ${ref} points nowhere`);
    }
    return { schema: node as Schema, file: targetFile };
  }

  #check(schema: Schema, file: string, value: unknown, path: string, errors: SchemaError[]): void {
    if (schema === true) return;
    if (schema === false) {
      errors.push({ path, message: 'no value is allowed here' });
      return;
    }
    for (const keyword of Object.keys(schema)) {
      if (!ANNOTATIONS.has(keyword) && !CHECKED.has(keyword)) {
        throw new Error(
          `${file}: keyword "${keyword}" is not checked by tests/support/json-schema.ts`,
        );
      }
    }
    const fail = (message: string): void => void errors.push({ path, message });
    if (typeof schema['$ref'] === 'string') {
      const target = this.#resolve(schema['$ref'], file);
      this.#check(target.schema, target.file, value, path, errors);
    }
    if (schema['type'] !== undefined) {
      const types = ([] as unknown[]).concat(schema['type']) as string[];
      if (!types.some((type) => hasType(value, type))) {
        fail(`expected ${types.join(' or ')}, got ${describe(value)}`);
        return;
      }
    }
    if ('const' in schema && !equal(schema['const'], value)) {
      fail(`expected ${JSON.stringify(schema['const'])}, got ${JSON.stringify(value)}`);
    }
    if (Array.isArray(schema['enum']) && !schema['enum'].some((option) => equal(option, value))) {
      fail(`expected one of ${JSON.stringify(schema['enum'])}, got ${JSON.stringify(value)}`);
    }
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const options = schema[keyword];
      if (!Array.isArray(options)) continue;
      const fits = options.filter((option) => {
        const inner: SchemaError[] = [];
        this.#check(option as Schema, file, value, path, inner);
        return inner.length === 0;
      }).length;
      if (keyword === 'oneOf' ? fits !== 1 : fits === 0) {
        fail(
          `${keyword}: fits ${fits} of ${options.length} schemas (${JSON.stringify(value).slice(0, 120)})`,
        );
      }
    }
    if (typeof value === 'string') {
      if (
        typeof schema['pattern'] === 'string' &&
        !new RegExp(schema['pattern'], 'u').test(value)
      ) {
        fail(`${JSON.stringify(value)} does not match /${schema['pattern']}/`);
      }
      if (typeof schema['minLength'] === 'number' && codePoints(value) < schema['minLength']) {
        fail(`shorter than ${schema['minLength']}`);
      }
    }
    if (typeof value === 'number') {
      if (typeof schema['minimum'] === 'number' && value < schema['minimum'])
        fail(`below ${schema['minimum']}`);
      if (typeof schema['maximum'] === 'number' && value > schema['maximum'])
        fail(`above ${schema['maximum']}`);
    }
    if (Array.isArray(value)) {
      if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) {
        fail(`fewer than ${schema['minItems']} items`);
      }
      if (schema['items'] !== undefined) {
        value.forEach((item, i) =>
          this.#check(schema['items'] as Schema, file, item, `${path}[${i}]`, errors),
        );
      }
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const object = value as Record<string, unknown>;
      const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
      for (const name of (schema['required'] ?? []) as string[]) {
        if (!(name in object)) fail(`missing property "${name}"`);
      }
      for (const [name, item] of Object.entries(object)) {
        const where = `${path}.${name}`;
        if (schema['propertyNames'] !== undefined) {
          this.#check(schema['propertyNames'] as Schema, file, name, `${where} (name)`, errors);
        }
        if (name in properties) this.#check(properties[name] as Schema, file, item, where, errors);
        else if (schema['additionalProperties'] !== undefined) {
          if (schema['additionalProperties'] === false) {
            errors.push({ path: where, message: 'property not in the schema' });
          } else {
            this.#check(schema['additionalProperties'] as Schema, file, item, where, errors);
          }
        }
      }
    }
  }
}

/** Length in code points, as JSON Schema counts it. */
function codePoints(text: string): number {
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '_').length;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isSafeInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      throw new Error(`unknown type "${type}"`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
