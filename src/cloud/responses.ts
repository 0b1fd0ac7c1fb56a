/**
 * Reading the client's response bodies: what one request brought back ({@link Exchange}), the JSON
 * objects the account and history endpoints answer with, and a page's envelope as the recorder
 * checks it; a body of the wrong shape is a CloudError INVALID_RESPONSE.
 */
import { CloudError } from './errors.ts';
import type { PageEnvelope } from './types.ts';

/** What one request brought back. */
export interface Exchange {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  readonly json: unknown;
  readonly attempts: number;
  readonly durationMs: number;
}

export function requireObject(
  exchange: Omit<Exchange, 'attempts'>,
  what: string,
): Record<string, unknown> {
  const json = exchange.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid(exchange, what, 'the body is not a JSON object');
  }
  return json as Record<string, unknown>;
}

export function invalid(
  exchange: Omit<Exchange, 'attempts'>,
  what: string,
  reason: string,
): CloudError {
  return new CloudError('INVALID_RESPONSE', `Cannot ${what}: ${reason}`, {
    status: exchange.status,
  });
}

export function readEnvelope(exchange: Exchange, what: string): PageEnvelope {
  const json = requireObject(exchange, what);
  const items = json['items'];
  if (!Array.isArray(items)) throw invalid(exchange, what, '"items" is not an array');
  const current = json['current-item-index'];
  if (!isIndex(current)) {
    throw invalid(exchange, what, '"current-item-index" is not a non-negative integer');
  }
  let entities = 0;
  for (const group of items as unknown[]) {
    if (typeof group === 'object' && group !== null && !Array.isArray(group)) {
      entities += Object.keys(group).length;
    }
  }
  return {
    groups: items.length,
    entities,
    currentItemIndex: current,
    schema: numberOrNull(json['schema'] ?? json['latest-schema-version']),
    startTotalContentSize: numberOrNull(json['start-total-content-size']),
    endTotalContentSize: numberOrNull(json['end-total-content-size']),
    latestTotalContentSize: numberOrNull(json['latest-total-content-size']),
  };
}

export function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
