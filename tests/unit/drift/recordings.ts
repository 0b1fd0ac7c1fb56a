/** Small recordings (fixture directories) for the drift tests, written the recorder's way. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FixtureWriter } from '../../../src/fixture/node.ts';
import { taskCreate } from '../../../src/protocol/index.ts';

/** One native to-do create (harness writer) under a deterministic id. */
export function todo(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `Kd5u6PEbkZ7qGDTvY4y${'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'[n % 48] ?? 'A'}${'ABCDEFGHJK'[Math.floor(n / 48) % 10] ?? 'A'}i`;
  const event = taskCreate({
    type: 0,
    title: `To-do ${n}`,
    schedule: { st: 0, sr: null, tir: null, sb: 0 },
    index: n + 1,
    createdAt: 1_767_268_800.5 + n,
  });
  return { [id]: { ...event, p: { ...event.p, ...overrides } } };
}

/** A side file of one response, as the recorder writes `pages/<N>.meta.json`. */
export interface Side {
  readonly file: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers?: Record<string, string>;
}

/** Writes a one-page recording of `groups` (schema `schema`) with side files into `dir`. */
export async function recording(
  dir: string,
  groups: readonly unknown[],
  options: { readonly schema?: number; readonly sides?: readonly Side[] } = {},
): Promise<string> {
  const writer = await FixtureWriter.create(dir);
  const body = JSON.stringify({
    items: groups,
    'current-item-index': groups.length,
    schema: options.schema ?? 301,
  });
  await writer.writePage(0, new TextEncoder().encode(body), groups.length);
  writer.setMeta({
    recordedAt: '2026-03-01T10:00:00Z',
    timeZone: 'UTC',
    source: { kind: 'recorded', description: 'A drift test recording.' },
  });
  await writer.finish();
  const sides = options.sides ?? [
    {
      file: 'pages/000000000.meta.json',
      method: 'GET',
      url: 'https://cloud.culturedcode.com/version/1/history/history-key-redacted/items?start-index=0',
      status: 200,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    },
  ];
  for (const side of sides) {
    await writeFile(
      join(dir, side.file),
      JSON.stringify({
        request: { method: side.method, url: side.url },
        response: { status: side.status, headers: side.headers ?? {} },
      }),
    );
  }
  return dir;
}
