import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findSecrets } from '../../../src/fixture/redact.ts';
import { cassettePath, snapshotPath, type ScenarioFn } from '../../../src/harness/index.ts';
import { ACCOUNT, define, record, replay, scratch } from './support.ts';

let tmp: Awaited<ReturnType<typeof scratch>>;
beforeEach(async () => {
  tmp = await scratch();
});
afterEach(async () => {
  await tmp.remove();
});

/** Creates a to-do in Today, syncs, completes it, syncs; titled `title`. */
function todayThenComplete(title: string): ScenarioFn {
  return async (t) => {
    const account = t.account();
    const todo = await account.createTodo({ title, when: 'today' });
    await t.sync();
    await account.complete(todo);
    await t.sync();
    t.assertChanges([{ type: 'TaskCompleted', entityId: todo }]);
    await t.assertList('logbook', [title]);
  };
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

describe('runScenarios() in record and replay', () => {
  it('records a cassette of fixture pages and requests, then replays it without the network', async () => {
    const file = tmp.file('milk.scenario.ts');
    const recorded = await record([define(file, 'buy milk', todayThenComplete('Buy milk'))]);
    expect(recorded.scenarios[0]).toMatchObject({
      status: 'passed',
      mode: 'record',
      recorded: true,
      requests: 10,
    });
    const dir = cassettePath(file, 'buy milk');
    expect(dir).toBe(join(tmp.dir, 'milk.scenario.cassette', 'buy-milk'));
    const names = (await files(dir)).map((f) => f.slice(dir.length + 1));
    expect(names).toEqual([
      'manifest.json',
      'pages/000000000.json',
      'pages/000000001.json',
      'requests.json',
    ]);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      recordedAt: '2026-03-02T08:30:00.000Z',
      timeZone: 'Europe/Berlin',
      source: { kind: 'scenario' },
    });

    const replayed = await replay([define(file, 'buy milk', todayThenComplete('Buy milk'))]);
    expect(replayed.scenarios[0]).toMatchObject({
      status: 'passed',
      mode: 'replay',
      sanitizers: [],
      requests: 10,
    });
  });

  it('keeps the e-mail, password and history key out of every cassette file', async () => {
    const file = tmp.file('secrets.scenario.ts');
    await record([define(file, 'clean', todayThenComplete('Nothing secret'))]);
    for (const path of await files(tmp.dir)) {
      const text = await readFile(path, 'utf8');
      const found = findSecrets(text, [ACCOUNT.email, ACCOUNT.password, ACCOUNT.historyKey]);
      expect({ path, found }).toEqual({ path, found: [] });
    }
    const requests = await readFile(join(cassettePath(file, 'clean'), 'requests.json'), 'utf8');
    expect(requests).toContain(
      '/version/1/history/history-key-redacted/commit?ancestor-index=0&_cnt=1',
    );
    expect(requests).toContain('/version/1/account/redacted');
  });

  it('fails the secret sanitizer and writes nothing when a payload holds the password', async () => {
    const file = tmp.file('leak.scenario.ts');
    const report = await record([
      define(file, 'leaky', todayThenComplete(`pw ${ACCOUNT.password}`)),
    ]);
    expect(report.scenarios[0]?.status).toBe('failed');
    expect(report.scenarios[0]?.sanitizers.map((s) => s.code)).toEqual(['SECRET_WRITTEN']);
    expect(report.scenarios[0]?.sanitizers[0]?.message).not.toContain(ACCOUNT.password);
    await expect(stat(cassettePath(file, 'leaky'))).rejects.toThrow(/ENOENT/);
    await expect(readdir(tmp.dir)).resolves.toEqual([]);
  });

  it('fails a request without a recording with the closest recorded request and a field diff', async () => {
    const file = tmp.file('diff.scenario.ts');
    await record([define(file, 'milk', todayThenComplete('Buy milk'))]);
    const report = await replay([define(file, 'milk', todayThenComplete('Buy oat milk'))]);
    const result = report.scenarios[0];
    expect(result?.status).toBe('failed');
    expect(result?.error?.code).toBe('NO_RECORDING');
    const message = result?.error?.message ?? '';
    expect(message).toContain(
      'No recording for POST /version/1/history/<key>/commit?ancestor-index=0&_cnt=1',
    );
    expect(message).toContain(
      'Closest recorded request: #3 of 10, POST /version/1/history/<key>/commit?ancestor-index=0&_cnt=1',
    );
    expect(message).toMatch(
      /body\["[1-9A-HJ-NP-Za-km-z]{22}"\]\.p\.tt: recorded "Buy milk", actual "Buy oat milk"/,
    );
    // The only difference is the title: nothing else is listed.
    expect(message.split('\n').filter((line) => line.startsWith('  body'))).toHaveLength(1);
  });

  it('fails the requests sanitizer when recorded requests go unused', async () => {
    const file = tmp.file('unused.scenario.ts');
    await record([define(file, 'milk', todayThenComplete('Buy milk'))]);
    const shorter: ScenarioFn = async (t) => {
      await t.account().createTodo({ title: 'Buy milk', when: 'today' });
      await t.sync();
    };
    const report = await replay([define(file, 'milk', shorter)]);
    const result = report.scenarios[0];
    expect(result?.error).toBeUndefined();
    expect(result?.status).toBe('failed');
    expect(result?.sanitizers.map((s) => s.code)).toEqual(['UNUSED_RECORDING']);
    expect(result?.sanitizers[0]?.message).toContain(
      '4 recorded request(s) were not made: #7 POST /version/1/history/<key>/commit?ancestor-index=1&_cnt=1',
    );
  });

  it('replays the same ids and instants as were recorded (seeded ids, cassette clock)', async () => {
    const file = tmp.file('ids.scenario.ts');
    const seen: string[] = [];
    const fn: ScenarioFn = async (t) => {
      const id = await t.account().createTodo({ title: 'x' });
      seen.push(`${id} ${t.now} ${t.today}`);
      await t.sync();
    };
    await record([define(file, 'ids', fn, {}, false)], {
      wallClock: () => Date.UTC(2026, 0, 5, 23, 30, 10, 900),
    });
    const report = await replay([define(file, 'ids', fn, {}, false)]);
    expect(report.scenarios[0]?.status).toBe('passed');
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[0]).toMatch(/^[1-9A-HJ-NP-Za-km-z]{22} 1767655811 2026-01-06$/);
  });

  it('fails a scenario whose cassette is missing, naming the way to record it', async () => {
    const report = await replay([
      define(tmp.file('none.scenario.ts'), 'never recorded', todayThenComplete('x')),
    ]);
    expect(report.scenarios[0]?.error?.code).toBe('NO_RECORDING');
    expect(report.scenarios[0]?.error?.message).toContain('the scenario has no cassette');
    expect(report.scenarios[0]?.error?.message).toContain('--mode record-missing --allow-net');
  });

  it('records only scenarios without a cassette in record-missing mode', async () => {
    const file = tmp.file('missing.scenario.ts');
    await record([define(file, 'first', todayThenComplete('One'))]);
    const report = await record(
      [
        define(file, 'first', todayThenComplete('One')),
        define(file, 'second', todayThenComplete('Two')),
      ],
      { mode: 'record-missing' },
    );
    expect(report.scenarios.map((s) => [s.name, s.mode, s.status, s.recorded])).toEqual([
      ['first', 'replay', 'passed', false],
      ['second', 'record', 'passed', true],
    ]);
  });

  it('refuses to record without --allow-net', async () => {
    const report = await record(
      [define(tmp.file('net.scenario.ts'), 'net', todayThenComplete('x'))],
      { mode: 'record-missing', allowNet: false },
    );
    expect(report.scenarios[0]?.error?.code).toBe('NET_NOT_ALLOWED');
  });
});

describe('sanitizers', () => {
  it('reports a store opened with t.openStore() and never closed', async () => {
    const report = await replay([
      define(tmp.file('leak.scenario.ts'), 'leaks a store', async (t) => {
        await t.openStore();
        const closed = await t.openStore();
        expect((await closed.syncState()).cursor).toBe(0);
        closed.close();
      }),
    ]);
    expect(report.scenarios[0]?.sanitizers.map((s) => s.code)).toEqual(['HANDLE_LEAK']);
    expect(report.scenarios[0]?.sanitizers[0]?.message).toContain('1 database(s)');
  });

  it('reports a request still in flight when the scenario ends', async () => {
    const file = tmp.file('flight.scenario.ts');
    await record([define(file, 'flight', async (t) => void (await t.sync()))]);
    const report = await replay([
      define(file, 'flight', (t) => {
        void t.sync();
      }),
    ]);
    expect(report.scenarios[0]?.sanitizers.map((s) => s.code)).toContain('REQUEST_IN_FLIGHT');
  });

  it('refuses network access in replay', async () => {
    const report = await replay([
      define(tmp.file('net.scenario.ts'), 'fetches', async () => {
        await fetch('http://127.0.0.1:9/').catch(() => undefined);
      }),
    ]);
    expect(report.scenarios[0]?.sanitizers.map((s) => s.code)).toEqual(['NET_NOT_ALLOWED']);
  });

  it('can be switched off per scenario', async () => {
    const report = await replay([
      define(
        tmp.file('off.scenario.ts'),
        'leaks on purpose',
        async (t) => void (await t.openStore()),
        {
          sanitize: { resources: false },
        },
      ),
    ]);
    expect(report.scenarios[0]?.status).toBe('passed');
  });
});

describe('steps and assertions', () => {
  it('reports nested steps as a tree and fails the step that threw', async () => {
    const report = await replay([
      define(tmp.file('steps.scenario.ts'), 'steps', async (t) => {
        await t.step('outer', async () => {
          await t.step('inner ok', () => undefined);
          await t.step('inner bad', () => t.assertEquals({ a: 1 }, { a: 2 }, 'a'));
        });
      }),
    ]);
    const result = report.scenarios[0];
    expect(result?.error).toMatchObject({
      code: 'ASSERTION_FAILED',
      message: 'a:\n  a: expected 2, actual 1',
    });
    expect(
      result?.steps.map((s) => [s.name, s.status, s.steps.map((i) => [i.name, i.status])]),
    ).toEqual([
      [
        'outer',
        'failed',
        [
          ['inner ok', 'passed'],
          ['inner bad', 'failed'],
        ],
      ],
    ]);
  });

  it('assertChanges names the change that does not match and the field', async () => {
    const file = tmp.file('changes.scenario.ts');
    const fn: ScenarioFn = async (t) => {
      await t.account().createTodo({ title: 'A', when: 'someday' });
      await t.sync();
      t.assertChanges([
        { type: 'TaskCreated', payload: { snapshot: { schedule: { list: 'today' } } } },
      ]);
    };
    await record([
      define(file, 'c', async (t) => {
        await t.account().createTodo({ title: 'A', when: 'someday' });
        await t.sync();
      }),
    ]);
    const report = await replay([define(file, 'c', fn)]);
    expect(report.scenarios[0]?.error?.code).toBe('ASSERTION_FAILED');
    expect(report.scenarios[0]?.error?.message).toContain(
      'payload.snapshot.schedule.list: expected "today", actual "someday"',
    );
  });
});

describe('t.assertSnapshot()', () => {
  const snap =
    (value: unknown): ScenarioFn =>
    async (t) => {
      await t.assertSnapshot(value);
    };

  it('writes a missing snapshot locally, compares it afterwards and replaces it with --update', async () => {
    const file = tmp.file('snap.scenario.ts');
    const first = await replay([define(file, 's', snap({ n: 1, day: '2026-03-03' }))], {
      ci: false,
    });
    expect(first.snapshots).toEqual({ added: 1, updated: 0 });
    expect(JSON.parse(await readFile(snapshotPath(file), 'utf8'))).toEqual({
      's 1': { day: '<today+1>', n: 1 },
    });

    const same = await replay([define(file, 's', snap({ n: 1, day: '2026-03-03' }))]);
    expect(same.scenarios[0]?.status).toBe('passed');

    const changed = await replay([define(file, 's', snap({ n: 2, day: '2026-03-03' }))]);
    expect(changed.scenarios[0]?.error?.code).toBe('SNAPSHOT_MISMATCH');
    expect(changed.scenarios[0]?.error?.message).toContain('n: stored 1, actual 2');

    const updated = await replay([define(file, 's', snap({ n: 2, day: '2026-03-03' }))], {
      ci: false,
      update: true,
    });
    expect(updated.snapshots).toEqual({ added: 0, updated: 1 });
    expect(JSON.parse(await readFile(snapshotPath(file), 'utf8'))).toEqual({
      's 1': { day: '<today+1>', n: 2 },
    });
  });

  it('never writes a snapshot in CI', async () => {
    const file = tmp.file('ci.scenario.ts');
    const report = await replay([define(file, 's', snap(1))]);
    expect(report.scenarios[0]?.error?.code).toBe('SNAPSHOT_MISSING');
    await expect(stat(snapshotPath(file))).rejects.toThrow(/ENOENT/);
  });
});
