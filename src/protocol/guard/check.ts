/**
 * The guard's runner: a commit body and its state in, every violation of the write rules out.
 * Pure: no clock, no I/O; the state is a parameter.
 */
import { jsonErrorOffset } from '../json-position.ts';
import { skipJsonSpace, skipJsonValue } from '../json-scan.ts';
import { isRecord, readCommit, render, type Finding } from './commit.ts';
import { GUARD_CODES, GUARD_RULES, type GuardCode } from './rules.ts';
import type { GuardOptions, GuardReport, GuardState, GuardViolation, Severity } from './types.ts';

/** A state that knows nothing: unknown ids are not judged (a commit checked on its own). */
export const EMPTY_GUARD_STATE: GuardState = { complete: false, get: () => undefined };

/** True when `code` names a guard rule. */
export function isGuardCode(code: string): code is GuardCode {
  return Object.hasOwn(GUARD_RULES, code);
}

/**
 * Checks a commit body (entity id → `{t, e, p}`, already parsed) against every write rule, given
 * the state it applies to. Violations come in commit key order, then rule order. Options turn
 * warning rules into errors or switch rules off; unknown codes in them are a RangeError.
 */
export function checkCommit(
  body: unknown,
  state: GuardState = EMPTY_GUARD_STATE,
  options: GuardOptions = {},
): GuardReport {
  return run(body, state, options, []);
}

/**
 * {@link checkCommit} on the raw text of a commit body: invalid JSON is a `MALFORMED_COMMIT`
 * violation (with the character where it breaks), and ids given twice in the text, which
 * `JSON.parse` would silently collapse, are `DUPLICATE_KEY` violations.
 */
export function checkCommitText(
  text: string,
  state: GuardState = EMPTY_GUARD_STATE,
  options: GuardOptions = {},
): GuardReport {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const offset = jsonErrorOffset(text);
    const where = offset >= 0 ? ` at character ${offset}` : '';
    return run(undefined, state, options, [], `invalid JSON${where}`);
  }
  return run(body, state, options, isRecord(body) ? duplicateKeys(text) : []);
}

function run(
  body: unknown,
  state: GuardState,
  options: GuardOptions,
  duplicates: readonly string[],
  invalidJson?: string,
): GuardReport {
  const ignore = new Set(checkCodes(options.ignore ?? [], 'ignore'));
  const escalate =
    options.errors === 'all' ? 'all' : new Set(checkCodes(options.errors ?? [], 'errors'));
  const commit = readCommit(body, state, duplicates);
  const order = new Map<string | null, number>([[null, -1]]);
  commit.items.forEach((item, index) => order.set(item.id, index));
  const violations: GuardViolation[] = [];
  const seen = new Set<string>();
  GUARD_CODES.forEach((code) => {
    if (ignore.has(code)) return;
    const rule = GUARD_RULES[code];
    const findings: Iterable<Finding> = rule.check(commit);
    for (const found of findings) {
      // One violation per rule and place, even when a rule sees it for two reasons.
      const place = `${code}\u0000${found.entityId ?? ''}\u0000${found.path}`;
      if (seen.has(place)) continue;
      seen.add(place);
      const severity: Severity = escalate === 'all' || escalate.has(code) ? 'error' : rule.severity;
      const text =
        code === 'MALFORMED_COMMIT' && invalidJson !== undefined
          ? invalidJson
          : (found.foundText ?? render(found.found));
      const where = found.entityId === null ? 'the commit' : `"${found.entityId}"`;
      violations.push({
        code,
        severity,
        entityId: found.entityId,
        path: found.path,
        found: text,
        rule: rule.rule,
        section: rule.section,
        tag: rule.tag,
        confidence: rule.confidence,
        message: `${where}${found.path === '' ? '' : ` ${found.path}`}: found ${text}; ${rule.rule} (spec ${rule.section} ${rule.tag})`,
      });
    }
  });
  // Rules run in order, so a stable sort by entity keeps each entity's violations in rule order.
  violations.sort((a, b) => (order.get(a.entityId) ?? 0) - (order.get(b.entityId) ?? 0));
  const errors = violations.filter((v) => v.severity === 'error').length;
  return {
    ok: errors === 0,
    errors,
    warnings: violations.length - errors,
    violations,
  };
}

function checkCodes(codes: readonly string[], option: string): GuardCode[] {
  for (const code of codes) {
    if (!isGuardCode(code)) {
      throw new RangeError(`guard option ${option}: unknown rule ${JSON.stringify(code)}`);
    }
  }
  return codes as GuardCode[];
}

/** Keys that occur more than once at the top level of a JSON object text (valid JSON). */
export function duplicateKeys(text: string): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  let i = skipJsonSpace(text, 0);
  if (text[i] !== '{') return [];
  i = skipJsonSpace(text, i + 1);
  while (i < text.length && text[i] !== '}') {
    const end = skipJsonValue(text, i);
    const key = JSON.parse(text.slice(i, end)) as string;
    if (seen.has(key)) twice.add(key);
    seen.add(key);
    i = skipJsonSpace(text, skipJsonSpace(text, end) + 1); // past ':'
    i = skipJsonSpace(text, skipJsonValue(text, i));
    if (text[i] === ',') i = skipJsonSpace(text, i + 1);
  }
  return [...twice];
}
