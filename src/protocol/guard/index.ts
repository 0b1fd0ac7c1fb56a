/**
 * The write guard (spec 10, 13, 16.1): a commit body and the state it applies to in, every
 * violation of the write rules out, each with its code, entity, JSON path, what was found, the
 * rule and the spec section with its confidence tag. Pure: the state is a parameter.
 */
export {
  checkCommit,
  checkCommitText,
  duplicateKeys,
  EMPTY_GUARD_STATE,
  isGuardCode,
} from './check.ts';
export { GUARD_CODES, GUARD_RULES, type GuardCode } from './rules.ts';
export type {
  Confidence,
  GuardEntity,
  GuardOptions,
  GuardReport,
  GuardState,
  GuardViolation,
  Severity,
} from './types.ts';
