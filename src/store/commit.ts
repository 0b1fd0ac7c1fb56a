/**
 * The statements of one page commit (one or more consecutive pages), in batch order: cursor guard, entity upserts, tag link
 * rewrites, change log, anomalies, raw items, cursor move. Building them is pure; running them as
 * one write batch is the store's job.
 */
import type { AreaEntity, Entity, TaskEntity } from '../engine/types.ts';
import {
  ANOMALY_COLUMNS,
  CHANGE_COLUMNS,
  ENTITY_TABLE_LIST,
  RAW_ITEM_COLUMNS,
  encodeAnomaly,
  encodeChange,
  encodeRawItem,
  tableOf,
} from './codec.ts';
import type { EntityTable } from './codec.ts';
import type { SqlArg, Statement } from './db.ts';
import type { PageCommit } from './types.ts';

/** At most this many rows per multi-row INSERT. */
export const MAX_ROWS_PER_STATEMENT = 100;
/**
 * At most this many bound parameters per statement: well under SQLite's default limit of 32,766
 * (3.32+; sqld ships 3.45), so a task upsert of ~47 columns still carries 100 rows.
 */
export const MAX_PARAMS_PER_STATEMENT = 8000;
/** At most this many ids per `IN (…)` list. */
export const MAX_IDS_PER_STATEMENT = 500;

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `?, ?, ?` */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * The row counts of the multi-row statements for `rows` rows: full statements of `perStatement`,
 * then the remainder in descending powers of two. A table thus sees a handful of statement shapes
 * instead of one per remainder, so a prepared-statement cache (src/store/db.ts) keeps them all and
 * reuses them from page to page.
 */
export function statementSizes(rows: number, perStatement: number): number[] {
  const sizes: number[] = [];
  let left = rows;
  while (left >= perStatement) {
    sizes.push(perStatement);
    left -= perStatement;
  }
  for (let bit = 2 ** Math.floor(Math.log2(Math.max(left, 1))); bit >= 1; bit /= 2) {
    if (left >= bit) {
      sizes.push(bit);
      left -= bit;
    }
  }
  return sizes;
}

/**
 * An `IN (…)` list for `ids` (at most {@link MAX_IDS_PER_STATEMENT}), padded by repeating the last
 * id up to the next power of two (or the maximum), for the same reason as {@link statementSizes}.
 * Repeated ids select and delete nothing twice.
 */
export function idList(ids: readonly string[]): { sql: string; args: string[] } {
  if (ids.length === 0 || ids.length > MAX_IDS_PER_STATEMENT) {
    throw new RangeError(
      `Cannot build an IN list of ${ids.length} ids (1 to ${MAX_IDS_PER_STATEMENT})`,
    );
  }
  const size = Math.min(MAX_IDS_PER_STATEMENT, 2 ** Math.ceil(Math.log2(ids.length)));
  const last = ids[ids.length - 1] as string;
  const args = [...ids];
  while (args.length < size) args.push(last);
  return { sql: `(${placeholders(size)})`, args };
}

/**
 * Multi-row INSERTs of `rows` into `table`, chunked by row count and parameter count. With
 * `upsertKey`, an existing row with that key is overwritten column by column.
 */
export function insertRows(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlArg[])[],
  upsertKey?: string,
): Statement[] {
  const perStatement = Math.max(
    1,
    Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMS_PER_STATEMENT / columns.length)),
  );
  const tuple = `(${placeholders(columns.length)})`;
  const conflict =
    upsertKey === undefined
      ? ''
      : ` ON CONFLICT (${upsertKey}) DO UPDATE SET ${columns
          .filter((c) => c !== upsertKey)
          .map((c) => `${c} = excluded.${c}`)
          .join(', ')}`;
  const statements: Statement[] = [];
  let at = 0;
  for (const size of statementSizes(rows.length, perStatement)) {
    const part = rows.slice(at, at + size);
    at += size;
    statements.push({
      sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => tuple).join(', ')}${conflict}`,
      args: part.flat(),
    });
  }
  return statements;
}

/** The guard: aborts the batch (THINGSTAPE_CURSOR_MISMATCH) unless the cursor is `startIndex`. */
export function cursorGuard(startIndex: number): Statement {
  return { sql: 'UPDATE sync_state SET expected_cursor = ? WHERE id = 1', args: [startIndex] };
}

/** Every statement of a page commit, in order. Validates the commit (RangeError on misuse). */
export function commitStatements(commit: PageCommit): Statement[] {
  validate(commit);
  const { result } = commit;
  const statements: Statement[] = [cursorGuard(commit.startIndex)];

  const byTable = new Map<EntityTable, Entity[]>(ENTITY_TABLE_LIST.map((t) => [t, []]));
  const tagOwners: { task: TaskEntity[]; area: AreaEntity[] } = { task: [], area: [] };
  for (const [id, entity] of result.entities) {
    if (entity.id !== id) {
      throw new RangeError(
        `Cannot commit entity ${JSON.stringify(entity.id)} under key ${JSON.stringify(id)}`,
      );
    }
    byTable.get(tableOf(entity))?.push(entity);
    if (entity.family === 'task') tagOwners.task.push(entity);
    else if (entity.family === 'area') tagOwners.area.push(entity);
  }
  for (const [table, entities] of byTable) {
    if (entities.length === 0) continue;
    statements.push(
      ...insertRows(
        table.table,
        table.columns,
        entities.map((e) => table.encode(e)),
        'id',
      ),
    );
  }

  for (const owner of ['task', 'area'] as const) {
    const owners: readonly (TaskEntity | AreaEntity)[] = tagOwners[owner];
    if (owners.length === 0) continue;
    for (const ids of chunk(
      owners.map((e) => e.id),
      MAX_IDS_PER_STATEMENT,
    )) {
      const list = idList(ids);
      statements.push({
        sql: `DELETE FROM tag_links WHERE owner_type = ? AND owner_id IN ${list.sql}`,
        args: [owner, ...list.args],
      });
    }
    const links = owners.flatMap((e) =>
      e.tagIds.map((tagId, position) => [owner, e.id, position, tagId]),
    );
    statements.push(
      ...insertRows('tag_links', ['owner_type', 'owner_id', 'position', 'tag_id'], links),
    );
  }

  statements.push(...insertRows('change_log', CHANGE_COLUMNS, result.changes.map(encodeChange)));
  statements.push(...insertRows('anomalies', ANOMALY_COLUMNS, result.anomalies.map(encodeAnomaly)));
  statements.push(...insertRows('raw_items', RAW_ITEM_COLUMNS, result.rawItems.map(encodeRawItem)));

  const meta = commit.meta ?? {};
  statements.push({
    sql: `UPDATE sync_state SET cursor = ?, head = ?, schema = COALESCE(?, schema),
      history_key_hash = COALESCE(?, history_key_hash), time_zone = COALESCE(?, time_zone),
      source = COALESCE(?, source) WHERE id = 1`,
    args: [
      commit.endIndex,
      commit.head,
      commit.schema,
      meta.historyKeyHash ?? null,
      meta.timeZone ?? null,
      meta.source === undefined ? null : JSON.stringify(meta.source),
    ],
  });
  return statements;
}

function validate(commit: PageCommit): void {
  const { startIndex, endIndex } = commit;
  for (const [name, value] of [
    ['startIndex', startIndex],
    ['endIndex', endIndex],
    ['head', commit.head],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(
        `Cannot commit page: ${name} must be a non-negative integer, got ${value}`,
      );
    }
  }
  if (endIndex < startIndex) {
    throw new RangeError(
      `Cannot commit page: endIndex ${endIndex} is below startIndex ${startIndex}`,
    );
  }
  const { changes, anomalies, rawItems } = commit.result;
  for (const [what, list] of [
    ['change', changes],
    ['anomaly', anomalies],
    ['raw item', rawItems],
  ] as const) {
    for (const entry of list) {
      if (entry.serverIndex < startIndex || entry.serverIndex >= endIndex) {
        throw new RangeError(
          `Cannot commit page [${startIndex}, ${endIndex}): a ${what} has server index ${entry.serverIndex}, outside the page`,
        );
      }
    }
  }
}
