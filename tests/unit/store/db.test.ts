import { afterAll, describe, expect, it } from 'vitest';
import { openDb, redactUrl, urlKind } from '../../../src/store/db.ts';
import { isStoreError } from '../../../src/store/errors.ts';
import type { StoreError } from '../../../src/store/errors.ts';
import { freePort } from '../../support/sqld.ts';
import { FAILING_STATEMENT, fileBackend } from '../../support/db.ts';

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (isStoreError(error)) return error;
    throw error;
  }
  throw new Error('expected a StoreError, got success');
}

describe('urlKind()', () => {
  it('tells memory, file and remote URLs apart', () => {
    expect(urlKind(':memory:')).toBe('memory');
    expect(urlKind('file:thingstape.db')).toBe('file');
    expect(urlKind('file:///tmp/x.db')).toBe('file');
    expect(urlKind('http://127.0.0.1:8080')).toBe('remote');
    expect(urlKind('libsql://db.example.turso.io')).toBe('remote');
  });

  it('rejects other schemes with INVALID_URL', () => {
    expect(() => urlKind('postgres://x')).toThrow(expect.objectContaining({ code: 'INVALID_URL' }));
  });
});

describe('redactUrl()', () => {
  it('removes an auth token and user info from remote URLs', () => {
    expect(redactUrl('libsql://db.example.io?authToken=secret&tls=0')).toBe(
      'libsql://db.example.io?tls=0',
    );
    expect(redactUrl('https://user:pw@db.example.io/')).toBe('https://db.example.io/');
    expect(redactUrl('file:a.db')).toBe('file:a.db');
  });
});

describe('openDb()', () => {
  const files = fileBackend();
  afterAll(() => files.cleanup());

  it('puts a file database in WAL mode', async () => {
    const db = await openDb(await files.url());
    const result = await db.execute('PRAGMA journal_mode');
    expect(result.rows[0]).toEqual({ journal_mode: 'wal' });
    db.close();
  });

  it('reads integers as numbers, also beyond 2^53', async () => {
    const db = await openDb(':memory:');
    await db.execute('CREATE TABLE t (i INTEGER, r REAL)');
    await db.execute({ sql: 'INSERT INTO t VALUES (?, ?)', args: [2 ** 60, 7] });
    const result = await db.execute('SELECT i, r, typeof(i) AS ti, COUNT(*) AS n FROM t');
    expect(result.rows[0]).toEqual({ i: 2 ** 60, r: 7, ti: 'integer', n: 1 });
    db.close();
  });

  it('rolls a failing write batch back and names the statement', async () => {
    const db = await openDb(':memory:');
    await db.execute('CREATE TABLE t (x)');
    const error = await rejection(
      db.batch(
        ['INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (2)', FAILING_STATEMENT],
        'write',
      ),
    );
    expect(error.code).toBe('WRITE_FAILED');
    expect(error.statementIndex).toBe(2);
    expect(error.driverCode).toMatch(/^SQLITE_/);
    expect(error.cause).toBeInstanceOf(Error);
    expect((await db.execute('SELECT COUNT(*) AS n FROM t')).rows[0]).toEqual({ n: 0 });
    db.close();
  });

  it('maps a THINGSTAPE_<CODE> trigger abort to that code', async () => {
    const db = await openDb(':memory:');
    await db.batch(
      [
        'CREATE TABLE t (x)',
        "CREATE TRIGGER g BEFORE INSERT ON t BEGIN SELECT RAISE(ABORT, 'THINGSTAPE_CURSOR_MISMATCH'); END",
      ],
      'write',
    );
    const error = await rejection(db.batch(['INSERT INTO t VALUES (1)'], 'write'));
    expect(error.code).toBe('CURSOR_MISMATCH');
    expect(error.statementIndex).toBe(0);
    db.close();
  });

  it('reports QUERY_FAILED for a bad statement and CLOSED after close', async () => {
    const db = await openDb(':memory:');
    expect((await rejection(db.execute('SELECT * FROM nowhere'))).code).toBe('QUERY_FAILED');
    db.close();
    expect((await rejection(db.execute('SELECT 1'))).code).toBe('CLOSED');
  });

  it('fails with CONNECT_FAILED when no server listens', async () => {
    const port = await freePort();
    const error = await rejection(
      openDb(`http://127.0.0.1:${port}`, { authToken: 'not-a-real-token' }),
    );
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.message).not.toContain('not-a-real-token');
  });

  it('fails with INVALID_URL for parameters the driver does not accept', async () => {
    expect((await rejection(openDb('libsql://127.0.0.1:1?foo=bar'))).code).toBe('INVALID_URL');
  });
});
