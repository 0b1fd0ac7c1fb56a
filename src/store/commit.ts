/**
 * The statements of one page commit (one or more consecutive pages), in batch order: cursor guard,
 * entity upserts, tag link rewrites, change log and its keys by entity, anomalies, raw items,
 * cursor move. Building them is pure; running them as one write batch is the store's job.
 */
import type { AreaEntity, Entity, TaskEntity } from '../engine/types.ts';
import {
  ANOMALY_COLUMNS,
  CHANGE_COLUMNS,
  ENTITY_TABLE_LIST,
  RAW_ITEM_COLUMNS,
  anomalyToRow,
  changeToRow,
  rawItemToRow,
  tableOf,
} from './row-codec.ts';
import type { EntityTable } from './row-codec.ts';
import type { RowEncoding, Statement } from './db.ts';
import { searchTextStatements, type StoredRow } from './search-texts.ts';
import { AFTER_CHANGE_LOG_INSERTS } from './schema.ts';
import { MAX_IDS_PER_STATEMENT, chunk, idList, insertRows } from './sql.ts';
import { cursorGuard } from './sync-state.ts';
import type { PageCommit } from './types.ts';

/**
 * Every statement of a page commit, in order, its multi-row inserts in `encoding` (the database's
 * `rowEncoding`). `keyChangeLog`: write the change log's keys by entity (a schema from migration 7
 * on, decision 0016; before it a trigger wrote them). `searchTexts`: keep search's lower-cased
 * texts (a schema from migration 10 on). Validates the commit (RangeError on misuse).
 */
export function commitStatements(
  commit: PageCommit,
  encoding: RowEncoding = 'values',
  keyChangeLog = true,
  searchTexts = true,
): Statement[] {
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
  const stored: StoredRow[] = [];
  for (const [table, entities] of byTable) {
    if (entities.length === 0) continue;
    const rows = entities.map((e) => table.encode(e));
    statements.push(...insertRows(table.table, table.columns, rows, 'id', encoding));
    if (searchTexts) for (const values of rows) stored.push({ table, values });
  }
  statements.push(...searchTextStatements(stored, encoding));

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
      ...insertRows(
        'tag_links',
        ['owner_type', 'owner_id', 'position', 'tag_id'],
        links,
        undefined,
        encoding,
      ),
    );
  }

  // The change log, then its keys by entity (decision 0016), after the entity rows they point at.
  statements.push(
    ...insertRows(
      'change_log',
      CHANGE_COLUMNS,
      result.changes.map(changeToRow),
      undefined,
      encoding,
    ),
  );
  if (keyChangeLog) statements.push(...AFTER_CHANGE_LOG_INSERTS.map((sql) => ({ sql })));
  for (const [table, columns, rows] of [
    ['anomalies', ANOMALY_COLUMNS, result.anomalies.map(anomalyToRow)],
    ['raw_items', RAW_ITEM_COLUMNS, result.rawItems.map(rawItemToRow)],
  ] as const) {
    statements.push(...insertRows(table, columns, rows, undefined, encoding));
  }

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
