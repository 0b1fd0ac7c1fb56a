/**
 * Text from the wire as it is: a NUL character inside a title, note or shortcut, and a payload key
 * named `__proto__`, read back whole on `:memory:`, a `file:` database and a real sqld, and the
 * same dump on each.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, openDb, openStore, pushLedger } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { fileBackend, localBackends } from '../../support/db.ts';
import { hasSqld, startSqld } from '../../support/sqld.ts';
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
