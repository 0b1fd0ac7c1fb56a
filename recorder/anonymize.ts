/**
 * Anonymizing recorded pages (pure): titles, notes and checklist text are replaced by
 * deterministic stand-ins, ids and structure are kept, and each entity's note history is rewritten
 * consistently so the anonymized fixture replays to the anonymized equivalent state.
 *
 * Stand-ins: every code point becomes a pseudo-random one of the same UTF-8 byte length (ASCII →
 * lower-case letters and spaces, 2-byte → Latin letters with accents, 3-byte → CJK, 4-byte →
 * emoji); line breaks and tabs stay. The pseudo-random stream is keyed by a per-fixture salt and
 * the original string, so the same title maps to the same stand-in within one salt, and a
 * stand-in says nothing about its original beyond its byte length and line structure.
 *
 * Why byte lengths are kept: note deltas address UTF-8 byte offsets (spec 7.3). With stand-ins of
 * identical byte layout, every patch offset and length stays valid; only the replacement texts and
 * CRC-32 checksums change (checksums are recomputed on the anonymized text; one that did not match
 * in the original is made not to match in the copy either, so anomalies stay the same).
 */
import { sha256Hex } from '../src/fixture/sha256.ts';
import { Rng } from '../src/gen/prng.ts';
import { applyPatches, crc32, crc32Bytes } from '../src/protocol/index.ts';

/** Identifies the stand-in method in manifests. */
export const ANONYMIZER_VERSION = 'thingstape stand-ins v1';

const ASCII_STAND_INS = 'abcdefghijklmnopqrstuvwxyz     ';
const TWO_BYTE_STAND_INS = 'àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ';

/** A note as the anonymizer tracks it: the anonymized text, and the original when known. */
interface NoteState {
  readonly anonymized: string;
  /** `null` when the original is unknown (a resumed recording learns only anonymized pages). */
  readonly original: string | null;
}

/** Rewrites pages of one fixture; keeps per-entity note state across pages (feed them in order). */
export class Anonymizer {
  readonly #salt: string;
  readonly #notes = new Map<string, NoteState>();
  readonly #cache = new Map<string, string>();

  /** `salt`: secret random bytes for this fixture (never written anywhere). */
  constructor(salt: Uint8Array) {
    if (salt.length < 16) throw new RangeError('the anonymization salt needs at least 16 bytes');
    this.#salt = sha256Hex(salt);
  }

  /** The stand-in of `text`: same UTF-8 byte length per code point, line breaks kept. */
  standIn(text: string): string {
    if (text === '') return '';
    const cached = this.#cache.get(text);
    if (cached !== undefined) return cached;
    const rng = new Rng(sha256Hex(new TextEncoder().encode(`${this.#salt}\u0000${text}`)));
    let out = '';
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0;
      if (char === '\n' || char === '\r' || char === '\t') out += char;
      else if (code < 0x20 || code === 0x7f) out += char;
      else if (code < 0x80) out += pick(rng, ASCII_STAND_INS);
      else if (code < 0x800) out += pick(rng, TWO_BYTE_STAND_INS);
      else if (code >= 0xd800 && code <= 0xdfff)
        out += char; // lone surrogate: not text
      else if (code < 0x10000) out += String.fromCodePoint(0x4e00 + rng.int(0, 0x51ff));
      else out += String.fromCodePoint(0x1f600 + rng.int(0, 0x4f));
    }
    if (this.#cache.size > 50_000) this.#cache.clear();
    this.#cache.set(text, out);
    return out;
  }

  /**
   * The anonymized page: the body parsed, every `tt` and `nt` of every event rewritten, and
   * printed again as compact JSON (so number text and whitespace are no longer verbatim).
   * Throws a `SyntaxError` when the body is not JSON.
   */
  page(text: string): string {
    const json: unknown = JSON.parse(text);
    this.#walk(json, true);
    return JSON.stringify(json);
  }

  /** Learns the note state from a page that is already anonymized (resuming a recording). */
  observe(text: string): void {
    this.#walk(JSON.parse(text), false);
  }

  #walk(json: unknown, rewrite: boolean): void {
    if (!isObject(json) || !Array.isArray(json['items'])) return;
    for (const group of json['items'] as unknown[]) {
      if (!isObject(group)) continue;
      for (const [id, event] of Object.entries(group)) {
        if (!isObject(event)) continue;
        const payload = event['p'];
        if (event['t'] === 2) this.#notes.delete(id);
        if (!isObject(payload)) continue;
        if (event['t'] === 0) this.#notes.set(id, { anonymized: '', original: '' });
        if (rewrite && typeof payload['tt'] === 'string')
          payload['tt'] = this.standIn(payload['tt']);
        if ('nt' in payload) payload['nt'] = this.#note(id, payload['nt'], rewrite);
      }
    }
  }

  #note(id: string, note: unknown, rewrite: boolean): unknown {
    if (note === null) {
      this.#notes.set(id, { anonymized: '', original: '' });
      return null;
    }
    if (typeof note === 'string') {
      const anonymized = rewrite ? this.standIn(note) : note;
      this.#notes.set(id, { anonymized, original: rewrite ? note : null });
      return anonymized;
    }
    if (!isObject(note) || note['_t'] !== 'tx') return rewrite ? this.#deep(note) : note;
    if (note['t'] === 1 && typeof note['v'] === 'string') {
      const original = note['v'];
      const anonymized = rewrite ? this.standIn(original) : original;
      this.#notes.set(id, { anonymized, original: rewrite ? original : null });
      if (!rewrite) return note;
      const out: Record<string, unknown> = { ...note, v: anonymized };
      if (typeof note['ch'] === 'number') {
        out['ch'] = checksum(note['ch'] === crc32(original), crc32(anonymized));
      }
      return out;
    }
    if (note['t'] === 2 && Array.isArray(note['ps'])) {
      const state = this.#notes.get(id) ?? { anonymized: '', original: '' };
      let anonymized = state.anonymized;
      let original = state.original;
      const patches = (note['ps'] as unknown[]).map((patch) => {
        if (!isObject(patch) || typeof patch['r'] !== 'string') return patch;
        const p = typeof patch['p'] === 'number' ? patch['p'] : 0;
        const l = typeof patch['l'] === 'number' ? patch['l'] : 0;
        if (!Number.isInteger(p) || !Number.isInteger(l)) return patch;
        const r = rewrite ? this.standIn(patch['r']) : patch['r'];
        const anonymizedAfter = applyPatches(
          anonymized,
          [{ replacement: r, position: p, length: l, checksum: null }],
          { checked: false },
        ).text;
        let matched = true;
        if (original !== null) {
          const originalAfter = applyPatches(
            original,
            [{ replacement: patch['r'], position: p, length: l, checksum: null }],
            { checked: false },
          ).text;
          if (typeof patch['ch'] === 'number') {
            matched = patch['ch'] === crc32Bytes(new TextEncoder().encode(originalAfter));
          }
          original = originalAfter;
        }
        anonymized = anonymizedAfter;
        if (!rewrite) return patch;
        const out: Record<string, unknown> = { ...patch, r };
        if (typeof patch['ch'] === 'number') out['ch'] = checksum(matched, crc32(anonymizedAfter));
        return out;
      });
      this.#notes.set(id, { anonymized, original: rewrite ? original : null });
      return rewrite ? { ...note, ps: patches } : note;
    }
    return rewrite ? this.#deep(note) : note;
  }

  /** Every string inside an unknown note form, anonymized (keys and `_t` kept). */
  #deep(value: unknown): unknown {
    if (typeof value === 'string') return this.standIn(value);
    if (Array.isArray(value)) return value.map((entry) => this.#deep(entry));
    if (!isObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      out[key] = key === '_t' ? entry : this.#deep(entry);
    }
    return out;
  }
}

/** The anonymized checksum: correct when the original was, deliberately wrong when it was not. */
function checksum(originalMatched: boolean, actual: number): number {
  return originalMatched ? actual : (actual ^ 1) >>> 0;
}

function pick(rng: Rng, alphabet: string): string {
  return alphabet[rng.int(0, alphabet.length - 1)] ?? 'x';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
