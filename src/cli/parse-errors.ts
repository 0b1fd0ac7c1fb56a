/**
 * yargs reports command-line mistakes in its own words ("Unknown arguments: limt", "Not enough
 * non-option arguments: got 0, need at least 1", a multi-line "Invalid values:"). This module turns
 * them into one line that names the mistake as the user typed it, with a suggestion when one is
 * close: `Unknown option --limt; did you mean --limit?`.
 */

/** What the parser knows when a mistake is reported. */
export interface ParseContext {
  /** The arguments as given (after `thingstape`). */
  readonly argv: readonly string[];
  /** The command matched so far (`fixture verify`), or null if none. */
  readonly path: string | null;
  /** The matched command's yargs string (`gen <dir>`), or null if it only groups subcommands. */
  readonly commandString: string | null;
  /** Names of the subcommands that could follow `path` (the top-level commands if none). */
  readonly subcommands: readonly string[];
  /** The options the matched command accepts (long names, without dashes). */
  readonly options: readonly string[];
  /** yargs' "Did you mean X?" that came before the message, if any. */
  readonly suggestion: string | null;
}

/** The one-line message for a yargs parse failure. */
export function describeParseFailure(message: string, context: ParseContext): string {
  const text = message.trim();
  const unknown = /^Unknown arguments?: (.+)$/s.exec(text);
  if (unknown !== null)
    return unknownArguments(withoutCamelCase(splitList(unknown[1] ?? '')), context);

  const positionals = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(
    text,
  );
  if (positionals !== null) {
    if (context.commandString === null) return missingCommand(context);
    const required = requiredPositionals(context.commandString);
    const missing = required.slice(Number(positionals[1]));
    return missingArguments(missing.length === 0 ? required : missing);
  }

  const missingOptions = /^Missing required arguments?: (.+)$/.exec(text);
  if (missingOptions !== null) {
    const positional = new Set(requiredPositionals(context.commandString ?? ''));
    return missingArguments(
      splitList(missingOptions[1] ?? '').map((name) =>
        positional.has(`<${name}>`) ? `<${name}>` : `--${name}`,
      ),
    );
  }

  const invalid = /^Invalid values?:\s*Argument: (\S+), Given: (.+?), Choices: (.+)$/s.exec(text);
  if (invalid !== null) {
    const name = invalid[1] ?? '';
    const given = (invalid[2] ?? '').trim();
    const choices = splitList(invalid[3] ?? '').map(unquote);
    const shownName = isPositional(name, context) ? `<${name}>` : `--${name}`;
    const close = nearest(unquote(given), choices);
    return `Invalid value ${given} for ${shownName}: expected one of ${choices.join(', ')}${close === null ? '' : `; did you mean ${close}?`}`;
  }

  const noValue = /^Not enough arguments following: (\S+)$/.exec(text);
  if (noValue !== null) return `--${noValue[1] ?? ''}: expected a value after it`;

  const exclusive = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(text);
  if (exclusive !== null) {
    return `--${exclusive[1] ?? ''} and --${exclusive[2] ?? ''} exclude each other; give one of them`;
  }
  return text;
}

function unknownArguments(names: readonly string[], context: ParseContext): string {
  const wasOption = (name: string): string | null => {
    for (const token of context.argv) {
      if (token === `--${name}` || token.startsWith(`--${name}=`)) return `--${name}`;
      if (token === `--no-${name}`) return `--no-${name}`;
      if (name.length === 1 && token.startsWith('-') && !token.startsWith('--')) {
        if (token.slice(1).includes(name)) return `-${name}`;
      }
    }
    return null;
  };
  // No command matched yet (or only a group): the first stray word is a mistyped command.
  const stray = context.argv.find((token) => !token.startsWith('-') && names.includes(token));
  if (context.commandString === null && stray !== undefined) {
    const first = stray;
    const prefix = context.path === null ? '' : `${context.path} `;
    const suggested = suggestionOf(context.suggestion) ?? nearest(first, context.subcommands);
    return suggested === null
      ? `Unknown command "${prefix}${first}" (commands: ${context.subcommands.join(', ')})`
      : `Unknown command "${prefix}${first}"; did you mean "${prefix}${suggested}"?`;
  }
  const parts = names.map((name) => {
    const option = wasOption(name);
    if (option === null) return `unexpected argument "${name}"`;
    const bare = option.replace(/^-+(no-)?/, '');
    const close = nearest(bare, context.options);
    return `unknown option ${option}${close === null ? '' : `; did you mean --${close}?`}`;
  });
  const joined = parts.join(', ');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

/** yargs lists `--max-page` also as `maxPage`; keep the name as typed. */
function withoutCamelCase(names: readonly string[]): string[] {
  const camel = (name: string): string =>
    name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const typed = new Set(names.filter((name) => name.includes('-')).map(camel));
  return names.filter((name) => !typed.has(name));
}

function missingCommand(context: ParseContext): string {
  return context.path === null
    ? `Name a command: ${context.subcommands.join(', ')}`
    : `Name what "${context.path}" should do: ${context.subcommands.map((s) => `${context.path} ${s}`).join(', ')}`;
}

function missingArguments(names: readonly string[]): string {
  return `Missing required argument${names.length === 1 ? '' : 's'}: ${names.join(', ')}`;
}

/** The `<name>` parts of a yargs command string (`gen <dir>` → `<dir>`). */
export function requiredPositionals(commandString: string): string[] {
  return [...commandString.matchAll(/<([^>]+)>/g)].map((m) => `<${m[1] ?? ''}>`);
}

function isPositional(name: string, context: ParseContext): boolean {
  return (context.commandString ?? '').match(new RegExp(`[<\\[]${escape(name)}[.>\\]]`)) !== null;
}

function suggestionOf(didYouMean: string | null): string | null {
  if (didYouMean === null) return null;
  return /^Did you mean (.+)\?$/.exec(didYouMean.trim())?.[1] ?? null;
}

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function unquote(text: string): string {
  return text.replace(/^"(.*)"$/s, '$1');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The candidate closest to `word` (at most 2 edits, or a prefix), or null. */
export function nearest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.min(2, Math.max(1, Math.floor(word.length / 3)));
  return best !== null && bestDistance <= limit ? best : null;
}

/** Levenshtein distance with adjacent transpositions (`limt` → `limit` is 1, `todya` → `today` 1). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(value);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
