/**
 * Locates the first JSON syntax error in a text, for INVALID_JSON messages (V8's own messages do
 * not always carry a position). Linear time, no recursion; only run after `JSON.parse` failed.
 */

const DIGIT_OR_MINUS = /[-0-9]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ESCAPES = '"\\/bfnrt';

/** Offset of the first JSON syntax error in `text` (`text.length` when it is truncated), or -1. */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  const stack: ('array' | 'object')[] = [];
  let i = 0;
  let state: 'value' | 'key' | 'colon' | 'after' = 'value';

  const skipSpace = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) {
      i += 1;
    }
  };
  const readString = (): boolean => {
    i += 1;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        i += 1;
        return true;
      }
      if (code === 92) {
        const escape = text[i + 1];
        if (escape === 'u' && HEX4.test(text.slice(i + 2, i + 6))) i += 6;
        else if (escape !== undefined && escape !== 'u' && ESCAPES.includes(escape)) i += 2;
        else return false;
      } else if (code < 0x20) {
        return false;
      } else {
        i += 1;
      }
    }
    return false;
  };

  for (;;) {
    skipSpace();
    if (i >= n) return state === 'after' && stack.length === 0 ? -1 : n;
    const c = text[i] ?? '';
    if (state === 'value') {
      if (c === '{' || c === '[') {
        i += 1;
        skipSpace();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i += 1;
          state = 'after';
        } else {
          stack.push(c === '{' ? 'object' : 'array');
          state = c === '{' ? 'key' : 'value';
        }
      } else if (c === '"') {
        if (!readString()) return Math.min(i, n);
        state = 'after';
      } else if (DIGIT_OR_MINUS.test(c)) {
        NUMBER.lastIndex = i;
        if (NUMBER.exec(text) === null) return i;
        i = NUMBER.lastIndex;
        state = 'after';
      } else {
        const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
        if (literal === undefined) return i;
        i += literal.length;
        state = 'after';
      }
    } else if (state === 'key') {
      if (c !== '"' || !readString()) return Math.min(i, n);
      state = 'colon';
    } else if (state === 'colon') {
      if (c !== ':') return i;
      i += 1;
      state = 'value';
    } else {
      const top = stack.at(-1);
      if (top === undefined) return i;
      if (c === ',') {
        i += 1;
        state = top === 'object' ? 'key' : 'value';
      } else if (c === (top === 'object' ? '}' : ']')) {
        i += 1;
        stack.pop();
      } else {
        return i;
      }
    }
  }
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
