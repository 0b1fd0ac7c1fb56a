/**
 * What the generator emits: one event `{t, e, p}` and one group (entity id → event, in key
 * order). The text of a group in a page is the wire writer's (`groupText` in `src/protocol`).
 */
import type { Payload } from './payload-builders.ts';

/** One generated event `{t, e, p}`. */
export interface GenEvent {
  readonly t: 0 | 1 | 2;
  readonly e: string;
  readonly p: Payload;
}

/** One generated group: entity id → event, in key order. */
export type GenGroup = readonly (readonly [string, GenEvent])[];

/** One entry of a group under construction. */
export type GenEntry = readonly [string, GenEvent];

/** An event; `t` is 0 (create), 1 (modify) or 2 (delete). */
export function ev(t: 0 | 1 | 2, e: string, p: Payload): GenEvent {
  return { t, e, p };
}
