/**
 * What the generator emits: one event `{t, e, p}`, one group (entity id → event, in key order),
 * and the compact JSON text of a group as it appears inside a page's `items`.
 */
import { toJson } from './json.ts';
import type { Payload } from './payloads.ts';

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

/** Compact JSON text of one group, exactly as it appears inside a page's `items`. */
export function groupToJson(group: GenGroup): string {
  let out = '{';
  for (let i = 0; i < group.length; i++) {
    const entry = group[i];
    if (entry === undefined) continue;
    const [id, event] = entry;
    if (i > 0) out += ',';
    out += `${JSON.stringify(id)}:{"t":${event.t},"e":${JSON.stringify(event.e)},"p":${toJson(event.p)}}`;
  }
  return out + '}';
}
