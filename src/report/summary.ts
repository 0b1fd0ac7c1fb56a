/**
 * One line saying what a change did, for people ("Upcoming (2025-03-01) → Today", "+errands").
 * Pure and self-contained on purpose: the database report's page runs this very function in the
 * browser (it is inlined with `Function.prototype.toString`), so it may use nothing outside its
 * own body, and it accepts payloads with default fields left out (the page's compact form).
 */
export function changeSummary(
  type: string,
  payload: unknown,
  titleOf: (id: string) => string,
): string {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  const q = (value: unknown): string =>
    value === null || value === undefined || value === '' ? 'none' : JSON.stringify(value);
  const ref = (value: unknown): string =>
    typeof value === 'string' && value !== '' ? titleOf(value) : 'none';
  const listName = (value: unknown): string => {
    const s = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const list = typeof s['list'] === 'string' ? s['list'] : 'no list';
    const name = list.charAt(0).toUpperCase() + list.slice(1);
    const date = typeof s['startDate'] === 'string' ? ` (${s['startDate']})` : '';
    return `${name}${date}`;
  };
  const typeName = (value: unknown): string =>
    value === 0 ? 'to-do' : value === 1 ? 'project' : value === 2 ? 'heading' : `type ${q(value)}`;
  const ends = (...suffixes: string[]): boolean => suffixes.some((x) => type.endsWith(x));
  const text = (value: unknown): string => (typeof value === 'string' ? value : q(value));
  if (type === 'UnknownChange')
    return `an item of unknown kind ${q(p['kind'])} (${q(p['action'])})`;
  if (ends('Created')) {
    const snapshot = (
      typeof p['snapshot'] === 'object' && p['snapshot'] !== null ? p['snapshot'] : {}
    ) as Record<string, unknown>;
    const where =
      snapshot['schedule'] !== undefined
        ? ` in ${listName(snapshot['schedule'])}`
        : typeof snapshot['taskId'] === 'string'
          ? ` in ${titleOf(snapshot['taskId'])}`
          : '';
    return `created ${q(snapshot['title'])}${where}${p['resurrected'] === true ? ', back after a deletion (resurrected)' : ''}`;
  }
  if (ends('Deleted')) {
    return `deleted ${q(p['title'])} for good (${p['by'] === 'tombstone' ? 'by a tombstone' : 'by a delete event'}; the row is kept)`;
  }
  if (ends('NoteChanged')) {
    // The page keeps only the old note's length (`oldLength`): the text is the previous version's.
    const before =
      typeof p['old'] === 'string'
        ? p['old'].length
        : typeof p['oldLength'] === 'number'
          ? p['oldLength']
          : 0;
    const after = typeof p['new'] === 'string' ? p['new'].length : 0;
    return `note edited (${before} → ${after} characters)`;
  }
  if (ends('TitleChanged', 'Renamed')) return `${q(p['old'])} → ${q(p['new'])}`;
  if (ends('Completed', 'Canceled', 'Uncompleted', 'Uncanceled')) {
    return `${text(p['old'])} → ${text(p['new'])}`;
  }
  if (ends('Trashed')) return 'moved to the Trash';
  if (ends('Restored')) return 'put back from the Trash';
  if (
    ends(
      'MovedToInbox',
      'MovedToToday',
      'MovedToEvening',
      'MovedToAnytime',
      'MovedToSomeday',
      'MovedToUpcoming',
      'Rescheduled',
    )
  ) {
    return `${listName(p['old'])} → ${listName(p['new'])}`;
  }
  if (ends('DeadlineChanged')) return `deadline ${q(p['old'])} → ${q(p['new'])}`;
  if (ends('AssignedToProject')) return `project ${ref(p['old'])} → ${ref(p['new'])}`;
  if (ends('AssignedToArea')) return `area ${ref(p['old'])} → ${ref(p['new'])}`;
  if (ends('MovedUnderHeading')) return `heading ${ref(p['old'])} → ${ref(p['new'])}`;
  if (ends('MovedToTask')) return `to-do ${ref(p['old'])} → ${ref(p['new'])}`;
  if (ends('ParentChanged')) return `parent tag ${ref(p['old'])} → ${ref(p['new'])}`;
  if (ends('ShortcutChanged')) return `shortcut ${q(p['old'])} → ${q(p['new'])}`;
  if (ends('TagsChanged')) {
    const ids = (value: unknown): string[] =>
      Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    const parts = [
      ...ids(p['added']).map((id) => `+${titleOf(id)}`),
      ...ids(p['removed']).map((id) => `−${titleOf(id)}`),
    ];
    return parts.length === 0 ? 'tags reordered' : `tags ${parts.join(', ')}`;
  }
  if (ends('RepeatRuleChanged')) {
    return p['new'] === null || p['new'] === undefined
      ? 'repeat rule removed'
      : p['old'] === null || p['old'] === undefined
        ? 'repeat rule set'
        : 'repeat rule changed';
  }
  if (ends('TypeChanged')) return `${typeName(p['old'])} → ${typeName(p['new'])}`;
  return type;
}
