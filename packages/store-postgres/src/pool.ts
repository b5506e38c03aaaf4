/**
 * The connection pool of one store, configured so that a database that is slow, down or cut off
 * makes calls fail fast with UnavailableError (pg-errors.ts) instead of hanging, and so that the
 * pool heals by itself: a connection that failed is destroyed, never reused, and the next call
 * opens a fresh one, which succeeds as soon as the database is back.
 *
 * Invariants: every connection runs with `search_path` set to the store's schema (so the SQL files
 * name tables unqualified) and with the timeouts below; bigint columns (times in ms, seq, counts)
 * come back as JavaScript numbers, checked to be safe integers. Errors of idle or checked-out
 * connections are absorbed here (an unhandled 'error' event would crash the process); the call
 * using a broken connection sees the failure through its own query.
 */
import pg from 'pg';
import { InvalidArgumentError } from '@docket/protocol';
import { libpqConfig } from './libpq-defaults.ts';

/** Opening a connection (or waiting for a free one) longer than this fails the call: 503, retry. */
export const CONNECT_TIMEOUT_MS = 3_000;
/**
 * Server-side bound on one statement. Store statements touch bounded batches and take
 * milliseconds; one that runs this long is stuck on something, and the caller should hear so.
 */
export const STATEMENT_TIMEOUT_MS = 15_000;
/** Client-side bound on one query round trip: covers a server that stopped answering (no RST). */
export const QUERY_TIMEOUT_MS = 20_000;
/** Row locks are held for one short statement or transaction; waiting longer means trouble. */
export const LOCK_TIMEOUT_MS = 10_000;
/** A transaction left open (a node stalled mid-operation) releases its locks after this. */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;
/** Enough for a busy server's concurrent requests; PostgreSQL's default max_connections is 100. */
export const POOL_SIZE_DEFAULT = 10;

const INT8_OID = 20;

/** Lower-case or mixed-case letters, digits and underscores, starting with a letter or underscore. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The schema as a quoted SQL identifier; refuses names that are not plain identifiers. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidArgumentError(
      `invalid postgres schema name ${JSON.stringify(schema)}: expected letters, digits and underscores, at most 63`,
      { schema },
    );
  }
  return `"${schema}"`;
}

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} is beyond JavaScript's safe integers`);
  return value;
}

const defaultParser = pg.types.getTypeParser.bind(pg.types) as (oid: number, format: 'text' | 'binary') => unknown;

const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format: 'text' | 'binary' = 'text'): unknown =>
    oid === INT8_OID && format === 'text' ? parseInt8 : defaultParser(oid, format),
};

export interface PoolOptions {
  readonly connectionString: string;
  readonly schema: string;
  readonly poolSize: number;
}

/** Connection settings shared by the pool and the listener's dedicated connection. */
export function connectionConfig(options: Omit<PoolOptions, 'poolSize'>): pg.ClientConfig {
  const libpq = libpqConfig(options.connectionString);
  const searchPath = `-c search_path=${quoteSchema(options.schema)}`;
  return {
    ...libpq,
    // search_path as a startup option: no extra round trip, and it holds for the session.
    options: libpq.options === undefined ? searchPath : `${libpq.options} ${searchPath}`,
    fallback_application_name: 'docket',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    lock_timeout: LOCK_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    keepAlive: true,
    types,
  };
}

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({ ...connectionConfig(options), max: options.poolSize });
  pool.on('error', () => {
    // An idle connection failed; the pool already dropped it and opens a new one on demand.
  });
  pool.on('connect', (client) => {
    client.on('error', () => {
      // A checked-out connection failed; its pending query rejects and the caller destroys it.
    });
  });
  return pool;
}
