import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isSameDatabase,
  openDb,
  redactUrl,
  STATEMENT_CACHE_SIZE,
  urlKind,
} from '../../../src/store/db.ts';
import { scrubCredentials } from '../../../src/errors.ts';
import { isStoreError } from '../../../src/store/errors.ts';
import type { StoreError } from '../../../src/store/errors.ts';
import { freePort } from '../../../tools/sqld.ts';
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

  it('opens a file by every file: URL form, relative ones against the working directory', async () => {
    const url = await files.url();
    const path = fileURLToPath(url);
    const first = await openDb(url);
    await first.execute('CREATE TABLE t (x)');
    await first.execute({ sql: 'INSERT INTO t VALUES (?)', args: ['one file'] });
    first.close();
    const forms = [
      `file:${path}`,
      `file://${path}`,
      `file://localhost${path}`,
      `file:${relative(process.cwd(), path)}`,
    ];
    const seen: Record<string, unknown> = {};
    for (const form of forms) {
      const db = await openDb(form);
      seen[form] = (await db.execute('SELECT x FROM t')).rows;
      db.close();
    }
    expect(seen).toEqual(Object.fromEntries(forms.map((form) => [form, [{ x: 'one file' }]])));
  });

  it('rejects a file: URL with a host or a query parameter the driver does not know', async () => {
    expect((await rejection(openDb('file://host/x.db'))).code).toBe('INVALID_URL');
    expect((await rejection(openDb('file:x.db?mode=ro'))).code).toBe('INVALID_URL');
    expect((await rejection(openDb('file:'))).code).toBe('INVALID_URL');
  });

  it('fails with CONNECT_FAILED when the file cannot be opened', async () => {
    const dir = fileURLToPath(await files.url()).replace(/\.sqlite$/, '-dir');
    await mkdir(dir);
    try {
      const error = await rejection(openDb(`file:${join(dir, 'missing', 'x.db')}`));
      expect(error.code).toBe('CONNECT_FAILED');
      expect(error.message).toContain('missing');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('keeps answering correctly when more statement shapes run than the cache holds', async () => {
    const db = await openDb(':memory:');
    await db.execute('CREATE TABLE t (k INTEGER PRIMARY KEY, v)');
    const shapes = STATEMENT_CACHE_SIZE + 10;
    for (let round = 0; round < 2; round += 1) {
      for (let n = 1; n <= shapes; n += 1) {
        const sql = `INSERT INTO t (k, v) VALUES ${Array.from({ length: n }, () => '(?, ?)').join(', ')} ON CONFLICT (k) DO UPDATE SET v = excluded.v`;
        const args = Array.from({ length: n }, (_, i) => [
          n * 1000 + i,
          `${round}:${n}:${i}`,
        ]).flat();
        expect((await db.execute({ sql, args })).rowsAffected).toBe(n);
      }
    }
    const check = await db.execute({
      sql: 'SELECT v FROM t WHERE k = ?',
      args: [shapes * 1000 + 3],
    });
    expect(check.rows).toEqual([{ v: `1:${shapes}:3` }]);
    const count = await db.execute('SELECT COUNT(*) AS n FROM t');
    expect(count.rows[0]).toEqual({ n: (shapes * (shapes + 1)) / 2 });
    db.close();
  });

  it('reads blobs as their own bytes and reports changed rows', async () => {
    const db = await openDb(':memory:');
    await db.execute('CREATE TABLE t (b BLOB)');
    const bytes = new Uint8Array([0, 1, 254, 255]);
    expect(
      (await db.execute({ sql: 'INSERT INTO t VALUES (?), (?)', args: [bytes, null] }))
        .rowsAffected,
    ).toBe(2);
    const result = await db.execute('SELECT b FROM t ORDER BY b IS NULL');
    const blob = result.rows[0]?.['b'];
    expect(blob).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(blob as ArrayBuffer)]).toEqual([0, 1, 254, 255]);
    expect(result.rows[1]).toEqual({ b: null });
    expect((await rejection(db.execute({ sql: 'SELECT ?', args: [Number.NaN] }))).code).toBe(
      'QUERY_FAILED',
    );
    db.close();
  });

  it('reports BUSY when another connection holds the write lock, and recovers after it', async () => {
    const url = await files.url();
    const a = await openDb(url);
    const b = await openDb(url);
    await a.execute('CREATE TABLE t (x)');
    await a.execute('BEGIN IMMEDIATE');
    try {
      await b.execute('PRAGMA busy_timeout = 1');
      const error = await rejection(b.batch(['INSERT INTO t VALUES (1)'], 'write'));
      expect(error.code).toBe('BUSY');
      expect(error.driverCode).toBe('SQLITE_BUSY');
      // A busy statement outside a batch is left unfinished by SQLite; it must not block b later.
      expect((await rejection(b.execute('INSERT INTO t VALUES (1)'))).code).toBe('BUSY');
    } finally {
      await a.execute('ROLLBACK');
    }
    await b.batch(['INSERT INTO t VALUES (2)'], 'write');
    expect((await a.execute('SELECT x FROM t')).rows).toEqual([{ x: 2 }]);
    a.close();
    b.close();
  });
});

describe('isSameDatabase()', () => {
  it('tells one file by any spelling or hard link, and two files apart', async () => {
    const backend = fileBackend();
    try {
      const url = await backend.url();
      const path = fileURLToPath(url);
      await writeFile(path, '');
      const linked = `${path}.link`;
      await link(path, linked);
      expect(await isSameDatabase(url, `file:${path}`)).toBe(true);
      expect(await isSameDatabase(url, `file:${relative(process.cwd(), path)}`)).toBe(true);
      expect(await isSameDatabase(url, `file:${linked}`)).toBe(true);
      expect(await isSameDatabase(url, await backend.url())).toBe(false);
      expect(await isSameDatabase(':memory:', ':memory:')).toBe(false);
      expect(await isSameDatabase(url, ':memory:')).toBe(false);
    } finally {
      await backend.cleanup();
    }
  });

  it('tells one server by any scheme, credentials and parameters aside', async () => {
    expect(await isSameDatabase('http://127.0.0.1:8080', 'libsql://127.0.0.1:8080?tls=0')).toBe(
      true,
    );
    expect(await isSameDatabase('https://db.example.io', 'libsql://db.example.io')).toBe(true);
    expect(
      await isSameDatabase('wss://u:p@db.example.io/', 'https://db.example.io?authToken=x'),
    ).toBe(true);
    expect(await isSameDatabase('http://127.0.0.1:8080', 'http://127.0.0.1:8081')).toBe(false);
    expect(await isSameDatabase('https://a.example.io', 'https://b.example.io')).toBe(false);
  });
});

describe('credentials in database URLs', () => {
  it.each([
    'http://user:hunter2@127.0.0.1:1',
    'libsql://user:hunter2@127.0.0.1:1?tls=0',
    'https://:hunter2@db.example.io',
  ])('openDb() refuses %s with INVALID_URL and never prints the password', async (url) => {
    const error = await rejection(openDb(url));
    expect(error.code).toBe('INVALID_URL');
    expect(error.message).toMatch(
      /the URL holds a user name or password, which libSQL does not use/,
    );
    expect(error.message).not.toContain('hunter2');
  });

  it("refuses user info in a replica's sync URL too", async () => {
    const error = await rejection(
      openDb('file:replica.db', { syncUrl: 'http://user:hunter2@127.0.0.1:1' }),
    );
    expect(error.code).toBe('INVALID_URL');
    expect(error.message).not.toContain('hunter2');
  });

  it('scrubCredentials() takes user info and tokens out of any URL in a text', () => {
    expect(
      scrubCredentials(
        'Request cannot be constructed from a URL that includes credentials: http://user:hunter2@127.0.0.1:1/v2/pipeline; also wss://a@b.io/x?authToken=t0k3n&tls=1',
      ),
    ).toBe(
      'Request cannot be constructed from a URL that includes credentials: http://127.0.0.1:1/v2/pipeline; also wss://b.io/x?authToken=REDACTED&tls=1',
    );
  });
});
