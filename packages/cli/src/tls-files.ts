/**
 * Reads the TLS certificate and key files named by `--tls-cert` and `--tls-key` at start-up and
 * checks that they form a usable pair, so a bad file stops `docket serve` with one clear line
 * per problem (exit code 2) before the store is opened, never at the first handshake.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { TlsMaterial } from '@docket/server';
import type { ServeConfig } from './config.ts';
import { ConfigError } from './errors.ts';

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function readPem(key: 'tlsCert' | 'tlsKey', path: string, problems: string[]): Promise<string | null> {
  try {
    return await readFile(resolve(path), 'utf8');
  } catch (err) {
    problems.push(`${key}: cannot read ${resolve(path)}: ${reason(err)}`);
    return null;
  }
}

/** Undefined without TLS settings; throws ConfigError when a file is unreadable or the pair unusable. */
export async function loadTlsMaterial(
  config: Pick<ServeConfig, 'tlsCert' | 'tlsKey'>,
): Promise<TlsMaterial | undefined> {
  if (config.tlsCert === undefined || config.tlsKey === undefined) return undefined;
  const problems: string[] = [];
  const cert = await readPem('tlsCert', config.tlsCert, problems);
  const key = await readPem('tlsKey', config.tlsKey, problems);
  if (cert === null || key === null) throw new ConfigError(problems);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new ConfigError([
      `tlsCert: ${config.tlsCert} and ${config.tlsKey} are not a PEM certificate and its private key: ${reason(err)}`,
    ]);
  }
  return { cert, key };
}
