import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Anonymizer, recordHistory } from '../../../recorder/index.ts';
import { FakeClock, generatedGroups } from '../../../src/fake/index.ts';
import { verifyPath } from '../../../src/fixture/verify-node.ts';
import { crc32, utf8ByteLength } from '../../../src/protocol/index.ts';
import {
  SECRETS,
  filesOf,
  replayDump,
  tempDir,
  testClient,
  testFake,
  withFake,
} from './support.ts';

const SALT = new Uint8Array(32).fill(7);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Code point → UTF-8 length, per code point, with line breaks shown. */
function layout(text: string): string {
  return Array.from(text)
    .map((c) => (c === '\n' ? 'n' : String(utf8ByteLength(c))))
    .join('');
}

describe('Anonymizer.standIn()', () => {
  it('keeps the UTF-8 byte length of every code point and the line breaks', () => {
    const anonymizer = new Anonymizer(SALT);
    const text = 'Buy milk & eggs — Café 🚀\nSecond line: 東京';
    const standIn = anonymizer.standIn(text);
    expect(standIn).not.toBe(text);
    expect(layout(standIn)).toBe(layout(text));
    expect(standIn.split('\n')).toHaveLength(2);
    expect(standIn).not.toMatch(/Buy|milk|Café|東京/);
  });

  it('is deterministic per salt and differs between salts', () => {
    const a = new Anonymizer(SALT).standIn('Call the bank about the mortgage');
    expect(new Anonymizer(SALT).standIn('Call the bank about the mortgage')).toBe(a);
    expect(
      new Anonymizer(new Uint8Array(32).fill(8)).standIn('Call the bank about the mortgage'),
    ).not.toBe(a);
    expect(new Anonymizer(SALT).standIn('')).toBe('');
  });

  it('rejects a short salt', () => {
    expect(() => new Anonymizer(new Uint8Array(8))).toThrow(RangeError);
  });
});

describe('Anonymizer.page()', () => {
  const before = 'Native Task7 note α 🚀\nSecond line.';
  const after = 'Native Task7 note α 🚀\nUpdated line.';
  const page = (events: readonly unknown[]): string =>
    JSON.stringify({
      items: events.map((event) => ({ M9CrKBjvpDP2D7uEsCtwyg: event })),
      'current-item-index': events.length,
      schema: 301,
    });

  it('rewrites full and delta notes with offsets kept and checksums recomputed', () => {
    const text = page([
      {
        t: 0,
        e: 'Task6',
        p: { tt: 'Plan trip', nt: { _t: 'tx', t: 1, ch: crc32(before), v: before } },
      },
      {
        t: 1,
        e: 'Task6',
        p: { nt: { _t: 'tx', t: 2, ps: [{ r: 'Update', p: 26, l: 5, ch: crc32(after) }] } },
      },
    ]);
    const out = JSON.parse(new Anonymizer(SALT).page(text));
    const full = out.items[0].M9CrKBjvpDP2D7uEsCtwyg.p;
    const delta = out.items[1].M9CrKBjvpDP2D7uEsCtwyg.p.nt.ps[0];
    expect(full.tt).toHaveLength('Plan trip'.length);
    expect(full.tt).not.toBe('Plan trip');
    expect(layout(full.nt.v)).toBe(layout(before));
    expect(full.nt.ch).toBe(crc32(full.nt.v));
    expect(delta).toMatchObject({ p: 26, l: 5 });
    expect(utf8ByteLength(delta.r)).toBe(6);
    const anonymizedAfter = new TextDecoder().decode(
      (() => {
        const bytes = new TextEncoder().encode(full.nt.v);
        const r = new TextEncoder().encode(delta.r);
        return new Uint8Array([...bytes.subarray(0, 26), ...r, ...bytes.subarray(31)]);
      })(),
    );
    expect(delta.ch).toBe(crc32(anonymizedAfter));
    expect(out['current-item-index']).toBe(2);
  });

  it('keeps a wrong checksum wrong', () => {
    const text = page([
      { t: 0, e: 'Task6', p: { nt: { _t: 'tx', t: 1, ch: 12345, v: before } } },
      { t: 1, e: 'Task6', p: { nt: { _t: 'tx', t: 2, ps: [{ r: 'X', p: 0, l: 1, ch: 99 }] } } },
    ]);
    const out = JSON.parse(new Anonymizer(SALT).page(text));
    const full = out.items[0].M9CrKBjvpDP2D7uEsCtwyg.p.nt;
    expect(full.ch).not.toBe(crc32(full.v));
    expect(out.items[1].M9CrKBjvpDP2D7uEsCtwyg.p.nt.ps[0].ch).not.toBe(99);
  });
});

describe('recordHistory({ anonymizeSalt })', () => {
  it('replays to the same ids, changes, anomalies and text lengths as the original', async () => {
    const temp = await tempDir();
    cleanups.push(() => temp.remove());
    const groups = [...generatedGroups({ items: 4000, seed: 'anonymize' })];
    const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z'));
    const recordInto = (dir: string, salt?: Uint8Array): Promise<unknown> =>
      withFake(testFake({ groups, pageGroups: 150 }), () =>
        recordHistory({
          dir,
          client: testClient(clock),
          email: SECRETS.email,
          password: SECRETS.password,
          timeZone: 'Europe/Berlin',
          clock: clock.now,
          ...(salt === undefined ? {} : { anonymizeSalt: salt }),
        }),
      );
    const original = join(temp.path, 'original');
    const anonymized = join(temp.path, 'anonymized');
    await recordInto(original);
    // Interrupt the anonymized recording once: notes must stay consistent across the resume.
    await withFake(testFake({ groups, pageGroups: 150 }), () =>
      recordHistory({
        dir: anonymized,
        client: testClient(clock),
        email: SECRETS.email,
        password: SECRETS.password,
        timeZone: 'Europe/Berlin',
        clock: clock.now,
        anonymizeSalt: SALT,
        maxPages: 4,
      }),
    );
    await withFake(testFake({ groups, pageGroups: 150 }), () =>
      recordHistory({
        dir: anonymized,
        client: testClient(clock),
        email: SECRETS.email,
        password: SECRETS.password,
        timeZone: 'Europe/Berlin',
        clock: clock.now,
        anonymizeSalt: new Uint8Array(32).fill(9),
        resume: true,
      }),
    );
    const manifest = JSON.parse(await readFile(join(anonymized, 'manifest.json'), 'utf8'));
    expect(manifest.anonymized).toBe(true);
    expect((await verifyPath(anonymized)).ok).toBe(true);

    const a = JSON.parse(await replayDump(original));
    const b = JSON.parse(await replayDump(anonymized));
    const shape = (change: Record<string, unknown>): unknown[] => [
      change['type'],
      change['entityType'],
      change['entityId'],
      change['serverIndex'],
      change['position'],
      change['ordinal'],
    ];
    expect(b.changes.map(shape)).toEqual(a.changes.map(shape));
    expect(b.anomalies.map((x: { code: string }) => x.code)).toEqual(
      a.anomalies.map((x: { code: string }) => x.code),
    );
    expect(b.anomalies.some((x: { code: string }) => x.code === 'NOTE_CHECKSUM_MISMATCH')).toBe(
      a.anomalies.some((x: { code: string }) => x.code === 'NOTE_CHECKSUM_MISMATCH'),
    );
    for (const table of ['tasks', 'checklistItems', 'areas', 'tags', 'tombstones']) {
      expect(b[table].map((e: { id: string }) => e.id)).toEqual(
        a[table].map((e: { id: string }) => e.id),
      );
    }
    const changedNotes = a.tasks.filter(
      (task: { note: string }, i: number) => task.note.length > 10 && b.tasks[i].note !== task.note,
    ).length;
    const longNotes = a.tasks.filter((task: { note: string }) => task.note.length > 10).length;
    a.tasks.forEach((task: { title: string; note: string }, i: number) => {
      const other = b.tasks[i] as { title: string; note: string };
      expect(utf8ByteLength(other.title)).toBe(utf8ByteLength(task.title));
      expect(layout(other.note)).toBe(layout(task.note));
    });
    expect(changedNotes).toBe(longNotes);
    expect(longNotes).toBeGreaterThan(10);

    // No original title of 8+ characters survives anywhere in the anonymized fixture.
    const titles = new Set<string>(
      [...a.tasks, ...a.checklistItems, ...a.areas, ...a.tags]
        .map((e: { title: string }) => e.title)
        .filter((t: string) => t.length >= 8),
    );
    expect(titles.size).toBeGreaterThan(20);
    for (const [file, bytes] of await filesOf(anonymized)) {
      const text = bytes.toString('utf8');
      for (const title of titles) {
        if (text.includes(JSON.stringify(title).slice(1, -1)))
          throw new Error(`${file} holds "${title}"`);
      }
    }
  });
});
