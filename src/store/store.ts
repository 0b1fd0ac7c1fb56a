/**
 * The libSQL store: one code path for `:memory:`, `file:` and remote URLs, written against the
 * {@link Db} port. Writes are serialized through one promise queue (single writer).
 */
import { canonicalJson } from '../engine/index.ts';
import type { Anomaly, Change, Entity, RawItemRecord } from '../engine/types.ts';
import {
  ANOMALY_COLUMNS,
  ENTITY_TABLE_LIST,
  ENTITY_TABLE_OF,
  RAW_ITEM_COLUMNS,
  rowToAnomaly,
  rowToRawItem,
  RowReader,
  selectColumns,
  type EntityTable,
} from './row-codec.ts';
import { commitStatements } from './commit.ts';
import { openDb } from './db.ts';
import type { Db, OpenDbOptions, Statement } from './db.ts';
import { StoreError, isStoreError } from './errors.ts';
import { KEYSET_PAGE_ROWS, isTooLarge, keysetRows } from './keyset.ts';
import { migrate } from './migrations.ts';
import type { Migration } from './migrations.ts';
import { ledgerSummary } from './ledger.ts';
import { MAX_IDS_PER_STATEMENT, chunk, idList } from './sql.ts';
import { createReads } from './reads/index.ts';
import { readArchivedChanges, readReplacedHistories } from './swap.ts';
import { parseSyncState, readSyncState } from './sync-state.ts';
import {
  CHANGE_LOG_KEYS_MIGRATION_VERSION,
  LEDGER_MIGRATION_VERSION,
  MIGRATIONS,
  SEARCH_TEXTS_MIGRATION_VERSION,
  TABLES,
} from './schema.ts';
import type {
  ChangeFilter,
  EntityFilter,
  PageCommit,
  Reads,
  ReplacedHistory,
  Store,
  StoreStatus,
  SyncState,
} from './types.ts';

/** Rows per keyset page of every bulk read, so no response nears sqld's 10 MB limit. */
export const READ_PAGE_ROWS = KEYSET_PAGE_ROWS;

/** Version of the {@link Store.dump} format. */
export const DUMP_VERSION = 1;

/** Options of {@link openStore}. */
export type OpenStoreOptions = OpenDbOptions;

/** Opens the database at `url`, applies pending migrations and returns the store. */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const db = await openDb(url, options);
  try {
    return await createStore(db);
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A store over an already open {@link Db} (tests inject faulty ones). Applies pending migrations
 * (`migrations` defaults to the store's own; a different list is for tests of the migrator only).
 */
export async function createStore(
  db: Db,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<Store> {
  const result = await migrate(db, migrations);
  return new LibsqlStore(db, result.version);
}

class LibsqlStore implements Store {
  readonly url: string;
  readonly #db: Db;
  readonly #schemaVersion: number;
  readonly reads: Reads;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(db: Db, schemaVersion: number) {
    this.#db = db;
    this.url = db.url;
    this.#schemaVersion = schemaVersion;
    this.reads = createReads(db);
  }

  async syncState(): Promise<SyncState> {
    return parseSyncState(await readSyncState(this.#db), this.url);
  }

  async loadEntities(ids: Iterable<string>): Promise<Map<string, Entity>> {
    const unique = [...new Set(ids)];
    const found = new Map<string, Entity>();
    if (unique.length === 0) return found;
    await this.#loadInto(unique, found);
    return found;
  }

  /**
   * One read batch for `ids`; when the server refuses the response as too large (sqld caps one
   * response at 10 MB), the ids are split in halves and read again, so only huge pages cost more
   * than one round trip.
   */
  async #loadInto(ids: readonly string[], found: Map<string, Entity>): Promise<void> {
    const statements: Statement[] = [];
    const tables: EntityTable[] = [];
    for (const part of chunk(ids, MAX_IDS_PER_STATEMENT)) {
      const list = idList(part);
      for (const table of ENTITY_TABLE_LIST) {
        statements.push({
          sql: `SELECT ${selectColumns(table.columns)} FROM ${table.table} WHERE id IN ${list.sql}`,
          args: list.args,
        });
        tables.push(table);
      }
    }
    let results;
    try {
      results = await this.#db.batch(statements, 'read');
    } catch (error) {
      if (!isTooLarge(error) || ids.length < 2) throw error;
      const half = Math.ceil(ids.length / 2);
      await this.#loadInto(ids.slice(0, half), found);
      await this.#loadInto(ids.slice(half), found);
      return;
    }
    results.forEach((result, i) => {
      const table = tables[i];
      if (table === undefined) return;
      for (const row of result.rows) {
        const entity = table.decode(row);
        // An id lives in one family (the engine never merges families); keep the first seen.
        if (!found.has(entity.id)) found.set(entity.id, entity);
      }
    });
  }

  startAt(cursor: number): Promise<void> {
    if (!Number.isSafeInteger(cursor) || cursor < 0) {
      throw new RangeError(`cursor must be a non-negative integer, got ${cursor}`);
    }
    return this.#exclusive(async () => {
      const result = await this.#db.execute({
        sql: 'UPDATE sync_state SET cursor = ? WHERE id = 1 AND head IS NULL AND cursor = 0',
        args: [cursor],
      });
      if (result.rowsAffected === 1) return;
      const state = await this.syncState();
      if (state.cursor !== cursor) {
        throw new StoreError(
          'CURSOR_MISMATCH',
          `Cannot start ${this.url} at index ${cursor}: it already holds history up to cursor ${state.cursor}`,
        );
      }
    });
  }

  commitPage(commit: PageCommit): Promise<void> {
    // RangeError on misuse, before queueing
    const statements = commitStatements(
      commit,
      this.#db.rowEncoding,
      this.#schemaVersion >= CHANGE_LOG_KEYS_MIGRATION_VERSION,
      this.#schemaVersion >= SEARCH_TEXTS_MIGRATION_VERSION,
    );
    return this.#exclusive(async () => {
      // A commit may hold several pages (the loop batches them by items): name its range of
      // server indexes, not "a page".
      const range = `server indexes [${commit.startIndex}, ${commit.endIndex})`;
      try {
        await this.#db.batch(statements, 'write');
      } catch (error) {
        if (!isStoreError(error)) throw error;
        if (error.code === 'CURSOR_MISMATCH') {
          const cursor = await this.syncState().then(
            (s) => String(s.cursor),
            () => 'unreadable',
          );
          throw new StoreError(
            'CURSOR_MISMATCH',
            `Cannot commit ${range} to ${this.url}: the stored cursor is ${cursor}, not ${commit.startIndex} (they were applied already, or pages are out of order); nothing was written`,
            { cause: error },
          );
        }
        if (error.code === 'HISTORY_MISMATCH') {
          throw new StoreError(
            'HISTORY_MISMATCH',
            `Cannot commit ${range} to ${this.url}: the store holds another history (key hash differs); use a fresh database for a new history`,
            { cause: error },
          );
        }
        const details = {
          cause: error,
          ...(error.driverCode === undefined ? {} : { driverCode: error.driverCode }),
          ...(error.statementIndex === undefined ? {} : { statementIndex: error.statementIndex }),
        };
        if (error.code === 'CONNECT_FAILED') {
          // The Db contract: a write batch that lost its connection may have committed.
          throw new StoreError(
            'CONNECT_FAILED',
            `Cannot tell whether ${range} were committed to ${this.url}: the connection was lost before the answer (outcome unknown: ${error.message}). Run again: the stored cursor says which, and a commit that was stored is never applied twice`,
            details,
          );
        }
        throw new StoreError(error.code, `Cannot commit ${range}: ${error.message}`, details);
      }
    });
  }

  changes(filter: ChangeFilter = {}): Promise<Change[]> {
    return this.reads.changes(filter);
  }

  async *entities(filter: EntityFilter = {}): AsyncIterable<Entity> {
    const tables =
      filter.family === undefined ? ENTITY_TABLE_LIST : [ENTITY_TABLE_OF[filter.family]];
    for (const table of tables) {
      for await (const row of keysetRows(this.#db, {
        select: selectColumns(table.columns),
        from: table.table,
        where: filter.includeDeleted === true ? [] : ['deleted_index IS NULL'],
        args: [],
        key: ['id'],
      })) {
        yield table.decode(row);
      }
    }
  }

  dump(): Promise<string> {
    return this.#exclusive(async () => {
      const entityLists: Record<string, Entity[]> = {};
      for (const table of ENTITY_TABLE_LIST) {
        const list: Entity[] = [];
        for await (const entity of this.entities({ family: table.family, includeDeleted: true })) {
          list.push(entity);
        }
        entityLists[DUMP_KEYS[table.table]] = list;
      }
      const tagLinks: unknown[] = [];
      for await (const row of keysetRows(this.#db, {
        select: 'owner_type, owner_id, position, tag_id',
        from: 'tag_links',
        where: [],
        args: [],
        key: ['owner_type', 'owner_id', 'position'],
      })) {
        const r = new RowReader(row, 'tag_links');
        tagLinks.push({
          ownerType: r.str('owner_type'),
          ownerId: r.str('owner_id'),
          position: r.num('position'),
          tagId: r.str('tag_id'),
        });
      }
      const changes = await this.changes();
      const anomalies: Anomaly[] = [];
      for await (const anomaly of this.anomalies()) anomalies.push(anomaly);
      const rawItems: RawItemRecord[] = [];
      for await (const row of keysetRows(this.#db, {
        select: ['seq', ...RAW_ITEM_COLUMNS].join(', '),
        from: 'raw_items',
        where: [],
        args: [],
        key: ['server_index', 'position', 'seq'],
      })) {
        rawItems.push(rowToRawItem(row));
      }
      const state = await this.syncState();
      return canonicalJson(
        {
          format: 'thingstape-dump',
          version: DUMP_VERSION,
          schemaVersion: this.#schemaVersion,
          syncState: {
            cursor: state.cursor,
            head: state.head,
            schema: state.schema,
            historyKeyHash: state.historyKeyHash,
            timeZone: state.timeZone,
          },
          ...entityLists,
          tagLinks,
          changes,
          anomalies,
          rawItems,
        },
        { pretty: true },
      );
    });
  }

  async status(): Promise<StoreStatus> {
    const statements: string[] = TABLES.map((name) =>
      ENTITY_TABLE_LIST.some((t) => t.table === name)
        ? `SELECT COUNT(*) AS n, COUNT(deleted_index) AS deleted FROM ${name}`
        : `SELECT COUNT(*) AS n FROM ${name}`,
    );
    const results = await this.#db.batch(statements, 'read');
    const tables = TABLES.map((name, i) => {
      const row = results[i]?.rows[0] ?? {};
      const deleted = row['deleted'];
      return {
        name,
        rows: Number(row['n'] ?? 0),
        ...(typeof deleted === 'number' ? { deleted } : {}),
      };
    });
    return {
      url: this.url,
      schemaVersion: this.#schemaVersion,
      tables,
      syncState: await this.syncState(),
      ledger:
        this.#schemaVersion >= LEDGER_MIGRATION_VERSION
          ? await ledgerSummary(this.#db, this.#schemaVersion)
          : null,
    };
  }

  replacedHistories(): Promise<ReplacedHistory[]> {
    return readReplacedHistories(this.#db);
  }

  archivedChanges(generation: number): Promise<Change[]> {
    return readArchivedChanges(this.#db, generation);
  }

  close(): void {
    this.#db.close();
  }

  /** Runs `task` after every earlier exclusive task settled (single writer, consistent dumps). */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async *anomalies(): AsyncIterable<Anomaly> {
    for await (const row of keysetRows(this.#db, {
      select: ['seq', ...ANOMALY_COLUMNS].join(', '),
      from: 'anomalies',
      where: [],
      args: [],
      key: ['server_index', 'position', 'seq'],
    })) {
      yield rowToAnomaly(row);
    }
  }
}

const DUMP_KEYS: Readonly<Record<EntityTable['table'], string>> = {
  tasks: 'tasks',
  checklist_items: 'checklistItems',
  areas: 'areas',
  tags: 'tags',
  tombstones: 'tombstones',
};
