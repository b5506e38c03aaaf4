/**
 * The options every admin command shares: where the server is, how to authenticate, how long
 * to wait, which profile, and `--json`. Each setting is taken, first found, from its flag, its
 * DOCKET_* environment variable, the chosen profile (profiles.ts), then the default:
 * flags > environment > profile > defaults. A token and a token file at the same level are a
 * usage error; a higher level's one wins over a lower level's.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { parseDuration } from './duration.ts';
import { UsageError } from './errors.ts';
import { createAdminClient, type AdminClient } from './http-client.ts';
import { PROFILE_ENV, checkPrivate, chooseProfile, profilesPath, readProfiles, type Profile } from './profiles.ts';

export const DEFAULT_URL = 'http://127.0.0.1:8080';
export const DEFAULT_TIMEOUT = '30s';

export interface ClientFlags {
  readonly url?: string;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly caFile?: string;
  readonly timeout?: string;
  readonly profile?: string;
  readonly json?: boolean;
}

export function addClientOptions(command: Command): Command {
  return command
    .option('--url <url>', `server URL (env DOCKET_URL; default ${DEFAULT_URL})`)
    .option('--token <token>', 'API token sent as a Bearer token (env DOCKET_TOKEN)')
    .option('--token-file <file>', 'read the API token from this file, mode 0600 (env DOCKET_TOKEN_FILE)')
    .option('--ca-file <file>', "PEM CA certificate to trust for the server's TLS certificate (env DOCKET_CA_FILE)")
    .option('--timeout <duration>', `request timeout, such as 10s (env DOCKET_TIMEOUT; default ${DEFAULT_TIMEOUT})`)
    .option('--profile <name>', `settings from this profile of the CLI config file (env ${PROFILE_ENV})`)
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

/** The settings a client command runs with, from flags, environment, profile and defaults. */
export interface ClientSettings {
  readonly url: string;
  readonly token: string | undefined;
  /** PEM text of the CA to trust. */
  readonly ca: string | undefined;
  readonly timeout: string;
}

function given(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

function readSecretFile(path: string, what: string): string {
  const file = expandHome(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  checkPrivate(file, what);
  if (text === '') throw new UsageError(`${what} ${file} is empty`);
  return text;
}

interface TokenSource {
  readonly token: string | undefined;
  readonly tokenFile: string | undefined;
  readonly where: string;
}

function tokenOf(levels: readonly TokenSource[]): string | undefined {
  for (const { token, tokenFile, where } of levels) {
    if (token !== undefined && tokenFile !== undefined) {
      throw new UsageError(`${where}: give a token or a token file, not both`);
    }
    if (token !== undefined) return token;
    if (tokenFile !== undefined) return readSecretFile(tokenFile, 'token file');
  }
  return undefined;
}

function caOf(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const file = expandHome(path);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the CA file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** flags > environment > profile > defaults, for each setting. */
export function resolveClientSettings(flags: ClientFlags, env: NodeJS.ProcessEnv): ClientSettings {
  const path = profilesPath(env);
  const name = given(flags.profile) ?? given(env[PROFILE_ENV]);
  const profile: Profile = chooseProfile(readProfiles(path), name, path) ?? {};
  const pick = (flag: string | undefined, envName: string, key: keyof Profile): string | undefined =>
    given(flag) ?? given(env[envName]) ?? profile[key];
  return {
    url: pick(flags.url, 'DOCKET_URL', 'url') ?? DEFAULT_URL,
    token: tokenOf([
      { token: given(flags.token), tokenFile: given(flags.tokenFile), where: '--token and --token-file' },
      {
        token: given(env['DOCKET_TOKEN']),
        tokenFile: given(env['DOCKET_TOKEN_FILE']),
        where: 'DOCKET_TOKEN and DOCKET_TOKEN_FILE',
      },
      { token: profile.token, tokenFile: profile.tokenFile, where: `profile ${name ?? 'default'}` },
    ]),
    ca: caOf(pick(flags.caFile, 'DOCKET_CA_FILE', 'caFile')),
    timeout: pick(flags.timeout, 'DOCKET_TIMEOUT', 'timeout') ?? DEFAULT_TIMEOUT,
  };
}

export function clientFrom(flags: ClientFlags, env: NodeJS.ProcessEnv = process.env): AdminClient {
  const settings = resolveClientSettings(flags, env);
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    throw new UsageError(`--url: expected an http(s) URL, got ${JSON.stringify(settings.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--url: expected an http(s) URL, got ${JSON.stringify(settings.url)}`);
  return createAdminClient({
    url: settings.url,
    token: settings.token,
    ca: settings.ca,
    timeoutMs: durationFlag('timeout', settings.timeout) ?? 30_000,
  });
}
