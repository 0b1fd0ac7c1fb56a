/**
 * What the commands that talk to Things Cloud (`record`, `sync`, `drift`) share: the credentials
 * from the environment, the client built from `--base-url`, `--rate` and `--timeout`, and the
 * retry line it prints.
 */
import { RecorderError } from '../../recorder/index.ts';
import { CloudClient, THINGS_CLOUD_URL, type RetryEvent } from '../cloud/index.ts';
import { httpUrlOption } from './options.ts';
import type { CliIo } from './io.ts';
import type { ProgressLine } from './progress.ts';

/** The client options of a command that talks to Things Cloud. */
export interface CloudArgs {
  readonly baseUrl: string;
  /** Requests per second at most (0 = no limit). */
  readonly rate: number;
  /** Seconds a request may take. */
  readonly timeout: number;
}

/** `--base-url`: the service to talk to, Things Cloud unless pointed at a fake or local server. */
export function baseUrlOption(): ReturnType<typeof httpUrlOption> {
  return httpUrlOption(
    '--base-url',
    'Things Cloud base URL (point it at a fake or local server)',
    THINGS_CLOUD_URL,
  );
}

/** A client for `args`, printing each retry above the progress line. */
export function cloudClientOf(args: CloudArgs, progress: ProgressLine): CloudClient {
  return new CloudClient({
    baseUrl: args.baseUrl,
    timeoutMs: args.timeout * 1000,
    minIntervalMs: args.rate === 0 ? 0 : 1000 / args.rate,
    onRetry: (event) => progress.stderr(retryLine(event)),
  });
}

/** Credentials from THINGS_USERNAME / THINGS_PASSWORD only (never flags: they end up in shell history). */
export function credentialsFrom(io: CliIo): { email: string; password: string } {
  const email = io.env['THINGS_USERNAME'];
  const password = io.env['THINGS_PASSWORD'];
  if (email === undefined || email === '' || password === undefined || password === '') {
    throw new RecorderError(
      'MISSING_CREDENTIALS',
      'Cannot sign in to Things Cloud: set THINGS_USERNAME and THINGS_PASSWORD in the environment (credentials are never accepted as flags)',
    );
  }
  return { email, password };
}

/** A retry line for standard error; it names no secret. */
export function retryLine(event: RetryEvent): string {
  return `retrying ${event.what} in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt} failed: ${event.error.code}${event.error.status === null ? '' : ` ${event.error.status}`})\n`;
}
