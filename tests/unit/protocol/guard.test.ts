/**
 * The write guard, one case per rule: a minimal commit that breaks the rule, the exact violation
 * reported (code, entity, path, rule, section, severity), and the same commit with the rule
 * satisfied passing. The clean commits are built with the wire writer every writer uses, so a
 * false positive on them would be a bug in the guard or in the writer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  areaCreate,
  checkCommit,
  checkCommitText,
  checklistItemCreate,
  crc32,
  fullNote,
  scheduleFields,
  tagCreate,
  tombstoneCreate,
  GUARD_CODES,
  GUARD_RULES,
  type GuardCode,
  type GuardEntity,
  type GuardState,
} from '../../../src/protocol/index.ts';
import {
  NO_CONTAINERS,
  NOW,
  DAY,
  TODAY,
  created,
  modify,
  storedTask,
  todoCreate,
} from './guard-support.ts';

/** Canonical 22-character ids. */
const TODO = 'Kd5u6PEbkZ7qGDTvY4yYNi';
const PROJECT = '3TBG8dXkUNq6ULYvCkxWzh';
const AREA = 'VJ1edXTP9q3PmFDUuy8EQh';
const TAG = 'FQxaqvLBkbR5q2Q5oRoknc';
const TAG2 = 'BVU8qZ9dNjrdxLvDHPvfDS';
const NEW = 'Q9sihFX2SsvGaz6vv4J2Hf';
const NEW2 = 'M9CrKBjvpDP2D7uEsCtwyg';
const TEMPLATE = 'LXmxn9gakySzcEjKj1DtgD';
const UNKNOWN = 'H8Xu72gj7fooPuYoBMZ5TK';

const task = (fields: Partial<GuardEntity> = {}): GuardEntity =>
  storedTask({ status: 0, note: '', recurrence: null, ...NO_CONTAINERS, ...fields });

const ENTITIES: Record<string, GuardEntity> = {
  [TODO]: task(),
  [PROJECT]: task({ type: 1 }),
  [AREA]: { family: 'area', kind: 'Area3', deleted: null, index: 1 },
  [TAG]: { family: 'tag', kind: 'Tag4', deleted: null, index: 1 },
  [TAG2]: { family: 'tag', kind: 'Tag4', deleted: null, index: 2 },
  [TEMPLATE]: task({ recurrence: { rrv: 4 } }),
};

/** A state over `ENTITIES` with overrides; `complete` by default. */
function state(
  overrides: Record<string, GuardEntity> = {},
  options: { complete?: boolean; children?: Record<string, string[]> } = {},
): GuardState {
  const all = { ...ENTITIES, ...overrides };
  return {
    complete: options.complete ?? true,
    get: (id) => all[id],
    children: (id) => options.children?.[id] ?? [],
  };
}

const projectCreate = (overrides: Record<string, unknown> = {}) =>
  created(
    { type: 1, title: 'Garden', schedule: scheduleFields('anytime', TODAY, true), index: 2 },
    overrides,
  );

const headingCreate = (overrides: Record<string, unknown> = {}) =>
  created(
    {
      type: 2,
      title: 'Soil',
      schedule: { st: 1, sr: null, tir: null, sb: 0 },
      projectId: PROJECT,
      index: 3,
    },
    overrides,
  );

interface Case {
  readonly code: GuardCode;
  readonly bad: unknown;
  readonly good: unknown;
  /** Where the violation is. */
  readonly entityId: string | null;
  readonly path: string;
  readonly found?: string;
  /** Other rules the broken commit also breaks (kept minimal). */
  readonly also?: readonly GuardCode[];
  /** Warnings the fixed commit may still carry (a delta note is always NOTE_NOT_FULL_TEXT). */
  readonly goodAlso?: readonly GuardCode[];
  readonly state?: GuardState;
  readonly goodState?: GuardState;
  /** Check the commit as raw text (`bad` and `good` are strings). */
  readonly text?: boolean;
}

const delta = (patches: { r: string; p: number; l: number; ch?: number }[]) => ({
  _t: 'tx',
  t: 2,
  ps: patches,
});

const CASES: readonly Case[] = [
  { code: 'MALFORMED_COMMIT', bad: [], good: {}, entityId: null, path: '', found: '[]' },
  {
    code: 'DUPLICATE_KEY',
    text: true,
    bad: `{"${TODO}":${JSON.stringify(modify({ tt: 'a' }))},"${TODO}":${JSON.stringify(modify({ tt: 'b' }))}}`,
    good: `{"${TODO}":${JSON.stringify(modify({ tt: 'b' }))}}`,
    entityId: TODO,
    path: '',
  },
  {
    code: 'MALFORMED_EVENT',
    bad: { [TODO]: { t: 5, e: 'Task6', p: { tt: 'a', md: NOW } } },
    good: { [TODO]: modify({ tt: 'a' }) },
    entityId: TODO,
    path: 't',
    found: '5',
  },
  {
    code: 'UNKNOWN_KIND',
    bad: { [TODO]: { ...modify({ tt: 'a' }), e: 'Task8' } },
    good: { [TODO]: modify({ tt: 'a' }) },
    entityId: TODO,
    path: 'e',
    found: '"Task8" (a newer version)',
  },
  {
    code: 'METADATA_WRITE',
    bad: { Settings: { t: 1, e: 'Settings5', p: { li: 1 } } },
    good: { [TODO]: modify({ tt: 'a' }) },
    entityId: 'Settings',
    path: 'e',
  },
  {
    code: 'AREA2_CREATE',
    bad: { [NEW]: { ...areaCreate({ title: 'Home', index: 1 }), e: 'Area2' } },
    good: { [NEW]: areaCreate({ title: 'Home', index: 1 }) },
    entityId: NEW,
    path: 'e',
  },
  {
    code: 'OLD_KIND_CREATE',
    bad: { [NEW]: { ...tagCreate({ title: 'Home', index: 1 }), e: 'Tag3' } },
    good: { [NEW]: tagCreate({ title: 'Home', index: 1 }) },
    entityId: NEW,
    path: 'e',
  },
  {
    code: 'INVALID_ID',
    bad: { 'AD55F048-9A28-4260-A07B-6BA5C0D39AC9': todoCreate() },
    good: { [NEW]: todoCreate() },
    entityId: 'AD55F048-9A28-4260-A07B-6BA5C0D39AC9',
    path: '',
  },
  {
    code: 'SHORT_ID',
    bad: { fxsSvCT97pJn3XZ4wp5t4: todoCreate() },
    good: { [NEW]: todoCreate() },
    entityId: 'fxsSvCT97pJn3XZ4wp5t4',
    path: '',
  },
  {
    code: 'INVALID_REFERENCE',
    bad: { [TODO]: modify({ tg: [TAG, 'CC-Things-Tag-High'] }) },
    good: { [TODO]: modify({ tg: [TAG, TAG2] }) },
    entityId: TODO,
    path: 'p.tg[1]',
    found: '"CC-Things-Tag-High"',
  },
  {
    code: 'INVALID_TOMBSTONE_TARGET',
    bad: { [NEW]: tombstoneCreate('kd5u6pebkz7qgdtvy4yyni', NOW) },
    good: { [NEW]: tombstoneCreate(TODO, NOW) },
    entityId: NEW,
    path: 'p.dloid',
  },
  {
    code: 'UNKNOWN_KEY',
    bad: { [TODO]: modify({ title: 'a' }) },
    good: { [TODO]: modify({ tt: 'a' }) },
    entityId: TODO,
    path: 'p.title',
  },
  {
    code: 'CREATE_KEY_SET',
    bad: { [NEW]: { ...todoCreate(), p: { ...(todoCreate()['p'] as object), rmd: undefined } } },
    good: { [NEW]: todoCreate() },
    entityId: NEW,
    path: 'p',
    found: '33 of 34 keys, missing rmd',
  },
  {
    code: 'WRONG_TYPE',
    bad: { [TODO]: modify({ tr: 0 }) },
    good: { [TODO]: modify({ tr: false }) },
    entityId: TODO,
    path: 'p.tr',
  },
  {
    code: 'STRING_DATE',
    bad: { [TODO]: modify({ dd: '2026-01-02' }) },
    good: { [TODO]: modify({ dd: DAY + 86_400 }) },
    entityId: TODO,
    path: 'p.dd',
  },
  {
    code: 'MILLISECOND_DATE',
    bad: { [TODO]: { t: 1, e: 'Task6', p: { tt: 'a', md: NOW * 1000 } } },
    good: { [TODO]: modify({ tt: 'a' }) },
    entityId: TODO,
    path: 'p.md',
  },
  {
    code: 'DAY_STAMP_NOT_MIDNIGHT',
    bad: { [TODO]: modify({ dd: DAY - 3600 }) },
    good: { [TODO]: modify({ dd: DAY }) },
    entityId: TODO,
    path: 'p.dd',
  },
  {
    code: 'VALUE_OUT_OF_RANGE',
    bad: { [TODO]: modify({ ss: 1, sp: null }) },
    good: { [TODO]: modify({ ss: 0, sp: null }) },
    entityId: TODO,
    path: 'p.ss',
  },
  {
    code: 'STATUS_WITHOUT_STOP_DATE',
    bad: { [TODO]: modify({ ss: 3 }) },
    good: { [TODO]: modify({ ss: 3, sp: NOW }) },
    entityId: TODO,
    path: 'p.sp',
    found: 'absent',
  },
  {
    code: 'STOP_DATE_WITHOUT_STATUS',
    bad: { [TODO]: modify({ ss: 0, sp: 0 }) },
    good: { [TODO]: modify({ ss: 0, sp: null }) },
    entityId: TODO,
    path: 'p.sp',
    found: '0',
  },
  {
    code: 'ST_CONTRADICTS_TYPE',
    bad: { [NEW]: headingCreate({ st: 0 }) },
    good: { [NEW]: headingCreate() },
    entityId: NEW,
    path: 'p.st',
  },
  {
    code: 'ST_CONTRADICTS_CONTAINER',
    bad: { [NEW]: todoCreate({ st: 0, sr: null, tir: null, pr: [PROJECT] }) },
    good: { [NEW]: todoCreate({ st: 1, sr: null, tir: null, pr: [PROJECT] }) },
    entityId: NEW,
    path: 'p.st',
  },
  {
    code: 'TWO_CONTAINERS',
    state: state({ [TODO]: task({ areaIds: [AREA] }) }),
    bad: { [TODO]: modify({ pr: [PROJECT] }) },
    good: { [TODO]: modify({ pr: [PROJECT], agr: [], ar: [] }) },
    entityId: TODO,
    path: 'p.pr',
  },
  {
    code: 'MULTIPLE_PARENTS',
    bad: {
      [NEW]: {
        ...tagCreate({ title: 'Home', index: 1 }),
        p: { ...tagCreate({ title: 'Home', index: 1 }).p, pn: [TAG, TAG2] },
      },
    },
    good: { [NEW]: tagCreate({ title: 'Home', index: 1, parentId: TAG }) },
    entityId: NEW,
    path: 'p.pn',
  },
  {
    code: 'CHECKLIST_OWNER',
    bad: {
      [NEW]: {
        ...checklistItemCreate({ taskId: TODO, title: 'Milk', index: 0, createdAt: NOW }),
        p: {
          ...checklistItemCreate({ taskId: TODO, title: 'Milk', index: 0, createdAt: NOW }).p,
          ts: [],
        },
      },
    },
    good: { [NEW]: checklistItemCreate({ taskId: TODO, title: 'Milk', index: 0, createdAt: NOW }) },
    entityId: NEW,
    path: 'p.ts',
  },
  {
    code: 'SCHEDULE_MISMATCH',
    bad: { [TODO]: modify({ st: 2, sr: DAY + 86_400 * 3, tir: DAY }) },
    good: { [TODO]: modify({ st: 2, sr: DAY + 86_400 * 3, tir: DAY + 86_400 * 3 }) },
    entityId: TODO,
    path: 'p.tir',
  },
  {
    code: 'MALFORMED_NOTE',
    bad: { [TODO]: modify({ nt: { _t: 'tx', ch: 0, v: 5, t: 1 } }) },
    good: { [TODO]: modify({ nt: fullNote('5') }) },
    entityId: TODO,
    path: 'p.nt.v',
  },
  {
    code: 'NOTE_CHECKSUM',
    bad: { [TODO]: modify({ nt: { _t: 'tx', ch: 42, v: 'hello', t: 1 } }) },
    good: { [TODO]: modify({ nt: fullNote('hello') }) },
    entityId: TODO,
    path: 'p.nt.ch',
    found: '42 (CRC-32 of the text is 907060870)',
  },
  {
    code: 'NOTE_NOT_FULL_TEXT',
    bad: { [TODO]: modify({ nt: '<note xml:space="preserve">hello</note>' }) },
    good: { [TODO]: modify({ nt: fullNote('hello') }) },
    entityId: TODO,
    path: 'p.nt',
  },
  {
    code: 'MALFORMED_DELTA',
    state: state({ [TODO]: task({ note: 'Buy milk' }) }),
    bad: {
      [TODO]: modify({
        nt: delta([{ r: ' and eggs', p: 99, l: 0, ch: crc32('Buy milk and eggs') }]),
      }),
    },
    good: {
      [TODO]: modify({
        nt: delta([{ r: ' and eggs', p: 8, l: 0, ch: crc32('Buy milk and eggs') }]),
      }),
    },
    entityId: TODO,
    path: 'p.nt.ps[0]',
    also: ['NOTE_NOT_FULL_TEXT'],
    goodAlso: ['NOTE_NOT_FULL_TEXT'],
  },
  {
    code: 'DELTA_CHECKSUM',
    state: state({ [TODO]: task({ note: 'Café list' }) }),
    bad: { [TODO]: modify({ nt: delta([{ r: 'menu', p: 6, l: 4, ch: crc32('Café list') }]) }) },
    good: { [TODO]: modify({ nt: delta([{ r: 'menu', p: 6, l: 4, ch: 2_516_445_109 }]) }) },
    entityId: TODO,
    path: 'p.nt.ps[0].ch',
    also: ['NOTE_NOT_FULL_TEXT'],
    goodAlso: ['NOTE_NOT_FULL_TEXT'],
  },
  {
    code: 'NON_POSITIVE_IX',
    bad: { [NEW]: headingCreate({ ix: 0 }) },
    good: { [NEW]: headingCreate({ ix: 1 }) },
    entityId: NEW,
    path: 'p.ix',
    found: '0',
  },
  {
    code: 'EDIT_OF_NON_POSITIVE_IX',
    state: state({ [TODO]: task({ index: -269 }) }),
    bad: { [TODO]: modify({ tt: 'a' }) },
    good: { [TODO]: modify({ tt: 'a', ix: 1 }) },
    entityId: TODO,
    path: 'p.ix',
    found: 'absent (stored ix -269)',
  },
  {
    code: 'MD_ON_CREATE',
    bad: { [NEW]: todoCreate({ md: NOW }) },
    good: { [NEW]: todoCreate() },
    entityId: NEW,
    path: 'p.md',
  },
  {
    code: 'MODIFY_WITHOUT_MD',
    bad: { [TODO]: { t: 1, e: 'Task6', p: { tt: 'a' } } },
    good: { [TODO]: modify({ tt: 'a' }) },
    entityId: TODO,
    path: 'p.md',
  },
  {
    code: 'WHOLE_OBJECT_MODIFY',
    bad: { [TODO]: { ...todoCreate({ md: NOW }), t: 1 } },
    good: { [TODO]: modify({ tt: 'Pay rent' }) },
    entityId: TODO,
    path: 'p',
    found: '34 of 34 keys, the creation date cd included',
  },
  {
    code: 'RECURRENCE_WRITE',
    bad: { [TODO]: modify({ rr: { rrv: 4, tp: 0, fu: 16, fa: 1, of: [{ dy: 0 }], ia: DAY } }) },
    good: { [TODO]: modify({ tt: 'a' }) },
    entityId: TODO,
    path: 'p.rr',
  },
  {
    code: 'TEMPLATE_EDIT',
    bad: { [TEMPLATE]: modify({ tt: 'a' }) },
    good: { [TEMPLATE]: modify({ tt: 'a' }) },
    goodState: state({ [TEMPLATE]: task() }),
    entityId: TEMPLATE,
    path: 'p',
  },
  {
    code: 'PROJECT_ICP',
    bad: { [NEW]: projectCreate({ icp: true }) },
    good: { [NEW]: projectCreate() },
    entityId: NEW,
    path: 'p.icp',
  },
  {
    code: 'CONTAINER_DELETE_LEAVES_CHILDREN',
    state: state({ [TODO]: task({ projectIds: [PROJECT] }) }, { children: { [PROJECT]: [TODO] } }),
    bad: { [NEW]: tombstoneCreate(PROJECT, NOW) },
    good: {
      [NEW]: tombstoneCreate(PROJECT, NOW),
      [TODO]: modify({ pr: [], agr: [], ar: [] }),
    },
    entityId: NEW,
    path: 'p.dloid',
  },
  {
    code: 'DANGLING_REFERENCE',
    bad: { [TODO]: modify({ tg: [UNKNOWN] }) },
    good: { [TODO]: modify({ tg: [TAG] }) },
    entityId: TODO,
    path: 'p.tg[0]',
    found: `"${UNKNOWN}" (never created)`,
  },
  {
    code: 'REFERENCE_KIND_MISMATCH',
    bad: { [TODO]: modify({ pr: [AREA] }) },
    good: { [TODO]: modify({ pr: [PROJECT] }) },
    entityId: TODO,
    path: 'p.pr[0]',
    found: `"${AREA}" (an area, not a project)`,
  },
  {
    code: 'MODIFY_MISSING_ENTITY',
    bad: { [UNKNOWN]: modify({ tt: 'a' }) },
    good: { [TODO]: modify({ tt: 'a' }) },
    entityId: UNKNOWN,
    path: '',
  },
  {
    code: 'FAMILY_CHANGE',
    bad: { [TODO]: { t: 1, e: 'Area3', p: { tt: 'a' } } },
    good: { [TODO]: modify({ tt: 'a' }) },
    entityId: TODO,
    path: 'e',
  },
  {
    code: 'RECREATE_LIVE',
    bad: { [TODO]: todoCreate() },
    good: { [NEW2]: todoCreate() },
    entityId: TODO,
    path: '',
  },
];

function check(input: unknown, text: boolean | undefined, guardState: GuardState) {
  return text === true
    ? checkCommitText(input as string, guardState)
    : checkCommit(JSON.parse(JSON.stringify(input)) as unknown, guardState);
}

describe('checkCommit()', () => {
  it('has a case below for every rule', () => {
    expect(CASES.map((c) => c.code).sort()).toEqual([...GUARD_CODES].sort());
  });

  it('has every rule in docs/write-guard.md with its severity, section and tags', () => {
    const doc = readFileSync(
      join(import.meta.dirname, '..', '..', '..', 'docs', 'write-guard.md'),
      'utf8',
    ).replace(/ {2,}/g, ' ');
    for (const code of GUARD_CODES) {
      const rule = GUARD_RULES[code];
      expect(doc).toContain(`| \`${code}\` | ${rule.severity} | ${rule.section} | ${rule.tag} |`);
    }
  });

  it('makes [R] and [L] rules errors and [S] and [I] rules warnings', () => {
    for (const code of GUARD_CODES) {
      const rule = GUARD_RULES[code];
      expect([code, rule.severity]).toEqual([
        code,
        rule.confidence === 'R' || rule.confidence === 'L' ? 'error' : 'warning',
      ]);
      expect(rule.tag).toContain(`[${rule.confidence}`);
      expect(rule.section).toMatch(/^\d/);
    }
  });

  describe.each(CASES)('$code', (c) => {
    it('reports the broken commit exactly', () => {
      const report = check(c.bad, c.text, c.state ?? state());
      const rule = GUARD_RULES[c.code];
      const mine = report.violations.filter((v) => v.code === c.code);
      expect(mine).toEqual([
        expect.objectContaining({
          code: c.code,
          severity: rule.severity,
          entityId: c.entityId,
          path: c.path,
          rule: rule.rule,
          section: rule.section,
          tag: rule.tag,
          ...(c.found === undefined ? {} : { found: c.found }),
        }),
      ]);
      const others = [...new Set(report.violations.map((v) => v.code))].filter((x) => x !== c.code);
      expect(others.sort()).toEqual([...(c.also ?? [])].sort());
      expect(report.ok).toBe(rule.severity === 'warning' && report.errors === 0);
      expect(mine[0]?.message).toContain(`spec ${rule.section}`);
    });

    it('passes the same commit with the rule satisfied', () => {
      const report = check(c.good, c.text, c.goodState ?? c.state ?? state());
      expect(report.violations.map((v) => v.code)).toEqual([...(c.goodAlso ?? [])]);
      expect(report.ok).toBe(true);
    });
  });
});

describe('checkCommit() options', () => {
  const bad = { [NEW]: todoCreate({ md: NOW, ix: 0 }) };

  it('turns chosen warnings into errors, or all of them', () => {
    expect(checkCommit(bad, state()).violations.map((v) => [v.code, v.severity])).toEqual([
      ['NON_POSITIVE_IX', 'error'],
      ['MD_ON_CREATE', 'warning'],
    ]);
    const strict = checkCommit(bad, state(), { errors: ['MD_ON_CREATE'] });
    expect(strict.violations.map((v) => v.severity)).toEqual(['error', 'error']);
    expect(checkCommit(bad, state(), { errors: 'all' }).errors).toBe(2);
  });

  it('leaves out ignored rules', () => {
    const report = checkCommit(bad, state(), { ignore: ['NON_POSITIVE_IX'] });
    expect(report).toMatchObject({ ok: true, errors: 0, warnings: 1 });
  });

  it('rejects rule codes it does not know', () => {
    expect(() => checkCommit(bad, state(), { ignore: ['NO_SUCH_RULE'] })).toThrow(RangeError);
  });

  it('does not judge unknown ids when the state is not complete', () => {
    const partial = state({}, { complete: false });
    expect(checkCommit({ [UNKNOWN]: modify({ tg: [UNKNOWN] }) }, partial).violations).toEqual([]);
  });

  it('reports invalid JSON text as a malformed commit with its position', () => {
    const report = checkCommitText('{"a": ', state());
    expect(report.violations).toMatchObject([
      { code: 'MALFORMED_COMMIT', entityId: null, found: 'invalid JSON at character 6' },
    ]);
  });

  it('looks legacy ids of legacy kinds up under their derived id, as the engine stores them', () => {
    // AD55F048-… maps to a Base58 id (spec 8.3); a modify under the legacy key finds that entity.
    const legacy = 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE';
    const derived = state({ LXmxn9gakySzcEjKj1DtgD: task() });
    const report = checkCommit(
      { [legacy]: { t: 1, e: 'Task3', p: { tt: 'a', md: NOW } } },
      derived,
    );
    expect(report.violations.map((v) => v.code)).toEqual(['INVALID_ID']);
  });
});
