/**
 * What `docket serve` turns on for access control, from its config: auth is on with `--auth`
 * or a bootstrap admin token (DOCKET_ADMIN_TOKEN or `--admin-token-file`). A server that would
 * listen on a non-loopback address without auth refuses to start (exit code 2) unless
 * `--insecure-no-auth` says so: loopback without auth stays the zero-setup default. The browser
 * policy: CORS origins from `--cors-origin`, and while bound to loopback only loopback Host names
 * and `--allowed-hosts`.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { AppAuthOptions, BrowserPolicy } from '@docket/server';
import type { ServeConfig } from './config.ts';
import { CliError, EXIT_USAGE } from './errors.ts';

export const ADMIN_TOKEN_MIN_LENGTH = 32;

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

async function adminTokenOf(config: ServeConfig): Promise<string | undefined> {
  if (config.adminToken !== undefined && config.adminTokenFile !== undefined) {
    throw new CliError('give DOCKET_ADMIN_TOKEN or --admin-token-file, not both', EXIT_USAGE);
  }
  let token = config.adminToken;
  if (config.adminTokenFile !== undefined) {
    try {
      token = (await readFile(config.adminTokenFile, 'utf8')).trim();
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new CliError(`cannot read --admin-token-file ${config.adminTokenFile}: ${why}`, EXIT_USAGE, { cause: err });
    }
  }
  if (token !== undefined && token.length < ADMIN_TOKEN_MIN_LENGTH) {
    throw new CliError(
      `the admin token is too short: use ${ADMIN_TOKEN_MIN_LENGTH} or more random characters (openssl rand -hex 32)`,
      EXIT_USAGE,
    );
  }
  return token;
}

/** The app's auth options, or undefined for auth off; throws CliError (exit 2) when refusing to start. */
export async function authOptionsOf(config: ServeConfig): Promise<AppAuthOptions | undefined> {
  const adminToken = await adminTokenOf(config);
  const enabled = config.auth || adminToken !== undefined;
  if (!enabled) {
    if (!isLoopbackHost(config.host) && !config.insecureNoAuth) {
      throw new CliError(
        `refusing to serve ${config.host} without auth: anyone who can reach it could run every queue; pass --auth (and DOCKET_ADMIN_TOKEN for a first admin token), or --insecure-no-auth to serve it open anyway`,
        EXIT_USAGE,
      );
    }
    return undefined;
  }
  const metrics = config.openMetrics
    ? 'open'
    : config.metricsToken === undefined
      ? 'auth'
      : { token: config.metricsToken };
  return { ...(adminToken === undefined ? {} : { adminToken }), metrics };
}

const list = (text: string | undefined): string[] =>
  text === undefined
    ? []
    : text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');

/** CORS origins, and the Host check while bound to loopback (any Host otherwise). */
export function browserPolicyOf(config: ServeConfig): BrowserPolicy {
  const allowedHosts = list(config.allowedHosts).map((name) => name.toLowerCase());
  return {
    corsOrigins: list(config.corsOrigin),
    allowedHosts: isLoopbackHost(config.host) ? allowedHosts : null,
  };
}
