/**
 * A small WebDriver BiDi client for Firefox (Debian's `firefox-esr` speaks it natively; Playwright
 * drives only its own patched Firefox builds, which this machine cannot download). Enough for a
 * test: navigate, evaluate an expression, read console entries and JavaScript errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One open Firefox with one tab. */
export interface BidiFirefox {
  /** Loads `url` and waits for its load event. */
  navigate(url: string): Promise<void>;
  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  evaluate<T>(expression: string): Promise<T>;
  /** Console entries and errors logged so far: `[level, text]`. */
  readonly log: readonly (readonly [string, string])[];
  close(): Promise<void>;
}

interface Message {
  readonly id?: number;
  readonly type?: string;
  readonly method?: string;
  readonly params?: { readonly level?: string; readonly text?: string };
  readonly result?: unknown;
  readonly error?: string;
  readonly message?: string;
}

/** Starts headless Firefox on a free loopback port with a fresh profile. */
export async function launchFirefox(executable: string): Promise<BidiFirefox> {
  const profile = await mkdtemp(join(tmpdir(), 'thingstape-firefox-'));
  const child: ChildProcess = spawn(
    executable,
    ['--headless', '--remote-debugging-port=0', '--profile', profile, '--no-remote'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  try {
    return await connect(child, profile);
  } catch (error) {
    child.kill();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

async function connect(child: ChildProcess, profile: string): Promise<BidiFirefox> {
  const address = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`firefox did not start: ${text}`)), 300_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(text);
      if (found?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`firefox exited ${code}: ${text}`)));
  });
  const socket = new WebSocket(`${address.replace(/\/$/, '')}/session`);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let next = 0;
  const waiting = new Map<number, (message: Message) => void>();
  const log: [string, string][] = [];
  socket.addEventListener('message', (event: { readonly data: unknown }) => {
    const message = JSON.parse(typeof event.data === 'string' ? event.data : '{}') as Message;
    if (message.id !== undefined) waiting.get(message.id)?.(message);
    else if (message.method === 'log.entryAdded') {
      log.push([message.params?.level ?? '?', message.params?.text ?? '']);
    }
  });
  const send = async (method: string, params: object): Promise<Message> => {
    next += 1;
    const id = next;
    const reply = new Promise<Message>((resolve) => waiting.set(id, resolve));
    socket.send(JSON.stringify({ id, method, params }));
    const message = await reply;
    waiting.delete(id);
    if (message.type === 'error')
      throw new Error(`${method}: ${message.error}: ${message.message}`);
    return message;
  };
  await send('session.new', { capabilities: {} });
  await send('session.subscribe', { events: ['log.entryAdded'] });
  const tree = (await send('browsingContext.getTree', {})).result as {
    contexts: { context: string }[];
  };
  const context = tree.contexts[0]?.context ?? '';
  await send('browsingContext.setViewport', { context, viewport: { width: 1200, height: 820 } });
  return {
    log,
    navigate: async (url) => {
      await send('browsingContext.navigate', { context, url, wait: 'complete' });
    },
    evaluate: async <T>(expression: string): Promise<T> => {
      const reply = (await send('script.evaluate', {
        expression: `JSON.stringify(${expression})`,
        target: { context },
        awaitPromise: true,
      })) as Message & { result: { type: string; result?: { value?: string } } };
      if (reply.result.type !== 'success') {
        throw new Error(`Cannot evaluate ${expression}: ${JSON.stringify(reply.result)}`);
      }
      return JSON.parse(reply.result.result?.value ?? 'null') as T;
    },
    close: async () => {
      try {
        await send('session.end', {});
      } catch {
        // Firefox may close the session as it ends: nothing more to do.
      }
      socket.close();
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(profile, { recursive: true, force: true });
    },
  };
}
