/**
 * Warnings about unsafe server settings. Why PostgreSQL-specific: they are read with SHOW from
 * the server; synchronous_commit can be turned off for one session through the URL, which stands
 * for a server configured that way.
 */
import { expect, it } from 'vitest';
import { warningsFor } from '../src/backend-warnings.ts';
import { postgresBackendWarnings } from '../src/mod.ts';
import { describePostgres, POSTGRES_URL } from './support/postgres.ts';

function withOptions(url: string, options: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', options);
  return parsed.toString();
}

describePostgres('backend warnings', () => {
  it('fsync=off and synchronous_commit=off each give a warning naming the setting; safe values none', () => {
    expect(warningsFor({ fsync: 'on', synchronous_commit: 'on' })).toEqual([]);
    expect(warningsFor({ fsync: 'on', synchronous_commit: 'remote_write' })).toEqual([]);
    const warnings = warningsFor({ fsync: 'off', synchronous_commit: 'off' });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/fsync=off/);
    expect(warnings[1]).toMatch(/synchronous_commit=off/);
  });

  it('reads the settings in effect from the server', async () => {
    const safe = await postgresBackendWarnings(POSTGRES_URL);
    expect(safe.filter((w) => w.includes('synchronous_commit'))).toEqual([]);
    const unsafe = await postgresBackendWarnings(withOptions(POSTGRES_URL, '-c synchronous_commit=off'));
    expect(unsafe.filter((w) => w.includes('synchronous_commit=off'))).toHaveLength(1);
  });

  it('an unreachable server gives one warning saying the settings could not be checked', async () => {
    const warnings = await postgresBackendWarnings('postgres://postgres@127.0.0.1:1/test');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^could not check postgres durability settings/);
  });
});
