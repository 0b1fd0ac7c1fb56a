import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../src/fixture/node.ts';
import {
  FakeThingsCloud,
  generatedGroups,
  type CommitGuardOptions,
} from '../../../src/fake/index.ts';
import {
  fixtureService,
  mswHandler,
  SERVED_HISTORY_KEY,
  type FetchHandler,
} from '../../../src/serve/index.ts';

const ACCOUNT = { email: 'guard@example.com', password: 'pw-guard-1', historyKey: 'key-guard-1' };
const TODO = 'Kd5u6PEbkZ7qGDTvY4yYNi';
const create = {
  [TODO]: {
    t: 0,
    e: 'Task6',
    p: { tp: 0, tt: 'x', ix: 0, st: 0, ss: 0, sp: null, cd: 1762076400.5, md: null },
  },
};

function post(handle: FetchHandler, base: string, key: string, ancestor: number, body: unknown) {
  return handle(
    new Request(`${base}/version/1/history/${key}/commit?ancestor-index=${ancestor}&_cnt=1`, {
      method: 'POST',
      body: JSON.stringify(body),
    }),
  );
}

function fake(guard?: CommitGuardOptions) {
  const cloud = new FakeThingsCloud({
    account: ACCOUNT,
    groups: generatedGroups({ items: 50, seed: 1 }),
    ...(guard === undefined ? {} : { guard }),
  });
  return { cloud, handle: mswHandler(cloud.handlers(), cloud.baseUrl) };
}

describe('FakeThingsCloud write guard', () => {
  it('answers a breaking commit with 422 and the violations, and appends nothing', async () => {
    const { cloud, handle } = fake();
    const head = cloud.head;
    const response = await post(handle, cloud.baseUrl, ACCOUNT.historyKey, head, create);
    expect(response.status).toBe(422);
    expect(response.headers.get('thingstape-guard')).toBe('rejected');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ IsSyncronyErrorResponse: true, error: 'UNSAFE_WRITE', errors: 2 });
    expect(body['violations']).toMatchObject([
      { code: 'CREATE_KEY_SET', entityId: TODO, path: 'p', severity: 'error' },
      {
        code: 'NON_POSITIVE_IX',
        entityId: TODO,
        path: 'p.ix',
        found: '0',
        section: '10.2, 13 #7, 16.1',
      },
    ]);
    expect(cloud.head).toBe(head);
    expect(cloud.guarded).toMatchObject([{ ancestor: head, verdict: 'rejected' }]);
  });

  it('appends it and reports it in report mode, and accepts anything when off', async () => {
    for (const mode of ['report', 'off'] as const) {
      const { cloud, handle } = fake({ mode });
      const head = cloud.head;
      const response = await post(handle, cloud.baseUrl, ACCOUNT.historyKey, head, create);
      expect(response.status).toBe(200);
      expect(cloud.head).toBe(head + 1);
      expect(cloud.guarded.length).toBe(mode === 'report' ? 1 : 0);
    }
  });

  it('judges a commit on the state of the whole history, appended groups included', async () => {
    const { cloud, handle } = fake();
    const project = '3TBG8dXkUNq6ULYvCkxWzh';
    // The first commit builds the guard's state; the append after it must reach that state too.
    expect((await post(handle, cloud.baseUrl, ACCOUNT.historyKey, cloud.head, create)).status).toBe(
      422,
    );
    cloud.append([{ [project]: { t: 0, e: 'Area3', p: { tt: 'A', ix: 1, tg: [], xx: null } } }]);
    // A to-do moved "into a project" that is an area: a warning, so the commit is accepted.
    const move = { [TODO]: { t: 1, e: 'Task6', p: { pr: [project], md: 1762076401 } } };
    const response = await post(handle, cloud.baseUrl, ACCOUNT.historyKey, cloud.head, move);
    expect(response.status).toBe(200);
    expect(cloud.guarded[1]?.violations.map((v) => v.code)).toEqual([
      'REFERENCE_KIND_MISMATCH',
      'MODIFY_MISSING_ENTITY',
    ]);
  });
});

describe('fixtureService() write guard', () => {
  it('rejects a breaking commit against a fixture and keeps its head', async () => {
    const fixture = await readFixture('fixtures/synthetic/tasks-projects-headings');
    const service = fixtureService(fixture);
    const base = 'http://127.0.0.1';
    const head = service.state().head;
    const response = await post(service.handle, base, SERVED_HISTORY_KEY, head, create);
    expect(response.status).toBe(422);
    expect(service.state()).toMatchObject({
      head,
      committed: 0,
      guarded: [{ verdict: 'rejected' }],
    });
  });
});
