/**
 * Text from the wire as it is: a NUL character inside a title, note or shortcut, and a payload key
 * named `__proto__` (also one decoded from a page, folded and committed), read back whole on
 * `:memory:`, a `file:` database and a real sqld, and the same dump on each.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { requireCivilDate, startFold } from '../../../src/engine/index.ts';
import { decodePageText } from '../../../src/protocol/index.ts';
import { createStore, openDb, openStore, pushLedger } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { fileBackend, localBackends } from '../../support/db.ts';
import { hasSqld, startSqld } from '../../../tools/sqld.ts';
import { area, byId, checklistItem, fold, page, tag, task } from './samples.ts';

/** Entities whose free text holds NUL characters, and a payload key named `__proto__`. */
function withNul() {
  const extra = JSON.parse('{"__proto__":{"kept":true},"zz":"a\\u0000b"}') as Record<
    string,
    unknown
  >;
  return [
    task('task-nul', { title: 'Bo\u0000x', note: '\u0000 first and last \u0000', extra }),
    checklistItem('check-nul', { title: '\u0000' }),
    area('area-nul', { title: 'é\u0000ü' }),
    tag('tag-nul', { title: 'tag', shortcut: 'a\u0000' }),
  ];
}

async function commitNul(store: Store): Promise<void> {
  await store.commitPage(
    page(0, 4, fold({ entities: byId(withNul()) }), {
      meta: { historyKeyHash: 'h1', timeZone: 'Europe/Berlin', source: { fixture: 'nul' } },
    }),
  );
}

const backends = localBackends();
afterAll(async () => {
  for (const backend of backends) await backend.cleanup();
});

describe.each(backends.map((backend) => [backend.name, backend] as const))(
  'free text with NUL characters on %s',
  (_name, backend) => {
    it('reads titles, notes and shortcuts back whole, by id and by listing', async () => {
      const store = await openStore(await backend.url());
      try {
        await commitNul(store);
        const entities = withNul();
        const loaded = await store.loadEntities(entities.map((e) => e.id));
        for (const entity of entities) expect(loaded.get(entity.id)).toStrictEqual(entity);
        const listed = [];
        for await (const entity of store.entities()) listed.push(entity);
        expect(listed.find((e) => e.id === 'task-nul')).toMatchObject({ title: 'Bo\u0000x' });
      } finally {
        store.close();
      }
    });

    it('dumps the whole text and the __proto__ key', async () => {
      const store = await openStore(await backend.url());
      try {
        await commitNul(store);
        const dump = await store.dump();
        expect(dump).toContain('"title": "Bo\\u0000x"');
        expect(dump).toContain('"shortcut": "a\\u0000"');
        expect(dump).toContain('"__proto__": {\n');
      } finally {
        store.close();
      }
    });
  },
);

describe('the same history with NUL characters', () => {
  it('dumps identically on :memory: and file:', async () => {
    const file = fileBackend();
    const stores = [await openStore(':memory:'), await openStore(await file.url())];
    try {
      for (const store of stores) await commitNul(store);
      const [memory, local] = await Promise.all(stores.map((store) => store.dump()));
      expect(local).toBe(memory);
    } finally {
      for (const store of stores) store.close();
      await file.cleanup();
    }
  });
});

describe.skipIf(!hasSqld())('free text with NUL characters on sqld', () => {
  it('dumps as a local database does, also after a push from a file: database', async () => {
    const server = await startSqld();
    const file = fileBackend();
    const localUrl = await file.url();
    const local = await createStore(await openDb(localUrl));
    try {
      await commitNul(local);
      const expected = await local.dump();
      const [localDb, remoteDb] = [await openDb(localUrl), await openDb(server.url)];
      try {
        const summary = await pushLedger({ local: localDb, remote: remoteDb, now: () => 1 });
        expect(summary.complete).toBe(true);
      } finally {
        localDb.close();
        remoteDb.close();
      }
      const remote = await openStore(server.url);
      try {
        expect(await remote.dump()).toBe(expected);
        const loaded = await remote.loadEntities(['task-nul']);
        expect(loaded.get('task-nul')).toMatchObject({ title: 'Bo\u0000x' });
      } finally {
        remote.close();
      }
    } finally {
      local.close();
      await file.cleanup();
      await server.stop();
    }
  });
});

/**
 * The first page of the `repeating` fixture with a key `__proto__` added to its first to-do's
 * payload (kept in the entity's `extra`) and to the recurrence rule that replaces the to-do's rule
 * in group 4 (kept in the rule's `extra`: in the entity and in the TaskRepeatRuleChanged change).
 */
async function pageWithProtoKeys(): Promise<string> {
  const url = new URL(
    '../../../fixtures/synthetic/repeating/pages/000000000.json',
    import.meta.url,
  );
  const wire = JSON.parse(await readFile(url, 'utf8')) as {
    items: Record<string, { p: Record<string, unknown> }>[];
  };
  const created = wire.items[0]?.['U6RtszHAtDJXbiaxY8kx7c'];
  const rule = wire.items[4]?.['U6RtszHAtDJXbiaxY8kx7c']?.p['rr'];
  if (created === undefined || typeof rule !== 'object' || rule === null) {
    throw new Error('the repeating fixture no longer creates the to-do and replaces its rule');
  }
  const own = { enumerable: true, writable: true, configurable: true };
  Object.defineProperty(created.p, '__proto__', { ...own, value: { kept: 'task' } });
  Object.defineProperty(rule, '__proto__', { ...own, value: { kept: 'rule' } });
  return JSON.stringify(wire);
}

/** Decodes `text` as the page at index 0, folds it and commits it to `store`. */
async function commitDecoded(store: Store, text: string): Promise<void> {
  const decoded = decodePageText(text, { startIndex: 0 });
  const folding = startFold(new Map(), {
    timeZone: 'Europe/Berlin',
    referenceDate: requireCivilDate('2025-11-07', 'the fixture date'),
  });
  folding.fold(decoded.groups);
  await store.commitPage({
    startIndex: 0,
    endIndex: decoded.groups.length,
    head: decoded.currentItemIndex,
    schema: decoded.schema,
    result: folding.result(),
    meta: { historyKeyHash: 'h-proto', timeZone: 'Europe/Berlin', source: { fixture: 'proto' } },
  });
}

/** The own property `__proto__` of `value` (a plain member, never the prototype). */
function protoKey(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.getOwnPropertyDescriptor(value, '__proto__')?.value;
}

/** Where the dump holds the `__proto__` keys: the to-do's extra, its rule's, the change's. */
function protoKeysOf(dump: string): unknown[] {
  const parsed = JSON.parse(dump) as {
    tasks: { id: string; extra: unknown; recurrence: { extra: unknown } | null }[];
    changes: { type: string; entityId: string; payload: { new?: { extra: unknown } | null } }[];
  };
  const id = 'U6RtszHAtDJXbiaxY8kx7c';
  const todo = parsed.tasks.find((t) => t.id === id);
  const changed = parsed.changes.find(
    (c) => c.type === 'TaskRepeatRuleChanged' && c.entityId === id,
  );
  return [
    protoKey(todo?.extra),
    protoKey(todo?.recurrence?.extra),
    protoKey(changed?.payload.new?.extra),
  ];
}

const PROTO_KEYS = [{ kept: 'task' }, { kept: 'rule' }, { kept: 'rule' }];

describe('a payload key __proto__ from the wire', () => {
  it('survives decode, fold, commit and dump on :memory: and file:, with the same dump', async () => {
    const text = await pageWithProtoKeys();
    const file = fileBackend();
    const stores = [await openStore(':memory:'), await openStore(await file.url())];
    try {
      const dumps: string[] = [];
      for (const store of stores) {
        await commitDecoded(store, text);
        const changes = await store.changes();
        expect(changes.length).toBeGreaterThan(0);
        dumps.push(await store.dump());
      }
      const [memory, local] = dumps as [string, string];
      expect(protoKeysOf(memory)).toStrictEqual(PROTO_KEYS);
      expect(local).toBe(memory);
    } finally {
      for (const store of stores) store.close();
      await file.cleanup();
    }
  });

  it.skipIf(!hasSqld())(
    'survives decode, fold, commit and dump on sqld, as on :memory:',
    async () => {
      const text = await pageWithProtoKeys();
      const server = await startSqld();
      const [memory, remote] = [await openStore(':memory:'), await openStore(server.url)];
      try {
        await commitDecoded(memory, text);
        await commitDecoded(remote, text);
        const dump = await remote.dump();
        expect(protoKeysOf(dump)).toStrictEqual(PROTO_KEYS);
        expect(dump).toBe(await memory.dump());
      } finally {
        memory.close();
        remote.close();
        await server.stop();
      }
    },
  );
});
