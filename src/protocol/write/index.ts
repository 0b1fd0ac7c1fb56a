/**
 * The wire writer (pure): the one place that writes Things Cloud's wire format. Events and groups,
 * the create and modify builders of every entity kind in the key order the native apps send, note
 * objects, and the page body. The generator, the scenario account, the fake service, `serve`, the
 * benchmarks and the tests all write through it, so their payloads cannot drift apart.
 */
export { RawNumber, jsonText, type WireValue } from './json-text.ts';
export {
  deleteEvent,
  emptyExtension,
  groupText,
  modifyEvent,
  NEW_OBJECT_KINDS,
  type WireEvent,
  type WireEventType,
  type WireGroupEntry,
  type WireNumber,
  type WirePayload,
} from './event.ts';
export { pageBodyText, type PageEnvelope } from './page-body.ts';
export { deltaNote, fullNote, type WirePatch } from './note-objects.ts';
export { dayStampOf, scheduleFields, type ScheduleFields, type When } from './schedule.ts';
export {
  NATIVE_TASK_KEYS,
  nativeTaskPayload,
  sdkTaskPayload,
  taskCreate,
  taskModify,
  type NativeTaskKey,
  type TaskCreateFields,
  type TaskKeys,
} from './task.ts';
export {
  areaCreate,
  areaModify,
  checklistItemCreate,
  checklistItemModify,
  tagCreate,
  tagModify,
  tombstoneCreate,
} from './entities.ts';
