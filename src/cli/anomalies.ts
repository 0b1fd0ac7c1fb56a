import { ANOMALY_CODES, type AnomalyCode } from '../engine/index.ts';

/**
 * What each anomaly code means for someone reading a replay: what the history held, what the
 * engine did with it, and whether it is to be expected. One entry per code (a missing one does
 * not compile); `thingstape help anomalies`, `replay --help` and docs/json.md show them.
 */
export const ANOMALY_MEANINGS: Readonly<Record<AnomalyCode, string>> = {
  RECREATE_LIVE:
    'a create (t=0) for an entity that already exists: it is replaced by the created values.',
  MODIFY_BEFORE_CREATE:
    'an update (t=1) for an entity never created: it is created from defaults plus the update. Expected in a history that starts mid-way (a later start index).',
  MODIFY_OF_DELETED:
    'an update for a deleted entity: it comes back with the update applied (resurrection), as the app does.',
  DELETE_OF_UNKNOWN:
    'a delete (t=2) for an entity never seen: it is remembered as deleted. Expected in a history that starts mid-way.',
  DELETE_OF_DELETED: 'a delete or tombstone for an entity already deleted: nothing changes.',
  TOMBSTONE_UNKNOWN_TARGET:
    'a tombstone for an entity never seen: the tombstone is stored, nothing else changes.',
  FAMILY_CHANGE:
    'the same id under another kind of thing (a task id reused for an area): kept raw, not merged.',
  KIND_VERSION_CHANGE:
    'an entity written in another version of its kind (Task6 and Task7): the same object in a newer app format, merged. Common and harmless in accounts used across app updates.',
  NOTE_CHECKSUM_MISMATCH:
    "a note's checksum does not match the text computed from its edits: the computed text is kept. Usually an earlier note edit is missing from the history.",
  DELTA_ON_EMPTY_NOTE:
    'a note edit (delta) for an entity with no note text yet: applied to an empty note.',
  UNKNOWN_NOTE_FORM: 'a note in a form thingstape does not know: the note is left unchanged.',
  NOTE_PATCH_INVALID_UTF8:
    'a note edit that splits a character: applied byte-wise, the broken bytes become U+FFFD.',
  DANGLING_REFERENCE:
    'a reference (area, project, heading, tag, …) to an id that is unknown or deleted: stored as given; views treat it as absent.',
  UNKNOWN_KIND:
    'an item of a kind thingstape does not know: kept raw, reported as an UnknownChange.',
  DECODE_WARNING:
    'something the decoder tolerated (an id in a non-canonical form, a legacy id mapped): the item is used as read.',
};

/** What the word means, for people who meet it in a summary line. */
export const ANOMALIES_INTRO =
  'Anomalies are odd but legal data in a history: the engine met them, handled them as described, and lost nothing. Real accounts have some; a replay reports them beside its changes and still succeeds.';

/**
 * The codes with their meanings for `--help` and `thingstape help anomalies`: a code, then its
 * meaning wrapped to `columns` with a hanging indent.
 */
export function anomalyHelp(columns = 96): string {
  const indent = '  ';
  const width = Math.max(...ANOMALY_CODES.map((code) => code.length));
  const hang = ' '.repeat(indent.length + width + 2);
  return ANOMALY_CODES.map((code) => {
    const lines: string[] = [];
    let line = `${indent}${code.padEnd(width)} `;
    for (const word of ANOMALY_MEANINGS[code].split(' ')) {
      if (line.length + 1 + word.length > columns && line.trim() !== code) {
        lines.push(line);
        line = `${hang}${word}`;
      } else {
        line = `${line} ${word}`;
      }
    }
    lines.push(line);
    return lines.join('\n');
  }).join('\n');
}
