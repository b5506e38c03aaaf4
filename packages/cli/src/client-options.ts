/**
 * The options every admin command shares: where the server is, how to authenticate, how long
 * to wait, and `--json`. Each flag also reads its DOCKET_* environment variable.
 */
import { Option, type Command } from 'commander';
import { parseDuration } from './duration.ts';
import { UsageError } from './errors.ts';
import { createAdminClient, type AdminClient } from './http-client.ts';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export interface ClientFlags {
  readonly url: string;
  readonly token?: string;
  readonly timeout: string;
  readonly json?: boolean;
}

export function addClientOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'server URL').env('DOCKET_URL').default(DEFAULT_URL))
    .addOption(new Option('--token <token>', 'API token sent as a Bearer token').env('DOCKET_TOKEN'))
    .addOption(new Option('--timeout <duration>', 'request timeout, such as 10s').env('DOCKET_TIMEOUT').default('30s'))
    .option('--json', 'print JSON instead of a table');
}

/** Reads a duration flag; a bad one is a usage error (exit code 2). */
export function durationFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined)
    throw new UsageError(`--${name}: expected a duration such as 500ms, 10s or 5m, got ${JSON.stringify(value)}`);
  return ms;
}

/** Reads an integer flag within bounds; a bad one is a usage error. */
export function integerFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function clientFrom(flags: ClientFlags): AdminClient {
  let url: URL;
  try {
    url = new URL(flags.url);
  } catch {
    throw new UsageError(`--url: expected an http(s) URL, got ${JSON.stringify(flags.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--url: expected an http(s) URL, got ${JSON.stringify(flags.url)}`);
  return createAdminClient({
    url: flags.url,
    token: flags.token,
    timeoutMs: durationFlag('timeout', flags.timeout) ?? 30_000,
  });
}
