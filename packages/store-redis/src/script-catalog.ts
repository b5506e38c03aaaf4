/**
 * The Lua scripts of the store: one file per script in `scripts/`, each with a header naming its
 * KEYS and ARGV. Shared functions live in `scripts/includes/`; a `-- @include <name>` line is
 * replaced by that file when the script is loaded. Sources are read and hashed once per process;
 * scripts run by EVALSHA, falling back to EVAL (which also caches the script in Redis) when the
 * server answers NOSCRIPT (after a restart or SCRIPT FLUSH). `loadAll` compiles every script on
 * the server up front, so a script that does not compile fails at migrate, not on first use.
 *
 * Every script takes exactly one key, KEYS[1] = the deployment's key base `{<prefix>}`: it routes
 * the call to the deployment's cluster slot, and every key the script touches is derived from it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { InternalError } from '@docket/protocol';

export const SCRIPTS_DIR = new URL('./scripts/', import.meta.url);

/** Every script of `scripts/` (without `.lua`); a test checks the folder holds exactly these. */
export const SCRIPT_NAMES = [
  'job-ack',
  'job-ack-many',
  'job-cancel',
  'job-delete',
  'job-delete-retained',
  'job-enqueue',
  'job-expire-due',
  'job-extend',
  'job-lease',
  'job-lease-expired',
  'job-list',
  'job-nack',
  'job-nack-many',
  'job-promote',
  'job-promote-due',
  'job-retry',
  'queue-configure',
  'queue-count-failures',
  'queue-delete',
  'queue-groups',
  'queue-list',
  'queue-purge',
  'queue-redrive',
  'queue-set-paused',
  'queue-stats',
  'schedule-delete',
  'schedule-due',
  'schedule-fire',
  'schedule-list',
  'schedule-put',
  'schema-migrate',
  'token-revoke',
  'token-touch',
  'worker-list',
  'worker-seen',
] as const;

export type ScriptName = (typeof SCRIPT_NAMES)[number];

interface Script {
  readonly source: string;
  readonly sha: string;
}

const INCLUDE_LINE = /^-- @include ([a-z-]+)$/gm;

function readScript(name: string): string {
  return readFileSync(new URL(`${name}.lua`, SCRIPTS_DIR), 'utf8');
}

/** The script with its includes expanded (includes do not include others). */
export function scriptSource(name: ScriptName): string {
  return readScript(name).replace(INCLUDE_LINE, (_, include: string) => readScript(`includes/${include}`).trimEnd());
}

let scripts: ReadonlyMap<ScriptName, Script> | null = null;

function catalog(): ReadonlyMap<ScriptName, Script> {
  scripts ??= new Map(
    SCRIPT_NAMES.map((name) => {
      const source = scriptSource(name);
      return [name, { source, sha: createHash('sha1').update(source).digest('hex') }];
    }),
  );
  return scripts;
}

function script(name: ScriptName): Script {
  const found = catalog().get(name);
  if (found === undefined) throw new InternalError(`unknown redis script ${name}`);
  return found;
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

/** Runs a script with KEYS[1] = `base` and the given ARGV. */
export async function runScript(
  client: Redis,
  name: ScriptName,
  base: string,
  args: readonly string[],
): Promise<unknown> {
  const { sha, source } = script(name);
  try {
    return await client.evalsha(sha, 1, base, ...args);
  } catch (err) {
    if (!isNoScript(err)) throw err;
    return client.eval(source, 1, base, ...args);
  }
}

/** Compiles every script on the server (SCRIPT LOAD), so later calls hit EVALSHA. */
export async function loadAll(client: Redis): Promise<void> {
  for (const { source, sha } of catalog().values()) {
    const loaded = await client.script('LOAD', source);
    if (loaded !== sha) throw new InternalError(`redis hashed a script to ${String(loaded)}, expected ${sha}`);
  }
}
