import { describe, expect, it } from 'vitest';
import {
  isHarnessError,
  parseShuffle,
  resolveRunSettings,
  shuffle,
} from '../../../src/harness/index.ts';

const creds = { THINGS_USERNAME: 'someone@example.com', THINGS_PASSWORD: 'not-a-real-password' };

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isHarnessError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('resolveRunSettings()', () => {
  it('replays by default and reads credentials from the environment', () => {
    expect(resolveRunSettings({}, creds)).toEqual({
      mode: 'replay',
      allowNet: false,
      update: false,
      ci: false,
      credentials: { email: 'someone@example.com', password: 'not-a-real-password' },
    });
    expect(resolveRunSettings({}, { THINGSTAPE_MODE: 'record-missing' }).mode).toBe(
      'record-missing',
    );
  });

  it('forces replay in CI: recording or updating snapshots there is refused', () => {
    expect(resolveRunSettings({}, { CI: 'true' }).ci).toBe(true);
    expect(resolveRunSettings({}, { CI: 'false' }).ci).toBe(false);
    expect(
      code(() => resolveRunSettings({ mode: 'record', allowNet: true }, { ...creds, CI: '1' })),
    ).toBe('INVALID_OPTIONS');
    expect(code(() => resolveRunSettings({ mode: 'record-missing' }, { CI: '1' }))).toBe(
      'INVALID_OPTIONS',
    );
    expect(code(() => resolveRunSettings({ update: true }, { CI: '1' }))).toBe('INVALID_OPTIONS');
  });

  it('needs --allow-net and credentials to record, and a valid mode and base URL', () => {
    expect(code(() => resolveRunSettings({ mode: 'record' }, creds))).toBe('INVALID_OPTIONS');
    expect(code(() => resolveRunSettings({ mode: 'record', allowNet: true }, {}))).toBe(
      'INVALID_OPTIONS',
    );
    expect(code(() => resolveRunSettings({ mode: 'rerecord' }, {}))).toBe('INVALID_OPTIONS');
    expect(code(() => resolveRunSettings({ baseUrl: 'ftp://x' }, {}))).toBe('INVALID_OPTIONS');
    expect(
      resolveRunSettings({ mode: 'record', allowNet: true, baseUrl: 'http://127.0.0.1:5/' }, creds)
        .baseUrl,
    ).toBe('http://127.0.0.1:5');
  });
});

describe('shuffle() and parseShuffle()', () => {
  it('gives the same order for the same seed and another for another seed', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(shuffle(items, 42)).toEqual(shuffle(items, 42));
    expect(shuffle(items, 42)).not.toEqual(shuffle(items, 43));
    expect([...shuffle(items, 42)].sort((a, b) => a - b)).toEqual(items);
  });

  it('reads --shuffle, --shuffle=SEED and rejects text', () => {
    expect(parseShuffle(undefined)).toBeNull();
    expect(parseShuffle('', () => 1234)).toBe(1234);
    expect(parseShuffle('99')).toBe(99);
    expect(code(() => parseShuffle('abc'))).toBe('INVALID_OPTIONS');
  });
});
