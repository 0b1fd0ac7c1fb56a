import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  FakeHistory,
  FakeThingsCloud,
  FaultSchedule,
  generatedGroups,
  splitPageGroups,
} from '../../../src/fake/index.ts';
import { generatePages, resolveGenOptions, summarizeHistory } from '../../../src/gen/index.ts';

const BASE = 'http://things.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('splitPageGroups()', () => {
  it('returns each group verbatim, number text and key order included', () => {
    const text =
      '{ "schema": 301, "items" : [ {"b":{"t":0,"e":"Task6","p":{"sp":1770713623.4716659,"tt":"a]}\\"["}}} ,{}, {"a":{"t":2,"e":"Tag4","p":null}}], "current-item-index": 3 }';
    expect(splitPageGroups(text)).toEqual([
      '{"b":{"t":0,"e":"Task6","p":{"sp":1770713623.4716659,"tt":"a]}\\"["}}}',
      '{}',
      '{"a":{"t":2,"e":"Tag4","p":null}}',
    ]);
  });

  it('rejects a body without an items array', () => {
    expect(() => splitPageGroups('{"current-item-index":0}')).toThrow('no "items" array');
  });
});

describe('FakeHistory.page()', () => {
  it('serves byte-identical pages to the generator when paged the same way', () => {
    const options = resolveGenOptions({ items: 800, seed: 'fake-pages', pageGroups: 64 });
    const history = new FakeHistory(generatedGroups({ items: 800, seed: 'fake-pages' }));
    for (const page of generatePages(options, summarizeHistory(options))) {
      expect(history.page(page.startIndex, { pageGroups: 64 })).toEqual({
        text: page.text,
        groups: page.groups,
      });
    }
  });

  it('caps pages by bytes but always serves at least one group, and an empty page at the head', () => {
    const history = new FakeHistory(['{"a":1}', '{"bb":22}', '{"c":3}']);
    expect(history.page(0, { pageGroups: 10, pageBytes: 12 }).groups).toBe(1);
    expect(history.page(0, { pageGroups: 10, pageBytes: 16 }).groups).toBe(2);
    expect(history.page(0, { pageGroups: 10, pageBytes: 1 }).groups).toBe(1);
    expect(JSON.parse(history.page(3, { pageGroups: 10 }).text)).toEqual({
      items: [],
      'current-item-index': 3,
      schema: 301,
      'start-total-content-size': 23,
      'end-total-content-size': 23,
      'latest-total-content-size': 23,
    });
    expect(() => history.page(4, { pageGroups: 10 })).toThrow(RangeError);
  });
});

describe('FaultSchedule', () => {
  it('gives the same decisions for the same seed and never more than maxConsecutive in a row', () => {
    const run = (seed: number): string[] => {
      const schedule = new FaultSchedule({ seed, probability: 0.6, maxConsecutive: 2 });
      return Array.from({ length: 300 }, (_, i) => schedule.decide(i + 1, 'items').kind);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    expect(run(5).join(',')).not.toMatch(/(?:^|,)(?!none)[a-z-]+,(?!none)[a-z-]+,(?!none)[a-z-]+/);
    expect(run(5).filter((kind) => kind !== 'none').length).toBeGreaterThan(60);
  });

  it('applies scripted faults at their request numbers and spares commits by default', () => {
    const schedule = new FaultSchedule({ probability: 1, script: { 2: 'abuse-prevention' } });
    expect(schedule.decide(1, 'commit').kind).toBe('none');
    expect(schedule.decide(2, 'commit').kind).toBe('abuse-prevention');
  });
});

describe('FakeThingsCloud', () => {
  const account = { email: 'a@example.com', password: 'p w', historyKey: 'key-1' };

  it('answers 500 beyond the head, and 404 AccountIssue after a reset', async () => {
    const fake = new FakeThingsCloud({ baseUrl: BASE, account, groups: ['{}', '{}'] });
    server.use(...fake.handlers());
    const items = (start: number): Promise<Response> =>
      fetch(`${BASE}/version/1/history/${fake.historyKey}/items?start-index=${start}`);
    expect((await items(2)).status).toBe(200);
    expect((await items(5)).status).toBe(500);
    fake.resetHistory(['{}']);
    const after = await items(5);
    expect([after.status, after.headers.get('things-response')]).toEqual([404, 'AccountIssue']);
  });

  it('answers unknown endpoints with 404 and logs every request without secrets', async () => {
    const fake = new FakeThingsCloud({ baseUrl: BASE, account });
    server.use(...fake.handlers());
    expect((await fetch(`${BASE}/version/1/account/x/own-history-keys`)).status).toBe(404);
    expect(fake.requests).toEqual([
      { n: 1, method: 'GET', endpoint: 'unknown', index: null, status: 404, fault: null },
    ]);
  });
});
