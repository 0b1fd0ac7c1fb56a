/**
 * Reads at scale: the lists of the app, search and the change log answered by SQL over the
 * indexes of migration 8 and search's trigram index of migration 10
 * (docs/decisions/0026-reads-in-sql.md, docs/reads.md).
 */
import type { Db } from '../db.ts';
import { readChanges } from './changes.ts';
import { areaSql, readProject, tagSql } from './containers.ts';
import { LIST_SQL } from './lists.ts';
import { checkQuery, readPage } from './page.ts';
import { readSearch } from './search.ts';
import type { Reads } from '../types.ts';

/** The {@link Reads} of a database (a store has them as `store.reads`). */
export function createReads(db: Db): Reads {
  return {
    list: async (name, query) => {
      checkQuery(query, `list ${name}`);
      const sql = (LIST_SQL as Partial<typeof LIST_SQL>)[name];
      if (sql === undefined) {
        throw new RangeError(
          `Cannot read list ${JSON.stringify(name)}: the lists are ${Object.keys(LIST_SQL).join(', ')}`,
        );
      }
      return readPage(db, sql(query.today), query);
    },
    project: async (projectId, query) => {
      checkQuery(query, 'project');
      return readProject(db, projectId, query);
    },
    area: async (areaId, query) => {
      checkQuery(query, 'area');
      return readPage(db, areaSql(areaId), query);
    },
    tag: async (tagId, query) => {
      checkQuery(query, 'tag');
      return readPage(db, tagSql(tagId), query);
    },
    search: async (text, query) => {
      checkQuery(query, 'search');
      return readSearch(db, text, query);
    },
    changes: (query) => readChanges(db, query),
  };
}

export { LIST_SQL } from './lists.ts';
export { CHANGE_PAGE_ROWS } from './changes.ts';
