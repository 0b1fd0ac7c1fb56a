/**
 * The write rules, one table: code → spec section, the spec's tags for the rule's evidence, the
 * confidence that decides the default severity ([R] and [L] are errors, [S] and [I] warnings; the
 * types make a mismatch a compile error), what the rule asks for, and its check.
 *
 * Every rule comes from the spec (`things-cloud-protocol.md`) sections 4–10, 13 (pitfalls 1–12)
 * and 16.1. Where the spec's tags for a rule mix evidence for and against it, the comment says
 * which one sets the confidence and why.
 *
 * One idea however long: each entry is one rule, and a reader looks a rule up by its code. What the
 * checks share lives beside it (`facts.ts`: a commit's writes and references' targets; `deltas.ts`:
 * delta notes).
 */
import { isPlausibleKind, WRITER_KINDS } from '../kinds.ts';
import { isCanonicalId } from '../ids.ts';
import { crc32 } from '../notes.ts';
import { FIELDS_BY_FAMILY } from '../fields.ts';
import {
  ABSENT,
  after,
  has,
  idList,
  isRecord,
  live,
  taskType,
  field,
  type Finding,
  type GuardCommit,
} from './commit.ts';
import { references } from './values.ts';
import type { Confidence } from './types.ts';
import { deltaPatches, isUint32, noteBase, walkDelta } from './deltas.ts';
import {
  ALLOWED_VALUES,
  CREATE_KEYS,
  WHOLE_OBJECT_KEYS,
  containersAfter,
  describeTarget,
  entities,
  finding,
  movedOut,
  REFERENCE_TARGETS,
  resolve,
  touches,
  value0,
  valueChecks,
  writes,
} from './facts.ts';

type Check = (commit: GuardCommit) => Iterable<Finding>;

interface RuleDef<C extends Confidence> {
  /** Spec sections, e.g. `10.2, 13 #7, 16.1`. */
  readonly section: string;
  /** The spec's tags for the evidence, as written there. */
  readonly tag: string;
  readonly confidence: C;
  readonly severity: C extends 'R' | 'L' ? 'error' : 'warning';
  /** What a writer must do, one sentence. */
  readonly rule: string;
  readonly check: Check;
}

type AnyRule = RuleDef<'R'> | RuleDef<'L'> | RuleDef<'S'> | RuleDef<'I'>;

/** The write rules, in report order. */
export const GUARD_RULES = {
  MALFORMED_COMMIT: {
    section: '2.4, 10.1',
    tag: '[S][L]',
    // The body shape is what every client sends and the server accepts [L].
    confidence: 'L',
    severity: 'error',
    rule: 'A commit body is one JSON object mapping entity ids to events {t, e, p}',
    *check(commit) {
      if (!isRecord(commit.body)) yield { entityId: null, path: '', found: commit.body };
    },
  },
  DUPLICATE_KEY: {
    section: '4.1, 10.1, 13 #12',
    tag: '[S A]',
    confidence: 'S',
    severity: 'warning',
    rule: 'One entry per id: a second operation on the same id in one commit silently replaces the first; split it into two commits',
    *check(commit) {
      for (const id of commit.duplicateKeys) yield { entityId: id, path: '', found: id };
    },
  },
  MALFORMED_EVENT: {
    section: '4.1, 4.2',
    tag: '[R][S]',
    confidence: 'R',
    severity: 'error',
    rule: 'Each event is {"t": 0|1|2, "e": "<kind>", "p": {…}}; creates and modifies carry an object payload',
    *check(commit) {
      for (const item of commit.items) {
        const event = item.event;
        if (!isRecord(event)) {
          yield finding(item, '', event);
          continue;
        }
        if (item.action === null) yield finding(item, 't', value0(event, 't'));
        const e = event['e'];
        if (typeof e !== 'string' || !isPlausibleKind(e))
          yield finding(item, 'e', value0(event, 'e'));
        const p = value0(event, 'p');
        if (item.action !== null && item.action !== 'delete' && !isRecord(p)) {
          yield finding(item, 'p', p);
        }
      }
    },
  },
  UNKNOWN_KIND: {
    section: '4.3, 4.4, 10.2',
    tag: '[L A]',
    confidence: 'L',
    severity: 'error',
    rule: 'Write only the kinds the apps write: Task6/Task7, ChecklistItem3, Area3, Tag4, Tombstone2',
    *check(commit) {
      for (const item of commit.items) {
        if (!item.wellFormed || item.kind === null) continue;
        if (item.kind.class === 'newerVersion' || item.kind.class === 'unknownFamily') {
          const why = item.kind.class === 'newerVersion' ? 'a newer version' : 'an unknown family';
          yield finding(item, 'e', item.kind.kind, `"${item.kind.kind}" (${why})`);
        }
      }
    },
  },
  METADATA_WRITE: {
    section: '4.4, 6.6, 6.7',
    tag: '[I]',
    confidence: 'I',
    severity: 'warning',
    rule: 'Settings, commands and contacts are written by the apps themselves; no source shows what a client may write there',
    *check(commit) {
      for (const item of commit.items) {
        if (item.wellFormed && item.kind?.class === 'metadata') {
          yield finding(item, 'e', item.kind.kind);
        }
      }
    },
  },
  AREA2_CREATE: {
    section: '4.3, 10.2, 13 #8',
    tag: '[L A]',
    confidence: 'L',
    severity: 'error',
    rule: 'Create areas as Area3: the app ignores an Area2 and then makes a duplicate area under a new id',
    *check(commit) {
      for (const item of entities(commit, ['area'])) {
        if (item.action === 'create' && item.kind.kind === 'Area2') {
          yield finding(item, 'e', 'Area2');
        }
      }
    },
  },
  OLD_KIND_CREATE: {
    section: '4.3, 10.2',
    tag: '[L A]',
    confidence: 'L',
    severity: 'error',
    rule: 'Create new objects with the current kinds: Task6 (or Task7), ChecklistItem3, Area3, Tag4, Tombstone2',
    *check(commit) {
      for (const item of entities(commit)) {
        const kind = item.kind.kind;
        if (item.action !== 'create' || kind === 'Area2') continue;
        if (!WRITER_KINDS[item.family].includes(kind)) yield finding(item, 'e', kind);
      }
    },
  },
  INVALID_ID: {
    section: '8.1, 8.2, 10.2, 13 #1, 13 #2',
    tag: '[L A, wbopan #19, mattydsmith]',
    confidence: 'L',
    severity: 'error',
    rule: 'An entity id is the canonical Base58 of 16 bytes; anything else crashes Things on every launch',
    *check(commit) {
      for (const item of entities(commit)) {
        if (!isCanonicalId(item.id)) yield finding(item, '', item.id);
      }
    },
  },
  SHORT_ID: {
    section: '8.2, 13 #3',
    tag: '[S A, mattydsmith][I]',
    confidence: 'S',
    severity: 'warning',
    rule: 'Generate new ids of exactly 22 characters that do not start with "1": valid under both readings of the 21-character case',
    *check(commit) {
      for (const item of entities(commit)) {
        if (item.action !== 'create' || !isCanonicalId(item.id)) continue;
        if (item.id.length !== 22 || item.id.startsWith('1')) yield finding(item, '', item.id);
      }
    },
  },
  INVALID_REFERENCE: {
    section: '8.1, 10.2',
    tag: '[L A, wbopan #19]',
    confidence: 'L',
    severity: 'error',
    rule: 'Every id you write is canonical Base58 of 16 bytes, references (ar, pr, agr, tg, dl, rt, ts, pn) included',
    *check(commit) {
      for (const item of writes(commit)) {
        for (const ref of references(item)) {
          if (!isCanonicalId(ref.id)) yield finding(item, ref.path, ref.id);
        }
      }
    },
  },
  INVALID_TOMBSTONE_TARGET: {
    section: '6.5, 10.4, 13 #4',
    tag: '[L mattydsmith]',
    confidence: 'L',
    severity: 'error',
    rule: "A tombstone's dloid is the canonical Base58 id of the deleted object; a malformed one crashes Things",
    *check(commit) {
      for (const item of writes(commit, ['tombstone'])) {
        const target = field(item, 'dloid');
        if (target === ABSENT && item.action === 'modify') continue;
        if (typeof target !== 'string' || !isCanonicalId(target)) {
          yield finding(item, 'p.dloid', target);
        }
      }
    },
  },
  UNKNOWN_KEY: {
    section: '6.1, 6.2, 6.3, 6.4, 6.5',
    tag: '[I]',
    confidence: 'I',
    severity: 'warning',
    rule: 'Write only the keys of the kind (spec 6); the app was never seen with other keys',
    *check(commit) {
      for (const item of writes(commit)) {
        const fields = FIELDS_BY_FAMILY[item.family];
        for (const key of Object.keys(item.payload)) {
          if (!fields.has(key)) yield finding(item, `p.${key}`, item.payload[key]);
        }
      }
    },
  },
  CREATE_KEY_SET: {
    section: '5.4, 6.1, 6.2, 10.2',
    tag: '[L A]',
    confidence: 'L',
    severity: 'error',
    rule: 'A create carries every key of the native shape (34 for tasks), "no value" written as null, [] or 0',
    *check(commit) {
      for (const item of writes(commit)) {
        if (item.action !== 'create') continue;
        const keys = CREATE_KEYS[item.family];
        const missing = keys.filter((key) => !has(item, key));
        if (missing.length > 0) {
          yield finding(
            item,
            'p',
            ABSENT,
            `${keys.length - missing.length} of ${keys.length} keys, missing ${missing.join(' ')}`,
          );
        }
      }
    },
  },
  WRONG_TYPE: {
    section: '5.3, 5.4, 6',
    tag: '[R][S]',
    confidence: 'R',
    severity: 'error',
    rule: 'Each key has its wire type (spec 6): integers, booleans, strings, arrays of id strings; null only where the spec allows it',
    check: (commit) => valueChecks(commit, 'type'),
  },
  STRING_DATE: {
    section: '5.1, 5.2',
    tag: '[R]',
    confidence: 'R',
    severity: 'error',
    rule: 'Dates are JSON numbers: instants in seconds since the epoch, days as the seconds of 00:00 UTC; never strings',
    check: (commit) => valueChecks(commit, 'string-date'),
  },
  MILLISECOND_DATE: {
    section: '5.1, 5.2',
    tag: '[R][I]',
    // Seconds are what every recording holds [R]; reading 1e11+ as milliseconds is inferred [I].
    confidence: 'R',
    severity: 'error',
    rule: 'Dates are in seconds, not milliseconds (a value of 1e11 or more is after the year 5138)',
    check: (commit) => valueChecks(commit, 'millisecond-date'),
  },
  DAY_STAMP_NOT_MIDNIGHT: {
    section: '5.2',
    tag: '[R][L M]',
    confidence: 'R',
    severity: 'error',
    rule: "Day stamps (sr, tir, dd, dds, icsd, acrd, rmd, rr dates) are 00:00 UTC of the user's local date; local midnight shows the day before",
    check: (commit) => valueChecks(commit, 'not-midnight'),
  },
  VALUE_OUT_OF_RANGE: {
    section: '6.1, 6.2',
    tag: '[R][S]',
    confidence: 'R',
    severity: 'error',
    rule: 'tp is 0, 1 or 2; ss is 0, 2 or 3; st is 0, 1 or 2; sb is 0 or 1',
    *check(commit) {
      for (const item of writes(commit, ['task', 'checklistItem'])) {
        for (const [key, allowed] of Object.entries(ALLOWED_VALUES)) {
          if (item.family === 'checklistItem' && key !== 'ss') continue;
          const v = field(item, key);
          if (Number.isSafeInteger(v) && !allowed.includes(v as number)) {
            yield finding(item, `p.${key}`, v);
          }
        }
      }
    },
  },
  STATUS_WITHOUT_STOP_DATE: {
    section: '10.2, 10.3',
    tag: '[L mattydsmith][S A]',
    confidence: 'L',
    severity: 'error',
    rule: 'Completing or canceling (ss 3 or 2) sets sp to the instant, in the same payload',
    *check(commit) {
      for (const item of writes(commit, ['task', 'checklistItem'])) {
        const ss = field(item, 'ss');
        if (ss !== 2 && ss !== 3) continue;
        const sp = field(item, 'sp');
        if (typeof sp !== 'number' || sp <= 0) yield finding(item, 'p.sp', sp);
      }
    },
  },
  STOP_DATE_WITHOUT_STATUS: {
    section: '5.1, 10.2, 10.3, 13 #11',
    tag: '[L mattydsmith]',
    confidence: 'L',
    severity: 'error',
    rule: 'An open item (ss 0) has sp null; reopen with sp null, never 0 (the app shows "completed 1 Jan 1970")',
    *check(commit) {
      for (const item of writes(commit, ['task', 'checklistItem'])) {
        const sp = field(item, 'sp');
        if (sp === ABSENT || sp === null) continue;
        const ss = after(item, 'ss', 0, (e) => e.status);
        if (ss === 0) yield finding(item, 'p.sp', sp);
      }
    },
  },
  ST_CONTRADICTS_TYPE: {
    section: '10.2, 13 #5',
    tag: '[L A]',
    confidence: 'L',
    severity: 'error',
    rule: 'Projects and headings (tp 1, 2) have st 1 (or 2), never 0: a heading with st 0 crashed the app',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        if (!touches(item, ['st', 'tp'])) continue;
        const tp = taskType(item);
        const st = after(item, 'st', 0, (e) => e.start);
        if ((tp === 1 || tp === 2) && st === 0) {
          yield finding(
            item,
            has(item, 'st') || !has(item, 'tp') ? 'p.st' : 'p.tp',
            field(item, 'st'),
          );
        }
      }
    },
  },
  ST_CONTRADICTS_CONTAINER: {
    section: '10.2, 10.3, 13 #9',
    tag: '[L A][S]',
    confidence: 'L',
    severity: 'error',
    rule: 'A to-do in a project, heading or area has st 1 (or 2): st 0 is the Inbox and shows it in two places; moving out of the Inbox sets st 1',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        if (taskType(item) !== 0 || !touches(item, ['st', 'ar', 'pr', 'agr'])) continue;
        const st = after(item, 'st', 0, (e) => e.start);
        const containers = containersAfter(item);
        if (st !== 0 || containers === null) continue;
        const inside = [...containers.ar, ...containers.pr, ...containers.agr];
        if (inside.length > 0) {
          const where = ['ar', 'pr', 'agr'].find(
            (key) => has(item, key) && idList(item.payload[key]).length > 0,
          );
          const path = has(item, 'st') || where === undefined ? 'p.st' : `p.${where}`;
          yield finding(
            item,
            path,
            field(item, has(item, 'st') || where === undefined ? 'st' : where),
          );
        }
      }
    },
  },
  TWO_CONTAINERS: {
    section: '9.3, 10.3, 13 #10',
    tag: '[L M][S A]',
    // M saw the item in two places [L]; A implements the clearing [S].
    confidence: 'L',
    severity: 'error',
    rule: 'A to-do sits in one container: moving into a project or heading clears ar, moving into an area clears pr and agr, in the same payload',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        if (taskType(item) !== 0 || !touches(item, ['ar', 'pr', 'agr'])) continue;
        const c = containersAfter(item);
        if (c === null || c.ar.length === 0 || c.pr.length + c.agr.length === 0) continue;
        const key =
          ['ar', 'pr', 'agr'].find((k) => has(item, k) && idList(item.payload[k]).length > 0) ??
          'ar';
        yield finding(
          item,
          `p.${key}`,
          field(item, key),
          `ar ${JSON.stringify(c.ar)}, pr ${JSON.stringify(c.pr)}, agr ${JSON.stringify(c.agr)} after the write`,
        );
      }
    },
  },
  MULTIPLE_PARENTS: {
    section: '6.1, 6.4, 10.2',
    tag: '[S A]',
    confidence: 'S',
    severity: 'warning',
    rule: 'At most one id in each of ar, pr, agr (and pn)',
    *check(commit) {
      for (const item of writes(commit, ['task', 'tag'])) {
        for (const key of item.family === 'task' ? ['ar', 'pr', 'agr'] : ['pn']) {
          const list = field(item, key);
          if (Array.isArray(list) && list.length > 1) yield finding(item, `p.${key}`, list);
        }
      }
    },
  },
  CHECKLIST_OWNER: {
    section: '6.2, 10.2',
    tag: '[R][S A]',
    confidence: 'R',
    severity: 'error',
    rule: 'A checklist item names exactly one owning to-do: ts [task]',
    *check(commit) {
      for (const item of writes(commit, ['checklistItem'])) {
        const ts = field(item, 'ts');
        if (Array.isArray(ts) && ts.length !== 1) yield finding(item, 'p.ts', ts);
      }
    },
  },
  SCHEDULE_MISMATCH: {
    section: '9.4, 10.2, 13 #24',
    tag: '[L mattydsmith, A, M][R]',
    confidence: 'L',
    severity: 'error',
    rule: 'Write sr and tir together and equal (a stale tir puts the task back in Today); the Inbox (st 0) has no sr or tir',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        const rr = after(item, 'rr', null, (e) => e.recurrence);
        const template = rr !== null && rr !== undefined;
        if (has(item, 'sr') && !template) {
          const tir = field(item, 'tir');
          if (tir !== item.payload['sr']) yield finding(item, 'p.tir', tir);
        }
        if (!has(item, 'st') && item.action !== 'create') continue;
        if (after(item, 'st', 0, (e) => e.start) !== 0) continue;
        for (const key of ['sr', 'tir']) {
          const day = field(item, key);
          if (day !== ABSENT && day !== null) yield finding(item, `p.${key}`, day);
        }
      }
    },
  },
  MALFORMED_NOTE: {
    section: '7.1',
    tag: '[L A][S]',
    confidence: 'L',
    severity: 'error',
    rule: 'A note object is {"_t":"tx","t":1,"v":text,"ch":crc} or a delta {"_t":"tx","t":2,"ps":[{r,p,l,ch}]}',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        const nt = field(item, 'nt');
        if (!isRecord(nt)) continue;
        if (nt['_t'] !== 'tx') yield finding(item, 'p.nt._t', value0(nt, '_t'));
        else if (nt['t'] === 1) {
          if (typeof nt['v'] !== 'string') yield finding(item, 'p.nt.v', value0(nt, 'v'));
        } else if (nt['t'] === 2) {
          if (!Array.isArray(nt['ps'])) yield finding(item, 'p.nt.ps', value0(nt, 'ps'));
          else if (deltaPatches(nt) === null) yield finding(item, 'p.nt.ps', nt['ps']);
        } else yield finding(item, 'p.nt.t', value0(nt, 't'));
      }
    },
  },
  NOTE_CHECKSUM: {
    section: '7.2, 10.2, 16.1',
    tag: '[L A][S unattributed]',
    confidence: 'L',
    severity: 'error',
    rule: 'A full-text note carries ch = CRC-32 of the UTF-8 text; a wrong one crashes every Things client on launch',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        const nt = field(item, 'nt');
        if (!isRecord(nt) || nt['_t'] !== 'tx' || nt['t'] !== 1 || typeof nt['v'] !== 'string') {
          continue;
        }
        const ch = value0(nt, 'ch');
        if (ch !== crc32(nt['v'])) {
          yield finding(
            item,
            'p.nt.ch',
            ch,
            `${ch === ABSENT ? 'absent' : JSON.stringify(ch)} (CRC-32 of the text is ${crc32(nt['v'])})`,
          );
        }
      }
    },
  },
  NOTE_NOT_FULL_TEXT: {
    section: '7.1, 7.3',
    tag: '[S][I]',
    confidence: 'S',
    severity: 'warning',
    rule: 'Writers send notes as full text (t 1) with a correct ch; no SDK writes deltas or plain strings',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        const nt = field(item, 'nt');
        if (typeof nt === 'string') yield finding(item, 'p.nt', nt);
        else if (isRecord(nt) && nt['_t'] === 'tx' && nt['t'] === 2)
          yield finding(item, 'p.nt.t', 2);
      }
    },
  },
  MALFORMED_DELTA: {
    section: '7.3',
    tag: '[S A][I]',
    confidence: 'S',
    severity: 'warning',
    rule: 'A delta edits an existing note: byte positions and lengths inside the current text, never splitting a UTF-8 character, never on a create',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        const patches = deltaPatches(field(item, 'nt'));
        if (patches === null) continue;
        if (item.action === 'create') {
          yield finding(item, 'p.nt', item.payload['nt'], 'a delta note on a create');
          continue;
        }
        const base = noteBase(item);
        if (base === undefined) continue;
        if (base === '')
          yield finding(item, 'p.nt', item.payload['nt'], 'a delta on an empty note');
        for (const step of walkDelta(base, patches)) {
          if (step.clamped || step.splits) {
            const what = step.splits ? 'splits a UTF-8 character' : 'reaches outside the text';
            yield finding(
              item,
              `p.nt.ps[${step.patch.index}]`,
              { r: step.patch.r, p: step.patch.p, l: step.patch.l },
              `p ${step.patch.p}, l ${step.patch.l} ${what}`,
            );
          }
        }
      }
    },
  },
  DELTA_CHECKSUM: {
    section: '7.2',
    tag: '[R][I]',
    // Verified on the one native delta sample [R]; extending it to later patches is [I].
    confidence: 'R',
    severity: 'error',
    rule: 'Each delta patch carries ch = CRC-32 of the whole note after that patch',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        if (item.action !== 'modify') continue;
        const patches = deltaPatches(field(item, 'nt'));
        if (patches === null) continue;
        const base = noteBase(item);
        if (base === undefined) {
          for (const patch of patches) {
            if (!isUint32(patch.ch))
              yield finding(item, `p.nt.ps[${patch.index}].ch`, patch.ch ?? ABSENT);
          }
          continue;
        }
        for (const step of walkDelta(base, patches)) {
          if (step.patch.ch !== step.crc) {
            yield finding(
              item,
              `p.nt.ps[${step.patch.index}].ch`,
              step.patch.ch ?? ABSENT,
              `${step.patch.ch === undefined ? 'absent' : JSON.stringify(step.patch.ch)} (CRC-32 after the patch is ${step.crc})`,
            );
          }
        }
      }
    },
  },
  NON_POSITIVE_IX: {
    section: '10.2, 13 #7, 16.1',
    tag: '[L wbopan #16, PR #18][L matsvarn]',
    confidence: 'L',
    severity: 'error',
    rule: 'Task creates and index changes use ix ≥ 1: ix ≤ 0 (the first heading or to-do of a container included) left Things stuck in LegacySCHistoryPerformSync',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        const ix = field(item, 'ix');
        if (ix === ABSENT && item.action === 'modify') continue;
        if (ix === ABSENT || (typeof ix === 'number' && ix <= 0)) {
          yield finding(item, 'p.ix', ix, ix === ABSENT ? 'absent (read as 0)' : undefined);
        }
      }
    },
  },
  EDIT_OF_NON_POSITIVE_IX: {
    section: '10.2',
    tag: '[I]',
    // The crash reports are [L]; that adding a positive ix to the edit avoids it is the spec's
    // inference ("consider including a positive ix").
    confidence: 'I',
    severity: 'warning',
    rule: 'When editing a task whose stored ix is ≤ 0, consider including a positive ix',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        if (item.action !== 'modify' || has(item, 'ix') || !live(item.stored)) continue;
        const index = item.stored.index;
        if (index !== undefined && index <= 0) {
          yield finding(item, 'p.ix', ABSENT, `absent (stored ix ${index})`);
        }
      }
    },
  },
  MD_ON_CREATE: {
    section: '10.2, 13 #6',
    tag: '[S A][R][S E]',
    // A calls md on creates crash-critical [S]; recorded 2017 data and E contradict it [R][S], so
    // the rule is a warning: copy the 2026 native creates (md null).
    confidence: 'S',
    severity: 'warning',
    rule: 'Creates carry md null, as the 2026 native apps write them',
    *check(commit) {
      for (const item of writes(commit, ['task', 'checklistItem'])) {
        if (item.action !== 'create') continue;
        const md = field(item, 'md');
        if (md !== ABSENT && md !== null) yield finding(item, 'p.md', md);
      }
    },
  },
  MODIFY_WITHOUT_MD: {
    section: '10.3',
    tag: '[S A]',
    confidence: 'S',
    severity: 'warning',
    rule: 'A modify of a task or checklist item carries md = now',
    *check(commit) {
      for (const item of writes(commit, ['task', 'checklistItem'])) {
        if (item.action === 'modify' && !has(item, 'md')) yield finding(item, 'p.md', ABSENT);
      }
    },
  },
  WHOLE_OBJECT_MODIFY: {
    section: '10.3',
    tag: '[L mattydsmith][I]',
    confidence: 'L',
    severity: 'error',
    rule: 'A modify sends only the keys it changes: a whole object re-sent from local state overwrites newer values written by other devices',
    *check(commit) {
      for (const item of writes(commit, ['task', 'checklistItem'])) {
        if (item.action !== 'modify') continue;
        const keys = Object.keys(item.payload).filter((key) =>
          FIELDS_BY_FAMILY[item.family].has(key),
        );
        const whole =
          has(item, 'cd') || (item.family === 'task' && keys.length >= WHOLE_OBJECT_KEYS);
        if (whole) {
          yield finding(
            item,
            'p',
            ABSENT,
            `${keys.length} of ${CREATE_KEYS[item.family].length} keys${has(item, 'cd') ? ', the creation date cd included' : ''}`,
          );
        }
      }
    },
  },
  RECURRENCE_WRITE: {
    section: '9.6, 10.3, 13 #38, 16.1',
    tag: '[S A][S unattributed]',
    confidence: 'S',
    severity: 'warning',
    rule: 'Do not write recurrence rules (rr): no SDK writes them safely, and a hand-built one crashed the app',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        const rr = field(item, 'rr');
        if (rr !== ABSENT && rr !== null) yield finding(item, 'p.rr', rr);
      }
    },
  },
  TEMPLATE_EDIT: {
    section: '9.6, 10.3',
    tag: '[S A]',
    confidence: 'S',
    severity: 'warning',
    rule: 'Leave repeating templates to the app: writers refuse to modify them',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        if (item.action !== 'modify' || !live(item.stored)) continue;
        const rr = item.stored.recurrence;
        if (rr !== null && rr !== undefined) {
          yield finding(item, 'p', Object.keys(item.payload), 'a modify of a repeating template');
        }
      }
    },
  },
  PROJECT_ICP: {
    section: '16.1',
    tag: '[S unattributed]',
    confidence: 'S',
    severity: 'warning',
    rule: 'Create projects with icp false: icp true on a project create crashed the app',
    *check(commit) {
      for (const item of writes(commit, ['task'])) {
        if (item.action === 'create' && taskType(item) === 1 && field(item, 'icp') === true) {
          yield finding(item, 'p.icp', true);
        }
      }
    },
  },
  CONTAINER_DELETE_LEAVES_CHILDREN: {
    section: '9.2, 16.1',
    tag: '[L M][L matsvarn]',
    confidence: 'L',
    severity: 'error',
    rule: 'Before deleting a project, heading or area for good, delete or move what is in it in the same commit: its to-dos keep pointing at a missing parent',
    *check(commit) {
      for (const item of entities(commit)) {
        let target: string | undefined;
        let path = '';
        if (item.action === 'delete') target = item.id;
        else if (item.family === 'tombstone' && item.action === 'create') {
          const dloid = field(item, 'dloid');
          if (typeof dloid === 'string') [target, path] = [dloid, 'p.dloid'];
        }
        if (target === undefined) continue;
        const stored = commit.state.get(target);
        if (!live(stored)) continue;
        const container =
          stored.family === 'area' ||
          (stored.family === 'task' && (stored.type === 1 || stored.type === 2));
        if (!container) continue;
        const left = (commit.state.children?.(target) ?? []).filter(
          (child) => !commit.deletes(child) && !movedOut(commit, child, target),
        );
        if (left.length > 0) {
          yield finding(
            item,
            path,
            target,
            `${JSON.stringify(target)}, which still holds ${left.length} item(s), e.g. ${left.slice(0, 3).join(', ')}`,
          );
        }
      }
    },
  },
  DANGLING_REFERENCE: {
    section: '9.2, 9.3, 13 #27',
    tag: '[I]',
    confidence: 'I',
    severity: 'warning',
    rule: 'Reference only objects that exist and stay: an id never created, or deleted (here or earlier), leaves a dangling reference',
    *check(commit) {
      for (const item of writes(commit)) {
        const refs = [...references(item)].filter((ref) => ref.key !== 'dl');
        if (item.family === 'tombstone' && item.action === 'create') {
          const dloid = field(item, 'dloid');
          if (typeof dloid === 'string' && isCanonicalId(dloid)) {
            // A canonical id is stored as written, whatever the kind (legacy mapping is for
            // legacy forms only).
            const stored = commit.state.get(dloid);
            if (stored === undefined ? commit.state.complete : !live(stored)) {
              const why = stored === undefined ? 'never created' : 'already deleted';
              yield finding(item, 'p.dloid', dloid, `${JSON.stringify(dloid)} (${why})`);
            }
          }
        }
        for (const ref of refs) {
          if (!isCanonicalId(ref.id)) continue;
          const target = resolve(commit, ref.id);
          if (target.state === 'deleted' || target.state === 'missing') {
            const why = target.state === 'missing' ? 'never created' : 'deleted';
            yield finding(item, ref.path, ref.id, `${JSON.stringify(ref.id)} (${why})`);
          }
        }
      }
    },
  },
  REFERENCE_KIND_MISMATCH: {
    section: '9.3',
    tag: '[S]',
    confidence: 'S',
    severity: 'warning',
    rule: 'ar names an area, pr a project, agr a heading, tg and pn tags, ts a to-do',
    *check(commit) {
      for (const item of writes(commit)) {
        for (const ref of references(item)) {
          const want = REFERENCE_TARGETS[ref.key];
          if (want === undefined || !isCanonicalId(ref.id)) continue;
          const target = resolve(commit, ref.id);
          if (target.state !== 'live') continue;
          const typeOk =
            want.type === undefined || target.type === undefined || target.type === want.type;
          if (target.family !== want.family || !typeOk) {
            const is = describeTarget(target.family, target.type);
            yield finding(
              item,
              ref.path,
              ref.id,
              `${JSON.stringify(ref.id)} (${is}, not ${want.what})`,
            );
          }
        }
      }
    },
  },
  MODIFY_MISSING_ENTITY: {
    section: '9.1',
    tag: '[S A, E, N][I]',
    confidence: 'S',
    severity: 'warning',
    rule: 'Modify only live objects: a modify of an unknown id creates it from defaults, a modify of a deleted one brings it back',
    *check(commit) {
      for (const item of writes(commit)) {
        if (item.action !== 'modify') continue;
        if (item.stored === undefined ? commit.state.complete : !live(item.stored)) {
          yield finding(
            item,
            '',
            item.id,
            item.stored === undefined ? 'an id never created' : 'a deleted object',
          );
        }
      }
    },
  },
  FAMILY_CHANGE: {
    section: '9.1',
    tag: '[I]',
    confidence: 'I',
    severity: 'warning',
    rule: 'Keep an id in its family: a task id written as an area (or the reverse) is never merged',
    *check(commit) {
      for (const item of writes(commit)) {
        if (item.stored !== undefined && item.stored.family !== item.family) {
          yield finding(
            item,
            'e',
            item.kind.kind,
            `"${item.kind.kind}" on a stored ${item.stored.family}`,
          );
        }
      }
    },
  },
  RECREATE_LIVE: {
    section: '9.1, 16.1',
    tag: '[S A][S agentjido]',
    confidence: 'S',
    severity: 'warning',
    rule: 'Create each id once: a create of a live object replaces it, and a re-sent POST whose answer was lost duplicates the group; re-read history instead of retrying',
    *check(commit) {
      for (const item of writes(commit)) {
        if (item.action === 'create' && live(item.stored)) {
          yield finding(item, '', item.id, `${JSON.stringify(item.id)} (exists)`);
        }
      }
    },
  },
} satisfies Record<string, AnyRule>;

/** A rule's code. */
export type GuardCode = keyof typeof GUARD_RULES;

/** Every rule code, in report order. */
export const GUARD_CODES = Object.keys(GUARD_RULES) as GuardCode[];
