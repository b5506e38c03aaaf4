/**
 * Server settings under which "acked means durable" does not hold, as human warnings for the
 * start-up log: `fsync=off` (a crash can corrupt the database) and `synchronous_commit=off` (a
 * crash loses the last commits, which Docket already acknowledged).
 */
import pg from 'pg';
import { CONNECT_TIMEOUT_MS } from './pool.ts';
import { libpqConfig } from './libpq-defaults.ts';

interface Setting {
  readonly name: 'fsync' | 'synchronous_commit';
  readonly unsafe: string;
  readonly warning: string;
}

const SETTINGS: readonly Setting[] = [
  {
    name: 'fsync',
    unsafe: 'off',
    warning:
      'postgres runs with fsync=off: a crash or power loss can corrupt the database and lose acknowledged jobs; set fsync=on',
  },
  {
    name: 'synchronous_commit',
    unsafe: 'off',
    warning:
      'postgres runs with synchronous_commit=off: a crash loses the last commits, including jobs Docket acknowledged; set synchronous_commit=on',
  },
];

/** Warnings for the settings of `settings` (name → value, as SHOW prints them). Pure, for tests. */
export function warningsFor(settings: Readonly<Record<string, string>>): string[] {
  return SETTINGS.filter((s) => settings[s.name]?.toLowerCase() === s.unsafe).map((s) => s.warning);
}

/**
 * Connects once and reads the settings with SHOW (which reports the values in effect for this
 * role and database). Never rejects: when the server cannot be asked, the one warning says so.
 *
 * @example
 * for (const line of await postgresBackendWarnings('postgres://docket@db/docket')) console.warn(line);
 */
export async function postgresBackendWarnings(connectionString: string): Promise<string[]> {
  const client = new pg.Client({ ...libpqConfig(connectionString), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const settings: Record<string, string> = {};
    for (const { name } of SETTINGS) {
      const { rows } = await client.query<Record<string, string>>(`SHOW ${name}`);
      const value = rows[0]?.[name];
      if (value !== undefined) settings[name] = value;
    }
    return warningsFor(settings);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return [`could not check postgres durability settings (fsync, synchronous_commit): ${reason}`];
  } finally {
    await client.end().catch(() => undefined);
  }
}
