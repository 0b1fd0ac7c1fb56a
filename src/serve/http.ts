/**
 * A Fetch-style handler on a plain `node:http` server, bound to the loopback interface only. Request
 * bodies over {@link MAX_COMMIT_BYTES} are refused with 413 before they are read whole.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'msw';
import { getResponse } from 'msw/utils/get-response';
import { MAX_COMMIT_BYTES } from '../fake/wire.ts';
import type { FetchHandler } from './fixture-service.ts';

/** A running server. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and closes idle ones; resolves when the server is closed. */
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 (`port` 0 = any free port). */
export async function startServer(
  handler: FetchHandler,
  options: { readonly port?: number } = {},
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    void serve(handler, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeIdleConnections();
      }),
  };
}

async function serve(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_COMMIT_BYTES) {
      tooLarge(res);
      return;
    }
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_COMMIT_BYTES) {
        // Stop reading at the limit: a body is never held whole past it.
        tooLarge(res);
        req.destroy();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const method = req.method ?? 'GET';
    const body =
      chunks.length === 0 || method === 'GET' || method === 'HEAD' ? null : Buffer.concat(chunks);
    const request = new Request(`http://127.0.0.1${req.url ?? '/'}`, { method, headers, body });
    const response = await handler(request);
    if (response.type === 'error') {
      // A network error (fault injection): drop the connection without an answer.
      res.destroy();
      return;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      out[name] = value;
    });
    out['content-length'] = String(bytes.length);
    res.writeHead(response.status, out);
    res.end(bytes);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`thingstape serve: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** 413 with Things Cloud's error body, and the connection closed (the rest is not read). */
function tooLarge(res: ServerResponse): void {
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ IsSyncronyErrorResponse: true }));
}

/**
 * msw handlers (e.g. `FakeThingsCloud.handlers()`) as a {@link FetchHandler}: each request is
 * re-addressed to `baseUrl` (the origin the handlers answer on) and resolved without intercepting
 * anything; no handler → 404.
 */
export function mswHandler(handlers: readonly RequestHandler[], baseUrl: string): FetchHandler {
  const base = new URL(baseUrl);
  return async (request) => {
    const url = new URL(request.url);
    const target = new URL(`${url.pathname}${url.search}`, base);
    const body =
      request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
    const forwarded = new Request(target, {
      method: request.method,
      headers: request.headers,
      body,
    });
    const response = await getResponse([...handlers], forwarded);
    return response ?? new Response('no handler', { status: 404 });
  };
}
