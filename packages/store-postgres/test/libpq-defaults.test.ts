/**
 * A PostgreSQL URL read as libpq reads it (issue 19, item 7): what the URL leaves out comes from
 * the PG* variables, then the OS user, and sslmode has libpq's meaning.
 */
import { describe, expect, it } from 'vitest';
import { libpqConfig } from '../src/libpq-defaults.ts';

const read = (url: string, env: Record<string, string> = {}) => libpqConfig(url, { env, osUser: () => 'osuser' });

describe('libpqConfig', () => {
  it('takes the user from the URL, else PGUSER, else the OS user (an empty one counts as unset)', () => {
    expect(read('postgres://alice@db/app', { PGUSER: 'bob' }).user).toBe('alice');
    expect(read('postgres://db/app', { PGUSER: 'bob' }).user).toBe('bob');
    expect(read('postgres://127.0.0.1:5432/test').user).toBe('osuser');
    expect(read('postgres://127.0.0.1:5432/test', { PGUSER: '', USER: '' }).user).toBe('osuser');
  });

  it('defaults the database to the user name, host to localhost and port to 5432', () => {
    expect(read('postgres://alice@db')).toMatchObject({ database: 'alice', host: 'db', port: 5432 });
    expect(read('postgres:///')).toMatchObject({ database: 'osuser', host: 'localhost', port: 5432, user: 'osuser' });
  });

  it('fills what the URL lacks from PGHOST, PGPORT, PGDATABASE, PGPASSWORD, PGAPPNAME and PGOPTIONS', () => {
    const env = {
      PGHOST: 'envhost',
      PGPORT: '6543',
      PGDATABASE: 'envdb',
      PGPASSWORD: 'envpw',
      PGAPPNAME: 'envapp',
      PGOPTIONS: '-c work_mem=8MB',
    };
    expect(read('postgres:///', env)).toMatchObject({
      host: 'envhost',
      port: 6543,
      database: 'envdb',
      password: 'envpw',
      application_name: 'envapp',
      options: '-c work_mem=8MB',
    });
    expect(read('postgres://u:urlpw@urlhost:7000/urldb?application_name=urlapp', env)).toMatchObject({
      host: 'urlhost',
      port: 7000,
      database: 'urldb',
      password: 'urlpw',
      application_name: 'urlapp',
    });
  });

  it('gives sslmode its libpq meaning, from the URL or PGSSLMODE', () => {
    expect(read('postgres://db/app').ssl).toBeUndefined();
    expect(read('postgres://db/app?sslmode=disable').ssl).toBe(false);
    expect(read('postgres://db/app', { PGSSLMODE: 'disable' }).ssl).toBe(false);
    expect(read('postgres://db/app?sslmode=require').ssl).toEqual({ rejectUnauthorized: false });
    expect(read('postgres://db/app', { PGSSLMODE: 'require' }).ssl).toEqual({ rejectUnauthorized: false });
    expect(read('postgres://db/app?sslmode=prefer').ssl).toEqual({ rejectUnauthorized: false });
    expect(read('postgres://db/app?sslmode=allow').ssl).toEqual({ rejectUnauthorized: false });
    expect(read('postgres://db/app?sslmode=verify-full').ssl).toEqual({});
    expect(read('postgres://db/app?sslmode=disable', { PGSSLMODE: 'require' }).ssl).toBe(false);
    expect(() => read('postgres://db/app?sslmode=verify-ca')).toThrow(/sslrootcert/);
  });
});
