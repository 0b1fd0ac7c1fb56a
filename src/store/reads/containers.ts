/**
 * The lists of one container: a project (by heading), an area and a tag, as SQL restating
 * `projectView`, `areaView` and `tagView` of src/engine/views.ts.
 */
import type { ProjectView, ViewRow } from '../../engine/index.ts';
import type { CivilDate } from '../../protocol/index.ts';
import type { Db } from '../db.ts';
import type { ListSql } from './page.ts';
import {
  ACTIVE_TASK,
  PROJECT_ID,
  ROW_SELECT,
  TASK_FROM,
  TODO_OR_PROJECT,
  decodeViewRow,
  openRow,
} from './rows.ts';

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

/** SQL: the tag `?` and its live descendants by `pn[0]` (a cycle ends: UNION drops repeats). */
const WANTED_TAGS = `WITH RECURSIVE wanted(id) AS (
  SELECT ? UNION SELECT tg.id FROM tags tg JOIN wanted w ON tg.parent_id = w.id WHERE tg.deleted_index IS NULL
)`;

/** SQL: some id of the JSON array `column` is a wanted tag. */
function tagged(column: string): string {
  return `EXISTS (SELECT 1 FROM json_each(${column}) j WHERE j.value IN (SELECT id FROM wanted))`;
}

/**
 * A tag: open to-dos and projects tagged with it or a sub-tag, themselves, through their effective
 * project or through their effective area. The candidates come from `tag_links` by tag (the
 * owners: tasks, projects, areas) and the open rows of those projects and areas; the exact
 * condition is then checked on each candidate's own and inherited `tg`.
 */
export function tagSql(tagId: string): ListSql {
  const owners = (type: 'task' | 'area'): string =>
    `SELECT owner_id FROM tag_links WHERE tag_id IN (SELECT id FROM wanted) AND owner_type = '${type}'`;
  const projects = `${owners('task')}
    UNION SELECT id FROM tasks c WHERE c.area_id IN (${owners('area')}) AND ${openRow('c')}`;
  const candidates = `${owners('task')}
    UNION SELECT id FROM tasks c WHERE c.project_id IN (${projects}) AND ${openRow('c')}
    UNION SELECT id FROM tasks c WHERE c.heading_id IN (
      SELECT id FROM tasks d WHERE d.project_id IN (${projects}) AND ${openRow('d')}) AND ${openRow('c')}
    UNION SELECT id FROM tasks c WHERE c.area_id IN (${owners('area')}) AND ${openRow('c')}`;
  return {
    with: WANTED_TAGS,
    withArgs: [tagId],
    where: `t.id IN (${candidates}) AND ${TODO_OR_PROJECT} AND ${ACTIVE_TASK}
  AND (${tagged('t.tag_ids')} OR ${tagged('COALESCE(p1.tag_ids, p2.tag_ids)')} OR ${tagged('COALESCE(a1.tag_ids, a2.tag_ids)')})`,
    args: [],
    order: BY_INDEX,
    evening: 'list',
  };
}

/** SQL: the live project `?` (type 1). */
const PROJECT_ROW = `t.id = ? AND t.type = 1 AND t.deleted_index IS NULL`;

/** SQL: the open headings of project `?`, by `ix`. */
const OPEN_HEADINGS = `t.type = 2 AND t.project_id = ? AND t.deleted_index IS NULL AND t.trashed = 0 AND t.status = 0 AND t.recurrence IS NULL`;

/**
 * SQL: the open to-dos whose effective project is `?` (bound three times), except those under a
 * heading of that project that is closed, trashed or a template (the app archives them with it).
 */
const PROJECT_TODOS = `(t.project_id = ? OR t.heading_id IN (
    SELECT id FROM tasks d WHERE d.project_id = ? AND d.type = 2 AND ${openRow('d')}))
  AND t.type = 0 AND t.deleted_index IS NULL AND t.status = 0 AND t.trashed = 0 AND t.recurrence IS NULL
  AND ${PROJECT_ID} = ?
  AND (h.id IS NULL OR h.project_id IS NOT ${PROJECT_ID} OR (h.trashed = 0 AND h.status = 0 AND h.recurrence IS NULL))`;

/** A project's view in one read batch: the project's row, its open headings, its open to-dos. */
export async function readProject(
  db: Db,
  projectId: string,
  today: CivilDate,
): Promise<ProjectView> {
  const select = (where: string, args: string[], extra = ''): { sql: string; args: string[] } => ({
    sql: `SELECT ${ROW_SELECT}${extra} FROM ${TASK_FROM} WHERE ${where} ORDER BY ${BY_INDEX}`,
    args,
  });
  const [project, headings, todos] = await db.batch(
    [
      select(PROJECT_ROW, [projectId]),
      select(OPEN_HEADINGS, [projectId]),
      // Every row here has the effective project `projectId`.
      select(
        PROJECT_TODOS,
        [projectId, projectId, projectId],
        `, CASE WHEN h.project_id IS ${PROJECT_ID} THEN h.id END AS section`,
      ),
    ],
    'read',
  );
  const projectRow = project?.rows[0];
  if (projectRow === undefined) return { project: null, sections: [] };
  const bySection = new Map<string | null, ViewRow[]>([[null, []]]);
  const headingRows = (headings?.rows ?? []).map((row) => decodeViewRow(row, today));
  for (const heading of headingRows) bySection.set(heading.id, []);
  for (const row of todos?.rows ?? []) {
    const section = row['section'];
    bySection.get(typeof section === 'string' ? section : null)?.push(decodeViewRow(row, today));
  }
  return {
    project: decodeViewRow(projectRow, today),
    sections: [
      { heading: null, rows: bySection.get(null) ?? [] },
      ...headingRows.map((heading) => ({ heading, rows: bySection.get(heading.id) ?? [] })),
    ],
  };
}
