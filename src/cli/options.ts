/**
 * Option definitions that check their value while the command line is parsed: a bad value is a
 * usage error (exit 2, with the command's usage) before the command runs or opens anything.
 * Values are declared as strings and read here, so a message can quote what was typed.
 */
import type { Options } from 'yargs';
import { isValidTimeZone, requireCivilDate } from '../engine/index.ts';
import type { CivilDate } from '../protocol/types.ts';
import { UsageError } from './usage-error.ts';

/** The longest timer Node keeps (2^31 − 1 ms); a longer one fires at once. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** The highest TCP port. */
export const MAX_PORT = 65535;

/**
 * An option whose value its `coerce` reads: yargs infers the argument's type `T` from it (and
 * `T | undefined` unless the option has a default or `demandOption`).
 */
export type CoercedOption<T> = Options & { readonly coerce: (value: unknown) => T };

/** A {@link CoercedOption} with a default: the argument always has a value. */
export type DefaultedOption<T> = CoercedOption<T> & {
  readonly default: string | number | boolean | readonly unknown[];
};

/** Bounds of {@link wholeNumber}. */
export interface WholeNumberBounds {
  readonly min?: number;
  readonly max?: number;
}

/** Reads a whole number given on the command line, or throws a usage error naming `flag`. */
export function parseWholeNumber(
  value: unknown,
  flag: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: WholeNumberBounds = {},
): number {
  const text = single(value, flag);
  const number = typeof text === 'number' ? text : /^\s*$/.test(text) ? Number.NaN : Number(text);
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${flag}: expected a whole number ${range}, got ${shown(text)}`);
  }
  return number;
}

/** Reads a number given on the command line (finite, within bounds), or throws a usage error. */
export function parseNumber(
  value: unknown,
  flag: string,
  { min, max, what }: { readonly min: number; readonly max: number; readonly what: string },
): number {
  const text = single(value, flag);
  const number = typeof text === 'number' ? text : /^\s*$/.test(text) ? Number.NaN : Number(text);
  if (!Number.isFinite(number) || number < min || number > max) {
    throw new UsageError(`${flag}: expected ${what}, got ${shown(text)}`);
  }
  return number;
}

/** A whole-number option (`--limit N`). */
export function wholeNumberOption(
  flag: string,
  describe: string,
  bounds: WholeNumberBounds = {},
): CoercedOption<number> {
  return {
    type: 'string',
    requiresArg: true,
    describe,
    coerce: (value: unknown) => parseWholeNumber(value, flag, bounds),
  };
}

/** `--timeout SECONDS`: greater than 0, at most what a Node timer can wait. */
export function timeoutOption(defaultSeconds: number): DefaultedOption<number> {
  return {
    type: 'string',
    requiresArg: true,
    default: defaultSeconds,
    describe: 'Seconds to wait for one response',
    coerce: (value: unknown) => {
      const seconds = parseNumber(value, '--timeout', {
        min: Number.MIN_VALUE,
        max: MAX_TIMEOUT_SECONDS,
        what: `seconds greater than 0 and at most ${MAX_TIMEOUT_SECONDS}`,
      });
      return seconds;
    },
  };
}

/** `--rate N`: requests per second at most, 0 for no limit. */
export function rateOption(describe: string): DefaultedOption<number> {
  return {
    type: 'string',
    requiresArg: true,
    default: 1,
    describe,
    coerce: (value: unknown) =>
      parseNumber(value, '--rate', {
        min: 0,
        max: 1_000_000,
        what: 'requests per second from 0 (no limit) to 1000000',
      }),
  };
}

/** `--port N`: 0 (any free port) to 65535. */
export function portOption(describe: string): CoercedOption<number> {
  return wholeNumberOption('--port', describe, { min: 0, max: MAX_PORT });
}

/** Checks an `http://` or `https://` URL given as `flag`. */
export function parseHttpUrl(value: unknown, flag: string): string {
  const text = String(single(value, flag));
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(
      `${flag}: expected an http:// or https:// URL, got ${JSON.stringify(text)}`,
    );
  }
  return text;
}

/** An option whose value is an http(s) URL (`--base-url`). */
export function httpUrlOption(flag: string, describe: string): CoercedOption<string>;
export function httpUrlOption(
  flag: string,
  describe: string,
  defaultUrl: string,
): DefaultedOption<string>;
export function httpUrlOption(
  flag: string,
  describe: string,
  defaultUrl?: string,
): CoercedOption<string> {
  return {
    type: 'string',
    requiresArg: true,
    describe,
    ...(defaultUrl === undefined ? {} : { default: defaultUrl }),
    coerce: (value: unknown) => parseHttpUrl(value, flag),
  };
}

/** An IANA time zone option (`--tz`, `--time-zone`). */
export function timeZoneOption(flag: string, describe: string): CoercedOption<string>;
export function timeZoneOption(
  flag: string,
  describe: string,
  defaultZone: string,
): DefaultedOption<string>;
export function timeZoneOption(
  flag: string,
  describe: string,
  defaultZone?: string,
): CoercedOption<string> {
  return {
    type: 'string',
    requiresArg: true,
    describe,
    ...(defaultZone === undefined ? {} : { default: defaultZone }),
    coerce: (value: unknown) => {
      const zone = String(single(value, flag));
      if (!isValidTimeZone(zone)) {
        throw new UsageError(
          `${flag}: unknown time zone ${JSON.stringify(zone)}; expected an IANA name such as Europe/Berlin or America/New_York`,
        );
      }
      return zone;
    },
  };
}

/** A `YYYY-MM-DD` option (`--today`, `--start`). */
export function dateOption(flag: string, describe: string): CoercedOption<CivilDate>;
export function dateOption(
  flag: string,
  describe: string,
  defaultDate: string,
): DefaultedOption<CivilDate>;
export function dateOption(
  flag: string,
  describe: string,
  defaultDate?: string,
): CoercedOption<CivilDate> {
  return {
    type: 'string',
    requiresArg: true,
    describe,
    ...(defaultDate === undefined ? {} : { default: defaultDate }),
    coerce: (value: unknown) => parseDate(String(single(value, flag)), flag),
  };
}

/** Validates a `YYYY-MM-DD` flag value. */
export function parseDate(value: string, flag: string): CivilDate {
  try {
    return requireCivilDate(value, flag);
  } catch {
    throw new UsageError(`${flag}: expected a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
}

/** A string option given once (yargs makes an array of a repeated flag). */
export function stringOption(flag: string, describe: string): CoercedOption<string> {
  return {
    type: 'string',
    requiresArg: true,
    describe,
    coerce: (value: unknown) => String(single(value, flag)),
  };
}

function single(value: unknown, flag: string): string | number {
  if (Array.isArray(value)) {
    throw new UsageError(`${flag}: given ${value.length} times; give it once`);
  }
  if (typeof value === 'number') return value;
  return String(value);
}

function shown(value: string | number): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}
