/**
 * The generator's payload builders, in the positional form its history module calls: each is the
 * wire writer's builder (`src/protocol/write`), so generated payloads have the same keys, in the
 * same order, as the scenario account's and the fake's.
 */
import {
  areaCreate as areaCreateEvent,
  checklistItemCreate,
  tagCreate as tagCreateEvent,
  tombstoneCreate,
  type RawNumber,
  type WirePayload,
} from '../protocol/index.ts';

export {
  deltaNote,
  emptyExtension,
  fullNote,
  NATIVE_TASK_KEYS,
  nativeTaskPayload as nativeTaskCreate,
  sdkTaskPayload as sdkTaskCreate,
  type NativeTaskKey,
  type WirePatch,
} from '../protocol/index.ts';

/** A JSON object under construction. */
export type Payload = WirePayload;

/** The payload of a native `ChecklistItem3` create of `task` at index `ix`. */
export function checklistCreate(cd: RawNumber, title: string, task: string, ix: number): Payload {
  return checklistItemCreate({ taskId: task, title, index: ix, createdAt: cd }).p;
}

/** The payload of an `Area3` create. */
export function areaCreate(title: string, ix: number): Payload {
  return areaCreateEvent({ title, index: ix }).p;
}

/** The payload of a `Tag4` create. */
export function tagCreate(
  title: string,
  ix: number,
  sh: string | null,
  parent: string | null,
): Payload {
  return tagCreateEvent({ title, index: ix, shortcut: sh, parentId: parent }).p;
}

/** The payload of a `Tombstone2` deleting `target` at `dld`. */
export function tombstone(target: string, dld: RawNumber): Payload {
  return tombstoneCreate(target, dld).p;
}
