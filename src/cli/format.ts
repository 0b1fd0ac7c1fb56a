import {
  encodeChange,
  type Anomaly,
  type Change,
  type Schedule,
  type ViewRow,
} from '../engine/index.ts';

/**
 * A change as one JSON line: the library's {@link Change} with the same field names (and `dump`'s),
 * the fields scripts rely on first, then the typed payload with its keys in canonical (sorted)
 * order, so `replay --json` and `changes --json` print the same bytes.
 */
export function changeJson(change: Change): Record<string, unknown> {
  // The stored row has those fields in that order, its payload as canonical JSON text.
  const row = encodeChange(change);
  return { ...row, payload: JSON.parse(row.payload) as unknown };
}

/**
 * An anomaly as one JSON line of a stream: `type: "anomaly"`, then the library's {@link Anomaly}
 * fields (as in `dump`).
 */
export function anomalyJson(anomaly: Anomaly): Record<string, unknown> {
  return {
    type: 'anomaly',
    code: anomaly.code,
    entityId: anomaly.entityId,
    kind: anomaly.kind,
    serverIndex: anomaly.serverIndex,
    position: anomaly.position,
    message: anomaly.message,
  };
}

/**
 * A list row as JSON: the library's {@link ViewRow} as it is (its own id is `id`, the rows it
 * points at are `projectId`, `areaId`, `headingId`, `tagIds`, as in `dump`). The one place that
 * decides the row shape of `list --json` (docs/json/list.schema.json describes it).
 */
export function rowJson(row: ViewRow): Record<string, unknown> {
  return { ...row };
}

/** One JSON document (or NDJSON line): compact, one line, newline-terminated. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** `   41  TaskMovedToToday       Task     NaQPzAwCsa9cHgzrfzNPzE  anytime → today` */
export function changeLine(change: Change): string {
  const detail = describePayload(change);
  return `${String(change.serverIndex).padStart(7)}  ${change.type.padEnd(26)} ${change.entityType.padEnd(13)} ${change.entityId}${detail === '' ? '' : `  ${detail}`}`;
}

/** `   41  ! DANGLING_REFERENCE  …message` */
export function anomalyLine(anomaly: Anomaly): string {
  return `${String(anomaly.serverIndex).padStart(7)}  ! ${anomaly.code.padEnd(24)} ${anomaly.message}`;
}

function describePayload(change: Change): string {
  const payload = change.payload as unknown as Record<string, unknown>;
  if ('snapshot' in payload) {
    const snapshot = payload['snapshot'] as Record<string, unknown>;
    const title = typeof snapshot['title'] === 'string' ? quote(snapshot['title']) : '';
    return payload['resurrected'] === true ? `${title} (resurrected)` : title;
  }
  if ('by' in payload) {
    const title = typeof payload['title'] === 'string' ? payload['title'] : '';
    return `${quote(title)} by ${show(payload['by'])}`;
  }
  if ('kind' in payload && 'action' in payload) {
    return `${show(payload['action'])} of kind ${show(payload['kind'])}`;
  }
  if ('old' in payload && 'new' in payload) {
    return `${show(payload['old'])} → ${show(payload['new'])}`;
  }
  return '';
}

function show(value: unknown): string {
  if (value === null) return '∅';
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object' && 'list' in value) {
    const schedule = value as Schedule;
    return schedule.startDate === null
      ? String(schedule.list)
      : `${String(schedule.list)} ${schedule.startDate}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** Titles in change lines: one line, at most this many characters (graphemes). */
const TITLE_WIDTH = 60;

function quote(text: string): string {
  return JSON.stringify(truncate(text.replace(/\s+/g, ' '), TITLE_WIDTH));
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` user-perceived characters (grapheme clusters), ending in `…` when
 * cut: never inside a surrogate pair, an emoji sequence or a letter with its combining marks.
 */
export function truncate(text: string, max: number): string {
  // Fast path: fewer code units than the limit means fewer graphemes too.
  if (text.length <= max) return text;
  const kept: string[] = [];
  let count = 0;
  for (const { segment } of graphemes.segment(text)) {
    count += 1;
    if (count > max) return `${kept.join('')}…`;
    if (count < max) kept.push(segment);
  }
  return text;
}

/** A plain left-aligned table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
