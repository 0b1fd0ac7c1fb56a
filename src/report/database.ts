/**
 * The html report of a database: the data the page needs, in a compact form (columns of numbers
 * and short strings, ids turned into positions), and the page itself. Pure: what the store holds
 * in, one HTML string out. The page renders its views from the embedded data with a small inline
 * script (client.ts), one page of rows at a time.
 */
import {
  LIST_VIEWS,
  indexEntities,
  localDate,
  type Anomaly,
  type Change,
  type Entity,
  type ListViewName,
} from '../engine/index.ts';
import type { CivilDate } from '../protocol/index.ts';
import type { StoreStatus } from '../store/index.ts';
import { reportApp } from './report-app.ts';
import { esc, page } from './html.ts';
import { changeSummary } from './summary.ts';

/** What a database report is built from (read by {@link collectDatabaseReport}). */
export interface DatabaseReportInput {
  readonly status: StoreStatus;
  /** Every entity, soft-deleted ones included. */
  readonly entities: readonly Entity[];
  /** The change log in order. */
  readonly changes: readonly Change[];
  readonly anomalies: readonly Anomaly[];
  /** The zone days and times are shown in. */
  readonly timeZone: string;
  /** The dates the lists are shown at (the first is shown first). */
  readonly dates: readonly CivilDate[];
  /** Why the first date (for people: "the fixture's recorded date"). */
  readonly dateWhy: string;
  /** What each anomaly code means, by code. */
  readonly anomalyMeanings: Readonly<Record<string, string>>;
  /** Examples kept per anomaly code (default 50). */
  readonly examplesPerCode?: number;
}

/** The kinds of entity as the page names them; the position is the page's code. */
export const ENTITY_KINDS = [
  'to-do',
  'project',
  'heading',
  'checklist item',
  'area',
  'tag',
  'tombstone',
  'unknown',
] as const;

/** The data embedded in the page (format version 1; positions, not ids, link the columns). */
export interface DatabaseReportData {
  readonly format: 'thingstape-report';
  readonly version: 1;
  readonly url: string;
  readonly timeZone: string;
  readonly cursor: number;
  readonly head: number | null;
  readonly schemaVersion: number;
  readonly source: unknown;
  readonly tables: StoreStatus['tables'];
  readonly ledger: StoreStatus['ledger'];
  readonly kinds: readonly string[];
  /** Entities as columns; references are positions in these columns (−1: none or unknown). */
  readonly entities: {
    readonly id: readonly string[];
    readonly kind: readonly number[];
    readonly title: readonly string[];
    /** 0 open, 2 canceled, 3 completed (−1 for entities without a status). */
    readonly status: readonly number[];
    /** 1 when in the Trash. */
    readonly trashed: readonly number[];
    /** `[serverIndex, at or null, "delete" | "tombstone"]` when deleted for good, else 0. */
    readonly deleted: readonly (0 | readonly [number, number | null, string])[];
    readonly project: readonly number[];
    readonly area: readonly number[];
    readonly heading: readonly number[];
    /** A checklist item's to-do. */
    readonly task: readonly number[];
    readonly tags: readonly (readonly number[])[];
    readonly note: readonly string[];
    readonly startDate: readonly (string | null)[];
    readonly deadline: readonly (string | null)[];
  };
  /** The change types present; `changes.type` holds positions in it. */
  readonly types: readonly string[];
  /** The change log as columns, in order. */
  readonly changes: {
    readonly serverIndex: readonly number[];
    readonly type: readonly number[];
    readonly entity: readonly number[];
    /** Whole seconds since the epoch, or null. */
    readonly at: readonly (number | null)[];
    /** Position in `days`. */
    readonly day: readonly number[];
    /** The payload with default fields left out (see {@link compactPayload}). */
    readonly payload: readonly unknown[];
  };
  /** Local days with changes, ascending; `""` (last) holds changes without a time. */
  readonly days: readonly string[];
  /** The dates the lists were judged at, and each list's rows (entity positions) per date. */
  readonly lists: {
    readonly dates: readonly string[];
    readonly why: string;
    readonly views: readonly Readonly<Record<ListViewName, readonly number[]>>[];
  };
  readonly anomalies: readonly {
    readonly code: string;
    readonly meaning: string;
    readonly count: number;
    /** `[serverIndex, position, entity position, entity id, kind, message]`. */
    readonly examples: readonly (readonly [number, number, number, string, string, string])[];
  }[];
}

const KIND_OF: Readonly<Record<string, number>> = {
  Task: 0,
  Project: 1,
  Heading: 2,
  ChecklistItem: 3,
  Area: 4,
  Tag: 5,
  Tombstone: 6,
};

function kindOf(entity: Entity): number {
  switch (entity.family) {
    case 'task':
      return entity.type === 1 ? 1 : entity.type === 2 ? 2 : 0;
    case 'checklistItem':
      return 3;
    case 'area':
      return 4;
    case 'tag':
      return 5;
    case 'tombstone':
      return 6;
    default: {
      const never: never = entity;
      throw new TypeError(`unexpected entity ${JSON.stringify(never)}`);
    }
  }
}

function isDefault(value: unknown): boolean {
  return (
    value === null ||
    value === false ||
    value === '' ||
    value === 0 ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * A payload as the page embeds it: a `…Created` snapshot without its default fields (null, false,
 * 0, "", []), and its schedule as `{list, startDate?, evening?}`; a note change with the old
 * text's length (`oldLength`) instead of the text, which is the previous version; other payloads
 * as they are. {@link changeSummary} reads both forms.
 */
export function compactPayload(change: Change): unknown {
  const p = change.payload as unknown as Record<string, unknown>;
  if (change.type.endsWith('NoteChanged') && typeof p['old'] === 'string') {
    // The old text is the note's previous version, which the page has already: keep its length.
    return { oldLength: p['old'].length, new: p['new'] };
  }
  const snapshot = p['snapshot'];
  if (typeof snapshot !== 'object' || snapshot === null) return p;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(snapshot as Record<string, unknown>)) {
    if (key === 'schedule' && typeof value === 'object' && value !== null) {
      const s = value as Record<string, unknown>;
      out[key] = {
        list: s['list'],
        ...(s['startDate'] === null ? {} : { startDate: s['startDate'] }),
        ...(s['startBucket'] === 1 ? { evening: true } : {}),
      };
    } else if (!isDefault(value) || (key === 'type' && value !== 0)) out[key] = value;
  }
  return p['resurrected'] === true ? { resurrected: true, snapshot: out } : { snapshot: out };
}

/** The page's data from what the store holds. */
export function buildDatabaseReport(input: DatabaseReportInput): DatabaseReportData {
  const position = new Map<string, number>();
  const id: string[] = [];
  const kind: number[] = [];
  const title: string[] = [];
  const status: number[] = [];
  const trashed: number[] = [];
  const deleted: (0 | readonly [number, number | null, string])[] = [];
  const project: number[] = [];
  const area: number[] = [];
  const heading: number[] = [];
  const task: number[] = [];
  const tags: (readonly number[])[] = [];
  const note: string[] = [];
  const startDate: (string | null)[] = [];
  const deadline: (string | null)[] = [];
  const add = (entityId: string, entityKind: number): number => {
    const at = id.length;
    position.set(entityId, at);
    id.push(entityId);
    kind.push(entityKind);
    title.push('');
    status.push(-1);
    trashed.push(0);
    deleted.push(0);
    project.push(-1);
    area.push(-1);
    heading.push(-1);
    task.push(-1);
    tags.push([]);
    note.push('');
    startDate.push(null);
    deadline.push(null);
    return at;
  };
  for (const entity of input.entities) add(entity.id, kindOf(entity));
  // Ids that only the change log names (an unknown kind): reachable from their changes too.
  for (const change of input.changes) {
    if (!position.has(change.entityId)) add(change.entityId, KIND_OF[change.entityType] ?? 7);
  }
  const ref = (ids: readonly string[]): number => {
    const first = ids[0];
    return first === undefined ? -1 : (position.get(first) ?? -1);
  };
  for (const entity of input.entities) {
    const at = position.get(entity.id) ?? -1;
    if (entity.deleted !== null) {
      deleted[at] = [entity.deleted.serverIndex, entity.deleted.at, entity.deleted.by];
    }
    switch (entity.family) {
      case 'task':
        title[at] = entity.title;
        status[at] = entity.status;
        trashed[at] = entity.trashed ? 1 : 0;
        project[at] = ref(entity.projectIds);
        area[at] = ref(entity.areaIds);
        heading[at] = ref(entity.headingIds);
        tags[at] = entity.tagIds.flatMap((t) => position.get(t) ?? []);
        note[at] = entity.note;
        startDate[at] = entity.startDate;
        deadline[at] = entity.deadline;
        break;
      case 'checklistItem':
        title[at] = entity.title;
        status[at] = entity.status;
        task[at] = ref(entity.taskIds);
        break;
      case 'area':
        title[at] = entity.title;
        tags[at] = entity.tagIds.flatMap((t) => position.get(t) ?? []);
        break;
      case 'tag':
        title[at] = entity.title;
        project[at] = ref(entity.parentIds);
        break;
      case 'tombstone':
        task[at] = entity.targetId === null ? -1 : (position.get(entity.targetId) ?? -1);
        break;
      default: {
        const never: never = entity;
        throw new TypeError(`unexpected entity ${JSON.stringify(never)}`);
      }
    }
  }
  // Deleted entities keep the title they had (their Deleted change names it).
  for (const change of input.changes) {
    const at = position.get(change.entityId) ?? -1;
    if (title[at] === '' && change.type.endsWith('Deleted')) {
      const named = (change.payload as { title?: unknown }).title;
      if (typeof named === 'string') title[at] = named;
    }
  }

  const typeAt = new Map<string, number>();
  const types: string[] = [];
  const dayOf = input.changes.map((c) =>
    c.at === null ? '' : localDate(Math.floor(c.at), input.timeZone),
  );
  const days = [...new Set(dayOf)].sort((a, b) =>
    a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const dayAt = new Map(days.map((d, i) => [d, i]));
  const changes = {
    serverIndex: [] as number[],
    type: [] as number[],
    entity: [] as number[],
    at: [] as (number | null)[],
    day: [] as number[],
    payload: [] as unknown[],
  };
  input.changes.forEach((c, i) => {
    let t = typeAt.get(c.type);
    if (t === undefined) {
      t = types.length;
      typeAt.set(c.type, t);
      types.push(c.type);
    }
    changes.serverIndex.push(c.serverIndex);
    changes.type.push(t);
    changes.entity.push(position.get(c.entityId) ?? -1);
    changes.at.push(c.at === null ? null : Math.floor(c.at));
    changes.day.push(dayAt.get(dayOf[i] ?? '') ?? 0);
    changes.payload.push(compactPayload(c));
  });

  const index = indexEntities(input.entities);
  const views = input.dates.map((today) => {
    const out = {} as Record<ListViewName, number[]>;
    for (const name of Object.keys(LIST_VIEWS) as ListViewName[]) {
      out[name] = LIST_VIEWS[name](index, { today }).map((row) => position.get(row.id) ?? -1);
    }
    return out;
  });

  const perCode = input.examplesPerCode ?? 50;
  const byCode = new Map<string, Anomaly[]>();
  const counts = new Map<string, number>();
  for (const a of input.anomalies) {
    counts.set(a.code, (counts.get(a.code) ?? 0) + 1);
    const list = byCode.get(a.code) ?? [];
    if (list.length < perCode) list.push(a);
    byCode.set(a.code, list);
  }
  const anomalies = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([code, count]) => ({
      code,
      meaning: input.anomalyMeanings[code] ?? '',
      count,
      examples: (byCode.get(code) ?? []).map(
        (a) =>
          [
            a.serverIndex,
            a.position,
            position.get(a.entityId) ?? -1,
            a.entityId,
            a.kind,
            a.message,
          ] as const,
      ),
    }));

  const state = input.status.syncState;
  return {
    format: 'thingstape-report',
    version: 1,
    url: input.status.url,
    timeZone: input.timeZone,
    cursor: state.cursor,
    head: state.head,
    schemaVersion: input.status.schemaVersion,
    source: state.source,
    tables: input.status.tables,
    ledger: input.status.ledger,
    kinds: ENTITY_KINDS,
    entities: {
      id,
      kind,
      title,
      status,
      trashed,
      deleted,
      project,
      area,
      heading,
      task,
      tags,
      note,
      startDate,
      deadline,
    },
    types,
    changes,
    days,
    lists: { dates: input.dates, why: input.dateWhy, views },
    anomalies,
  };
}

/** The database report as one self-contained page. */
export function renderDatabaseReport(data: DatabaseReportData): string {
  const changes = data.changes.serverIndex.length;
  return page({
    title: `thingstape report — ${data.url}`,
    subtitle: `${changes.toLocaleString('en')} change(s), ${data.entities.id.length.toLocaleString('en')} entit${data.entities.id.length === 1 ? 'y' : 'ies'}; cursor ${data.cursor}${data.head === null ? '' : ` of ${data.head}`}; zone ${esc(data.timeZone)}`,
    nav: [
      ['#/', 'Overview'],
      ['#/timeline', 'Timeline'],
      [`#/lists/${data.lists.dates[0] ?? ''}/today`, 'Lists'],
      ['#/anomalies', `Anomalies (${data.anomalies.reduce((n, a) => n + a.count, 0)})`],
      ['#/ledger', 'Sync ledger'],
    ],
    main: `<noscript><p>This report draws its pages with a small script inside this file (it loads nothing else): allow scripts for this file to see it.</p></noscript><div id="view"><p>Loading…</p></div>`,
    data,
    script: `${changeSummary.toString()}\n(${reportApp.toString()})();`,
  });
}
