/**
 * A PostgreSQL URL read the way libpq (psql, pg_dump) reads it, so a URL that works with psql works
 * with Docket: what the URL leaves out comes from the `PG*` environment variables, then libpq's
 * defaults. node-postgres alone differs in three ways this module closes:
 * - no user in the URL nor in `PGUSER`: libpq takes the OS user (`os.userInfo()`); node-postgres
 *   takes `$USER` and, when that is unset (containers, systemd units), sends no user at all, which
 *   the server refuses ("no PostgreSQL user name specified in startup packet");
 * - `sslmode` (in the URL or `PGSSLMODE`) has libpq's meaning: `require` encrypts without checking
 *   the certificate unless `sslrootcert` is given, `verify-ca` checks the chain, `verify-full` the
 *   host name too. node-postgres, by default, treats `require` as `verify-full`;
 * - `PGSSLROOTCERT`, `PGSSLCERT` and `PGSSLKEY` count like their URL parameters.
 * The other variables (`PGHOST`, `PGPORT`, `PGDATABASE`, `PGPASSWORD`, `PGPASSFILE`, `PGAPPNAME`,
 * `PGOPTIONS`) are applied here too, each only where the URL does not say; the database defaults to
 * the user name, the host to localhost, the port to 5432.
 *
 * Known difference: `sslmode=prefer` and `allow` cannot fall back to a cleartext connection in
 * node-postgres: they ask for TLS (without checking the certificate) and fail on a server without it.
 */
import { userInfo } from 'node:os';
import { parse } from 'pg-connection-string';
import type pg from 'pg';

/** URL query parameters a `PG*` variable stands in for when the URL lacks them. */
const SSL_VARIABLES: ReadonlyArray<readonly [param: string, variable: string]> = [
  ['sslmode', 'PGSSLMODE'],
  ['sslrootcert', 'PGSSLROOTCERT'],
  ['sslcert', 'PGSSLCERT'],
  ['sslkey', 'PGSSLKEY'],
];

export interface LibpqEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The OS user's name, as libpq takes it when neither the URL nor PGUSER names a user. */
  readonly osUser: () => string;
}

const PROCESS_ENVIRONMENT: LibpqEnvironment = { env: process.env, osUser: () => userInfo().username };

function withSslVariables(connectionString: string, env: LibpqEnvironment['env']): string {
  if (connectionString.startsWith('/')) return connectionString;
  const url = new URL(connectionString);
  for (const [param, variable] of SSL_VARIABLES) {
    const value = env[variable];
    if (!url.searchParams.has(param) && value !== undefined && value !== '') url.searchParams.set(param, value);
  }
  if (url.searchParams.get('sslmode') === 'allow') url.searchParams.set('sslmode', 'prefer');
  return url.href;
}

const nonEmpty = (...values: ReadonlyArray<string | null | undefined>): string | undefined =>
  values.find((value): value is string => typeof value === 'string' && value !== '');

/**
 * The client settings a libpq URL means: host, port, user, password, database, TLS and options.
 *
 * @example
 * new pg.Client(libpqConfig('postgres://127.0.0.1:5432/test')); // user: PGUSER, else the OS user
 */
export function libpqConfig(connectionString: string, from: LibpqEnvironment = PROCESS_ENVIRONMENT): pg.ClientConfig {
  const { env } = from;
  const parsed = parse(withSslVariables(connectionString, env), { useLibpqCompat: true });
  const user = nonEmpty(parsed.user, env.PGUSER) ?? from.osUser();
  const password = nonEmpty(parsed.password, env.PGPASSWORD);
  const options = nonEmpty(parsed.options, env.PGOPTIONS);
  const applicationName = nonEmpty(parsed.application_name, env.PGAPPNAME);
  return {
    host: nonEmpty(parsed.host, env.PGHOST) ?? 'localhost',
    port: Number(nonEmpty(parsed.port, env.PGPORT) ?? 5432),
    user,
    database: nonEmpty(parsed.database, env.PGDATABASE) ?? user,
    ...(password === undefined ? {} : { password }),
    ...(options === undefined ? {} : { options }),
    ...(applicationName === undefined ? {} : { application_name: applicationName }),
    ...(parsed.ssl === undefined ? {} : { ssl: parsed.ssl as pg.ClientConfig['ssl'] }),
  };
}
