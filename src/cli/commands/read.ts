import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LIST_VIEWS,
  areaView,
  indexEntities,
  projectView,
  searchView,
  tagView,
  type Entity,
  type ListViewName,
  type ViewRow,
} from '../../engine/index.ts';
import type { LedgerEntry, LedgerSummary, Store } from '../../store/index.ts';
import { defineCommand } from '../command.ts';
import { parseCount, viewDate } from '../context.ts';
import { openStoreFor, withDbOptions, type DbArgs } from '../db-options.ts';
import { changeJson, changeLine, rowJson, table } from '../format.ts';
import { EXIT, type CliIo } from '../io.ts';
import { UsageError } from '../usage-error.ts';

/**
 * Opens `--db` for a read command. A local `file:` database that does not exist is an error rather
 * than a new empty database (a mistyped path would otherwise show empty lists), unless it is an
 * embedded replica (`--sync-url`), which fills itself from its primary.
 */
async function withStore<T>(args: DbArgs, io: CliIo, fn: (store: Store) => Promise<T>): Promise<T> {
  const path = localFilePath(args.db, io.cwd);
  if (path !== null && args.syncUrl === undefined && !existsSync(path)) {
    throw new UsageError(
      `--db: no database at ${args.db} (${path}); run "thingstape replay <fixture> --db ${args.db}" or "thingstape sync" first`,
    );
  }
  const store = await openStoreFor(args, io);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** The file a `file:` URL names (relative paths against the CLI's working directory). */
function localFilePath(url: string, cwd: string): string | null {
  if (!url.startsWith('file:')) return null;
  const withoutQuery = url.split('?')[0] ?? url;
  if (withoutQuery.startsWith('file://')) {
    try {
      return fileURLToPath(withoutQuery);
    } catch {
      return null;
    }
  }
  const path = decodeURIComponent(withoutQuery.slice('file:'.length));
  return path === '' || path === ':memory:' ? null : resolve(cwd, path);
}

const VIEW_NAMES = Object.keys(LIST_VIEWS) as ListViewName[];

interface ListArgs extends DbArgs {
  readonly view: string | undefined;
  readonly project: string | undefined;
  readonly area: string | undefined;
  readonly tag: string | undefined;
  readonly search: string | undefined;
  readonly today: string | undefined;
  readonly tz: string | undefined;
  readonly limit: number | undefined;
  readonly offset: number | undefined;
}

/** `thingstape list <view>`: a list as the Things app shows it, from the stored state. */
export const listCommand = defineCommand<ListArgs>({
  command: 'list [view]',
  describe: `Show a list: ${VIEW_NAMES.join(', ')}; or --project/--area/--tag ID, or --search TEXT`,
  builder: (yargs) =>
    withDbOptions(yargs)
      .positional('view', { type: 'string', choices: VIEW_NAMES, describe: 'List to show' })
      .option('project', { type: 'string', describe: 'Open to-dos of a project, by heading' })
      .option('area', { type: 'string', describe: 'Open to-dos and projects of an area' })
      .option('tag', { type: 'string', describe: 'Open items with a tag (or a sub-tag)' })
      .option('search', { type: 'string', describe: 'Search titles, notes and checklist items' })
      .option('today', { type: 'string', describe: 'Judge the lists at this date (YYYY-MM-DD)' })
      .option('tz', {
        type: 'string',
        describe:
          'IANA time zone that decides today’s date (default: the stored one; not needed with --today, since dates are civil dates)',
      })
      .option('limit', { type: 'number', describe: 'At most this many rows (not for --project)' })
      .option('offset', {
        type: 'number',
        describe: 'Skip this many rows first (not for --project)',
      }) as never,
  run: async (args, io) => {
    const selectors = [args.view, args.project, args.area, args.tag, args.search].filter(
      (value) => value !== undefined,
    );
    if (selectors.length !== 1) {
      throw new UsageError(
        'Name exactly one list: a view name, --project, --area, --tag or --search',
      );
    }
    const limit = parseCount(args.limit, '--limit');
    const offset = parseCount(args.offset, '--offset', 0) ?? 0;
    return withStore(args, io, async (store) => {
      const state = await store.syncState();
      const date = viewDate(args, state, Date.now() / 1000);
      const entities: Entity[] = [];
      for await (const entity of store.entities({ includeDeleted: false })) entities.push(entity);
      const index = indexEntities(entities);
      const options = { today: date.today };
      let title: string;
      let rows: ViewRow[];
      let sections: { heading: string | null; rows: ViewRow[] }[] | null = null;
      if (args.view !== undefined) {
        title = args.view;
        rows = LIST_VIEWS[args.view as ListViewName](index, options);
      } else if (args.project !== undefined) {
        const view = projectView(index, args.project, options);
        title = `project ${view.project === null ? args.project : JSON.stringify(view.project.title)}`;
        sections = view.sections.map((s) => ({
          heading: s.heading?.title ?? null,
          rows: [...s.rows],
        }));
        rows = sections.flatMap((s) => s.rows);
        if (args.json) {
          io.stdout(
            `${JSON.stringify(
              {
                project: view.project === null ? null : rowJson(view.project),
                sections: view.sections.map((s) => ({
                  heading: s.heading === null ? null : rowJson(s.heading),
                  rows: s.rows.map(rowJson),
                })),
              },
              null,
              2,
            )}\n`,
          );
          return EXIT.ok;
        }
      } else if (args.area !== undefined) {
        title = `area ${args.area}`;
        rows = areaView(index, args.area, options);
      } else if (args.tag !== undefined) {
        title = `tag ${args.tag}`;
        rows = tagView(index, args.tag, options);
      } else {
        title = `search ${JSON.stringify(args.search)}`;
        rows = searchView(index, args.search ?? '', options);
      }
      const total = rows.length;
      if (sections === null)
        rows = rows.slice(offset, limit === undefined ? undefined : offset + limit);
      if (args.json) {
        io.stdout(`${JSON.stringify(rows.map(rowJson), null, 2)}\n`);
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
          ['uuid', 'type', 'when', 'deadline', 'title'],
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

interface ChangesArgs extends DbArgs {
  readonly sinceIndex: number | undefined;
  readonly since: string | undefined;
  readonly entity: string | undefined;
  readonly limit: number | undefined;
  readonly last: number | undefined;
}

/** `thingstape changes`: the change log, filtered. */
export const changesCommand = defineCommand<ChangesArgs>({
  command: 'changes',
  describe: 'Print the change log (oldest first), optionally filtered',
  builder: (yargs) =>
    withDbOptions(yargs)
      .option('since-index', {
        type: 'number',
        describe: 'Only changes at or after this server index',
      })
      .option('since', {
        type: 'string',
        describe: 'Only changes whose own time is at or after this ISO instant',
      })
      .option('entity', { type: 'string', describe: 'Only changes of this entity id' })
      .option('limit', { type: 'number', describe: 'At most this many changes (the oldest)' })
      .option('last', { type: 'number', describe: 'Only the newest this many changes' }) as never,
  run: async (args, io) => {
    const sinceIndex = parseCount(args.sinceIndex, '--since-index');
    const limit = parseCount(args.limit, '--limit');
    const last = parseCount(args.last, '--last');
    if (limit !== undefined && last !== undefined) {
      throw new UsageError('--limit and --last exclude each other: take the oldest or the newest');
    }
    let sinceAt: number | undefined;
    if (args.since !== undefined) {
      const ms = Date.parse(args.since);
      if (Number.isNaN(ms))
        throw new UsageError(`--since: expected an ISO instant, got "${args.since}"`);
      sinceAt = ms / 1000;
    }
    return withStore(args, io, async (store) => {
      const changes = await store.changes({
        ...(sinceIndex === undefined ? {} : { sinceIndex }),
        ...(sinceAt === undefined ? {} : { sinceAt }),
        ...(args.entity === undefined ? {} : { entityId: args.entity }),
        ...(limit === undefined ? {} : { limit }),
      });
      for (const change of last === undefined ? changes : changes.slice(-last)) {
        io.stdout(
          args.json ? `${JSON.stringify(changeJson(change))}\n` : `${changeLine(change)}\n`,
        );
      }
      return EXIT.ok;
    });
  },
});

/** `thingstape dump`: canonical JSON of everything stored. */
export const dumpCommand = defineCommand<DbArgs>({
  command: 'dump',
  describe:
    'Print everything stored as canonical JSON (entities incl. soft-deleted, change log, cursor); equal histories dump byte-identically',
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
  builder: (yargs) => withDbOptions(yargs) as never,
  run: async (args, io) =>
    withStore(args, io, async (store) => {
      const status = await store.status();
      if (args.json) {
        io.stdout(`${JSON.stringify(status, null, 2)}\n`);
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
