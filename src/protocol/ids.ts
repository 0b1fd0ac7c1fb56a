/**
 * Entity identifiers (spec 8): canonical Base58 of 16 bytes, legacy forms, the SHA-1 mapping of
 * legacy ids to Base58, and safe generation of new ids.
 *
 * Classification order (first match wins), as implemented by {@link classifyId}:
 *
 * | form                 | rule                                                                 |
 * | -------------------- | -------------------------------------------------------------------- |
 * | `base58`             | decodes to exactly 16 bytes and re-encodes to itself (16–22 chars)   |
 * | `legacyUuid`         | `XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`, hex digits of either case    |
 * | `legacyInstance`     | a legacy UUID followed by `-YYYYMMDD` (8 digits)                     |
 * | `nonCanonicalBase58` | Base58 alphabet only, 16–24 characters (15/17 bytes, `1`-padded, …)  |
 * | `legacyName`         | 1–256 characters of `A–Z a–z 0–9 - _ .` (`CC-Things-Tag-High`)       |
 * | `invalid`            | anything else: empty, whitespace, control or non-ASCII characters    |
 */

import { base58Decode, base58Encode, isBase58Alphabet } from './base58.ts';
import { sha1 } from './sha1.ts';
import type { EntityRef, IdForm } from './types.ts';

const UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';
const UUID_PATTERN = new RegExp(`^${UUID}$`);
const INSTANCE_PATTERN = new RegExp(`^(${UUID})(-[0-9]{8})$`);
const LEGACY_NAME_PATTERN = /^[A-Za-z0-9._-]{1,256}$/;

/** Length of the ids {@link newId} produces. */
export const NEW_ID_LENGTH = 22;

const encoder = new TextEncoder();

/** True when `s` is the canonical Base58 encoding of exactly 16 bytes (spec 8.2). */
export function isCanonicalId(s: string): boolean {
  // 16 bytes never need more than 22 digits; the bound also keeps the quadratic decode cheap.
  if (s.length < 16 || s.length > 22) return false;
  const bytes = base58Decode(s);
  return bytes !== null && bytes.length === 16 && base58Encode(bytes) === s;
}

/** Classifies an identifier string (see the table in this module's comment). */
export function classifyId(s: string): IdForm {
  if (isCanonicalId(s)) return 'base58';
  if (s.length === 36 && UUID_PATTERN.test(s)) return 'legacyUuid';
  if (s.length === 45 && INSTANCE_PATTERN.test(s)) return 'legacyInstance';
  if (s.length >= 16 && s.length <= 24 && isBase58Alphabet(s)) return 'nonCanonicalBase58';
  if (LEGACY_NAME_PATTERN.test(s)) return 'legacyName';
  return 'invalid';
}

/**
 * The Base58 id the modern apps use for a legacy id (spec 8.3), hashing the bytes exactly as
 * received (no case folding): `<UUID>-YYYYMMDD` →
 * `Base58(SHA-1(SHA-1(UUID)[0..16) ‖ "-YYYYMMDD")[0..16))`, anything else →
 * `Base58(SHA-1(s)[0..16))`.
 */
export function legacyToBase58(s: string): string {
  const instance = s.length === 45 ? INSTANCE_PATTERN.exec(s) : null;
  if (instance !== null) {
    const uuidDigest = sha1(encoder.encode(instance[1] ?? '')).subarray(0, 16);
    const suffix = encoder.encode(instance[2] ?? '');
    const joined = new Uint8Array(uuidDigest.length + suffix.length);
    joined.set(uuidDigest);
    joined.set(suffix, uuidDigest.length);
    return base58Encode(sha1(joined).subarray(0, 16));
  }
  return base58Encode(sha1(encoder.encode(s)).subarray(0, 16));
}

/**
 * Wraps a wire id: `id` is the legacy mapping of `raw` when the id is not canonical Base58 and
 * sits in a legacy kind (`legacyKind`), else `raw` itself (spec 8.3).
 */
export function toEntityRef(raw: string, options: { readonly legacyKind: boolean }): EntityRef {
  const form = classifyId(raw);
  const id = form !== 'base58' && options.legacyKind ? legacyToBase58(raw) : raw;
  return { raw, id, form };
}

/** How many draws {@link newId} makes before concluding the random source is broken. */
const NEW_ID_MAX_ATTEMPTS = 1000;

/**
 * A new entity id by the safe generation rule (spec 8.2): 16 random bytes encoded canonically,
 * redrawn until the result has 22 characters and does not start with `1`.
 * Throws RangeError when `randomBytes16` returns something other than 16 bytes, or Error when it
 * keeps producing unusable values.
 */
export function newId(randomBytes16: () => Uint8Array): string {
  for (let attempt = 0; attempt < NEW_ID_MAX_ATTEMPTS; attempt += 1) {
    const bytes = randomBytes16();
    if (bytes.length !== 16) {
      throw new RangeError(`randomBytes16 must return 16 bytes, got ${bytes.length}`);
    }
    const id = base58Encode(bytes);
    if (id.length === NEW_ID_LENGTH && !id.startsWith('1')) return id;
  }
  throw new Error(
    `Cannot generate an id: ${NEW_ID_MAX_ATTEMPTS} draws of randomBytes16 gave no 22-character id; is the random source constant?`,
  );
}
