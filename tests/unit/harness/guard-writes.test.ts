/**
 * Every write the scenario account makes, checked by the write guard on the state of everything
 * committed before it: the harness writes to real accounts, so its payloads must pass with no
 * violation at all (errors or warnings).
 */
import { describe, expect, it } from 'vitest';
import { GuardLedger } from '../../../src/engine/index.ts';
import {
  ScenarioAccount,
  ScenarioClock,
  SeededIds,
  type WireWrite,
} from '../../../src/harness/index.ts';
import { checkCommit, type GuardViolation } from '../../../src/protocol/index.ts';

/** An account whose commits are checked and then folded into the guard's state. */
function checkedAccount(): {
  account: ScenarioAccount;
  violations: GuardViolation[];
  commits: number;
} {
  const ledger = new GuardLedger({ complete: true });
  const result = {
    violations: [] as GuardViolation[],
    commits: 0,
    account: undefined as unknown as ScenarioAccount,
  };
  const clock = new ScenarioClock(1_767_268_800, 'Europe/Berlin');
  result.account = new ScenarioAccount(
    (group: Readonly<Record<string, WireWrite>>) => {
      const body = JSON.parse(JSON.stringify(group)) as Record<string, unknown>;
      result.violations.push(...checkCommit(body, ledger).violations);
      ledger.applyWire([body], result.commits);
      result.commits += 1;
      return Promise.resolve(result.commits - 1);
    },
    clock,
    new SeededIds('guard-writes'),
  );
  return result;
}

describe('ScenarioAccount writes through the guard', () => {
  it('passes every kind of write with no violation', async () => {
    const run = checkedAccount();
    const a = run.account;
    const area = await a.createArea({ title: 'Home' });
    const parent = await a.createTag({ title: 'Work' });
    const tag = await a.createTag({ title: 'Calls', parent, shortcut: '1' });
    await a.setAreaTags(area, [tag]);
    await a.editTag(tag, { parent: null, shortcut: null });
    const project = await a.createProject({ title: 'Garden', area, notes: 'Before spring' });
    const someday = await a.createProject({
      title: 'Boat',
      when: 'someday',
      deadline: '2026-03-01',
    });
    const heading = await a.createHeading(project, 'Soil');
    const inbox = await a.createTodo({
      title: 'Pay rent',
      notes: 'Café ☕',
      checklist: ['a', 'b'],
    });
    const today = await a.createTodo({ title: 'Call', when: 'today', tags: [tag, parent] });
    await a.createTodo({ title: 'Read', when: 'evening' });
    await a.createTodo({ title: 'Trip', when: '2026-02-10', deadline: '2026-02-12' });
    const inProject = await a.createTodo({ title: 'Dig', project });
    await a.createTodo({ title: 'Compost', heading });
    const inArea = await a.createTodo({ title: 'Tidy', area });
    const item = await a.createChecklistItem(inbox, 'c');
    await a.edit(inbox, { title: 'Pay the rent', notes: 'Now', deadline: null, tags: [tag] });
    await a.edit(inbox, { project });
    await a.edit(inbox, { heading });
    await a.edit(inbox, { area });
    await a.edit(inbox, { project: null, area: null, when: 'anytime' });
    await a.edit(today, { when: 'someday' });
    await a.edit(today, { when: '2026-03-01' });
    await a.edit(inProject, { when: 'inbox' });
    await a.edit(inArea, { area: null });
    for (const id of [area, tag, item, someday]) await a.rename(id, 'Renamed');
    await a.complete(today);
    await a.reopen(today);
    await a.cancel(item);
    await a.complete(someday);
    await a.trash(inArea);
    await a.restore(inArea);
    await a.delete(item);
    await a.delete(today, { by: 'event' });
    await a.delete(someday);
    expect(run.violations.map((v) => v.message)).toEqual([]);
    expect(run.commits).toBeGreaterThan(30);
  });
});
