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
  if (type === 'UnknownChange')
    return `an item of unknown kind ${q(p['kind'])} (${q(p['action'])})`;
  if (/Created$/.test(type)) {
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
  if (/Deleted$/.test(type)) {
    return `deleted ${q(p['title'])} for good (${p['by'] === 'tombstone' ? 'by a tombstone' : 'by a delete event'}; the row is kept)`;
  }
  if (/NoteChanged$/.test(type)) {
    const before = typeof p['old'] === 'string' ? p['old'].length : 0;
    const after = typeof p['new'] === 'string' ? p['new'].length : 0;
    return `note edited (${before} → ${after} characters)`;
  }
  if (/(TitleChanged|Renamed)$/.test(type)) return `${q(p['old'])} → ${q(p['new'])}`;
  if (/(Completed|Canceled|Uncompleted|Uncanceled)$/.test(type)) {
    return `${String(p['old'])} → ${String(p['new'])}`;
  }
  if (/Trashed$/.test(type)) return 'moved to the Trash';
  if (/Restored$/.test(type)) return 'put back from the Trash';
  if (/(MovedTo(Inbox|Today|Evening|Anytime|Someday|Upcoming)|Rescheduled)$/.test(type)) {
    return `${listName(p['old'])} → ${listName(p['new'])}`;
  }
  if (/DeadlineChanged$/.test(type)) return `deadline ${q(p['old'])} → ${q(p['new'])}`;
  if (/AssignedToProject$/.test(type)) return `project ${ref(p['old'])} → ${ref(p['new'])}`;
  if (/AssignedToArea$/.test(type)) return `area ${ref(p['old'])} → ${ref(p['new'])}`;
  if (/MovedUnderHeading$/.test(type)) return `heading ${ref(p['old'])} → ${ref(p['new'])}`;
  if (/MovedToTask$/.test(type)) return `to-do ${ref(p['old'])} → ${ref(p['new'])}`;
  if (/ParentChanged$/.test(type)) return `parent tag ${ref(p['old'])} → ${ref(p['new'])}`;
  if (/ShortcutChanged$/.test(type)) return `shortcut ${q(p['old'])} → ${q(p['new'])}`;
  if (/TagsChanged$/.test(type)) {
    const ids = (value: unknown): string[] =>
      Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    const parts = [
      ...ids(p['added']).map((id) => `+${titleOf(id)}`),
      ...ids(p['removed']).map((id) => `−${titleOf(id)}`),
    ];
    return parts.length === 0 ? 'tags reordered' : `tags ${parts.join(', ')}`;
  }
  if (/RepeatRuleChanged$/.test(type)) {
    return p['new'] === null || p['new'] === undefined
      ? 'repeat rule removed'
      : p['old'] === null || p['old'] === undefined
        ? 'repeat rule set'
        : 'repeat rule changed';
  }
  if (/TypeChanged$/.test(type)) return `${typeName(p['old'])} → ${typeName(p['new'])}`;
  return type;
}
