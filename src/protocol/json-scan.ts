/**
 * Walking the text of well-formed JSON without parsing it: where a value or a run of whitespace
 * ends. For readers that need the verbatim text of a part (a page's groups, keys as written);
 * validate with `JSON.parse` first, since nothing here checks the text.
 */

/** The index just after the run of JSON whitespace starting at `i`. */
export function skipJsonSpace(text: string, i: number): number {
  while (i < text.length && ' \n\r\t'.includes(text[i] ?? '')) i++;
  return i;
}

/** The index just after the JSON value starting at `i` (well-formed input). */
export function skipJsonValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return skipString(text, i);
  if (first !== '{' && first !== '[') {
    while (i < text.length && !',}] \t\r\n'.includes(text[i] ?? '')) i++;
    return i;
  }
  let depth = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** The index just after the string starting at the quote at `i`. */
function skipString(text: string, i: number): number {
  i++; // opening quote
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return i;
}
