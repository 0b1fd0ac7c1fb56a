/**
 * Base58 with the Bitcoin alphabet and the canonical leading-zero rule (spec 8.2): every leading
 * `0x00` byte is one leading `1`, the rest is the big-endian number in base 58.
 */

/** The Bitcoin Base58 alphabet (no `0`, `O`, `I`, `l`). */
export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

const DIGIT_BY_CHAR: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE58_ALPHABET.length; i += 1) table[BASE58_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** True when every character of `s` is in the Base58 alphabet (the empty string included). */
export function isBase58Alphabet(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) {
    const code = s.charCodeAt(i);
    if (code >= 128 || (DIGIT_BY_CHAR[code] ?? -1) < 0) return false;
  }
  return true;
}

/** Encodes bytes canonically (leading zero bytes become leading `1`s). Quadratic: meant for ids. */
export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros += 1;
  // Little-endian base-58 digits of the number formed by the remaining bytes.
  const digits: number[] = [];
  for (let i = zeros; i < bytes.length; i += 1) {
    let carry = bytes[i] ?? 0;
    for (let j = 0; j < digits.length; j += 1) {
      carry += (digits[j] ?? 0) * 256;
      digits[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '1'.repeat(zeros);
  for (let j = digits.length - 1; j >= 0; j -= 1) out += BASE58_ALPHABET[digits[j] ?? 0];
  return out;
}

/**
 * Decodes a Base58 string (each leading `1` is one zero byte), or returns `null` when a character
 * is outside the alphabet. Quadratic: callers bound the length first.
 */
export function base58Decode(s: string): Uint8Array | null {
  let ones = 0;
  while (ones < s.length && s.charCodeAt(ones) === 49) ones += 1;
  // Little-endian bytes of the number formed by the remaining digits.
  const bytes: number[] = [];
  for (let i = ones; i < s.length; i += 1) {
    const code = s.charCodeAt(i);
    const digit = code < 128 ? (DIGIT_BY_CHAR[code] ?? -1) : -1;
    if (digit < 0) return null;
    let carry = digit;
    for (let j = 0; j < bytes.length; j += 1) {
      carry += (bytes[j] ?? 0) * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(ones + bytes.length);
  for (let j = 0; j < bytes.length; j += 1) out[ones + j] = bytes[bytes.length - 1 - j] ?? 0;
  return out;
}
