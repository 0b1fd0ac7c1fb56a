/**
 * A scenario that writes a commit which would poison a real account fails, in record mode against
 * the fake and in replay, and the fake's history stays as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeThingsCloud, type CommitGuardOptions } from '../../../src/fake/index.ts';
import type { GuardSetting, ScenarioFn } from '../../../src/harness/index.ts';
import { mswHandler } from '../../../src/serve/index.ts';
import { ACCOUNT, define, record, replay, scratch } from './support.ts';

let tmp: Awaited<ReturnType<typeof scratch>>;
beforeEach(async () => {
  tmp = await scratch();
});
afterEach(async () => {
  await tmp.remove();
});

/** Creates a to-do, then commits a note whose checksum is wrong (spec 16.1: every client crashes). */
const poisoning: ScenarioFn = async (t) => {
  const account = t.account();
  const todo = await account.createTodo({ title: 'Fine' });
  await account.commit({
    [todo]: { t: 1, e: 'Task6', p: { nt: { _t: 'tx', ch: 1, v: 'boom', t: 1 }, md: t.now } },
  });
};

function fakeWith(guard?: CommitGuardOptions) {
  const fake = new FakeThingsCloud({ account: ACCOUNT, ...(guard === undefined ? {} : { guard }) });
  const handle = mswHandler(fake.handlers(), fake.baseUrl);
  const upstream = (input: string | URL | Request, init?: RequestInit) =>
    handle(new Request(input, init));
  return { fake, upstream };
}

function scenario(name: string, guard?: GuardSetting) {
  return define(
    tmp.file('poison.scenario.ts'),
    name,
    poisoning,
    guard === undefined ? {} : { guard },
  );
}

describe('the write guard in scenarios', () => {
  it('refuses the commit before it is sent when recording, and the fake keeps its history', async () => {
    const { fake, upstream } = fakeWith();
    const report = await record([scenario('refused')], { upstream });
    expect(report.scenarios[0]).toMatchObject({
      status: 'failed',
      recorded: false,
      error: { code: 'UNSAFE_WRITE' },
    });
    expect(report.scenarios[0]?.error?.message).toContain('NOTE_CHECKSUM');
    expect(report.scenarios[0]?.error?.message).toContain('p.nt.ch');
    expect(fake.head).toBe(1);
    expect(fake.requests.filter((r) => r.endpoint === 'commit')).toHaveLength(1);
  });

  it("fails on the fake's own guard (HTTP 422) when the scenario turned its guard off", async () => {
    const { fake, upstream } = fakeWith();
    const report = await record([scenario('fake refuses', 'off')], { upstream });
    expect(report.scenarios[0]).toMatchObject({ status: 'failed', recorded: false });
    expect(report.scenarios[0]?.error?.message).toContain('422');
    expect(fake.head).toBe(1);
    expect(fake.guarded).toMatchObject([
      { verdict: 'rejected', violations: [{ code: 'NOTE_CHECKSUM', path: 'p.nt.ch' }] },
    ]);
  });

  it('sends it in report mode and fails the scenario with the violations at its end', async () => {
    const { fake, upstream } = fakeWith({ mode: 'report' });
    const report = await record([scenario('reported', 'report')], { upstream });
    expect(report.scenarios[0]).toMatchObject({
      status: 'failed',
      recorded: false,
      sanitizers: [{ code: 'UNSAFE_WRITE' }],
    });
    expect(report.scenarios[0]?.error).toBeUndefined();
    expect(fake.head).toBe(2);
    expect(fake.guarded).toMatchObject([{ verdict: 'accepted' }]);
  });

  it('refuses it in replay, before the cassette is asked', async () => {
    // A cassette recorded with every guard off (as against the real service, which accepts it).
    const { fake, upstream } = fakeWith({ mode: 'off' });
    const recorded = await record([scenario('replayed', 'off')], { upstream });
    expect(recorded.scenarios[0]).toMatchObject({ status: 'passed', recorded: true });
    expect(fake.head).toBe(2);
    const replayed = await replay([scenario('replayed')]);
    expect(replayed.scenarios[0]).toMatchObject({
      status: 'failed',
      mode: 'replay',
      error: { code: 'UNSAFE_WRITE' },
    });
  });

  it('says which option is wrong when a rule code is unknown', async () => {
    const report = await replay([scenario('bad option', { ignore: ['NOPE'] })]);
    expect(report.scenarios[0]?.error).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(report.scenarios[0]?.error?.message).toContain('"NOPE"');
  });
});
