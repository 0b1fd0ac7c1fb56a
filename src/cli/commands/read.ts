import { existsSync } from 'node:fs';
import { LIST_VIEWS, type ListViewName, type ViewRow } from '../../engine/index.ts';
import type { CivilDate } from '../../protocol/types.ts';
import type { LedgerEntry, LedgerSummary, ListPage, Store } from '../../store/index.ts';
import { defineCommand } from '../command.ts';
import { viewDate } from '../context.ts';
import { dbUrlOf, localFilePath, openStoreFor, withDbOptions, type DbArgs } from '../db-options.ts';
import { jsonLine, rowJson, table } from '../format.ts';
import { EXIT, type CliIo } from '../io.ts';
import { dateOption, stringOption, timeZoneOption, wholeNumberOption } from '../options.ts';
import { ChangeStream } from '../stream.ts';
import { UsageError } from '../usage-error.ts';

/**
 * Opens `--db` for a read command. A local `file:` database that does not exist is an error rather
 * than a new empty database (a mistyped path would otherwise show empty lists), unless it is an
 * embedded replica (`--sync-url`), which fills itself from its primary.
 */
async function withStore<T>(args: DbArgs, io: CliIo, fn: (store: Store) => Promise<T>): Promise<T> {
  const url = dbUrlOf(args, io);
  const path = localFilePath(url, io.cwd);
  if (path !== null && args.syncUrl === undefined && !existsSync(path)) {
    throw new UsageError(
      `Cannot read database ${url}: no such file (${path}); run "thingstape replay <fixture> --db ${url}" or "thingstape sync --db ${url}" first`,
    );
  }
  const store = await openStoreFor(args, io);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

const VIEW_NAMES = Object.keys(LIST_VIEWS) as ListViewName[];

interface ListArgs extends DbArgs {
  readonly view: string | undefined;
  readonly project: string | undefined;
  readonly area: string | undefined;
  readonly tag: string | undefined;
  readonly search: string | undefined;
  readonly today: CivilDate | undefined;
  readonly tz: string | undefined;
  readonly limit: number | undefined;
  readonly offset: number | undefined;
}

/** `thingstape list <view>`: a list as the Things app shows it, from the stored state. */
export const listCommand = defineCommand<ListArgs>({
  command: 'list [view]',
  describe: `Show a list: ${VIEW_NAMES.join(', ')}; or --project/--area/--tag ID, or --search TEXT`,
  examples: [
    ['list today', 'Today (and This Evening) as of the database’s date'],
    ['list upcoming --limit 10 --json', 'the next ten rows as one JSON document'],
    ['list --search hotel --today 2025-02-01', 'search titles, notes and checklists'],
  ],
  builder: (yargs) =>
    withDbOptions(yargs)
      .positional('view', { type: 'string', choices: VIEW_NAMES, describe: 'List to show' })
      .option('project', stringOption('--project', 'Open to-dos of a project (by id), by heading'))
      .option('area', stringOption('--area', 'Open to-dos and projects of an area (by id)'))
      .option('tag', stringOption('--tag', 'Open items with a tag (by id) or a sub-tag of it'))
      .option('search', stringOption('--search', 'Search titles, notes and checklist items'))
      .option('today', dateOption('--today', 'Judge the lists at this date (YYYY-MM-DD)'))
      .option(
        'tz',
        timeZoneOption(
          '--tz',
          'IANA time zone that decides today’s date (default: the stored one; not needed with --today, since dates are civil dates)',
        ),
      )
      .option('limit', wholeNumberOption('--limit', 'At most this many rows (not for --project)'))
      .option(
        'offset',
        wholeNumberOption('--offset', 'Skip this many rows first (not for --project)'),
      )
      .check((args) => {
        const selectors = [args.view, args.project, args.area, args.tag, args.search].filter(
          (value) => value !== undefined,
        );
        if (selectors.length !== 1) {
          throw new UsageError(
            'Name exactly one list: a view name, --project, --area, --tag or --search',
          );
        }
        return true;
      }) as never,
  run: async (args, io) => {
    const limit = args.limit;
    const offset = args.offset ?? 0;
    return withStore(args, io, async (store) => {
      const state = await store.syncState();
      const date = viewDate(args, state, Date.now() / 1000);
      const page = {
        today: date.today,
        offset,
        total: true,
        ...(limit === undefined ? {} : { limit }),
      };
      let title: string;
      let listPage: ListPage | null = null;
      let sections: { heading: string | null; rows: ViewRow[] }[] | null = null;
      let document: ListDocument;
      if (args.view !== undefined) {
        title = args.view;
        listPage = await store.reads.list(args.view as ListViewName, page);
        document = { list: args.view, id: null, query: null };
      } else if (args.project !== undefined) {
        const view = await store.reads.project(args.project, { today: date.today });
        title = `project ${view.project === null ? args.project : JSON.stringify(view.project.title)}`;
        sections = view.sections.map((s) => ({
          heading: s.heading?.title ?? null,
          rows: [...s.rows],
        }));
        document = {
          list: 'project',
          id: args.project,
          query: null,
          project: view.project === null ? null : rowJson(view.project),
          sections: view.sections.map((s) => ({
            heading: s.heading === null ? null : rowJson(s.heading),
            rows: s.rows.map(rowJson),
          })),
        };
      } else if (args.area !== undefined) {
        title = `area ${args.area}`;
        listPage = await store.reads.area(args.area, page);
        document = { list: 'area', id: args.area, query: null };
      } else if (args.tag !== undefined) {
        title = `tag ${args.tag}`;
        listPage = await store.reads.tag(args.tag, page);
        document = { list: 'tag', id: args.tag, query: null };
      } else {
        title = `search ${JSON.stringify(args.search)}`;
        listPage = await store.reads.search(args.search ?? '', page);
        document = { list: 'search', id: null, query: args.search ?? '' };
      }
      const rows = listPage?.rows ?? (sections ?? []).flatMap((s) => s.rows);
      const total = listPage?.total ?? rows.length;
      if (args.json) {
        io.stdout(
          jsonLine(
            listJson(document, {
              today: date.today,
              timeZone: date.timeZone,
              total,
              offset: sections === null ? offset : 0,
              limit: sections === null ? (limit ?? null) : null,
              rows,
            }),
          ),
        );
        return EXIT.ok;
      }
      const shown =
        rows.length === total
          ? ''
          : `, showing ${rows.length === 0 ? 'none' : `${offset + 1}–${offset + rows.length}`}`;
      io.stdout(
        `${title} — ${total} item(s)${shown}, as of ${date.today} in ${date.timeZone} (${date.why})\n`,
      );
      const render = (list: readonly ViewRow[]): string =>
        table(
          ['id', 'type', 'when', 'deadline', 'title'],
          list.map((row) => [
            row.id,
            row.type,
            row.evening ? 'evening' : (row.startDate ?? row.list ?? ''),
            row.deadline ?? '',
            row.title,
          ]),
        );
      if (sections === null) {
        if (rows.length > 0) io.stdout(render(rows));
      } else {
        for (const section of sections) {
          io.stdout(`\n## ${section.heading ?? '(no heading)'}\n${render(section.rows)}`);
        }
      }
      return EXIT.ok;
    });
  },
});

/** Which list a `list --json` document shows (and, for a project, its sections). */
type ListDocument = {
  readonly list: string;
  readonly id: string | null;
  readonly query: string | null;
  readonly project?: Record<string, unknown> | null;
  readonly sections?: readonly { heading: Record<string, unknown> | null; rows: unknown[] }[];
};

/**
 * The one JSON document of `list --json` (docs/json/list.schema.json): which list, the date and
 * zone it was judged at, the paging, and the rows (for a project also by heading).
 */
function listJson(
  which: ListDocument,
  page: {
    readonly today: string;
    readonly timeZone: string;
    readonly total: number;
    readonly offset: number;
    readonly limit: number | null;
    readonly rows: readonly ViewRow[];
  },
): Record<string, unknown> {
  const { project, sections, ...list } = which;
  return {
    ...list,
    today: page.today,
    timeZone: page.timeZone,
    total: page.total,
    offset: page.offset,
    limit: page.limit,
    rows: page.rows.map(rowJson),
    ...(sections === undefined ? {} : { project: project ?? null, sections }),
  };
}

interface ChangesArgs extends DbArgs {
  readonly sinceIndex: number | undefined;
  readonly since: number | undefined;
  readonly entity: string | undefined;
  readonly limit: number | undefined;
  readonly last: number | undefined;
  readonly summary: boolean;
}

/** `thingstape changes`: the change log, filtered. */
export const changesCommand = defineCommand<ChangesArgs>({
  command: 'changes',
  describe: 'Print the change log (oldest first), optionally filtered',
  examples: [
    ['changes --last 12', 'the twelve newest changes'],
    ['changes --entity UJGSaNPp5civwG3pQRXEwv', 'everything that happened to one entity'],
    [
      'changes --since 2025-01-25T12:00:00Z --json',
      'NDJSON: one change per line, then a summary object',
    ],
  ],
  builder: (yargs) =>
    withDbOptions(yargs)
      .option(
        'since-index',
        wholeNumberOption('--since-index', 'Only changes at or after this server index'),
      )
      .option('since', {
        ...stringOption('--since', 'Only changes whose own time is at or after this ISO instant'),
        coerce: (value: unknown) => parseInstant(value),
      })
      .option('entity', stringOption('--entity', 'Only changes of this entity id'))
      .option('limit', wholeNumberOption('--limit', 'At most this many changes (the oldest)'))
      .option('last', wholeNumberOption('--last', 'Only the newest this many changes'))
      .option('summary', {
        type: 'boolean',
        default: false,
        describe:
          'Print counts per change type instead of every change (with --json: only the summary object)',
      })
      .conflicts('limit', 'last') as never,
  run: async (args, io) => {
    const { sinceIndex, limit, last } = args;
    const sinceAt = args.since;
    return withStore(args, io, async (store) => {
      const changes = await store.reads.changes({
        ...(sinceIndex === undefined ? {} : { sinceIndex }),
        ...(sinceAt === undefined ? {} : { sinceAt }),
        ...(args.entity === undefined ? {} : { entityId: args.entity }),
        ...(limit === undefined ? {} : { limit }),
        ...(last === undefined ? {} : { last }),
      });
      const stream = new ChangeStream((text) => io.stdout(text), {
        json: args.json,
        summaryOnly: args.summary,
        anomalies: false,
      });
      for (const change of changes) stream.change(change);
      if (args.json) {
        const state = await store.syncState();
        io.stdout(
          jsonLine(
            stream.summary({ cursor: state.cursor, head: state.head }, { anomalies: false }),
          ),
        );
      } else if (args.summary) {
        io.stdout(stream.typeTable());
      }
      return EXIT.ok;
    });
  },
});

/** `--since`: an ISO instant, in seconds. */
function parseInstant(value: unknown): number {
  const text = Array.isArray(value) ? '' : String(value);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `--since: expected an ISO instant such as 2025-01-25T12:00:00Z, got ${JSON.stringify(text)}`,
    );
  }
  return ms / 1000;
}

/** `thingstape dump`: canonical JSON of everything stored. */
export const dumpCommand = defineCommand<DbArgs>({
  command: 'dump',
  describe:
    'Print everything stored as canonical JSON (entities incl. soft-deleted, change log, cursor); equal histories dump byte-identically',
  examples: [
    ['dump > state.json', 'everything stored, for a diff or a golden file'],
    ['dump --db file:a.db | diff - <(thingstape dump --db file:b.db)', 'two databases compared'],
  ],
  builder: (yargs) => withDbOptions(yargs) as never,
  run: async (args, io) =>
    withStore(args, io, async (store) => {
      io.stdout(await store.dump());
      return EXIT.ok;
    }),
});

/** `thingstape status`: schema, tables, cursor and provenance. */
export const statusCommand = defineCommand<DbArgs>({
  command: 'status',
  describe: 'Show the database: schema version, tables with row counts, cursor, provenance',
  examples: [
    ['status', 'the default database (./thingstape.db, or $THINGSTAPE_DB)'],
    ['status --db http://127.0.0.1:8080 --json', 'a libSQL server, as one JSON document'],
  ],
  builder: (yargs) => withDbOptions(yargs) as never,
  run: async (args, io) =>
    withStore(args, io, async (store) => {
      const status = await store.status();
      if (args.json) {
        io.stdout(jsonLine(status));
        return EXIT.ok;
      }
      const s = status.syncState;
      io.stdout(
        `database  ${status.url}\nschema    v${status.schemaVersion}\ncursor    ${s.cursor}${s.head === null ? ' (nothing synced yet)' : ` of head ${s.head}`}\n` +
          `history   ${s.historyKeyHash === null ? '—' : `sha256:${s.historyKeyHash.slice(0, 12)}…`}  schema ${s.schema ?? '—'}  zone ${s.timeZone ?? '—'}\n` +
          `source    ${s.source === null ? '—' : JSON.stringify(s.source)}\n` +
          `${ledgerLines(status.ledger)}\n`,
      );
      io.stdout(
        table(
          ['table', 'rows', 'deleted'],
          status.tables.map((t) => [
            t.name,
            String(t.rows),
            t.deleted === undefined ? '' : String(t.deleted),
          ]),
        ),
      );
      return EXIT.ok;
    }),
});

/** The ledger part of `status`: counts by status, oldest pending record, last error. */
function ledgerLines(ledger: LedgerSummary | null): string {
  if (ledger === null) return 'ledger    — (no sync ledger in this schema)\n';
  const { counts } = ledger;
  const header = `ledger    pending ${counts.pending}  synced ${counts.synced}  error ${counts.error}\n`;
  if (!ledger.tracking) {
    return `${header}          not tracked yet: this database was never pushed from; a first push sends every record\n`;
  }
  const entry = (e: LedgerEntry) => `${e.recordType}/${e.recordId}`;
  const oldest = ledger.oldestPending;
  const failed = ledger.lastError;
  return (
    header +
    `          oldest pending: ${oldest === null ? '—' : `${entry(oldest)} (local version ${oldest.localUpdatedAt}, ${oldest.syncStatus}${oldest.attemptCount > 0 ? ` after ${oldest.attemptCount} attempt(s)` : ''})`}\n` +
    `          last error: ${failed === null ? '—' : `${entry(failed)} after ${failed.attemptCount} attempt(s)${failed.lastAttemptAt === null ? '' : ` at ${new Date(failed.lastAttemptAt * 1000).toISOString()}`}: ${failed.lastError ?? ''}`}\n`
  );
}
