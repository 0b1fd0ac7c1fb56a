/** The machine a run is measured on: CPU, memory, OS, Node and the libSQL drivers' versions. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { dirname, join } from 'node:path';
import { SQLD_BINARY, hasSqld } from '../tools/sqld.ts';
import type { MachineInfo } from './types.ts';

function packageVersion(name: string): string {
  // Packages whose `exports` hide package.json: walk up from the entry point instead.
  try {
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve(name));
    while (dir !== dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (json.name === name && json.version !== undefined) return json.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

/** CPU, memory, Node and driver versions of this machine. */
export function machineInfo(): MachineInfo {
  let sqld: string | null = null;
  if (hasSqld()) {
    try {
      sqld = execFileSync(SQLD_BINARY, ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      sqld = 'unknown';
    }
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    os: `${osType()} ${release()}`,
    node: process.version,
    libsqlClient: packageVersion('@libsql/client'),
    libsqlNative: packageVersion('libsql'),
    sqld,
  };
}
