/**
 * The write guard's report: the order of its violations, one per rule and place, the counts, the
 * one-line messages people read, how found values are rendered, and what it makes of commit text
 * (invalid JSON, ids given twice). The rules themselves are in guard.test.ts.
 */
import { describe, expect, it } from 'vitest';

import {
  checkCommit,
  checkCommitText,
  taskModify,
  GUARD_RULES,
  type GuardEntity,
  type GuardState,
} from '../../../src/protocol/index.ts';
import { NOW, todoCreate } from './guard-support.ts';
import { duplicateKeys } from '../../../src/protocol/guard/index.ts';

const TODO = 'Kd5u6PEbkZ7qGDTvY4yYNi';
const NEW = 'Q9sihFX2SsvGaz6vv4J2Hf';
const NEW2 = 'M9CrKBjvpDP2D7uEsCtwyg';
const NEW3 = 'LXmxn9gakySzcEjKj1DtgD';
const UNKNOWN = 'H8Xu72gj7fooPuYoBMZ5TK';

const STORED: GuardEntity = { family: 'task', kind: 'Task6', deleted: null, type: 0, index: 1 };
const STATE: GuardState = { complete: true, get: (id) => (id === TODO ? STORED : undefined) };

describe('the guard report', () => {
  it('lists violations by commit entry, then by rule, one per rule and place', () => {
    const report = checkCommit(
      {
        [NEW]: todoCreate({ md: NOW }),
        [NEW2]: todoCreate({ ix: 0, md: NOW }),
        [NEW3]: todoCreate({ ix: 0 }),
      },
      STATE,
    );
    expect(report.violations.map((v) => [v.entityId, v.code])).toEqual([
      [NEW, 'MD_ON_CREATE'],
      [NEW2, 'NON_POSITIVE_IX'],
      [NEW2, 'MD_ON_CREATE'],
      [NEW3, 'NON_POSITIVE_IX'],
    ]);
    expect(report).toMatchObject({ ok: false, errors: 2, warnings: 2 });
  });

  it('writes one line naming the entity, the path, what was found and the rule', () => {
    const ix = GUARD_RULES.NON_POSITIVE_IX;
    const missing = GUARD_RULES.MODIFY_MISSING_ENTITY;
    const commit = GUARD_RULES.MALFORMED_COMMIT;
    const report = checkCommit(
      { [TODO]: taskModify({ ix: 0 }, NOW), [UNKNOWN]: taskModify({ tt: 'a' }, NOW) },
      STATE,
    );
    expect(report.violations.map((v) => v.message)).toEqual([
      `"${TODO}" p.ix: found 0; ${ix.rule} (spec ${ix.section} ${ix.tag})`,
      `"${UNKNOWN}": found an id never created; ${missing.rule} (spec ${missing.section} ${missing.tag})`,
    ]);
    expect(checkCommit([]).violations.map((v) => v.message)).toEqual([
      `the commit: found []; ${commit.rule} (spec ${commit.section} ${commit.tag})`,
    ]);
  });

  it('shortens a found value longer than 80 characters of JSON', () => {
    const found = (value: string) =>
      checkCommit({ [TODO]: taskModify({ zz: value }, NOW) }, STATE).violations.find(
        (v) => v.code === 'UNKNOWN_KEY',
      )?.found;
    const fits = 'x'.repeat(78); // 80 characters with its quotes
    expect(found(fits)).toBe(`"${fits}"`);
    expect(found(`${fits}y`)).toBe(`"${'x'.repeat(76)}...`);
  });

  it('renders a value JSON cannot write (a caller-built BigInt) as its string', () => {
    const report = checkCommit({ [TODO]: taskModify({ tt: 10n }, NOW) }, STATE);
    expect(report.violations.map((v) => [v.code, v.path, v.found])).toEqual([
      ['WRONG_TYPE', 'p.tt', '10'],
    ]);
  });

  it('names the option that holds an unknown rule code', () => {
    expect(() => checkCommit({}, STATE, { ignore: ['NOPE'] })).toThrow(
      'guard option ignore: unknown rule "NOPE"',
    );
    expect(() => checkCommit({}, STATE, { errors: ['NOPE'] })).toThrow(
      'guard option errors: unknown rule "NOPE"',
    );
  });
});

describe('checkCommitText()', () => {
  it('gives the character where invalid JSON breaks, the first one included', () => {
    expect(checkCommitText('x').violations.map((v) => v.found)).toEqual([
      'invalid JSON at character 0',
    ]);
  });

  it('reports a body that is valid JSON but not an object as malformed, and nothing else', () => {
    expect(checkCommitText('[1, 1]').violations.map((v) => [v.code, v.found])).toEqual([
      ['MALFORMED_COMMIT', '[1,1]'],
    ]);
  });

  it('finds an id given twice in text with whitespace, escapes and nested objects', () => {
    const event = JSON.stringify(taskModify({ tt: 'a' }, NOW));
    const text = ` {\n  "${TODO}" : ${event} ,\n  "${NEW}": {"t": 2, "e": "Task6", "p": {"a": "}", "b": [1, "]"]}},\r\n\t"\\u004bd5u6PEbkZ7qGDTvY4yYNi":${event}\n} `;
    const report = checkCommitText(text, STATE);
    expect(report.violations.map((v) => [v.code, v.entityId])).toEqual([['DUPLICATE_KEY', TODO]]);
  });
});

describe('duplicateKeys()', () => {
  it('lists each top-level key given more than once, once', () => {
    expect(duplicateKeys('{"a":1,"b":2,"a":3,"a":{},"b":[]}')).toEqual(['a', 'b']);
    expect(duplicateKeys('{ "a" : 1 , "b" : { "a" : 2 } }')).toEqual([]);
    expect(duplicateKeys('{"a":"\\"a\\"","a":null}')).toEqual(['a']);
    expect(duplicateKeys('{}')).toEqual([]);
  });

  it('finds none in a text that is not an object', () => {
    expect(duplicateKeys('[1, 1]')).toEqual([]);
    expect(duplicateKeys(' "a"')).toEqual([]);
    expect(duplicateKeys('1')).toEqual([]);
  });
});
