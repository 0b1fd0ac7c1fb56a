import { describe, expect, it } from 'vitest';
import { anchoredContentSizes, FakeThingsCloud } from '../../../src/fake/index.ts';
import { mswHandler } from '../../../src/serve/index.ts';

describe('anchoredContentSizes()', () => {
  it('keeps every recorded boundary and shares a page span out by group size', () => {
    const { start, ends } = anchoredContentSizes([
      { groups: ['{}', '{"a":1}'], start: 100, end: 190 },
      { groups: ['{"bb":22}'], start: 190, end: 200 },
    ]);
    expect(start).toBe(100);
    // 2 and 7 bytes share 90: 100 + round(90·2/9) = 120, then 190; the next page ends at 200.
    expect(ends).toEqual([120, 190, 200]);
  });

  it('continues by UTF-8 size where counters are missing or would run backwards', () => {
    const { start, ends } = anchoredContentSizes([
      { groups: ['{"é":1}'] },
      { groups: ['{}'], start: 3, end: 4 },
    ]);
    expect(start).toBe(0);
    expect(ends).toEqual([8, 10]);
  });
});

describe('FakeThingsCloud: endpoints besides the history', () => {
  const fake = new FakeThingsCloud({
    account: { email: 'e@example.com', password: 'pw-e-1', historyKey: 'key-e-1' },
  });
  const handle = mswHandler(fake.handlers(), fake.baseUrl);
  const call = (method: string, path: string) =>
    handle(
      new Request(`${fake.baseUrl}${path}`, {
        method,
        headers: { authorization: 'Password pw-e-1' },
      }),
    );

  it('answers own-history-keys and app-instance as the spec records them', async () => {
    const list = await call('GET', '/version/1/account/e%40example.com/own-history-keys');
    expect([list.status, list.headers.get('things-response')]).toEqual([404, 'GenericClientError']);
    const created = await call('POST', '/version/1/account/e%40example.com/own-history-keys');
    expect(await created.json()).toEqual({
      'new-history-key': '00000000-0000-4000-8000-000000000001',
    });
    expect(
      (await call('DELETE', '/version/1/account/e%40example.com/own-history-keys/x')).status,
    ).toBe(202);
    expect((await call('PUT', '/version/1/app-instance/abc')).status).toBe(200);
    expect((await call('GET', '/version/1/elsewhere')).status).toBe(404);
  });
});
