import { describe, expect, it } from 'vitest';
import { HARNESS_ERROR_CODES } from '../../../src/harness/index.ts';
import { SANITIZERS, sanitize, type Aftermath } from '../../../src/harness/sanitizers.ts';

const clean: Aftermath = {
  threw: false,
  pendingOps: 0,
  pendingRequests: 0,
  runningSteps: 0,
  networkAttempts: [],
  misses: [],
  unused: [],
  unsafeWrites: [],
  openStores: [],
};

const allOn = { requests: true, ops: true, resources: true, secrets: true };

/** An aftermath in which every sanitizer finds something. */
const messy: Aftermath = {
  threw: false,
  pendingOps: 1,
  pendingRequests: 2,
  runningSteps: 1,
  networkAttempts: ['https://example.com'],
  misses: [
    {
      request: { method: 'GET', url: '/x' },
      message: 'no recording for GET /x',
      nearest: null,
      diffs: [],
    },
  ],
  unused: [
    { index: 0, request: { method: 'GET', url: '/y', response: { status: 200, headers: {} } } },
  ],
  unsafeWrites: [
    {
      code: 'SOME_RULE',
      severity: 'error',
      message: 'breaks a rule',
    } as unknown as Aftermath['unsafeWrites'][number],
  ],
  openStores: ['file:///tmp/extra-1.db'],
};

describe('SANITIZERS', () => {
  it('keys each sanitizer by a harness error code', () => {
    for (const code of Object.keys(SANITIZERS)) expect(HARNESS_ERROR_CODES).toContain(code);
  });
});

describe('sanitize()', () => {
  it('finds nothing in a scenario that left nothing behind', () => {
    expect(sanitize(clean, allOn)).toEqual([]);
  });

  it('reports every sanitizer that finds something, in the order of the table', () => {
    const failures = sanitize(messy, allOn);
    expect(failures.map((f) => f.code)).toEqual([
      'REQUEST_IN_FLIGHT',
      'STEP_LEAK',
      'NET_NOT_ALLOWED',
      'UNMATCHED_REQUEST',
      'UNUSED_RECORDING',
      'UNSAFE_WRITE',
      'HANDLE_LEAK',
    ]);
    expect(failures[0]?.message).toMatch(/^1 operation\(s\) and 2 request\(s\) were still running/);
    expect(failures[4]?.message).toMatch(/^1 recorded request\(s\) were not made: #1 GET \/y\./);
    expect(failures[6]?.message).toContain('file:///tmp/extra-1.db');
  });

  it('leaves out the sanitizers a scenario switched off; the network and write guards stay on', () => {
    const off = { requests: false, ops: false, resources: false, secrets: false };
    expect(sanitize(messy, off).map((f) => f.code)).toEqual(['NET_NOT_ALLOWED', 'UNSAFE_WRITE']);
  });

  it('does not judge the requests of a scenario that threw', () => {
    const codes = sanitize({ ...messy, threw: true }, allOn).map((f) => f.code);
    expect(codes).not.toContain('UNMATCHED_REQUEST');
    expect(codes).not.toContain('UNUSED_RECORDING');
    expect(codes).toContain('HANDLE_LEAK');
  });
});
