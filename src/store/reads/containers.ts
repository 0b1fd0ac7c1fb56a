/**
 * The lists of one container: a project (by heading), an area and a tag, as SQL restating
 * `projectView`, `areaView` and `tagView` of src/engine/views.ts.
 */
import type { ProjectView, ViewRow } from '../../engine/index.ts';
import type { ProjectQuery } from '../types.ts';
import type { Db } from '../db.ts';
import type { ListSql } from './page.ts';
import {
  ACTIVE_TASK,
  OPEN_TASK,
  PROJECT_ID,
  ROW_SELECT,
  TASK_FROM,
  taskFrom,
  TODO_OR_PROJECT,
  decodeViewRow,
  openRow,
} from './rows.ts';
import { walkTerms, walkedOr } from './walk.ts';

const BY_INDEX = 't.sort_index, t.id';

/** SQL: a live area with id `?` exists (an unknown or deleted area lists nothing). */
const LIVE_AREA = 'EXISTS (SELECT 1 FROM areas WHERE id = ? AND deleted_index IS NULL)';

/**
 * An area: open projects with `ar[0]` = the area and open to-dos with `ar[0]` = the area and no
 * effective project.
 */
export function areaSql(areaId: string): ListSql {
  return {
    where: `${LIVE_AREA} AND ${TODO_OR_PROJECT} AND t.area_id = ? AND (t.type = 1 OR ${PROJECT_ID} IS NULL) AND ${ACTIVE_TASK}`,
    args: [areaId, areaId],
    order: BY_INDEX,
    evening: 'list',
  };
}

/**
 * SQL: the tag `?` and its live descendants by `pn[0]` (a cycle ends: UNION drops repeats), the
 * owners of those tags (`tag_links` holds each owner's `tg`, one row per entry): to-dos and
 * projects, and areas; and the open rows (`rowid`, `id`, `type`) whose `project_id` is a tagged
 * row or a project of a tagged area, by `tasks_open_by_project`, found once (their headings' rows
 * are found from them).
 */
const WANTED_TAGS = `WITH RECURSIVE wanted(id) AS (
  SELECT ? UNION SELECT tg.id FROM tags tg JOIN wanted w ON tg.parent_id = w.id WHERE tg.deleted_index IS NULL
), tagged(id) AS MATERIALIZED (
  SELECT owner_id FROM tag_links WHERE tag_id IN (SELECT id FROM wanted) AND owner_type = 'task'
), tagged_areas(id) AS MATERIALIZED (
  SELECT owner_id FROM tag_links WHERE tag_id IN (SELECT id FROM wanted) AND owner_type = 'area'
), in_projects(r, id, type) AS MATERIALIZED (
  SELECT rowid, id, type FROM tasks INDEXED BY tasks_open_by_project
  WHERE project_id IN (SELECT id FROM tagged UNION ALL SELECT id FROM tasks INDEXED BY tasks_open_by_area
    WHERE area_id IN (SELECT id FROM tagged_areas) AND ${openRow('tasks')} AND type = 1)
  AND ${openRow('tasks')}
)`;

/** SQL: the open rows whose `column` is in `ids` (a subquery), by that column's open-row index. */
function openRowsBy(column: 'heading_id' | 'area_id', ids: string): string {
  return `SELECT rowid FROM tasks INDEXED BY tasks_open_by_${column.slice(0, -3)}
    WHERE ${column} IN (${ids}) AND ${openRow('tasks')}`;
}

/**
 * How many times dearer a gathered tagged row is than a walked one (a test of the row's id among
 * the tagged ones): about 5 µs against 1 µs on the benchmark's account of 1,000,000 items.
 */
const TAG_WALK_COST = 4;

/**
 * A tag: open to-dos and projects tagged with it or a sub-tag, themselves, through their effective
 * project or through their effective area. The candidates come from the open-row indexes by
 * container: the tagged rows, the rows of tagged projects (by `pr[0]` or through their headings),
 * the rows of tagged areas and of those areas' projects; the exact condition is then checked on
 * each candidate's effective project and area, by `tag_links`.
 *
 * A bounded page takes the tagged rows themselves from a walk by `ix` that stops after the page's
 * rows (src/store/reads/walk.ts) when there are enough of them that the walk is the cheaper way
 * (decided in the statement, on their count, closed ones too) and it fills the page within its
 * cap (else they are gathered); the rows of tagged containers are gathered either way. The first
 * rows of the walk and all of the others hold the page: a row of the page is among the first
 * `rows` tagged rows, or a row of a tagged container.
 */
export function tagSql(tagId: string): ListSql {
  const inherited = `SELECT r FROM in_projects
    UNION ALL ${openRowsBy('heading_id', 'SELECT id FROM in_projects WHERE type = 2')}
    UNION ALL ${openRowsBy('area_id', 'SELECT id FROM tagged_areas')}`;
  const where = (candidates: string): string => `t.rowid IN (${candidates}
    UNION ALL ${inherited}) AND ${TODO_OR_PROJECT} AND ${ACTIVE_TASK}
  AND (t.id IN (SELECT id FROM tagged) OR ${PROJECT_ID} IN (SELECT id FROM tagged)
    OR COALESCE(a1.id, a2.id) IN (SELECT id FROM tagged_areas))`;
  const tagged = 'SELECT rowid FROM tasks WHERE id IN (SELECT id FROM tagged)';
  return {
    with: WANTED_TAGS,
    withArgs: [tagId],
    index: null,
    where: where(tagged),
    args: [],
    order: BY_INDEX,
    evening: 'list',
    firstRows: (rows) => ({
      with: `${WANTED_TAGS}, ${walkTerms('SELECT COUNT(*) FROM tagged', TAG_WALK_COST, 't.id IN (SELECT id FROM tagged)')}`,
      where: where(walkedOr(tagged)),
      args: [tagId, rows, rows, rows],
    }),
  };
}

/** SQL: the live project `?` (type 1). */
const PROJECT_ROW = `t.id = ? AND t.type = 1 AND t.deleted_index IS NULL`;

/** SQL: the ids of the open headings of project `?1` (by `tasks_open_by_project`). */
const HEADINGS_OF = `SELECT id FROM tasks INDEXED BY tasks_open_by_project
  WHERE project_id = ?1 AND ${openRow('tasks')} AND type = 2`;

/**
 * SQL: the rows a project's view may hold, found by its open-row indexes: the open rows whose
 * `project_id` is `?1`, and the open rows under its open headings (their effective project may be
 * `?1` through the heading).
 */
const PROJECT_CANDIDATES = `t.rowid IN (
    SELECT rowid FROM tasks INDEXED BY tasks_open_by_project WHERE project_id = ?1 AND ${openRow('tasks')}
    UNION ALL SELECT rowid FROM tasks INDEXED BY tasks_open_by_heading
    WHERE heading_id IN (${HEADINGS_OF}) AND ${openRow('tasks')})`;

/** SQL: the row is an open heading of project `?1`, by `ix`. */
const OPEN_HEADING = `t.type = 2 AND t.project_id = ?1 AND ${OPEN_TASK}`;

/**
 * SQL: an open to-do whose effective project is `?1`, except those under a heading of that
 * project that is closed, trashed or a template (the app archives them with it).
 */
const PROJECT_TODO = `t.type = 0 AND ${OPEN_TASK} AND ${PROJECT_ID} = ?1
  AND (h.id IS NULL OR h.project_id IS NOT ${PROJECT_ID} OR (h.trashed = 0 AND h.status = 0 AND h.recurrence IS NULL))`;

/** SQL: the section of a row of the project `?1`: a heading's own id, a to-do's heading, or NULL. */
const SECTION = `CASE WHEN t.type = 2 THEN t.id WHEN h.project_id IS ${PROJECT_ID} THEN h.id END`;

/** SQL: the `ix` of a row's section (see {@link SECTION}). */
const SECTION_INDEX = `CASE WHEN t.type = 2 THEN t.sort_index WHEN h.project_id IS ${PROJECT_ID} THEN h.sort_index END`;

/**
 * A project's view in one read batch: the project's row, then its items in the app's order (its
 * loose to-dos, then each open heading followed by its to-dos, each by `ix`), `offset` and `limit`
 * applied to that sequence in SQL. The loose section always comes first (its rows on the page,
 * maybe none), then every heading's section of which the heading or a to-do is on the page; with
 * neither `offset` nor `limit`, every open heading has its section, as {@link projectView} says.
 */
export async function readProject(
  db: Db,
  projectId: string,
  query: ProjectQuery,
): Promise<ProjectView> {
  const { today } = query;
  const [project, items] = await db.batch(
    [
      { sql: `SELECT ${ROW_SELECT} FROM ${TASK_FROM} WHERE ${PROJECT_ROW}`, args: [projectId] },
      {
        // Numbered in the view's order; the page, and the heading of the section it starts in
        // when that heading is on an earlier page (`on_page` 0: the section's title only).
        sql: `WITH items AS MATERIALIZED (SELECT ${ROW_SELECT}, ${SECTION} AS section,
    ROW_NUMBER() OVER (ORDER BY ${SECTION} IS NOT NULL, ${SECTION_INDEX}, ${SECTION}, t.type <> 2, t.sort_index, t.id) AS n
  FROM ${taskFrom(null)}
  WHERE ${PROJECT_CANDIDATES} AND ((${OPEN_HEADING}) OR (${PROJECT_TODO})))
SELECT *, n > ?2 AS on_page FROM items
WHERE (n > ?2 AND (?3 < 0 OR n <= ?2 + ?3))
  OR (type = 2 AND n <= ?2 AND section = (SELECT section FROM items WHERE n = ?2 + 1) AND (?3 <> 0))
ORDER BY n`,
        args: [projectId, query.offset ?? 0, query.limit ?? -1],
      },
    ],
    'read',
  );
  const projectRow = project?.rows[0];
  if (projectRow === undefined) return { project: null, sections: [] };
  const loose: ViewRow[] = [];
  const sections: { heading: ViewRow | null; rows: ViewRow[] }[] = [];
  const bySection = new Map<string, { heading: ViewRow | null; rows: ViewRow[] }>();
  for (const row of items?.rows ?? []) {
    const decoded = decodeViewRow(row, today);
    const section = row['section'];
    if (typeof section !== 'string') {
      loose.push(decoded);
    } else if (decoded.type === 'heading') {
      const entry = { heading: decoded, rows: [] };
      bySection.set(section, entry);
      sections.push(entry);
    } else {
      bySection.get(section)?.rows.push(decoded);
    }
  }
  return {
    project: decodeViewRow(projectRow, today),
    sections: [{ heading: null, rows: loose }, ...sections],
  };
}
