/**
 * The native-shaped writes of the scenario account, under the names `thingstape/harness` has
 * always exported them: each is the wire writer's (`src/protocol/write`), shared with the
 * generator, the fakes and the tests.
 */
import { NATIVE_TASK_KEYS, type WireEvent } from '../protocol/index.ts';

export {
  areaCreate,
  areaModify,
  checklistItemCreate,
  checklistItemModify,
  dayStampOf,
  emptyExtension,
  fullNote as noteObject,
  scheduleFields,
  tagCreate,
  tagModify,
  taskCreate,
  taskModify,
  tombstoneCreate,
  type ScheduleFields,
  type TaskCreateFields,
  type When,
} from '../protocol/index.ts';

/** One wire event of a commit body: `{t, e, p}`. */
export type WireWrite = WireEvent<Readonly<Record<string, unknown>>>;

/** The 34 keys of a native task create, in wire order. */
export const TASK_CREATE_KEYS: readonly string[] = NATIVE_TASK_KEYS;
